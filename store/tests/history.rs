#![allow(clippy::unwrap_used, clippy::expect_used)]
mod support;

use mobank_store::{CategoryTotal, Table, Transaction};
use support::{open, transactions, TestWrapper, CURRENT, SAVINGS};

fn tx(
    id: &str,
    account: &str,
    day: i32,
    amount: i64,
    counterparty: &str,
    memo: &str,
    category: &str,
) -> Transaction {
    Transaction {
        id: id.into(),
        account_id: account.into(),
        booking_day: day,
        amount_minor: amount,
        currency: "CNY".into(),
        counterparty: counterparty.into(),
        memo: memo.into(),
        category: category.into(),
        booked_at_ms: None,
        counterparty_account: None,
    }
}

#[test]
fn inserted_transactions_are_found_by_id_and_upserts_replace() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), &TestWrapper::new());
    let all = transactions(500);
    assert_eq!(store.insert_transactions(&all).unwrap(), 500);
    for t in all.iter().step_by(37) {
        assert_eq!(store.transaction_by_id(&t.id).unwrap().as_ref(), Some(t));
    }
    assert_eq!(store.transaction_by_id("TX-missing").unwrap(), None);
    assert_eq!(store.transaction_count(None).unwrap(), 500);

    let mut changed = all[10].clone();
    changed.memo = "corrected by the bank".into();
    changed.amount_minor = -1;
    store.insert_transactions([&changed]).unwrap();
    assert_eq!(store.transaction_by_id(&changed.id).unwrap(), Some(changed));
    assert_eq!(
        store.transaction_count(None).unwrap(),
        500,
        "same id replaces, never duplicates"
    );
}

#[test]
fn last_n_is_newest_first_within_one_account() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), &TestWrapper::new());
    let all = transactions(300);
    store.insert_transactions(all.iter()).unwrap();

    let last = store.last_n(CURRENT, 50).unwrap();
    let mut expected: Vec<&Transaction> = all.iter().filter(|t| t.account_id == CURRENT).collect();
    expected.reverse(); // inserted oldest first, so storage order reversed is newest first
    let expected: Vec<Transaction> = expected.into_iter().take(50).cloned().collect();
    assert_eq!(last, expected);
    assert!(last
        .windows(2)
        .all(|w| w[0].booking_day >= w[1].booking_day));
    assert_eq!(store.last_n("acc-unknown", 50).unwrap(), vec![]);
    assert_eq!(store.last_n(SAVINGS, 1000).unwrap().len(), 100);
}

#[test]
fn range_is_inclusive_on_both_ends() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), &TestWrapper::new());
    store
        .insert_transactions([
            tx("a", CURRENT, 100, -1, "x", "m", "c"),
            tx("b", CURRENT, 101, -1, "x", "m", "c"),
            tx("c", CURRENT, 102, -1, "x", "m", "c"),
            tx("d", CURRENT, 103, -1, "x", "m", "c"),
            tx("e", SAVINGS, 101, -1, "x", "m", "c"),
        ])
        .unwrap();
    let ids: Vec<String> = store
        .range(CURRENT, 101, 102)
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(ids, ["c", "b"]);
    assert!(store.range(CURRENT, 104, 200).unwrap().is_empty());
}

#[test]
fn search_is_case_insensitive_and_handles_chinese_and_full_width() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), &TestWrapper::new());
    store
        .insert_transactions([
            tx(
                "1",
                CURRENT,
                10,
                -3500,
                "Starbucks Coffee Shanghai",
                "拿铁 latte",
                "dining",
            ),
            tx(
                "2",
                CURRENT,
                11,
                -120000,
                "上海某某物业管理有限公司",
                "三月房租",
                "rent",
            ),
            tx(
                "3",
                SAVINGS,
                12,
                -4500,
                "STARBUCKS RESERVE",
                "beans",
                "dining",
            ),
            tx(
                "4",
                CURRENT,
                13,
                1500000,
                "某某科技有限公司",
                "工资 SALARY March",
                "salary",
            ),
            tx("5", CURRENT, 14, -2000, "ATM 取款", "cash", "cash"),
        ])
        .unwrap();
    let ids = |found: Vec<Transaction>| found.into_iter().map(|t| t.id).collect::<Vec<_>>();
    assert_eq!(
        ids(store.search("starbucks", None, 10).unwrap()),
        ["3", "1"]
    );
    assert_eq!(
        ids(store.search("starbucks", Some(CURRENT), 10).unwrap()),
        ["1"]
    );
    assert_eq!(ids(store.search("房租", None, 10).unwrap()), ["2"]);
    assert_eq!(ids(store.search("物业", None, 10).unwrap()), ["2"]);
    assert_eq!(ids(store.search("salary", None, 10).unwrap()), ["4"]);
    assert_eq!(
        ids(store.search("ａｔｍ", None, 10).unwrap()),
        ["5"],
        "full-width ATM matches"
    );
    assert_eq!(ids(store.search("LATTE", None, 10).unwrap()), ["1"]);
    assert_eq!(
        ids(store.search("starbucks", None, 1).unwrap()),
        ["3"],
        "limit keeps the newest"
    );
    assert!(store
        .search("nothing like this", None, 10)
        .unwrap()
        .is_empty());
    assert!(store.search("  ", None, 10).unwrap().is_empty());
    // A needle may not span the counterparty/memo boundary.
    assert!(store.search("shanghai拿铁", None, 10).unwrap().is_empty());
}

