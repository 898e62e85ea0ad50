#![allow(clippy::unwrap_used, clippy::expect_used)]
mod support;

use mobank_store::{Store, StoreError, Table};
use support::{open, transactions, Mode, TestWrapper};

fn present(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn pause_checkpoints_and_closes_every_file_and_resume_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), &TestWrapper::new());
    store.insert_transactions(transactions(200)).unwrap();
    store.put(Table::Outbox, "idem-1", b"signed").unwrap();
    assert!(
        dir.path().join("cache.db-wal").exists(),
        "open store writes through the WAL"
    );

    store.pause().unwrap();
    // No WAL or shared-memory file left: nothing is locked or pending while suspended.
    assert_eq!(
        present(dir.path()),
        ["cache.db", "vault.db", "vault.db.bak"]
    );
    assert_eq!(
        store.get(Table::Outbox, "idem-1").unwrap_err(),
        StoreError::Paused
    );
    assert_eq!(
        store.transaction_count(None).unwrap_err(),
        StoreError::Paused
    );
    assert_eq!(
        store.put(Table::Settings, "x", b"y").unwrap_err(),
        StoreError::Paused
    );
    store.pause().unwrap();

    store.resume().unwrap();
    store.resume().unwrap();
    assert_eq!(store.transaction_count(None).unwrap(), 200);
    assert!(store.get(Table::Outbox, "idem-1").unwrap().is_some());
    store.put(Table::Settings, "x", b"y").unwrap();
}

#[test]
fn wipe_removes_every_file_and_deletes_the_platform_key() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    let store = open(dir.path(), &wrapper);
    store.insert_transactions(transactions(20)).unwrap();
    store.put(Table::DeviceState, "device_id", b"dev").unwrap();
    let listed = Store::file_paths(dir.path());
    for file in present(dir.path()) {
        assert!(
            listed.contains(&dir.path().join(&file)),
            "{file} missing from file_paths"
        );
    }
    store.wipe().unwrap();
    assert_eq!(present(dir.path()), Vec::<String>::new());
    assert_eq!(wrapper.deletes(), 1);
    assert_eq!(
        Store::open_existing(dir.path(), wrapper.clone())
            .err()
            .unwrap(),
        StoreError::NoData
    );
}

#[test]
fn wipe_of_a_paused_store_works_too() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    let store = open(dir.path(), &wrapper);
    store.pause().unwrap();
    store.wipe().unwrap();
    assert!(present(dir.path()).is_empty());
    assert_eq!(wrapper.deletes(), 1);
}

#[test]
fn rebuild_cache_empties_caches_and_keeps_the_vault() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    let store = open(dir.path(), &wrapper);
    store
        .insert_transactions_with_cursor(transactions(30), "history", b"c-1")
        .unwrap();
    store.put(Table::Accounts, "a", b"1").unwrap();
    store.put(Table::DeviceState, "device_id", b"dev").unwrap();
    store.put(Table::Outbox, "idem", b"signed").unwrap();
    store.put(Table::Settings, "lang", b"zh").unwrap();

    store.rebuild_cache().unwrap();
    assert_eq!(store.transaction_count(None).unwrap(), 0);
    assert_eq!(
        store.get(Table::Sync, "history").unwrap(),
        None,
        "the sync starts over"
    );
    assert_eq!(store.count(Table::Accounts).unwrap(), 0);
    assert_eq!(store.count(Table::DeviceState).unwrap(), 1);
    assert_eq!(store.count(Table::Outbox).unwrap(), 1);
    assert_eq!(store.count(Table::Settings).unwrap(), 1);
    drop(store);
    let store = open(dir.path(), &wrapper);
    assert!(!store.open_info().cache_created);
    assert_eq!(
        store
            .get(Table::Outbox, "idem")
            .unwrap()
            .as_deref()
            .map(Vec::as_slice),
        Some(&b"signed"[..])
    );
}

#[test]
fn resume_after_the_key_store_locked_again_does_not_need_it() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    let store = open(dir.path(), &wrapper);
    store.put(Table::Settings, "k", b"v").unwrap();
    store.pause().unwrap();
    wrapper.set_mode(Mode::Locked);
    store.resume().unwrap();
    assert!(store.get(Table::Settings, "k").unwrap().is_some());
}
