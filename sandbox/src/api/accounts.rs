//! The customer's accounts over HTTP: `GET /v1/accounts`.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use mobank_protocol::messages::AccountsResponse;

use mobank_protocol::messages::paths;

use crate::bank::{accounts, run_blocking, Bank};
use crate::error::ApiFailure;
use crate::extract::SessionTokenHash;

#[utoipa::path(
    get,
    path = paths::ACCOUNTS,
    tag = "accounts",
    summary = "The customer's accounts, sub-accounts included",
    responses(
        (status = 200, body = AccountsResponse),
    ),
    security(("session" = [])),
)]
pub(super) async fn list(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
) -> Result<Json<AccountsResponse>, ApiFailure> {
    run_blocking(&bank, move |bank| accounts::list(bank, &token_hash))
        .await
        .map(Json)
}
