#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Writes whose backup refresh is deferred (decision record 0030): durable at once (or with the
//! next flushed commit, decision record 0033), in the backup after at most `MAX_BACKUP_LAG` of them,
//! and a restore that says so until acknowledged.
mod support;

use std::path::Path;
use std::sync::Arc;

use mobank_store::{Store, StoreError, Table, MAX_BACKUP_LAG};
use support::{open, TestWrapper};

const COUNTER: &str = "counter";

fn counter(store: &Store) -> Option<Vec<u8>> {
    store
        .get(Table::DeviceState, COUNTER)
        .unwrap()
        .map(|value| value.to_vec())
}

/// Drops the store without `pause` (as a killed app would), loses the vault file and restores
/// it from the backup.
fn lose_vault_and_recover(store: Store, dir: &Path, wrapper: &Arc<TestWrapper>) -> Store {
    drop(store);
    std::fs::remove_file(dir.join("vault.db")).unwrap();
    Store::recover(dir, wrapper.clone()).unwrap()
}

#[test]
fn a_lagging_write_is_durable_at_once_and_reopens_without_a_restore() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    let store = open(dir.path(), &wrapper);
    store
        .put_lagging_backup(Table::DeviceState, COUNTER, b"1")
        .unwrap();
    drop(store);
    let store = open(dir.path(), &wrapper);
    assert_eq!(counter(&store).as_deref(), Some(&b"1"[..]));
    assert!(!store.restore_unacknowledged().unwrap());
}

#[test]
fn the_backup_lags_behind_lagging_writes_by_less_than_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    let store = open(dir.path(), &wrapper);
    store.put(Table::DeviceState, COUNTER, b"0").unwrap();
    for value in 1..MAX_BACKUP_LAG {
        store
            .put_lagging_backup(Table::DeviceState, COUNTER, value.to_string().as_bytes())
            .unwrap();
    }
    let store = lose_vault_and_recover(store, dir.path(), &wrapper);
    // The full put is the last thing the backup saw.
    assert_eq!(counter(&store).as_deref(), Some(&b"0"[..]));
    assert!(store.restore_unacknowledged().unwrap());
}

#[test]
fn the_backup_catches_up_at_the_limit_and_at_every_other_vault_write() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    let store = open(dir.path(), &wrapper);
    for value in 1..=MAX_BACKUP_LAG {
        store
            .put_lagging_backup(Table::DeviceState, COUNTER, value.to_string().as_bytes())
            .unwrap();
    }
    let store = lose_vault_and_recover(store, dir.path(), &wrapper);
    let limit = MAX_BACKUP_LAG.to_string();
    assert_eq!(counter(&store).as_deref(), Some(limit.as_bytes()));
    store.acknowledge_restore().unwrap();

    store
        .put_lagging_backup(Table::DeviceState, COUNTER, b"late")
        .unwrap();
    store.put(Table::Outbox, "idem-1", b"signed").unwrap();
    let store = lose_vault_and_recover(store, dir.path(), &wrapper);
    assert_eq!(counter(&store).as_deref(), Some(&b"late"[..]));
    assert_eq!(store.entries(Table::Outbox).unwrap().len(), 1);
}

#[test]
fn pause_brings_the_backup_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    let store = open(dir.path(), &wrapper);
    store.put(Table::DeviceState, COUNTER, b"0").unwrap();
    store
        .put_lagging_backup(Table::DeviceState, COUNTER, b"1")
        .unwrap();
    store.pause().unwrap();
    let store = lose_vault_and_recover(store, dir.path(), &wrapper);
    assert_eq!(counter(&store).as_deref(), Some(&b"1"[..]));
}

#[test]
fn a_restore_stays_unacknowledged_across_reopening_until_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    let store = open(dir.path(), &wrapper);
    store.put(Table::DeviceState, COUNTER, b"0").unwrap();
    let store = lose_vault_and_recover(store, dir.path(), &wrapper);
    assert!(store.open_info().vault_restored);
    drop(store);
    // A crash before the owner moved its values forward: the next run still knows.
    let store = open(dir.path(), &wrapper);
    assert!(!store.open_info().vault_restored);
    assert!(store.restore_unacknowledged().unwrap());
    store.acknowledge_restore().unwrap();
    assert!(!store.restore_unacknowledged().unwrap());
    drop(store);
    let store = open(dir.path(), &wrapper);
    assert!(!store.restore_unacknowledged().unwrap());
}

#[test]
fn a_cache_table_has_no_backup_to_lag_behind() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    let store = open(dir.path(), &wrapper);
    assert!(matches!(
        store.put_lagging_backup(Table::Sync, "cursor", b"1"),
        Err(StoreError::InvalidInput(_))
    ));
    assert_eq!(store.get(Table::Sync, "cursor").unwrap(), None);
}

#[test]
fn a_write_flushed_later_survives_the_app_being_killed_and_reopens_without_a_restore() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    let store = open(dir.path(), &wrapper);
    store
        .put_flushed_later(Table::DeviceState, COUNTER, b"7")
        .unwrap();
    // Dropped without `pause`: no checkpoint, no later flush.
    drop(store);
    let store = open(dir.path(), &wrapper);
    assert_eq!(counter(&store).as_deref(), Some(&b"7"[..]));
    assert!(!store.restore_unacknowledged().unwrap());
}

#[test]
fn writes_flushed_later_count_towards_the_backup_lag_like_lagging_ones() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    let store = open(dir.path(), &wrapper);
    store.put(Table::DeviceState, COUNTER, b"0").unwrap();
    for value in 1..MAX_BACKUP_LAG {
        let value = value.to_string();
        if value.len() % 2 == 0 {
            store.put_flushed_later(Table::DeviceState, COUNTER, value.as_bytes())
        } else {
            store.put_lagging_backup(Table::DeviceState, COUNTER, value.as_bytes())
        }
        .unwrap();
    }
    let store = lose_vault_and_recover(store, dir.path(), &wrapper);
    assert_eq!(counter(&store).as_deref(), Some(&b"0"[..]));
    store.acknowledge_restore().unwrap();

    for value in 1..=MAX_BACKUP_LAG {
        store
            .put_flushed_later(Table::DeviceState, COUNTER, value.to_string().as_bytes())
            .unwrap();
    }
    let store = lose_vault_and_recover(store, dir.path(), &wrapper);
    let limit = MAX_BACKUP_LAG.to_string();
    assert_eq!(counter(&store).as_deref(), Some(limit.as_bytes()));
}

#[test]
fn a_cache_table_is_never_flushed_later() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    let store = open(dir.path(), &wrapper);
    assert!(matches!(
        store.put_flushed_later(Table::Sync, "cursor", b"1"),
        Err(StoreError::InvalidInput(_))
    ));
    assert_eq!(store.get(Table::Sync, "cursor").unwrap(), None);
}
