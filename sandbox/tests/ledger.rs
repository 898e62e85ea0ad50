//! The double-entry ledger: every entry balances, every balance is the sum of its postings, no
//! customer account goes below zero, and money enters or leaves the customers' total only from
//! or to outside the bank.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::str::FromStr;

use common::Bank;
use mobank_protocol::messages::{Account, AppendTransactionRequest};
use mobank_protocol::ErrorCode;
use mobank_sandbox::dev::{paths, CreditRequest, CurrencyTotals, LedgerCheck, MoveRequest};
use mobank_sandbox::{SandboxError, DEMO_CUSTOMER_ID, LANDLORD_CUSTOMER_ID};
use rust_decimal::Decimal;

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn totals<'a>(check: &'a LedgerCheck, currency: &str) -> &'a CurrencyTotals {
    check
        .totals
        .iter()
        .find(|t| t.currency == currency)
        .unwrap_or_else(|| panic!("no totals for {currency}: {check:?}"))
}

fn assert_balanced(check: &LedgerCheck) {
    assert!(check.balanced, "{check:?}");
    assert_eq!(
        (
            check.unbalanced_entries,
            check.balance_mismatches,
            check.negative_customer_accounts,
            check.unbacked_bookings,
            check.unshown_postings,
        ),
        (0, 0, 0, 0, 0),
        "{check:?}"
    );
    for t in &check.totals {
        assert_eq!(
            t.customers + t.outside_world + t.other_bank + t.card_network + t.fee_income,
            Decimal::ZERO,
            "{t:?}"
        );
    }
}

fn account<'a>(accounts: &'a [Account], product_name: &str) -> &'a Account {
    accounts
        .iter()
        .find(|a| a.name.contains(product_name))
        .unwrap_or_else(|| panic!("no {product_name} account in {accounts:?}"))
}

fn credit(account_id: &str, amount: &str, currency: &str) -> CreditRequest {
    CreditRequest {
        account_id: account_id.to_owned(),
        amount: dec(amount),
        currency: currency.to_owned(),
        counterparty_name: "张三 Zhang San".to_owned(),
        counterparty_account: "6217000000123456786".to_owned(),
        memo: "还款 Repayment".to_owned(),
        category: None,
    }
}

fn move_request(from: &str, to: &str, amount: &str) -> MoveRequest {
    MoveRequest {
        from_account_id: from.to_owned(),
        to_account_id: to.to_owned(),
        amount: dec(amount),
        currency: "CNY".to_owned(),
        memo: String::new(),
    }
}

#[tokio::test]
async fn a_fresh_ledger_balances_and_its_opening_balances_came_from_the_outside_world() {
    let bank = Bank::start().await;
    let check = bank.sandbox.check_ledger().unwrap();
    assert_balanced(&check);
    // Two demo accounts and two of the landlord's hold money: one opening entry each.
    assert_eq!((check.entries, check.postings), (4, 8));
    let cny = totals(&check, "CNY");
    assert_eq!(cny.customers, dec("180980.25"));
    assert_eq!(cny.outside_world, dec("-180980.25"));
    assert_eq!(
        (cny.other_bank, cny.card_network),
        (Decimal::ZERO, Decimal::ZERO)
    );
    let jpy = totals(&check, "JPY");
    assert_eq!(jpy.customers, dec("350000"));
    let currencies: Vec<&str> = check.totals.iter().map(|t| t.currency.as_str()).collect();
    assert_eq!(currencies, ["CNY", "EUR", "HKD", "JPY", "USD"]);
}

#[tokio::test]
async fn the_seeded_history_is_a_balanced_ledger_that_pays_the_rent_to_the_landlord() {
    let bank = Bank::start_with(|config| config.seed_history = 2_000).await;
    let check = bank.sandbox.check_ledger().unwrap();
    assert_balanced(&check);
    let rows = bank.sandbox.ledger(DEMO_CUSTOMER_ID).unwrap();
    assert_eq!(rows.len(), 2_000);

    // Rent stays inside the bank: each payment is a row in the landlord's history too.
    let paid: Decimal = rows
        .iter()
        .filter(|t| t.category == "rent")
        .map(|t| -t.amount)
        .sum();
    let received = bank.sandbox.ledger(LANDLORD_CUSTOMER_ID).unwrap();
    assert!(!received.is_empty());
    assert!(received.iter().all(|t| t.category == "rent"
        && t.amount == dec("6500.00")
        && t.counterparty == "李伟 (Li Wei)"));
    assert_eq!(received.iter().map(|t| t.amount).sum::<Decimal>(), paid);
    let landlord = bank.sandbox.accounts(LANDLORD_CUSTOMER_ID).unwrap();
    assert_eq!(landlord[0].balance, dec("8600.00") + paid);

    // Card payments went to the card network, bills to other banks, salary came from outside.
    let spent_by = |categories: &[&str]| -> Decimal {
        rows.iter()
            .filter(|t| categories.contains(&t.category.as_str()))
            .map(|t| t.amount)
            .sum()
    };
    let cny = totals(&check, "CNY");
    assert_eq!(
        cny.card_network,
        -spent_by(&["groceries", "dining", "transport", "shopping"])
    );
    assert_eq!(cny.other_bank, -spent_by(&["utilities"]));
}

