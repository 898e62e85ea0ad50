//! The history part of the facade: sync, queries, and the store's lifecycle hooks.

use std::sync::Arc;

use super::model::{CategorySpending, SyncProgressListener, SyncReport, Transaction};
use super::queries::{Month, Query};
use crate::error::MobankError;
use crate::mobank::Mobank;

impl Mobank {
    /// Fetches the transactions booked since the last sync (all of them the first time) into
    /// the encrypted store, reporting progress to `progress` as pages are stored. Needs a live
    /// session.
    ///
    /// Each page is stored with its position in the bank's history, so a sync that is
    /// cancelled, loses its connection (`SyncInterrupted`, with what it stored) or dies with
    /// the app resumes where it stopped when called again; nothing is fetched or stored twice.
    pub async fn sync_history(
        &self,
        progress: Option<Arc<dyn SyncProgressListener>>,
    ) -> Result<SyncReport, MobankError> {
        self.inner.sync_history(progress).await
    }

    /// The latest `count` (1 to 1000) transactions of an account, newest first. From the phone's
    /// store: call [`Mobank::sync_history`] to bring it up to date. Needs a live session.
    pub async fn recent_transactions(
        &self,
        account_id: &str,
        count: u32,
    ) -> Result<Vec<Transaction>, MobankError> {
        let query = Query::recent(account_id, count)?;
        self.inner.run_query(query).await
    }

    /// An account's transactions booked from `from` to `to` (`yyyy-mm-dd`, both included),
    /// newest first. Needs a live session.
    pub async fn transactions_between(
        &self,
        account_id: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<Transaction>, MobankError> {
        let query = Query::between(account_id, from, to)?;
        self.inner.run_query(query).await
    }

    /// Transactions of every account whose counterparty or memo contains `text`, ignoring case
    /// (Chinese included; full-width Latin letters match their ASCII forms), newest first, at
    /// most `limit` (1 to 1000). Needs a live session.
    pub async fn search_transactions(
        &self,
        text: &str,
        limit: u32,
    ) -> Result<Vec<Transaction>, MobankError> {
        let query = Query::search(text, limit)?;
        self.inner.run_query(query).await
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
        self.inner.month_summary(month).await
    }

    /// Call before the app is suspended: writes everything to the store's files and closes them,
    /// so no file lock is held (iOS terminates suspended apps that hold one). Until
    /// [`Mobank::resume_storage`], history calls and everything that reads or writes the
    /// binding (it is kept in the store: `binding_state`, logins, step-ups) answer
    /// `StoragePaused`.
    pub fn pause_storage(&self) -> Result<(), MobankError> {
        self.inner.pause_storage()
    }

    /// Call when the app is back in the foreground. Does not ask the key store again.
    pub fn resume_storage(&self) -> Result<(), MobankError> {
        self.inner.resume_storage()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{BankEndpoint, MobankConfig};
    use crate::platform::InsecureSoftwareKeyStore;

    fn assert_send<T: Send>(_: &T) {}

    fn offline(dir: &std::path::Path, key_store: Arc<InsecureSoftwareKeyStore>) -> Mobank {
        let config = MobankConfig {
            data_dir: dir.to_path_buf(),
            bank: BankEndpoint {
                base_url: "https://127.0.0.1:9".to_owned(),
                spki_pins: vec![crate::net::spki_pin(b"x")],
            },
            device_name: "Test".to_owned(),
            platform: "other".to_owned(),
        };
        Mobank::open(config, key_store).unwrap()
    }

    #[test]
    fn history_futures_are_send() {
        let dir = tempfile::tempdir().unwrap();
        let mobank = offline(dir.path(), Arc::new(InsecureSoftwareKeyStore::new()));
        assert_send(&mobank.sync_history(None));
        assert_send(&mobank.recent_transactions("a", 1));
        assert_send(&mobank.transactions_between("a", "2024-01-01", "2024-01-31"));
        assert_send(&mobank.search_transactions("x", 1));
        assert_send(&mobank.spending_summary(2024, 1));
    }

    #[tokio::test]
    async fn nothing_is_opened_or_created_without_a_session() {
        let dir = tempfile::tempdir().unwrap();
        let key_store = Arc::new(InsecureSoftwareKeyStore::new());
        let mobank = offline(dir.path(), key_store.clone());
        assert_eq!(
            mobank.recent_transactions("a", 1).await,
            Err(MobankError::NotLoggedIn)
        );
        assert_eq!(
            mobank.sync_history(None).await,
            Err(MobankError::NotLoggedIn)
        );
        // Pausing and resuming a store that was never opened is harmless.
        mobank.pause_storage().unwrap();
        mobank.resume_storage().unwrap();
        assert!(key_store.aliases().is_empty());
        assert!(!dir.path().join("store").exists());
    }
}
