//! The customer's transaction history, page by page behind an opaque cursor.

use mobank_protocol::messages::{TransactionsPage, TransactionsQuery};

use super::{session, Bank};
use crate::error::ApiFailure;
use crate::ledger::history;

/// The page of the session customer's history that `query` asks for.
pub(crate) fn page(
    bank: &Bank,
    token_hash: &[u8],
    query: &TransactionsQuery,
) -> Result<TransactionsPage, ApiFailure> {
    let after_seq = match &query.cursor {
        None => 0,
        Some(cursor) => history::parse_cursor(cursor)
            .ok_or_else(|| ApiFailure::bad_request("malformed cursor"))?,
    };
    let limit = query.limit.unwrap_or(history::DEFAULT_PAGE);
    if !(1..=history::MAX_PAGE).contains(&limit) {
        return Err(ApiFailure::bad_request("limit must be 1 to 1000"));
    }
    let now = bank.clock.now_ms();
    let (page, remaining) = bank.transact_unflushed(|tx| {
        let owner = session::authorize(tx, bank, token_hash, now)?;
        let page = history::page(tx, &owner.customer_id, after_seq, limit)?;
        // Counted only while more follow: the last page of a sync costs no extra query.
        let remaining = if page.has_more {
            history::remaining(tx, &owner.customer_id, page.last_seq)?
        } else {
            0
        };
        Ok((page, remaining))
    })?;
    Ok(TransactionsPage {
        transactions: page.transactions,
        next_cursor: history::cursor(page.last_seq),
        has_more: page.has_more,
        server_time_ms: now,
        remaining: Some(remaining),
    })
}