#[tokio::test]
async fn money_moved_inside_the_bank_leaves_the_customers_total_unchanged() {
    let bank = Bank::start().await;
    let accounts = bank.sandbox.accounts(DEMO_CUSTOMER_ID).unwrap();
    let current = account(&accounts, "Current").account_id.clone();
    let margin = account(&accounts, "margin").account_id.clone();
    let before = bank.sandbox.check_ledger().unwrap();

    bank.sandbox
        .move_funds(&move_request(&current, &margin, "20000.00"))
        .unwrap();
    let moved = bank.sandbox.check_ledger().unwrap();
    assert_balanced(&moved);
    assert_eq!(moved.totals, before.totals);

    // From outside: the customers' total grows by exactly the credit, the outside world's
    // balance falls by it.
    bank.sandbox
        .credit(&credit(&current, "1200.50", "CNY"))
        .unwrap();
    let credited = bank.sandbox.check_ledger().unwrap();
    assert_balanced(&credited);
    let (b, c) = (totals(&before, "CNY"), totals(&credited, "CNY"));
    assert_eq!(c.customers - b.customers, dec("1200.50"));
    assert_eq!(c.outside_world - b.outside_world, dec("-1200.50"));

    // To the card network: the customers' total falls by the payment.
    bank.sandbox
        .append_transaction(&AppendTransactionRequest {
            account_id: Some(current.clone()),
            amount: dec("-36.00"),
            counterparty: "Starbucks 星巴克".to_owned(),
            memo: String::new(),
            category: "dining".to_owned(),
        })
        .unwrap();
    let paid = bank.sandbox.check_ledger().unwrap();
    assert_balanced(&paid);
    let p = totals(&paid, "CNY");
    assert_eq!(p.customers - c.customers, dec("-36.00"));
    assert_eq!(p.card_network, dec("36.00"));
    assert_eq!(paid.entries, before.entries + 3);
}

#[tokio::test]
async fn a_movement_that_would_overdraw_a_customer_account_is_refused_and_books_nothing() {
    let bank = Bank::start().await;
    let accounts = bank.sandbox.accounts(DEMO_CUSTOMER_ID).unwrap();
    let current = account(&accounts, "Current");
    let margin = account(&accounts, "margin");
    let before = bank.sandbox.check_ledger().unwrap();
    let sms_before = bank.sandbox.sms_outbox(mobank_sandbox::DEMO_PHONE).unwrap();

    // The margin account is empty: nothing can leave it.
    let refused = bank.sandbox.move_funds(&move_request(
        &margin.account_id,
        &current.account_id,
        "0.01",
    ));
    assert!(
        matches!(refused, Err(SandboxError::InsufficientFunds)),
        "{refused:?}"
    );
    // One fen more than the current account holds, over HTTP.
    let too_much = (current.balance + dec("0.01")).to_string();
    let (status, error) = bank
        .dev_post_err(
            paths::MOVES,
            &move_request(&current.account_id, &margin.account_id, &too_much),
        )
        .await;
    assert_eq!((status.as_u16(), error.code), (400, ErrorCode::BadRequest));
    assert_eq!(error.message, "the account's balance would go below zero");
    let overdraw = bank.sandbox.append_transaction(&AppendTransactionRequest {
        account_id: Some(current.account_id.clone()),
        amount: -(current.balance + dec("0.01")),
        counterparty: "京东 JD.com".to_owned(),
        memo: String::new(),
        category: "shopping".to_owned(),
    });
    assert!(matches!(overdraw, Err(SandboxError::InsufficientFunds)));

    let after = bank.sandbox.check_ledger().unwrap();
    assert_eq!(after, before);
    assert_eq!(bank.sandbox.accounts(DEMO_CUSTOMER_ID).unwrap(), accounts);
    assert!(bank.sandbox.ledger(DEMO_CUSTOMER_ID).unwrap().is_empty());
    assert_eq!(
        bank.sandbox.sms_outbox(mobank_sandbox::DEMO_PHONE).unwrap(),
        sms_before
    );

    // Exactly the whole balance may leave.
    bank.sandbox
        .move_funds(&move_request(
            &current.account_id,
            &margin.account_id,
            &current.balance.to_string(),
        ))
        .unwrap();
    let emptied = bank.sandbox.accounts(DEMO_CUSTOMER_ID).unwrap();
    assert_eq!(account(&emptied, "Current").balance, Decimal::ZERO);
    assert_eq!(account(&emptied, "margin").balance, current.balance);
    assert_balanced(&bank.sandbox.check_ledger().unwrap());
}

