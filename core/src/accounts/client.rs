//! `mobank.accounts()`: the customer's accounts.

use std::sync::Arc;

use mobank_protocol::messages::{paths, AccountsResponse};

use super::Account;
use crate::auth::authorize;
use crate::context::Context;
use crate::error::MobankError;

/// The account overview. A cheap handle: get one from [`crate::Mobank::accounts`] per use.
pub struct AccountsClient {
    context: Arc<Context>,
}

impl AccountsClient {
    pub(crate) fn new(context: Arc<Context>) -> Self {
        Self { context }
    }

    /// Every account of the customer. Needs a live session.
    pub async fn list(&self) -> Result<Vec<Account>, MobankError> {
        let auth = authorize(&self.context, None)?;
        let result = self
            .context
            .bank
            .get_authorized::<AccountsResponse>(paths::ACCOUNTS, &auth.token)
            .await;
        let response = auth.settle(result).await?;
        Ok(response.accounts.into_iter().map(Account::from).collect())
    }
}
