//! Incremental history sync: `GET /v1/transactions` page by page from the stored cursor, each
//! page written together with the cursor after it in one store transaction. A crash, a dropped
//! connection or a cancelled call therefore loses at most the page in flight, and the next sync
//! resumes right after the last page stored.
//!
//! Fetching the next page overlaps with writing the current one: the cursor for the next request
//! is known as soon as a page arrives, and neither the network nor the store waits for the other.
//! Concurrent syncs are safe without a lock: rows are keyed by transaction id (a page written
//! twice updates in place), and a cursor written late only makes a later sync fetch a page again.

use std::sync::Arc;

use mobank_protocol::messages::{paths, TransactionsPage, TransactionsQuery};
use mobank_store::{Store, StoreError, Table, Transaction as StoredTransaction};
use tokio::task::JoinHandle;

use super::cache::store_for;
use super::convert::to_stored;
use super::model::{SyncProgress, SyncProgressListener, SyncReport};
use crate::auth::{authorize, Authorized};
use crate::context::Context;
use crate::error::{internal, MobankError};
use crate::kill;
use crate::net::NetError;
use crate::runtime::blocking;
use crate::storage::{is_cache_damage, reset_cache};

/// The bank's largest page: fewer round trips and store transactions per sync. Halved for as
/// long as a page exceeds the client's response size limit (very long memos).
const PAGE_SIZE: u32 = 1_000;
/// The cursor's name in the store's sync table.
const CURSOR: &str = "transactions";
/// Cursors are opaque but short; a longer one is not the bank's.
const MAX_CURSOR_LEN: usize = 512;

type Write = JoinHandle<Result<usize, StoreError>>;

pub(super) async fn sync(
    context: &Arc<Context>,
    progress: Option<Arc<dyn SyncProgressListener>>,
) -> Result<SyncReport, MobankError> {
    let auth = authorize(context, None)?;
    let store = store_for(context, &auth.device_id).await?;
    let mut cursor = {
        let store = Arc::clone(&store);
        blocking(move || read_cursor(&store)).await??
    };
    // What the bank said follows the last page received; reports come right after that
    // page is stored, so with `fetched` it makes the total of this sync.
    let mut remaining: Option<u64> = None;
    let report = |fetched: u64, remaining: Option<u64>, done| {
        if let Some(listener) = &progress {
            listener.on_progress(SyncProgress {
                fetched,
                total_estimate: remaining.map(|rest| fetched.saturating_add(rest)),
                done,
            });
        }
    };

    let mut fetched = 0u64;
    let mut page_size = PAGE_SIZE;
    let mut writing: Option<Write> = None;
    loop {
        let fetch = fetch_page(context, &auth, cursor.clone(), page_size);
        let page = match writing.take() {
            Some(write) => {
                let (page, written) = tokio::join!(fetch, write);
                // What is stored counts even when the next page did not arrive.
                fetched += written_rows(written, &store, &auth.device_id).await?;
                report(fetched, remaining, false);
                page
            }
            None => fetch.await,
        };
        let page = match page {
            Err(error) if too_large(&error) && page_size > 1 => {
                page_size /= 2;
                continue;
            }
            other => other.map_err(|error| interrupted(error, fetched))?,
        };
        let after_page = page.remaining;
        let Some((rows, next, has_more)) = prepare(page, cursor.as_deref())? else {
            break;
        };
        remaining = after_page;
        let store = Arc::clone(&store);
        let cursor_after = next.clone();
        writing = Some(tokio::task::spawn_blocking(move || {
            let written =
                store.insert_transactions_with_cursor(&rows, CURSOR, cursor_after.as_bytes());
            kill::point(kill::HISTORY_PAGE_WRITTEN);
            written
        }));
        cursor = Some(next);
        if !has_more {
            break;
        }
    }
    if let Some(write) = writing {
        fetched += written_rows(write.await, &store, &auth.device_id).await?;
    }
    report(fetched, remaining.map(|_| 0), true);
    let stored = blocking(move || store.transaction_count(None)).await??;
    tracing::info!(fetched, stored, "history synced");
    Ok(SyncReport { fetched, stored })
}

async fn fetch_page(
    context: &Context,
    auth: &Authorized,
    cursor: Option<String>,
    page_size: u32,
) -> Result<TransactionsPage, MobankError> {
    let query = TransactionsQuery {
        cursor,
        limit: Some(page_size),
    };
    let result = context
        .bank
        .get_authorized_query(paths::TRANSACTIONS, &query, &auth.token)
        .await;
    auth.settle(result).await
}

/// How many rows a finished page write stored. A cache found damaged while writing is
/// cleared, so the next sync starts over on a sound one.
async fn written_rows(
    outcome: Result<Result<usize, StoreError>, tokio::task::JoinError>,
    store: &Arc<Store>,
    device_id: &str,
) -> Result<u64, MobankError> {
    match outcome {
        Ok(Ok(rows)) => Ok(u64::try_from(rows).unwrap_or(u64::MAX)),
        Ok(Err(error)) if is_cache_damage(&error) => {
            let (store, device_id) = (Arc::clone(store), device_id.to_owned());
            blocking(move || reset_cache(&store, &device_id)).await??;
            Err(MobankError::HistoryDamaged)
        }
        Ok(Err(error)) => Err(error.into()),
        Err(_) => Err(internal("history write task failed")),
    }
}

