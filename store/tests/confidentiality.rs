#![allow(clippy::unwrap_used, clippy::expect_used)]
//! What an attacker with the files sees: no plaintext canary, no repeated nonce.
mod support;

use std::collections::HashSet;

use mobank_store::{Table, Transaction};
use rusqlite::Connection;
use support::{any_file_contains, open, transactions, TestWrapper};

const CANARIES: [&str; 7] = [
    "CANARY-MEMO-7f3a91",
    "金丝雀商户有限公司",
    "6222021234567890123",
    "session-token-5d1e0c",
    "TXCANARY000123",
    "device-id-canary",
    "payee-canary-王小明",
];

#[test]
fn no_file_holds_a_plaintext_canary_while_open_or_after_pause() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), &TestWrapper::new());
    let mut history = transactions(2000);
    history.push(Transaction {
        id: CANARIES[4].into(),
        account_id: CANARIES[2].into(),
        booking_day: 20_000,
        amount_minor: -4_200,
        currency: "CNY".into(),
        counterparty: CANARIES[1].into(),
        memo: CANARIES[0].into(),
        category: "shopping".into(),
        booked_at_ms: None,
        counterparty_account: None,
    });
    store
        .insert_transactions_with_cursor(&history, "history", b"cursor")
        .unwrap();
    store
        .put(Table::DeviceState, CANARIES[5], CANARIES[3].as_bytes())
        .unwrap();
    store
        .put(Table::Payees, "p1", CANARIES[6].as_bytes())
        .unwrap();
    store
        .put(
            Table::Outbox,
            "idem",
            format!("transfer to {}", CANARIES[2]).as_bytes(),
        )
        .unwrap();
    store
        .put(Table::Accounts, CANARIES[2], b"balance 100")
        .unwrap();

    let check = |when: &str| {
        for canary in CANARIES {
            let hits = any_file_contains(dir.path(), canary.as_bytes());
            assert!(hits.is_empty(), "{canary} found in {hits:?} {when}");
        }
    };
    check("while open (WAL)");
    store.pause().unwrap();
    check("after pause");
    // And the store still reads them back.
    store.resume().unwrap();
    assert_eq!(store.search(CANARIES[1], None, 5).unwrap().len(), 1);
}

#[test]
fn nonces_never_repeat_across_records_tables_files_and_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    let all = transactions(1500);
    for session in 0..4 {
        let store = open(dir.path(), &wrapper);
        store
            .insert_transactions(&all[session * 300..(session + 1) * 300])
            .unwrap();
        // Rewriting the same ids must use fresh nonces too.
        store.insert_transactions(&all[..50]).unwrap();
        store
            .put(
                Table::DeviceState,
                "counter",
                &(session as u32).to_be_bytes(),
            )
            .unwrap();
        store
            .put(Table::Outbox, &format!("idem-{session}"), b"signed")
            .unwrap();
        store
            .put(Table::Payees, &format!("p-{session}"), b"payee")
            .unwrap();
    }
    let mut nonces = HashSet::new();
    let mut epochs = HashSet::new();
    let mut count = 0;
    for (file, tables) in [
        (
            "vault.db",
            &["meta", "kv_device", "kv_settings", "kv_outbox"][..],
        ),
        (
            "cache.db",
            &[
                "meta",
                "kv_accounts",
                "kv_payees",
                "kv_sync",
                "tx",
                "tx_account",
            ][..],
        ),
    ] {
        let conn = Connection::open(dir.path().join(file)).unwrap();
        for table in tables {
            let column = if *table == "meta" { "value" } else { "sealed" };
            let filter = if *table == "meta" {
                " WHERE name = 'canary'"
            } else {
                ""
            };
            let mut stmt = conn
                .prepare(&format!("SELECT {column} FROM {table}{filter}"))
                .unwrap();
            let blobs = stmt.query_map([], |r| r.get::<_, Vec<u8>>(0)).unwrap();
            for blob in blobs {
                let blob = blob.unwrap();
                assert_eq!(blob[0], 1, "record format");
                let nonce: [u8; 12] = blob[1..13].try_into().unwrap();
                assert!(nonces.insert(nonce), "nonce reused in {file}/{table}");
                epochs.insert(u32::from_be_bytes(nonce[..4].try_into().unwrap()));
                count += 1;
            }
        }
    }
    assert!(count > 1200, "checked {count} records");
    assert!(
        epochs.len() >= 4,
        "each session claims its own epoch: {epochs:?}"
    );
}

/// Every (epoch → salt) pair seen in the records of both files.
fn epochs(dir: &std::path::Path) -> Vec<(u32, [u8; 4])> {
    let mut seen = Vec::new();
    for (file, table) in [
        ("cache.db", "tx"),
        ("vault.db", "kv_outbox"),
        ("vault.db", "kv_device"),
    ] {
        let conn = Connection::open(dir.join(file)).unwrap();
        let mut stmt = conn
            .prepare(&format!("SELECT sealed FROM {table}"))
            .unwrap();
        for blob in stmt.query_map([], |r| r.get::<_, Vec<u8>>(0)).unwrap() {
            let blob = blob.unwrap();
            let epoch = u32::from_be_bytes(blob[1..5].try_into().unwrap());
            seen.push((epoch, blob[5..9].try_into().unwrap()));
        }
    }
    seen
}

#[test]
fn a_vault_restored_from_a_lagging_backup_never_reuses_an_epoch() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    let all = transactions(90);
    drop(open(dir.path(), &wrapper)); // creation: epoch 0, backup taken
    {
        // A session that reserves an epoch and writes only history: the backup is not refreshed
        // (no vault write, no pause), so it lags behind that reservation.
        let store = open(dir.path(), &wrapper);
        store.insert_transactions(&all[..30]).unwrap();
    }
    // The vault is damaged; recovery restores the lagging backup.
    let mut bytes = std::fs::read(dir.path().join("vault.db")).unwrap();
    bytes[0] ^= 0xff;
    std::fs::write(dir.path().join("vault.db"), bytes).unwrap();
    let store = mobank_store::Store::recover(dir.path(), wrapper.clone()).unwrap();
    assert!(store.open_info().vault_restored);
    store.insert_transactions(&all[30..60]).unwrap();
    store.put(Table::DeviceState, "counter", b"1").unwrap();
    drop(store);
    let store = open(dir.path(), &wrapper);
    store.insert_transactions(&all[60..]).unwrap();
    store.put(Table::Outbox, "idem", b"signed").unwrap();
    drop(store);

    let mut salt_of_epoch = std::collections::HashMap::new();
    for (epoch, salt) in epochs(dir.path()) {
        let first = salt_of_epoch.entry(epoch).or_insert(salt);
        assert_eq!(*first, salt, "epoch {epoch} was used by two sessions");
    }
    assert!(salt_of_epoch.len() >= 3, "{salt_of_epoch:?}");
}
