//! The customer's transaction history over HTTP: `GET /v1/transactions?cursor=&limit=`.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use mobank_protocol::messages::{TransactionsPage, TransactionsQuery};

use mobank_protocol::messages::paths;

use crate::bank::{history, run_blocking, Bank};
use crate::error::ApiFailure;
use crate::extract::{SessionTokenHash, StrictQuery};

#[utoipa::path(
    get,
    path = paths::TRANSACTIONS,
    tag = "history",
    summary = "One page of the customer's transaction history",
    params(
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page; absent for the first page"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 1000, description = "Transactions per page, 1 to 1000; absent: 500"),
    ),
    responses(
        (status = 200, body = TransactionsPage),
    ),
    security(("session" = [])),
)]
pub(super) async fn page(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
    StrictQuery(query): StrictQuery<TransactionsQuery>,
) -> Result<Json<TransactionsPage>, ApiFailure> {
    run_blocking(&bank, move |bank| history::page(bank, &token_hash, &query))
        .await
        .map(Json)
}