/// The stored cursor; `None` before the first page. A cursor that is not text was not written
/// by this code: starting over is safe, since rows are keyed by id.
fn read_cursor(store: &Store) -> Result<Option<String>, StoreError> {
    Ok(store
        .get(Table::Sync, CURSOR)?
        .and_then(|bytes| String::from_utf8(bytes.to_vec()).ok()))
}

/// A page's rows, oldest first (the store orders a day's transactions by when they were
/// written), with the cursor after it and whether more follow; `None` when the page brings
/// nothing new. Refuses the whole page if any row is unacceptable or the bank's paging makes no
/// progress.
fn prepare(
    mut page: TransactionsPage,
    cursor: Option<&str>,
) -> Result<Option<(Vec<StoredTransaction>, String, bool)>, MobankError> {
    let malformed = || MobankError::from(NetError::MalformedResponse);
    if page.next_cursor.is_empty() || page.next_cursor.len() > MAX_CURSOR_LEN {
        return Err(malformed());
    }
    let stalled = cursor == Some(page.next_cursor.as_str());
    // A bank that says more follows but does not move on would keep the sync looping forever.
    if stalled && page.has_more {
        return Err(malformed());
    }
    if page.transactions.is_empty() && stalled {
        return Ok(None);
    }
    page.transactions.sort_by_key(|tx| tx.booked_at_ms);
    let rows = page
        .transactions
        .into_iter()
        .map(to_stored)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| malformed())?;
    Ok(Some((rows, page.next_cursor, page.has_more)))
}

fn too_large(error: &MobankError) -> bool {
    matches!(error, MobankError::ServerRejected { code, .. } if code == "response_too_large")
}

/// A sync cut short by the network keeps what it stored and says so; other errors (pinning, the
/// session) keep their meaning.
fn interrupted(error: MobankError, fetched: u64) -> MobankError {
    match error {
        MobankError::Network { .. } | MobankError::OutcomeUnknown => {
            MobankError::SyncInterrupted { fetched }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use mobank_protocol::messages::Transaction as WireTransaction;

    use super::*;

    fn page(ids: &[(&str, i64)], next: &str, has_more: bool) -> TransactionsPage {
        TransactionsPage {
            transactions: ids
                .iter()
                .map(|(id, at)| WireTransaction {
                    transaction_id: (*id).to_owned(),
                    account_id: "acct".to_owned(),
                    booked_at_ms: *at,
                    amount: "-1.00".parse().unwrap(),
                    currency: "CNY".to_owned(),
                    counterparty: "x".to_owned(),
                    counterparty_account: None,
                    memo: String::new(),
                    category: "other".to_owned(),
                })
                .collect(),
            next_cursor: next.to_owned(),
            has_more,
            server_time_ms: 0,
            remaining: None,
        }
    }

    #[test]
    fn a_page_is_written_oldest_first() {
        let (rows, next, more) = prepare(page(&[("b", 20), ("a", 10), ("c", 20)], "n", true), None)
            .unwrap()
            .unwrap();
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!((next.as_str(), more), ("n", true));
    }

    #[test]
    fn an_empty_page_at_the_same_cursor_ends_the_sync() {
        assert!(prepare(page(&[], "c", false), Some("c")).unwrap().is_none());
        // Claiming more without moving on is the bank's fault, not a reason to loop.
        assert!(prepare(page(&[], "c", true), Some("c")).is_err());
        assert!(prepare(page(&[], "", false), None).is_err());
    }

    #[test]
    fn rows_at_the_same_cursor_with_more_to_come_are_refused() {
        // The same rows again and again would keep the sync running forever.
        assert!(prepare(page(&[("a", 10)], "c", true), Some("c")).is_err());
        // The last page repeated once is harmless: the rows are keyed by id.
        assert!(prepare(page(&[("a", 10)], "c", false), Some("c"))
            .unwrap()
            .is_some());
    }

    #[test]
    fn one_bad_row_refuses_the_page() {
        let mut bad = page(&[("a", 10), ("b", 11)], "n", false);
        bad.transactions[1].currency = "yuan".to_owned();
        assert!(matches!(
            prepare(bad, None),
            Err(MobankError::ServerRejected { code, .. }) if code == "malformed_response"
        ));
    }

    #[test]
    fn only_network_failures_become_an_interrupted_sync() {
        assert_eq!(
            interrupted(MobankError::OutcomeUnknown, 7),
            MobankError::SyncInterrupted { fetched: 7 }
        );
        assert_eq!(
            interrupted(
                MobankError::Network {
                    message: "down".to_owned()
                },
                0
            ),
            MobankError::SyncInterrupted { fetched: 0 }
        );
        assert_eq!(
            interrupted(MobankError::PinningFailed, 7),
            MobankError::PinningFailed
        );
        assert_eq!(
            interrupted(MobankError::SessionExpired, 7),
            MobankError::SessionExpired
        );
    }
}