#[test]
fn monthly_summary_groups_by_category_and_currency() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), &TestWrapper::new());
    // 2024-03-01 is day 19783, 2024-03-31 is day 19813.
    let mut usd = tx("u", SAVINGS, 19790, -999, "Amazon", "books", "shopping");
    usd.currency = "USD".into();
    store
        .insert_transactions([
            tx("feb", CURRENT, 19782, -100000, "x", "m", "rent"),
            tx("r1", CURRENT, 19783, -120000, "x", "m", "rent"),
            tx("g1", CURRENT, 19800, -5000, "x", "m", "groceries"),
            tx("g2", SAVINGS, 19813, -7000, "x", "m", "groceries"),
            tx("s1", CURRENT, 19805, 1500000, "x", "m", "salary"),
            tx("apr", CURRENT, 19814, -5, "x", "m", "groceries"),
            usd,
        ])
        .unwrap();
    let total = |category: &str, currency: &str, spent: i64, received: i64, n: u32| CategoryTotal {
        category: category.into(),
        currency: currency.into(),
        spent_minor: spent,
        received_minor: received,
        transactions: n,
    };
    assert_eq!(
        store.monthly_summary(2024, 3, None).unwrap(),
        vec![
            total("rent", "CNY", 120000, 0, 1),
            total("groceries", "CNY", 12000, 0, 2),
            total("shopping", "USD", 999, 0, 1),
            total("salary", "CNY", 0, 1500000, 1),
        ]
    );
    assert_eq!(
        store.monthly_summary(2024, 3, Some(SAVINGS)).unwrap(),
        vec![
            total("groceries", "CNY", 7000, 0, 1),
            total("shopping", "USD", 999, 0, 1)
        ]
    );
    assert!(store.monthly_summary(2024, 13, None).is_err());
}

#[test]
fn the_cursor_is_written_with_its_batch() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), &TestWrapper::new());
    let all = transactions(20);
    store
        .insert_transactions_with_cursor(&all[..10], "history", b"page-1")
        .unwrap();
    assert_eq!(
        store
            .get(Table::Sync, "history")
            .unwrap()
            .as_deref()
            .map(Vec::as_slice),
        Some(&b"page-1"[..])
    );

    // A batch that fails (an empty id) leaves both the rows and the cursor as they were.
    let mut bad = all[10..].to_vec();
    bad[5].id.clear();
    assert!(store
        .insert_transactions_with_cursor(&bad, "history", b"page-2")
        .is_err());
    assert_eq!(
        store
            .get(Table::Sync, "history")
            .unwrap()
            .as_deref()
            .map(Vec::as_slice),
        Some(&b"page-1"[..])
    );
    assert_eq!(store.transaction_count(None).unwrap(), 10);

    // The failed batch had introduced no new account; a later good batch still works.
    store
        .insert_transactions_with_cursor(&all[10..], "history", b"page-2")
        .unwrap();
    assert_eq!(store.transaction_count(None).unwrap(), 20);
    assert_eq!(
        store
            .get(Table::Sync, "history")
            .unwrap()
            .as_deref()
            .map(Vec::as_slice),
        Some(&b"page-2"[..])
    );
}

#[test]
fn a_rolled_back_batch_with_a_new_account_does_not_leave_a_phantom_account() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), &TestWrapper::new());
    let good = tx("1", "acc-new", 5, -1, "x", "m", "c");
    let bad = tx("", "acc-new", 5, -1, "x", "m", "c");
    assert!(store.insert_transactions([&good, &bad]).is_err());
    assert_eq!(store.transaction_count(None).unwrap(), 0);
    store.insert_transactions([&good]).unwrap();
    assert_eq!(store.last_n("acc-new", 10).unwrap(), vec![good.clone()]);
    assert_eq!(store.transaction_by_id("1").unwrap(), Some(good));
}

#[test]
fn history_survives_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let wrapper = TestWrapper::new();
    let all = transactions(100);
    {
        let store = open(dir.path(), &wrapper);
        store.insert_transactions(&all).unwrap();
    }
    let store = open(dir.path(), &wrapper);
    assert_eq!(
        store.transaction_by_id(&all[42].id).unwrap().as_ref(),
        Some(&all[42])
    );
    assert_eq!(store.transaction_count(Some(SAVINGS)).unwrap(), 34);
    assert_eq!(store.search("iCloud", None, 1000).unwrap().len(), 16);
}
