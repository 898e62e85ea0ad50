#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Tampering with sealed records: a changed byte, swapped or moved records, edited clear columns.
mod support;

use mobank_store::{StoreError, Table};
use rusqlite::Connection;
use support::{open, transactions, TestWrapper};

fn raw(dir: &std::path::Path, file: &str) -> Connection {
    Connection::open(dir.join(file)).unwrap()
}

fn sealed(conn: &Connection, table: &str, rowid: i64) -> Vec<u8> {
    conn.query_row(
        &format!("SELECT sealed FROM {table} WHERE rowid = ?1"),
        [rowid],
        |r| r.get(0),
    )
    .unwrap()
}

fn set_sealed(conn: &Connection, table: &str, rowid: i64, value: &[u8]) {
    let n = conn
        .execute(
            &format!("UPDATE {table} SET sealed = ?1 WHERE rowid = ?2"),
            rusqlite::params![value, rowid],
        )
        .unwrap();
    assert_eq!(n, 1);
}

#[test]
fn one_flipped_ciphertext_byte_fails_that_record_only() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    let all = transactions(50);
    let store = open(dir.path(), &wrapper);
    store.insert_transactions(&all).unwrap();
    store.pause().unwrap();
    {
        let conn = raw(dir.path(), "cache.db");
        let mut record = sealed(&conn, "tx", 7);
        let middle = record.len() / 2;
        record[middle] ^= 0x01;
        set_sealed(&conn, "tx", 7, &record);
    }
    store.resume().unwrap();
    // rowid 7 holds the 7th inserted transaction.
    let damaged = &all[6];
    assert_eq!(
        store.transaction_by_id(&damaged.id).unwrap_err(),
        StoreError::Integrity {
            table: "transactions"
        }
    );
    for t in all.iter().filter(|t| t.id != damaged.id) {
        assert_eq!(store.transaction_by_id(&t.id).unwrap().as_ref(), Some(t));
    }
    // A list that would include it fails rather than silently dropping it.
    assert!(matches!(
        store.last_n(&damaged.account_id, 50),
        Err(StoreError::Integrity { .. })
    ));
    // The recovery for a cache table: rebuild, then sync again.
    store.rebuild_cache().unwrap();
    assert_eq!(store.transaction_count(None).unwrap(), 0);
    store.insert_transactions(&all).unwrap();
    assert_eq!(
        store.transaction_by_id(&damaged.id).unwrap().as_ref(),
        Some(damaged)
    );
}

#[test]
fn swapping_two_records_is_detected_for_both() {
    let dir = tempfile::tempdir().unwrap();
    let all = transactions(10);
    let store = open(dir.path(), &TestWrapper::new());
    store.insert_transactions(&all).unwrap();
    store.pause().unwrap();
    {
        let conn = raw(dir.path(), "cache.db");
        let (a, b) = (sealed(&conn, "tx", 2), sealed(&conn, "tx", 5));
        set_sealed(&conn, "tx", 2, &b);
        set_sealed(&conn, "tx", 5, &a);
    }
    store.resume().unwrap();
    for t in [&all[1], &all[4]] {
        assert!(matches!(
            store.transaction_by_id(&t.id),
            Err(StoreError::Integrity { .. })
        ));
    }
    assert_eq!(
        store.transaction_by_id(&all[0].id).unwrap().as_ref(),
        Some(&all[0])
    );
}

#[test]
fn editing_the_clear_day_or_account_column_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let all = transactions(10);
    let store = open(dir.path(), &TestWrapper::new());
    store.insert_transactions(&all).unwrap();
    store.pause().unwrap();
    {
        let conn = raw(dir.path(), "cache.db");
        conn.execute("UPDATE tx SET day = day + 1 WHERE rowid = 3", [])
            .unwrap();
        // Point rowid 4 at the other of the two accounts (references 1 and 2).
        conn.execute(
            "UPDATE tx SET acct = CASE acct WHEN 1 THEN 2 ELSE 1 END WHERE rowid = 4",
            [],
        )
        .unwrap();
    }
    store.resume().unwrap();
    assert!(matches!(
        store.transaction_by_id(&all[2].id),
        Err(StoreError::Integrity { .. })
    ));
    assert!(matches!(
        store.transaction_by_id(&all[3].id),
        Err(StoreError::Integrity { .. })
    ));
    assert_eq!(
        store.transaction_by_id(&all[4].id).unwrap().as_ref(),
        Some(&all[4])
    );
}

#[test]
fn a_record_copied_to_another_key_or_table_does_not_open() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), &TestWrapper::new());
    store.put(Table::Settings, "limit", b"100").unwrap();
    store.put(Table::Settings, "theme", b"dark").unwrap();
    store
        .put(Table::DeviceState, "device_id", b"dev-1")
        .unwrap();
    store.pause().unwrap();
    {
        let conn = raw(dir.path(), "vault.db");
        // Swap within a table: "limit" now holds the record sealed for "theme".
        let (a, b) = (
            sealed(&conn, "kv_settings", 1),
            sealed(&conn, "kv_settings", 2),
        );
        set_sealed(&conn, "kv_settings", 1, &b);
        set_sealed(&conn, "kv_settings", 2, &a);
        // Move across tables: the device record replaced by a settings record.
        set_sealed(&conn, "kv_device", 1, &a);
    }
    store.resume().unwrap();
    assert_eq!(
        store.get(Table::Settings, "limit").unwrap_err(),
        StoreError::Integrity { table: "settings" }
    );
    assert_eq!(
        store.get(Table::Settings, "theme").unwrap_err(),
        StoreError::Integrity { table: "settings" }
    );
    assert_eq!(
        store.get(Table::DeviceState, "device_id").unwrap_err(),
        StoreError::Integrity { table: "device" }
    );
    assert!(matches!(
        store.entries(Table::Settings),
        Err(StoreError::Integrity { .. })
    ));
}

#[test]
fn a_damaged_outbox_entry_fails_the_listing_instead_of_vanishing() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), &TestWrapper::new());
    for key in ["a", "b", "c"] {
        store.put(Table::Outbox, key, b"signed").unwrap();
    }
    store.pause().unwrap();
    {
        let conn = raw(dir.path(), "vault.db");
        let mut record = sealed(&conn, "kv_outbox", 2);
        let last = record.len() - 1;
        record[last] ^= 0x80;
        set_sealed(&conn, "kv_outbox", 2, &record);
    }
    store.resume().unwrap();
    assert_eq!(
        store.entries(Table::Outbox).unwrap_err(),
        StoreError::Integrity { table: "outbox" }
    );
    assert_eq!(store.count(Table::Outbox).unwrap(), 3);
    assert!(store.get(Table::Outbox, "a").unwrap().is_some());
    assert!(store.get(Table::Outbox, "c").unwrap().is_some());
}
