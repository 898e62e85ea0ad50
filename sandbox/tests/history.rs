//! Transaction history: the seeded ledger, paging by cursor, resuming, picking up new
//! bookings, and refusing what is not a cursor.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{expect_error, Bank, Phone};
use mobank_protocol::messages::{
    paths, AccountsResponse, AppendTransactionRequest, Transaction, TransactionsPage,
    TRANSACTION_CATEGORIES,
};
use mobank_protocol::ErrorCode;
use mobank_sandbox::SandboxConfig;
use rust_decimal::Decimal;

const SEEDED: u32 = 5_000;
const TEN_YEARS_MS: i64 = 3_653 * 86_400_000;

async fn seeded() -> (Bank, String) {
    let bank = Bank::start_with(|config| config.seed_history = SEEDED).await;
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    bank.bind(&mut phone).await;
    let token = bank.login(&mut phone).await.session_token;
    (bank, token)
}

fn query(cursor: Option<&str>, limit: u32) -> String {
    match cursor {
        Some(cursor) => format!("{}?cursor={cursor}&limit={limit}", paths::TRANSACTIONS),
        None => format!("{}?limit={limit}", paths::TRANSACTIONS),
    }
}

/// Every page from `cursor` on; returns the rows and the last cursor.
async fn sync_from(
    bank: &Bank,
    token: &str,
    mut cursor: Option<String>,
    limit: u32,
) -> (Vec<Transaction>, String, usize) {
    let mut rows = Vec::new();
    let mut pages = 0;
    loop {
        let page: TransactionsPage = bank.get_ok(&query(cursor.as_deref(), limit), token).await;
        pages += 1;
        assert!(page.transactions.len() <= usize::try_from(limit).unwrap());
        rows.extend(page.transactions);
        cursor = Some(page.next_cursor.clone());
        if !page.has_more {
            return (rows, page.next_cursor, pages);
        }
    }
}

#[tokio::test]
async fn the_seeded_history_pages_through_completely_in_booking_order() {
    let (bank, token) = seeded().await;
    let (rows, _, pages) = sync_from(&bank, &token, None, 1000).await;

    assert_eq!(rows.len(), usize::try_from(SEEDED).unwrap());
    assert_eq!(pages, 5);
    let ids: BTreeSet<&str> = rows.iter().map(|t| t.transaction_id.as_str()).collect();
    assert_eq!(ids.len(), rows.len(), "transaction ids are unique");
    // Seeded oldest first, so booking order is also time order, all in the past ten years.
    let now = bank.sandbox.now_ms();
    assert!(rows
        .windows(2)
        .all(|w| w[0].booked_at_ms <= w[1].booked_at_ms));
    assert!(rows.iter().all(|t| t.booked_at_ms < now));
    assert!(rows[0].booked_at_ms > now - TEN_YEARS_MS);
    assert!(rows.iter().all(|t| t.currency == "CNY"));
    assert!(rows
        .iter()
        .all(|t| TRANSACTION_CATEGORIES.contains(&t.category.as_str())));
}

#[tokio::test]
async fn the_seeded_history_looks_like_a_real_customers() {
    let (bank, token) = seeded().await;
    let (rows, _, _) = sync_from(&bank, &token, None, 1000).await;

    let by_category: BTreeMap<&str, usize> = rows.iter().fold(BTreeMap::new(), |mut m, t| {
        *m.entry(t.category.as_str()).or_default() += 1;
        m
    });
    for category in [
        "salary",
        "rent",
        "groceries",
        "utilities",
        "transfer",
        "dining",
        "transport",
        "shopping",
    ] {
        assert!(
            by_category.get(category).copied().unwrap_or(0) > 0,
            "{category}: {by_category:?}"
        );
    }
    let text = |t: &Transaction| format!("{} {}", t.counterparty, t.memo);
    for needle in [
        "工资",
        "ACME Ltd",
        "房租",
        "盒马鲜生",
        "永辉超市",
        "Carrefour",
        "国家电网",
        "水费",
        "China Mobile",
        "话费",
        "美团外卖",
        "滴滴出行",
        "Starbucks",
        "京东",
        "JD.com",
        "淘宝",
        "Taobao",
    ] {
        assert!(rows.iter().any(|t| text(t).contains(needle)), "{needle}");
    }
    // Salary comes in, everything day-to-day goes out.
    for t in &rows {
        match t.category.as_str() {
            "salary" => assert!(t.amount > Decimal::ZERO, "{t:?}"),
            "rent" | "utilities" | "dining" | "transport" | "shopping" | "groceries" => {
                assert!(t.amount < Decimal::ZERO, "{t:?}")
            }
            _ => {}
        }
        assert!(t.amount.scale() <= 2);
    }
    // Sweeps between the customer's own accounts book both legs at the same moment.
    let transfers: Vec<&Transaction> = rows.iter().filter(|t| t.category == "transfer").collect();
    assert_eq!(transfers.len() % 2, 0);
    for legs in transfers.chunks(2) {
        assert_eq!(legs[0].booked_at_ms, legs[1].booked_at_ms);
        assert_eq!(legs[0].amount, -legs[1].amount);
        assert_ne!(legs[0].account_id, legs[1].account_id);
    }
}

