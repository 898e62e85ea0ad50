//! Transaction history: the sync into the phone's encrypted store and the queries over it.

use std::sync::Arc;

use mobank_core as core;

use crate::client::MobankClient;
use crate::error::MobankError;
use crate::platform::{ForeignProgress, SyncProgressListener};

/// One booked transaction, as kept on the phone.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Transaction {
    /// The bank's reference; unique across the customer's accounts.
    pub transaction_id: String,
    pub account_id: String,
    /// The bank's calendar day of the booking, `yyyy-mm-dd`.
    pub booking_date: String,
    /// Signed exact decimal string (negative: money out of `account_id`).
    pub amount: String,
    /// ISO 4217.
    pub currency: String,
    pub counterparty: String,
    pub memo: String,
    /// salary, rent, groceries, utilities, transfer, dining, transport, shopping or other.
    pub category: String,
}

impl From<core::Transaction> for Transaction {
    fn from(transaction: core::Transaction) -> Self {
        Transaction {
            transaction_id: transaction.transaction_id,
            account_id: transaction.account_id,
            booking_date: transaction.booking_date,
            amount: transaction.amount.to_string(),
            currency: transaction.currency,
            counterparty: transaction.counterparty,
            memo: transaction.memo,
            category: transaction.category,
        }
    }
}

/// Money in and out of one category, in one currency, within a month. Exact decimal strings.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CategorySpending {
    pub category: String,
    pub currency: String,
    /// Money that went out, as a positive amount.
    pub spent: String,
    /// Money that came in.
    pub received: String,
    pub transactions: u32,
}

impl From<core::CategorySpending> for CategorySpending {
    fn from(spending: core::CategorySpending) -> Self {
        CategorySpending {
            category: spending.category,
            currency: spending.currency,
            spent: spending.spent.to_string(),
            received: spending.received.to_string(),
            transactions: spending.transactions,
        }
    }
}

/// What a completed sync did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct SyncReport {
    /// Transactions fetched and stored by this sync.
    pub fetched: u64,
    /// Transactions on the phone now.
    pub stored: u64,
}

impl From<core::SyncReport> for SyncReport {
    fn from(report: core::SyncReport) -> Self {
        SyncReport {
            fetched: report.fetched,
            stored: report.stored,
        }
    }
}

fn all<T, U: From<T>>(items: Vec<T>) -> Vec<U> {
    items.into_iter().map(U::from).collect()
}

#[uniffi::export(async_runtime = "tokio")]
impl MobankClient {
    /// Brings the phone's copy of the history up to date (all of it the first time), reporting
    /// progress to `progress`. Needs a live session. An interrupted sync (`SyncInterrupted`)
    /// resumes where it stopped when called again.
    #[uniffi::method(default(progress = None))]
    pub async fn sync_history(
        &self,
        progress: Option<Arc<dyn SyncProgressListener>>,
    ) -> Result<SyncReport, MobankError> {
        let progress = progress.map(|listener| {
            Arc::new(ForeignProgress(listener)) as Arc<dyn core::SyncProgressListener>
        });
        Ok(self.inner.history().sync(progress).await?.into())
    }

    /// The latest `count` (1 to 1000) transactions of an account, newest first, from the
    /// phone's store. Needs a live session.
    pub async fn recent_transactions(
        &self,
        account_id: String,
        count: u32,
    ) -> Result<Vec<Transaction>, MobankError> {
        Ok(all(self.inner.history().recent(&account_id, count).await?))
    }

    /// An account's transactions booked from `from` to `to` (`yyyy-mm-dd`, both included),
    /// newest first. Needs a live session.
    pub async fn transactions_between(
        &self,
        account_id: String,
        from: String,
        to: String,
    ) -> Result<Vec<Transaction>, MobankError> {
        Ok(all(self
            .inner
            .history()
            .between(&account_id, &from, &to)
            .await?))
    }

    /// Transactions of every account whose counterparty or memo contains `text`, ignoring case
    /// (Chinese included), newest first, at most `limit` (1 to 1000). Needs a live session.
    pub async fn search_transactions(
        &self,
        text: String,
        limit: u32,
    ) -> Result<Vec<Transaction>, MobankError> {
        Ok(all(self.inner.history().search(&text, limit).await?))
    }

    /// Money out and in per category and currency for one month (`month` 1 to 12) of the
    /// bank's calendar, largest spending first. Needs a live session.
    pub async fn spending_summary(
        &self,
        year: i32,
        month: u8,
    ) -> Result<Vec<CategorySpending>, MobankError> {
        Ok(all(self
            .inner
            .history()
            .spending_summary(year, month)
            .await?))
    }

    /// Call before the app is suspended: flushes and closes the store's files so no file lock
    /// is held. History calls answer `StoragePaused` until `resume_storage`.
    pub fn pause_storage(&self) -> Result<(), MobankError> {
        Ok(self.inner.pause_storage()?)
    }

    /// Call when the app is back in the foreground.
    pub fn resume_storage(&self) -> Result<(), MobankError> {
        Ok(self.inner.resume_storage()?)
    }
}