#[tokio::test]
async fn the_check_over_http_is_the_check_in_process() {
    let bank = Bank::start_with(|config| config.seed_history = 100).await;
    let over_http: LedgerCheck = bank.dev_get_ok(paths::LEDGER_CHECK).await;
    assert_eq!(over_http, bank.sandbox.check_ledger().unwrap());
    assert_balanced(&over_http);
}

/// Writes behind the bank's back, as a bug or a broken migration would.
fn tamper(bank: &Bank, sql: &str) {
    let conn = rusqlite::Connection::open(bank.dir.path().join("bank.sqlite3")).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .unwrap();
    conn.execute_batch(sql).unwrap();
}

#[tokio::test]
async fn the_check_finds_a_cached_balance_that_is_not_the_sum_of_its_postings() {
    let bank = Bank::start().await;
    tamper(
        &bank,
        "UPDATE ledger_accounts SET balance_minor = balance_minor + 1
         WHERE account_id = 'acct_savings_01'",
    );
    let check = bank.sandbox.check_ledger().unwrap();
    assert!(!check.balanced);
    assert_eq!(check.balance_mismatches, 1);
    // The totals no longer cancel out either.
    assert_eq!(totals(&check, "CNY").customers, dec("180980.26"));
}

#[tokio::test]
async fn the_check_finds_an_entry_that_does_not_balance_and_a_row_without_its_posting() {
    let bank = Bank::start().await;
    let current = bank.sandbox.accounts(DEMO_CUSTOMER_ID).unwrap()[0]
        .account_id
        .clone();
    let booked = bank
        .sandbox
        .credit(&credit(&current, "10.00", "CNY"))
        .unwrap();
    assert_balanced(&bank.sandbox.check_ledger().unwrap());
    tamper(
        &bank,
        &format!(
            "UPDATE postings SET amount_minor = 999
             WHERE entry_id = {} AND account_id = '{current}'",
            booked.entry_id
        ),
    );
    let check = bank.sandbox.check_ledger().unwrap();
    assert!(!check.balanced);
    assert_eq!(check.unbalanced_entries, 1);
    assert_eq!(check.unbacked_bookings, 1);
    assert_eq!(check.balance_mismatches, 1);
}

#[tokio::test]
async fn the_check_finds_money_that_moved_on_a_customer_account_without_a_history_row() {
    let bank = Bank::start().await;
    let current = bank.sandbox.accounts(DEMO_CUSTOMER_ID).unwrap()[0]
        .account_id
        .clone();
    bank.sandbox
        .credit(&credit(&current, "10.00", "CNY"))
        .unwrap();
    tamper(&bank, "DELETE FROM transactions");
    let check = bank.sandbox.check_ledger().unwrap();
    assert!(!check.balanced);
    assert_eq!(check.unshown_postings, 1);
    assert_eq!(check.unbacked_bookings, 0);
}

#[tokio::test]
async fn the_schema_itself_refuses_a_negative_customer_balance() {
    let bank = Bank::start().await;
    let conn = rusqlite::Connection::open(bank.dir.path().join("bank.sqlite3")).unwrap();
    let refused = conn.execute(
        "UPDATE ledger_accounts SET balance_minor = -1 WHERE account_id = 'acct_margin_01'",
        [],
    );
    assert!(refused.is_err());
    // System accounts may go below zero: the outside world already has.
    let outside: i64 = conn
        .query_row(
            "SELECT balance_minor FROM ledger_accounts WHERE account_id = 'sys_outside_world_cny'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert!(outside < 0);
}
