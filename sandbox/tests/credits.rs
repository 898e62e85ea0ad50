//! Money arriving from a named outside party, and the back office moving money into a
//! sub-account: a journal entry, the history rows the phone syncs, an SMS to the customer, and
//! typed refusals for anything malformed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::str::FromStr;

use common::{Bank, Phone};
use mobank_protocol::messages::{paths as customer_paths, AccountsResponse, TransactionsPage};
use mobank_protocol::ErrorCode;
use mobank_sandbox::dev::{paths, Booked, CreditRequest, MoveRequest};
use mobank_sandbox::{DEMO_CUSTOMER_ID, DEMO_PHONE, LANDLORD_CUSTOMER_ID, LANDLORD_PHONE};
use rust_decimal::Decimal;
use serde_json::json;

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

async fn logged_in() -> (Bank, String) {
    let bank = Bank::start().await;
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    bank.bind(&mut phone).await;
    let token = bank.login(&mut phone).await.session_token;
    (bank, token)
}

fn credit_body(account_id: &str) -> serde_json::Value {
    json!({
        "account_id": account_id,
        "amount": "1200.50",
        "currency": "CNY",
        "counterparty_name": "张三 Zhang San",
        "counterparty_account": "6217000000123456786",
        "memo": "还你的饭钱 dinner",
    })
}

#[tokio::test]
async fn a_credit_books_an_entry_a_history_row_and_texts_the_customer() {
    let (bank, token) = logged_in().await;
    let before: AccountsResponse = bank.get_ok(customer_paths::ACCOUNTS, &token).await;
    let current = &before.accounts[0];

    let booked: Booked = bank
        .dev_post_ok(paths::CREDITS, &credit_body(&current.account_id))
        .await;
    assert!(booked.entry_id > 0);
    let [row] = booked.transactions.as_slice() else {
        panic!("one history row: {booked:?}");
    };
    assert_eq!(row.account_id, current.account_id);
    assert_eq!(row.amount, dec("1200.50"));
    assert_eq!(row.currency, "CNY");
    assert_eq!(row.counterparty, "张三 Zhang San");
    assert_eq!(row.memo, "还你的饭钱 dinner");
    assert_eq!(row.category, "transfer");
    assert!(row.booked_at_ms <= bank.sandbox.now_ms());

    // The phone sees it: the balance from the ledger and the row in its history sync.
    let after: AccountsResponse = bank.get_ok(customer_paths::ACCOUNTS, &token).await;
    assert_eq!(after.accounts[0].balance, current.balance + dec("1200.50"));
    let page: TransactionsPage = bank.get_ok(customer_paths::TRANSACTIONS, &token).await;
    assert_eq!(page.transactions, booked.transactions);

    // The customer's phone got a notice; it names the payer and the account's last four
    // digits, never the full number.
    let sms = bank.sandbox.sms_outbox(DEMO_PHONE).unwrap();
    let notice = &sms.messages.last().unwrap().body;
    assert!(notice.contains("尾号7890"), "{notice}");
    assert!(notice.contains("收入人民币1,200.50元"), "{notice}");
    assert!(notice.contains("张三 Zhang San"), "{notice}");
    assert!(!notice.contains("6222021234507890"), "{notice}");
    assert!(!notice.contains("6217000000123456786"), "{notice}");
    assert!(bank.sandbox.check_ledger().unwrap().balanced);
}

#[tokio::test]
async fn a_credit_may_name_its_category_and_lands_on_any_customer_of_the_bank() {
    let bank = Bank::start().await;
    let landlord = bank.sandbox.accounts(LANDLORD_CUSTOMER_ID).unwrap();
    let booked = bank
        .sandbox
        .credit(&CreditRequest {
            account_id: landlord[0].account_id.clone(),
            amount: dec("18000"),
            currency: "CNY".to_owned(),
            counterparty_name: "ACME Ltd 艾克米有限公司".to_owned(),
            counterparty_account: "GB33BUKB20201555555555".to_owned(),
            memo: String::new(),
            category: Some("salary".to_owned()),
        })
        .unwrap();
    assert_eq!(booked.transactions[0].category, "salary");
    assert_eq!(booked.transactions[0].amount, dec("18000.00"));
    assert_eq!(
        bank.sandbox.ledger(LANDLORD_CUSTOMER_ID).unwrap(),
        booked.transactions
    );
    let notice = bank.sandbox.sms_outbox(LANDLORD_PHONE).unwrap();
    assert!(notice.messages[0].body.contains("尾号6509"));
    assert!(bank
        .sandbox
        .sms_outbox(DEMO_PHONE)
        .unwrap()
        .messages
        .is_empty());
}

