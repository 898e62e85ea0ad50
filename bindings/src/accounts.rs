//! `client.accounts()`: the customer's accounts.

use mobank_core::{self as core, Account, MobankError};

#[derive(uniffi::Object)]
pub struct AccountsClient(pub(crate) core::AccountsClient);

#[uniffi::export(async_runtime = "tokio")]
impl AccountsClient {
    /// Every account of the customer, sub-accounts included. Needs a live session.
    pub async fn list(&self) -> Result<Vec<Account>, MobankError> {
        self.0.list().await
    }
}
