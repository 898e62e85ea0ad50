#![allow(clippy::unwrap_used, clippy::expect_used)]
mod support;

use mobank_store::{Store, StoreError, Table};
use support::{open, TestWrapper};

#[test]
fn put_get_delete_round_trip_in_every_table() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), &TestWrapper::new());
    for table in Table::ALL {
        let value = format!("value of {}", table.name()).into_bytes();
        assert_eq!(store.get(table, "k").unwrap(), None);
        store.put(table, "k", &value).unwrap();
        assert_eq!(
            store.get(table, "k").unwrap().as_deref().map(Vec::as_slice),
            Some(&value[..])
        );
        assert_eq!(store.count(table).unwrap(), 1);
    }
    // Same key in different tables: independent records.
    assert!(store.delete(Table::Settings, "k").unwrap());
    assert!(!store.delete(Table::Settings, "k").unwrap());
    assert_eq!(store.get(Table::Settings, "k").unwrap(), None);
    assert_eq!(
        store
            .get(Table::DeviceState, "k")
            .unwrap()
            .as_deref()
            .map(Vec::as_slice),
        Some(&b"value of device"[..])
    );
}

#[test]
fn values_survive_reopen_and_empty_values_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    {
        let store = open(dir.path(), &wrapper);
        store
            .put(Table::DeviceState, "device_id", b"dev-42")
            .unwrap();
        store
            .put(Table::DeviceState, "signature_counter", &7u32.to_be_bytes())
            .unwrap();
        store.put(Table::Settings, "empty", b"").unwrap();
        store
            .put(Table::Accounts, "acc-1", "活期账户 balance".as_bytes())
            .unwrap();
    }
    let store = Store::open_existing(dir.path(), wrapper.clone()).unwrap();
    assert!(!store.open_info().created);
    assert_eq!(
        store
            .get(Table::DeviceState, "device_id")
            .unwrap()
            .as_deref()
            .map(Vec::as_slice),
        Some(&b"dev-42"[..])
    );
    assert_eq!(
        store
            .get(Table::DeviceState, "signature_counter")
            .unwrap()
            .as_deref()
            .map(Vec::as_slice),
        Some(&7u32.to_be_bytes()[..])
    );
    assert_eq!(
        store
            .get(Table::Settings, "empty")
            .unwrap()
            .as_deref()
            .map(Vec::as_slice),
        Some(&b""[..])
    );
    assert_eq!(
        store
            .get(Table::Accounts, "acc-1")
            .unwrap()
            .as_deref()
            .map(Vec::as_slice),
        Some("活期账户 balance".as_bytes())
    );
}

#[test]
fn outbox_entries_come_back_in_queue_order_and_replacing_keeps_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), &TestWrapper::new());
    for key in ["idem-3", "idem-1", "idem-2"] {
        store
            .put(Table::Outbox, key, format!("signed {key}").as_bytes())
            .unwrap();
    }
    store
        .put(Table::Outbox, "idem-1", b"signed idem-1, submitted")
        .unwrap();
    let entries = store.entries(Table::Outbox).unwrap();
    let keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["idem-3", "idem-1", "idem-2"]);
    assert_eq!(&entries[1].value[..], b"signed idem-1, submitted");
    assert!(
        !format!("{entries:?}").contains("signed"),
        "values are redacted in Debug"
    );
}

#[test]
fn clear_empties_only_that_table() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), &TestWrapper::new());
    store.put(Table::Payees, "p1", b"a").unwrap();
    store.put(Table::Payees, "p2", b"b").unwrap();
    store.put(Table::Accounts, "a1", b"c").unwrap();
    store.clear(Table::Payees).unwrap();
    assert_eq!(store.count(Table::Payees).unwrap(), 0);
    assert!(store.entries(Table::Payees).unwrap().is_empty());
    assert_eq!(store.count(Table::Accounts).unwrap(), 1);
}

#[test]
fn store_is_shareable_across_threads() {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(open(dir.path(), &TestWrapper::new()));
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let store = store.clone();
            std::thread::spawn(move || {
                for i in 0..25 {
                    store.put(Table::Payees, &format!("{t}-{i}"), b"x").unwrap();
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    assert_eq!(store.count(Table::Payees).unwrap(), 100);
}

#[test]
fn open_existing_on_an_empty_directory_is_no_data() {
    let dir = tempfile::tempdir().unwrap();
    let err = Store::open_existing(dir.path().join("nothing"), TestWrapper::new())
        .err()
        .unwrap();
    assert_eq!(err, StoreError::NoData);
    assert!(
        !dir.path().join("nothing").exists(),
        "open_existing must not create anything"
    );
}
