//! `mobank.history()`: the sync and the queries the app's screens make.

use std::sync::Arc;

use super::model::{CategorySpending, SyncProgressListener, SyncReport, Transaction};
use super::queries::{month_summary, run_query, Month, Query};
use super::sync::sync;
use crate::context::Context;
use crate::error::MobankError;

/// The transaction history on the phone. A cheap handle: get one from
/// [`crate::Mobank::history`] per use.
pub struct HistoryClient {
    context: Arc<Context>,
}

impl HistoryClient {
    pub(crate) fn new(context: Arc<Context>) -> Self {
        Self { context }
    }

    /// Fetches the transactions booked since the last sync (all of them the first time) into
    /// the encrypted store, reporting progress to `progress` as pages are stored. Needs a live
    /// session.
    ///
    /// Each page is stored with its position in the bank's history, so a sync that is
    /// cancelled, loses its connection (`SyncInterrupted`, with what it stored) or dies with
    /// the app resumes where it stopped when called again; nothing is fetched or stored twice.
    pub async fn sync(
        &self,
        progress: Option<Arc<dyn SyncProgressListener>>,
    ) -> Result<SyncReport, MobankError> {
        sync(&self.context, progress).await
    }

    /// The latest `count` (1 to 1000) transactions of an account, newest first. From the phone's
    /// store: call [`HistoryClient::sync`] to bring it up to date. Needs a live session.
    pub async fn recent(
        &self,
        account_id: &str,
        count: u32,
    ) -> Result<Vec<Transaction>, MobankError> {
        let query = Query::recent(account_id, count)?;
        run_query(&self.context, query).await
    }

    /// An account's transactions booked from `from` to `to` (`yyyy-mm-dd`, both included),
    /// newest first. Needs a live session.
    pub async fn between(
        &self,
        account_id: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<Transaction>, MobankError> {
        let query = Query::between(account_id, from, to)?;
        run_query(&self.context, query).await
    }

    /// Transactions of every account whose counterparty or memo contains `text`, ignoring case
    /// (Chinese included; full-width Latin letters match their ASCII forms), newest first, at
    /// most `limit` (1 to 1000). Needs a live session.
    pub async fn search(&self, text: &str, limit: u32) -> Result<Vec<Transaction>, MobankError> {
        let query = Query::search(text, limit)?;
        run_query(&self.context, query).await
    }

    /// Money out and in per category and currency over all accounts, for one month of the
    /// bank's calendar (`month` 1 to 12), largest spending first. Transfers between the
    /// customer's own accounts count under "transfer". Needs a live session.
    pub async fn spending_summary(
        &self,
        year: i32,
        month: u8,
    ) -> Result<Vec<CategorySpending>, MobankError> {
        let month = Month::new(year, month)?;
        month_summary(&self.context, month).await
    }
}
