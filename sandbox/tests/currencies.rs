//! Amounts at each currency's own scale: the landlord's JPY account has no minor unit, so its
//! balances and bookings are whole yen on the wire and in the ledger.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::str::FromStr;

use common::{Bank, Phone};
use mobank_protocol::messages::{paths as customer_paths, AccountsResponse, ProductKind};
use mobank_protocol::ErrorCode;
use mobank_sandbox::dev::{paths, Booked};
use mobank_sandbox::{LANDLORD_CUSTOMER_ID, LANDLORD_HOLDER_NAME};
use rust_decimal::Decimal;
use serde_json::json;

fn yen_credit(amount: &str) -> serde_json::Value {
    json!({
        "account_id": "acct_landlord_jpy",
        "amount": amount,
        "currency": "JPY",
        "counterparty_name": "田中 Tanaka",
        "counterparty_account": "JP0012345678",
        "memo": "家賃 rent",
    })
}

#[tokio::test]
async fn a_yen_account_keeps_whole_yen_on_the_wire_and_in_the_ledger() {
    let bank = Bank::start().await;
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    let bound = bank.bind_to(&mut phone, LANDLORD_CUSTOMER_ID).await;
    assert_eq!(
        bound.customer_name,
        format!("{LANDLORD_HOLDER_NAME} (Wang Fang)")
    );
    let token = bank.login(&mut phone).await.session_token;

    let raw = bank.accounts(&token).await.text().await.unwrap();
    assert!(
        raw.contains(r#""currency":"JPY","balance":"350000""#),
        "{raw}"
    );
    assert!(
        raw.contains(r#""currency":"CNY","balance":"8600.00""#),
        "{raw}"
    );

    let booked: Booked = bank.dev_post_ok(paths::CREDITS, &yen_credit("12345")).await;
    assert_eq!(booked.transactions[0].amount, Decimal::new(12_345, 0));
    let page = bank
        .get(customer_paths::TRANSACTIONS, &token)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(r#""amount":"12345","currency":"JPY""#),
        "{page}"
    );
    let accounts: AccountsResponse = bank.get_ok(customer_paths::ACCOUNTS, &token).await;
    let yen = &accounts.accounts[1];
    assert_eq!(
        (yen.product, yen.currency.as_str(), yen.balance),
        (ProductKind::Savings, "JPY", Decimal::new(362_345, 0))
    );
    assert_eq!(yen.balance.to_string(), "362345");

    // A trailing zero decimal is still whole yen; anything finer is not an amount.
    let booked: Booked = bank.dev_post_ok(paths::CREDITS, &yen_credit("5.0")).await;
    assert_eq!(booked.transactions[0].amount.to_string(), "5");
    for fractional in ["12.5", "0.1", "1.01"] {
        let (status, error) = bank
            .dev_post_err(paths::CREDITS, &yen_credit(fractional))
            .await;
        assert_eq!(
            (status.as_u16(), error.code),
            (400, ErrorCode::BadRequest),
            "{fractional}"
        );
    }

    let check = bank.sandbox.check_ledger().unwrap();
    assert!(check.balanced, "{check:?}");
    let jpy = check.totals.iter().find(|t| t.currency == "JPY").unwrap();
    assert_eq!(jpy.customers, Decimal::from_str("362350").unwrap());
    assert_eq!(jpy.outside_world, -jpy.customers);
}

#[tokio::test]
async fn yen_cannot_be_moved_into_a_yuan_account() {
    let bank = Bank::start().await;
    let (status, error) = bank
        .dev_post_err(
            paths::MOVES,
            &json!({
                "from_account_id": "acct_landlord_jpy",
                "to_account_id": "acct_landlord_current",
                "amount": "1000",
                "currency": "JPY",
            }),
        )
        .await;
    assert_eq!((status.as_u16(), error.code), (400, ErrorCode::BadRequest));
    assert_eq!(error.message, "currency must be the account's currency");
    let landlord = bank.sandbox.accounts(LANDLORD_CUSTOMER_ID).unwrap();
    assert_eq!(landlord[1].balance, Decimal::new(350_000, 0));
}