#[tokio::test]
async fn malformed_credits_are_typed_bad_requests_and_book_nothing() {
    let bank = Bank::start().await;
    let current = bank.sandbox.accounts(DEMO_CUSTOMER_ID).unwrap()[0]
        .account_id
        .clone();
    let with = |field: &str, value: serde_json::Value| {
        let mut body = credit_body(&current);
        body[field] = value;
        body
    };
    let without = |field: &str| {
        let mut body = credit_body(&current);
        body.as_object_mut().unwrap().remove(field);
        body
    };
    let cases = [
        ("zero", with("amount", json!("0"))),
        ("negative", with("amount", json!("-5.00"))),
        ("a thousandth", with("amount", json!("1.001"))),
        ("a number, not a string", with("amount", json!(12))),
        ("unknown currency", with("currency", json!("XAU"))),
        (
            "another currency than the account's",
            with("currency", json!("USD")),
        ),
        ("lower-case currency", with("currency", json!("cny"))),
        ("no payer", with("counterparty_name", json!(""))),
        (
            "payer with a bidi override",
            with("counterparty_name", json!("张三\u{202E}Refund")),
        ),
        (
            "payer with a zero-width space",
            with("counterparty_name", json!("张\u{200B}三")),
        ),
        (
            "payer with a line break",
            with("counterparty_name", json!("张三\nbank")),
        ),
        (
            "payer not in NFC",
            with("counterparty_name", json!("Rene\u{301}")),
        ),
        (
            "payer with a trailing space",
            with("counterparty_name", json!("张三 ")),
        ),
        (
            "payer of 65 characters",
            with("counterparty_name", json!("x".repeat(65))),
        ),
        (
            "memo with a bidi isolate",
            with("memo", json!("rent\u{2066}x")),
        ),
        (
            "memo of 201 characters",
            with("memo", json!("m".repeat(201))),
        ),
        (
            "short payer account",
            with("counterparty_account", json!("1234567")),
        ),
        (
            "payer account with spaces",
            with("counterparty_account", json!("6217 0000 1234")),
        ),
        ("unknown category", with("category", json!("gambling"))),
        ("unknown field", with("surprise", json!(true))),
        ("no currency", without("currency")),
        ("no payer account", without("counterparty_account")),
    ];
    for (what, body) in cases {
        let (status, error) = bank.dev_post_err(paths::CREDITS, &body).await;
        assert_eq!(
            (status.as_u16(), error.code),
            (400, ErrorCode::BadRequest),
            "{what}: {}",
            error.message
        );
        assert!(!error.message.contains("张三"), "{what}: {}", error.message);
    }
    let (status, error) = bank
        .dev_post_err(
            paths::CREDITS,
            &with("account_id", json!("sys_outside_world_cny")),
        )
        .await;
    assert_eq!((status.as_u16(), error.code), (404, ErrorCode::NotFound));

    let check = bank.sandbox.check_ledger().unwrap();
    assert!(check.balanced);
    assert_eq!(check.entries, 4, "only the opening entries");
    assert!(bank
        .sandbox
        .sms_outbox(DEMO_PHONE)
        .unwrap()
        .messages
        .is_empty());
}

#[tokio::test]
async fn a_refused_payer_name_is_told_by_its_rule_never_by_its_text() {
    let bank = Bank::start().await;
    let current = bank.sandbox.accounts(DEMO_CUSTOMER_ID).unwrap()[0]
        .account_id
        .clone();
    let mut body = credit_body(&current);
    body["counterparty_name"] = json!("Refund\u{202E}gnp.exe");
    let (_, error) = bank.dev_post_err(paths::CREDITS, &body).await;
    assert_eq!(
        error.message,
        "counterparty_name: the text contains a bidirectional control character"
    );
}