#[tokio::test]
async fn balances_are_the_sum_of_the_seeded_history_and_never_went_negative() {
    let (bank, token) = seeded().await;
    let (rows, _, _) = sync_from(&bank, &token, None, 1000).await;
    let accounts: AccountsResponse = bank.get_ok(paths::ACCOUNTS, &token).await;

    let mut running: BTreeMap<&str, Decimal> = BTreeMap::new();
    for t in &rows {
        let balance = running.entry(t.account_id.as_str()).or_default();
        *balance += t.amount;
        assert!(
            *balance >= Decimal::ZERO,
            "{t:?} took the account below zero"
        );
    }
    for account in &accounts.accounts {
        let expected = running
            .get(account.account_id.as_str())
            .copied()
            .unwrap_or(Decimal::ZERO);
        assert_eq!(account.balance, expected, "{}", account.account_id);
    }
    assert!(running.len() >= 2, "current and savings both have history");
}

#[tokio::test]
async fn a_sync_resumes_from_any_cursor_and_picks_up_new_bookings() {
    let (bank, token) = seeded().await;
    let first: TransactionsPage = bank.get_ok(&query(None, 300), &token).await;
    assert!(first.has_more);
    assert_eq!(first.transactions.len(), 300);
    assert_eq!(first.remaining, Some(u64::from(SEEDED) - 300));

    // A sync that stopped after the first page (crash, dropped connection) resumes there,
    // and asking twice from the same cursor gives the same page.
    let second: TransactionsPage = bank
        .get_ok(&query(Some(&first.next_cursor), 300), &token)
        .await;
    let again: TransactionsPage = bank
        .get_ok(&query(Some(&first.next_cursor), 300), &token)
        .await;
    assert_eq!(second.transactions, again.transactions);
    assert_ne!(
        second.transactions[0].transaction_id,
        first.transactions[299].transaction_id
    );
    let (rest, end, _) = sync_from(&bank, &token, Some(second.next_cursor.clone()), 1000).await;
    assert_eq!(600 + rest.len(), usize::try_from(SEEDED).unwrap());

    // Caught up: an empty page that keeps the cursor.
    let idle: TransactionsPage = bank.get_ok(&query(Some(&end), 100), &token).await;
    assert!(idle.transactions.is_empty());
    assert!(!idle.has_more);
    assert_eq!(idle.remaining, Some(0));
    assert_eq!(idle.next_cursor, end);

    // New bookings come after everything synced, through the developer API over HTTP.
    let dev = reqwest::Client::new();
    let mut booked = Vec::new();
    for (amount, counterparty) in [
        ("-36.00", "Starbucks 星巴克"),
        ("1200.50", "退款 Refund Co."),
    ] {
        let response = dev
            .post(format!(
                "{}{}",
                bank.sandbox.dev_url(),
                paths::DEV_TRANSACTIONS
            ))
            .json(&AppendTransactionRequest {
                account_id: None,
                amount: amount.parse().unwrap(),
                counterparty: counterparty.to_owned(),
                memo: "咖啡 coffee".to_owned(),
                category: "dining".to_owned(),
            })
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success());
        booked.push(response.json::<Transaction>().await.unwrap());
    }
    let (new_rows, _, _) = sync_from(&bank, &token, Some(end), 500).await;
    assert_eq!(new_rows, booked);
    assert_eq!(new_rows[0].amount, Decimal::new(-3600, 2));
}

