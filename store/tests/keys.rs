#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The key canary: "key lost or invalidated" vs "no data" vs "storage locked".
mod support;

use mobank_store::{Store, StoreError, Table};
use support::{open, Mode, TestWrapper};

fn store_with_outbox(dir: &std::path::Path, wrapper: &std::sync::Arc<TestWrapper>, queued: usize) {
    let store = open(dir, wrapper);
    store
        .put(Table::DeviceState, "device_id", b"dev-1")
        .unwrap();
    for i in 0..queued {
        store
            .put(Table::Outbox, &format!("idem-{i}"), b"signed transfer")
            .unwrap();
    }
}

#[test]
fn missing_wrapping_key_is_key_lost_and_counts_the_unreadable_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    store_with_outbox(dir.path(), &wrapper, 3);
    wrapper.set_mode(Mode::NotFound);
    let err = Store::open(dir.path(), wrapper.clone()).err().unwrap();
    assert_eq!(err, StoreError::KeyLost { outbox_entries: 3 });
    // Never a silent fresh start: the files are still there for the app to account for.
    assert!(dir.path().join("vault.db").exists());
    let err = Store::open_existing(dir.path(), wrapper.clone())
        .err()
        .unwrap();
    assert_eq!(err, StoreError::KeyLost { outbox_entries: 3 });
}

#[test]
fn invalidated_wrapping_key_is_its_own_error() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    store_with_outbox(dir.path(), &wrapper, 1);
    wrapper.set_mode(Mode::Invalidated);
    let err = Store::open(dir.path(), wrapper.clone()).err().unwrap();
    assert_eq!(err, StoreError::KeyInvalidated { outbox_entries: 1 });
}

#[test]
fn a_key_that_does_not_open_the_canary_is_key_lost_never_plaintext_or_empty() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    store_with_outbox(dir.path(), &wrapper, 2);
    wrapper.set_mode(Mode::WrongKey);
    let err = Store::open(dir.path(), wrapper.clone()).err().unwrap();
    assert_eq!(err, StoreError::KeyLost { outbox_entries: 2 });
    // A platform key that cannot unwrap the blob reports its own failure, never an empty store.
    let other = TestWrapper::new();
    let err = Store::open(dir.path(), other).err().unwrap();
    assert!(matches!(err, StoreError::KeyWrapper(_)), "{err:?}");
    assert!(dir.path().join("vault.db").exists());
}

#[test]
fn locked_key_store_is_storage_locked_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    store_with_outbox(dir.path(), &wrapper, 1);
    wrapper.set_mode(Mode::Locked);
    assert_eq!(
        Store::open(dir.path(), wrapper.clone()).err().unwrap(),
        StoreError::StorageLocked
    );
    assert_eq!(
        Store::open_existing(dir.path(), wrapper.clone())
            .err()
            .unwrap(),
        StoreError::StorageLocked
    );
    wrapper.set_mode(Mode::Normal);
    let store = open(dir.path(), &wrapper);
    assert_eq!(
        store
            .get(Table::DeviceState, "device_id")
            .unwrap()
            .as_deref()
            .map(Vec::as_slice),
        Some(&b"dev-1"[..])
    );
    assert_eq!(store.count(Table::Outbox).unwrap(), 1);
}

#[test]
fn locked_at_creation_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    wrapper.set_mode(Mode::Locked);
    assert_eq!(
        Store::open(dir.path(), wrapper.clone()).err().unwrap(),
        StoreError::StorageLocked
    );
    assert_eq!(
        Store::open_existing(dir.path(), wrapper.clone())
            .err()
            .unwrap(),
        StoreError::NoData
    );
}

#[test]
fn destroy_after_key_loss_removes_everything_and_a_new_store_starts_empty() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    store_with_outbox(dir.path(), &wrapper, 1);
    wrapper.set_mode(Mode::Invalidated);
    assert!(matches!(
        Store::open(dir.path(), wrapper.clone()),
        Err(StoreError::KeyInvalidated { .. })
    ));
    Store::destroy(dir.path(), wrapper.as_ref()).unwrap();
    assert_eq!(wrapper.deletes(), 1);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

    let fresh = TestWrapper::new();
    let store = open(dir.path(), &fresh);
    assert!(store.open_info().created);
    assert_eq!(store.count(Table::Outbox).unwrap(), 0);
}

#[test]
fn the_platform_is_asked_once_per_open_and_not_on_resume() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    drop(open(dir.path(), &wrapper));
    let store = open(dir.path(), &wrapper);
    assert_eq!(wrapper.unwraps(), 1);
    store.pause().unwrap();
    store.resume().unwrap();
    assert_eq!(wrapper.unwraps(), 1);
}