#[tokio::test]
async fn the_back_office_moves_money_into_the_margin_sub_account_and_both_rows_show() {
    let (bank, token) = logged_in().await;
    let before: AccountsResponse = bank.get_ok(customer_paths::ACCOUNTS, &token).await;
    let (current, margin) = (&before.accounts[0], &before.accounts[2]);
    assert_eq!(margin.parent_account_id.as_ref(), Some(&current.account_id));

    let booked: Booked = bank
        .dev_post_ok(
            paths::MOVES,
            &MoveRequest {
                from_account_id: current.account_id.clone(),
                to_account_id: margin.account_id.clone(),
                amount: dec("50000"),
                currency: "CNY".to_owned(),
                memo: String::new(),
            },
        )
        .await;
    let after: AccountsResponse = bank.get_ok(customer_paths::ACCOUNTS, &token).await;
    assert_eq!(after.accounts[0].balance, current.balance - dec("50000"));
    assert_eq!(after.accounts[2].balance, dec("50000.00"));
    assert_eq!(after.accounts[1], before.accounts[1]);

    // The money can be found: a row on each account, each naming the other.
    let page: TransactionsPage = bank.get_ok(customer_paths::TRANSACTIONS, &token).await;
    assert_eq!(page.transactions, booked.transactions);
    let [out, into] = page.transactions.as_slice() else {
        panic!("two rows: {page:?}");
    };
    assert_eq!(
        (out.amount, into.amount),
        (dec("-50000.00"), dec("50000.00"))
    );
    assert_eq!(
        out.counterparty,
        "贵金属保证金 Precious-metal margin ****0001"
    );
    assert_eq!(into.counterparty, "活期账户 Current account ****7890");
    assert_eq!(out.memo, "内部转账 Internal move");
    assert!(out.category == "transfer" && into.category == "transfer");
    // Both accounts are texted about.
    let sms = bank.sandbox.sms_outbox(DEMO_PHONE).unwrap();
    let notices: Vec<&str> = sms.messages[1..].iter().map(|m| m.body.as_str()).collect();
    assert_eq!(notices.len(), 2, "{notices:?}");
    assert!(notices[0].contains("尾号7890") && notices[0].contains("支出人民币50,000.00元"));
    assert!(notices[1].contains("尾号0001") && notices[1].contains("收入人民币50,000.00元"));
    assert!(bank.sandbox.check_ledger().unwrap().balanced);
}

#[tokio::test]
async fn moves_between_customers_or_onto_the_same_account_are_refused() {
    let bank = Bank::start().await;
    let demo = bank.sandbox.accounts(DEMO_CUSTOMER_ID).unwrap();
    let landlord = bank.sandbox.accounts(LANDLORD_CUSTOMER_ID).unwrap();
    let request = |from: &str, to: &str, currency: &str| MoveRequest {
        from_account_id: from.to_owned(),
        to_account_id: to.to_owned(),
        amount: dec("1.00"),
        currency: currency.to_owned(),
        memo: String::new(),
    };
    for (what, body) in [
        (
            "another customer's account",
            request(&demo[0].account_id, &landlord[0].account_id, "CNY"),
        ),
        (
            "the same account",
            request(&demo[0].account_id, &demo[0].account_id, "CNY"),
        ),
        (
            "another currency",
            request(&demo[0].account_id, &demo[1].account_id, "JPY"),
        ),
    ] {
        let (status, error) = bank.dev_post_err(paths::MOVES, &body).await;
        assert_eq!(
            (status.as_u16(), error.code),
            (400, ErrorCode::BadRequest),
            "{what}: {}",
            error.message
        );
    }
    let (status, _) = bank
        .dev_post_err(
            paths::MOVES,
            &request(&demo[0].account_id, "acct_nope", "CNY"),
        )
        .await;
    assert_eq!(status.as_u16(), 404);
    assert_eq!(bank.sandbox.check_ledger().unwrap().entries, 4);
}