#[tokio::test]
async fn an_appended_transaction_moves_the_balance_and_refuses_to_overdraw() {
    let bank = Bank::start().await;
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    bank.bind(&mut phone).await;
    let token = bank.login(&mut phone).await.session_token;
    let before: AccountsResponse = bank.get_ok(paths::ACCOUNTS, &token).await;
    let current = &before.accounts[0];

    let booked = bank
        .sandbox
        .append_transaction(&AppendTransactionRequest {
            account_id: Some(current.account_id.clone()),
            amount: Decimal::new(-1_050, 2),
            counterparty: "滴滴出行 DiDi".to_owned(),
            memo: String::new(),
            category: "transport".to_owned(),
        })
        .unwrap();
    let after: AccountsResponse = bank.get_ok(paths::ACCOUNTS, &token).await;
    assert_eq!(
        after.accounts[0].balance,
        current.balance - Decimal::new(1_050, 2)
    );
    let page: TransactionsPage = bank.get_ok(paths::TRANSACTIONS, &token).await;
    assert_eq!(page.transactions, vec![booked]);

    let overdraw = bank.sandbox.append_transaction(&AppendTransactionRequest {
        account_id: Some(current.account_id.clone()),
        amount: -(after.accounts[0].balance + Decimal::ONE),
        counterparty: "京东 JD.com".to_owned(),
        memo: "too much".to_owned(),
        category: "shopping".to_owned(),
    });
    assert!(overdraw.is_err());
    for bad in [
        ("-1.001", "shopping"),
        ("0", "shopping"),
        ("-1.00", "gambling"),
    ] {
        let outcome = bank.sandbox.append_transaction(&AppendTransactionRequest {
            account_id: None,
            amount: bad.0.parse().unwrap(),
            counterparty: "X".to_owned(),
            memo: String::new(),
            category: bad.1.to_owned(),
        });
        assert!(outcome.is_err(), "{bad:?}");
    }
    let unknown = reqwest::Client::new()
        .post(format!(
            "{}{}",
            bank.sandbox.dev_url(),
            paths::DEV_TRANSACTIONS
        ))
        .json(&AppendTransactionRequest {
            account_id: Some("acct_nope".to_owned()),
            amount: Decimal::ONE,
            counterparty: "X".to_owned(),
            memo: String::new(),
            category: "other".to_owned(),
        })
        .send()
        .await
        .unwrap();
    let (status, error) = expect_error(unknown).await;
    assert_eq!((status.as_u16(), error.code), (404, ErrorCode::NotFound));
    let after_refusals: AccountsResponse = bank.get_ok(paths::ACCOUNTS, &token).await;
    assert_eq!(after_refusals.accounts, after.accounts);
}

#[tokio::test]
async fn malformed_cursors_and_limits_are_bad_requests() {
    let (bank, token) = seeded().await;
    for path_and_query in [
        format!("{}?cursor=not-a-cursor", paths::TRANSACTIONS),
        format!("{}?cursor=AQAAAAAAAAAC%3D", paths::TRANSACTIONS),
        format!("{}?cursor=AgAAAAAAAAAC", paths::TRANSACTIONS),
        format!("{}?cursor=", paths::TRANSACTIONS),
        format!("{}?limit=0", paths::TRANSACTIONS),
        format!("{}?limit=1001", paths::TRANSACTIONS),
        format!("{}?limit=ten", paths::TRANSACTIONS),
        format!("{}?page=2", paths::TRANSACTIONS),
    ] {
        let (status, error) = expect_error(bank.get(&path_and_query, &token).await).await;
        assert_eq!(
            (status.as_u16(), error.code),
            (400, ErrorCode::BadRequest),
            "{path_and_query}"
        );
    }
    let default: TransactionsPage = bank.get_ok(paths::TRANSACTIONS, &token).await;
    assert_eq!(default.transactions.len(), 500);
}

#[tokio::test]
async fn history_needs_a_live_session() {
    let (bank, _) = seeded().await;
    let (status, error) = expect_error(bank.get(paths::TRANSACTIONS, "stk_nope").await).await;
    assert_eq!(
        (status.as_u16(), error.code),
        (401, ErrorCode::Unauthorized)
    );
}

#[tokio::test]
async fn a_data_directory_is_seeded_once_and_an_unseeded_one_has_no_history() {
    let dir = tempfile::tempdir().unwrap();
    let config = |rows| SandboxConfig {
        seed_history: rows,
        ..SandboxConfig::new(dir.path())
    };
    let first = mobank_sandbox::start(config(200)).await.unwrap();
    let certificate = first.certificate_der();
    first.shutdown().await;
    let bank = Bank {
        client: common::client_trusting(&certificate),
        sandbox: mobank_sandbox::start(config(300)).await.unwrap(),
        dir: tempfile::tempdir().unwrap(),
    };
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    bank.bind(&mut phone).await;
    let token = bank.login(&mut phone).await.session_token;
    let (rows, _, _) = sync_from(&bank, &token, None, 1000).await;
    assert_eq!(
        rows.len(),
        200,
        "the second start with 300 did not seed again"
    );

    let empty = Bank::start().await;
    let mut phone = Phone::new(&empty.sandbox.rp_id());
    empty.bind(&mut phone).await;
    let token = empty.login(&mut phone).await.session_token;
    let page: TransactionsPage = empty.get_ok(paths::TRANSACTIONS, &token).await;
    assert!(page.transactions.is_empty() && !page.has_more);
}
