#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Damaged files: typed errors, and the recovery that rebuilds caches and protects the vault.
mod support;

use std::fs::OpenOptions;
use std::path::Path;

use mobank_store::{Store, StoreError, StorePart, Table};
use support::{open, transactions, TestWrapper};

fn populated(dir: &Path, wrapper: &std::sync::Arc<TestWrapper>) {
    let store = open(dir, wrapper);
    store
        .insert_transactions_with_cursor(transactions(3000), "history", b"cursor-9")
        .unwrap();
    store
        .put(Table::DeviceState, "device_id", b"dev-1")
        .unwrap();
    store
        .put(Table::Outbox, "idem-1", b"signed transfer 1")
        .unwrap();
    store
        .put(Table::Outbox, "idem-2", b"signed transfer 2")
        .unwrap();
    store.pause().unwrap();
}

fn truncate_to_half(path: &Path) {
    let len = std::fs::metadata(path).unwrap().len();
    OpenOptions::new()
        .write(true)
        .open(path)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
}

fn flip_byte(path: &Path, offset: usize) {
    let mut bytes = std::fs::read(path).unwrap();
    bytes[offset] ^= 0xff;
    std::fs::write(path, bytes).unwrap();
}

fn assert_vault_intact(store: &Store) {
    assert_eq!(
        store
            .get(Table::DeviceState, "device_id")
            .unwrap()
            .as_deref()
            .map(Vec::as_slice),
        Some(&b"dev-1"[..])
    );
    let outbox = store.entries(Table::Outbox).unwrap();
    assert_eq!(outbox.len(), 2);
    assert_eq!(&outbox[1].value[..], b"signed transfer 2");
}

#[test]
fn truncated_cache_is_corrupt_and_recovery_rebuilds_it_keeping_the_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    populated(dir.path(), &wrapper);
    truncate_to_half(&dir.path().join("cache.db"));

    let err = Store::open(dir.path(), wrapper.clone()).err().unwrap();
    assert_eq!(
        err,
        StoreError::Corrupt {
            part: StorePart::Cache
        }
    );

    let store = Store::recover(dir.path(), wrapper.clone()).unwrap();
    assert!(store.open_info().cache_created);
    assert!(!store.open_info().vault_restored);
    assert_eq!(store.transaction_count(None).unwrap(), 0);
    assert_eq!(store.get(Table::Sync, "history").unwrap(), None);
    assert_vault_intact(&store);
}

#[test]
fn cache_header_damage_is_corrupt_and_recoverable() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    populated(dir.path(), &wrapper);
    flip_byte(&dir.path().join("cache.db"), 3); // inside "SQLite format 3"
    assert_eq!(
        Store::open(dir.path(), wrapper.clone()).err().unwrap(),
        StoreError::Corrupt {
            part: StorePart::Cache
        }
    );
    let store = Store::recover(dir.path(), wrapper.clone()).unwrap();
    assert_vault_intact(&store);
    store.insert_transactions(transactions(10)).unwrap();
    assert_eq!(store.transaction_count(None).unwrap(), 10);
}

#[test]
fn an_empty_cache_file_is_corrupt_not_silently_new() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    populated(dir.path(), &wrapper);
    OpenOptions::new()
        .write(true)
        .open(dir.path().join("cache.db"))
        .unwrap()
        .set_len(0)
        .unwrap();
    assert_eq!(
        Store::open(dir.path(), wrapper.clone()).err().unwrap(),
        StoreError::Corrupt {
            part: StorePart::Cache
        }
    );
    assert_vault_intact(&Store::recover(dir.path(), wrapper.clone()).unwrap());
}

#[test]
fn damaged_vault_is_restored_from_its_backup() {
    for damage in [flip_byte as fn(&Path, usize), |p: &Path, _| {
        truncate_to_half(p)
    }] {
        let dir = tempfile::tempdir().unwrap();
        let wrapper = TestWrapper::new();
        populated(dir.path(), &wrapper);
        damage(&dir.path().join("vault.db"), 0);
        assert_eq!(
            Store::open(dir.path(), wrapper.clone()).err().unwrap(),
            StoreError::Corrupt {
                part: StorePart::Vault
            }
        );
        let store = Store::recover(dir.path(), wrapper.clone()).unwrap();
        assert!(store.open_info().vault_restored);
        assert_vault_intact(&store);
        // The cache was sound and is kept.
        assert_eq!(store.transaction_count(None).unwrap(), 3000);
        assert_eq!(
            store
                .get(Table::Sync, "history")
                .unwrap()
                .as_deref()
                .map(Vec::as_slice),
            Some(&b"cursor-9"[..])
        );
        // Writes after recovery work and reach the backup again.
        store
            .put(Table::Outbox, "idem-3", b"signed transfer 3")
            .unwrap();
        assert_eq!(store.count(Table::Outbox).unwrap(), 3);
    }
}

#[test]
fn a_deleted_vault_with_its_backup_left_is_corrupt_not_a_fresh_store() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    populated(dir.path(), &wrapper);
    std::fs::remove_file(dir.path().join("vault.db")).unwrap();
    assert_eq!(
        Store::open(dir.path(), wrapper.clone()).err().unwrap(),
        StoreError::Corrupt {
            part: StorePart::Vault
        }
    );
    assert_vault_intact(&Store::recover(dir.path(), wrapper.clone()).unwrap());
}

#[test]
fn vault_and_backup_both_damaged_is_unrecoverable_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    populated(dir.path(), &wrapper);
    flip_byte(&dir.path().join("vault.db"), 0);
    flip_byte(&dir.path().join("vault.db.bak"), 0);
    assert_eq!(
        Store::recover(dir.path(), wrapper.clone()).err().unwrap(),
        StoreError::Corrupt {
            part: StorePart::Vault
        }
    );
    // Nothing was deleted by the failed recovery.
    assert!(dir.path().join("vault.db").exists());
    assert!(dir.path().join("vault.db.bak").exists());
}

#[test]
fn the_backup_follows_every_vault_write() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    let store = open(dir.path(), &wrapper);
    store.put(Table::Outbox, "idem-1", b"first").unwrap();
    store.put(Table::Outbox, "idem-2", b"second").unwrap();
    assert!(store.delete(Table::Outbox, "idem-1").unwrap());
    store.pause().unwrap();
    drop(store);
    // Lose the vault entirely: the backup alone must hold the latest state.
    std::fs::remove_file(dir.path().join("vault.db")).unwrap();
    let store = Store::recover(dir.path(), wrapper.clone()).unwrap();
    let keys: Vec<String> = store
        .entries(Table::Outbox)
        .unwrap()
        .into_iter()
        .map(|e| e.key)
        .collect();
    assert_eq!(keys, ["idem-2"]);
}

#[test]
fn recover_on_an_empty_directory_is_no_data() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        Store::recover(dir.path(), TestWrapper::new())
            .err()
            .unwrap(),
        StoreError::NoData
    );
}
