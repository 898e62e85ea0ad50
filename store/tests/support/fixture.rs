//! The content of the committed fixture stores (tests/fixtures/v*/): written by
//! `examples/write_fixtures.rs` at each schema version and checked by `tests/migrations.rs`.

use mobank_store::{Store, Table, Transaction};

pub fn history() -> Vec<Transaction> {
    (0..40)
        .map(|i| Transaction {
            id: format!("FX{i:04}"),
            account_id: if i % 4 == 0 {
                "acc-savings"
            } else {
                "acc-current"
            }
            .into(),
            booking_day: 19_800 + i,
            amount_minor: if i % 10 == 0 {
                2_000_000
            } else {
                -(1_000 + i as i64 * 37)
            },
            currency: "CNY".into(),
            counterparty: ["华润万家", "China Mobile 中国移动", "Metro 地铁"][i as usize % 3]
                .into(),
            memo: format!("fixture memo {i} 备注"),
            category: ["groceries", "utilities", "transport"][i as usize % 3].into(),
            booked_at_ms: None,
            counterparty_account: None,
        })
        .collect()
}

/// What every schema version can hold.
pub fn fill_v1(store: &Store) {
    store
        .put(Table::DeviceState, "device_id", b"fixture-device-1")
        .unwrap();
    store
        .put(
            Table::DeviceState,
            "signature_counter",
            &41u32.to_be_bytes(),
        )
        .unwrap();
    store.put(Table::Settings, "language", b"zh-CN").unwrap();
    store
        .put(Table::Accounts, "acc-current", "活期 current".as_bytes())
        .unwrap();
    store
        .put(Table::Payees, "payee-1", "张三 6222****1234".as_bytes())
        .unwrap();
    store
        .insert_transactions_with_cursor(history(), "history", b"fixture-cursor-40")
        .unwrap();
}

/// Added by schema version 2.
pub fn fill_v2(store: &Store) {
    store
        .put(Table::Outbox, "idem-fixture-1", b"fixture signed transfer")
        .unwrap();
}

pub fn check_v1(store: &Store) {
    let get = |table, key| store.get(table, key).unwrap().map(|v| v.to_vec());
    assert_eq!(
        get(Table::DeviceState, "device_id"),
        Some(b"fixture-device-1".to_vec())
    );
    assert_eq!(
        get(Table::DeviceState, "signature_counter"),
        Some(41u32.to_be_bytes().to_vec())
    );
    assert_eq!(get(Table::Settings, "language"), Some(b"zh-CN".to_vec()));
    assert_eq!(
        get(Table::Accounts, "acc-current"),
        Some("活期 current".as_bytes().to_vec())
    );
    assert_eq!(
        get(Table::Payees, "payee-1"),
        Some("张三 6222****1234".as_bytes().to_vec())
    );
    assert_eq!(
        get(Table::Sync, "history"),
        Some(b"fixture-cursor-40".to_vec())
    );
    let history = history();
    assert_eq!(store.transaction_count(None).unwrap(), history.len() as u64);
    for tx in &history {
        assert_eq!(store.transaction_by_id(&tx.id).unwrap().as_ref(), Some(tx));
    }
    assert_eq!(store.last_n("acc-savings", 3).unwrap().len(), 3);
    assert_eq!(store.search("中国移动", None, 100).unwrap().len(), 13);
}

pub fn check_v2(store: &Store) {
    let outbox = store.entries(Table::Outbox).unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].key, "idem-fixture-1");
    assert_eq!(&outbox[0].value[..], b"fixture signed transfer");
}
