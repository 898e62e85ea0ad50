//! The customer's transaction history, page by page: `GET /v1/transactions?cursor=&limit=`.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use mobank_protocol::messages::{TransactionsPage, TransactionsQuery};

use super::session;
use crate::bank::{run_blocking, Bank};
use crate::error::ApiFailure;
use crate::extract::{SessionTokenHash, StrictQuery};
use crate::ledger;

pub(super) async fn page(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
    StrictQuery(query): StrictQuery<TransactionsQuery>,
) -> Result<Json<TransactionsPage>, ApiFailure> {
    let after_seq = match &query.cursor {
        None => 0,
        Some(cursor) => ledger::parse_cursor(cursor)
            .ok_or_else(|| ApiFailure::bad_request("malformed cursor"))?,
    };
    let limit = query.limit.unwrap_or(ledger::DEFAULT_PAGE);
    if !(1..=ledger::MAX_PAGE).contains(&limit) {
        return Err(ApiFailure::bad_request("limit must be 1 to 1000"));
    }
    run_blocking(&bank, move |bank| {
        let now = bank.clock.now_ms();
        let (page, remaining) = bank.transact(|tx| {
            let owner = session::authorize(tx, bank, &token_hash, now)?;
            let page = ledger::page(tx, &owner.customer_id, after_seq, limit)?;
            // Counted only while more follow: the last page of a sync costs no extra query.
            let remaining = if page.has_more {
                ledger::remaining(tx, &owner.customer_id, page.last_seq)?
            } else {
                0
            };
            Ok((page, remaining))
        })?;
        Ok(TransactionsPage {
            transactions: page.transactions,
            next_cursor: ledger::cursor(page.last_seq),
            has_more: page.has_more,
            server_time_ms: now,
            remaining: Some(remaining),
        })
    })
    .await
    .map(Json)
}
