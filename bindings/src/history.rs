//! `client.history()`: the sync into the phone's encrypted store and the queries over it.

use std::sync::Arc;

use mobank_core::{self as core, CategorySpending, MobankError, SyncReport, Transaction};

use crate::platform::{ForeignProgress, SyncProgressListener};

#[derive(uniffi::Object)]
pub struct HistoryClient(pub(crate) core::HistoryClient);

#[uniffi::export(async_runtime = "tokio")]
impl HistoryClient {
    /// Brings the phone's copy of the history up to date (all of it the first time), reporting
    /// progress to `progress`. Needs a live session. An interrupted sync (`SyncInterrupted`)
    /// resumes where it stopped when called again.
    #[uniffi::method(default(progress = None))]
    pub async fn sync(
        &self,
        progress: Option<Arc<dyn SyncProgressListener>>,
    ) -> Result<SyncReport, MobankError> {
        let progress = progress.map(|listener| {
            Arc::new(ForeignProgress(listener)) as Arc<dyn core::SyncProgressListener>
        });
        self.0.sync(progress).await
    }

    /// The latest `count` (1 to 1000) transactions of an account, newest first, from the
    /// phone's store. Needs a live session.
    pub async fn recent(
        &self,
        account_id: String,
        count: u32,
    ) -> Result<Vec<Transaction>, MobankError> {
        self.0.recent(&account_id, count).await
    }

    /// An account's transactions booked from `from` to `to` (`yyyy-mm-dd`, both included),
    /// newest first. Needs a live session.
    pub async fn between(
        &self,
        account_id: String,
        from: String,
        to: String,
    ) -> Result<Vec<Transaction>, MobankError> {
        self.0.between(&account_id, &from, &to).await
    }

    /// Transactions of every account whose counterparty or memo contains `text`, ignoring case
    /// (Chinese included), newest first, at most `limit` (1 to 1000). Needs a live session.
    pub async fn search(&self, text: String, limit: u32) -> Result<Vec<Transaction>, MobankError> {
        self.0.search(&text, limit).await
    }

    /// Money out and in per category and currency for one month (`month` 1 to 12) of the
    /// bank's calendar, largest spending first. Needs a live session.
    pub async fn spending_summary(
        &self,
        year: i32,
        month: u8,
    ) -> Result<Vec<CategorySpending>, MobankError> {
        self.0.spending_summary(year, month).await
    }
}
