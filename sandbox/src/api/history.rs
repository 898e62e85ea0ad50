//! The customer's transaction history over HTTP: `GET /v1/transactions?cursor=&limit=`.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use mobank_protocol::messages::{TransactionsPage, TransactionsQuery};

use crate::bank::{history, run_blocking, Bank};
use crate::error::ApiFailure;
use crate::extract::{SessionTokenHash, StrictQuery};

pub(super) async fn page(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
    StrictQuery(query): StrictQuery<TransactionsQuery>,
) -> Result<Json<TransactionsPage>, ApiFailure> {
    run_blocking(&bank, move |bank| history::page(bank, &token_hash, &query))
        .await
        .map(Json)
}
