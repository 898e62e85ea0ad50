//! The second customer (the landlord, bound to nothing at first), the accounts at other banks
//! the bank knows, and reading the newest code from an outbox that also carries notices.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;

use common::{Bank, Phone};
use mobank_protocol::messages::{paths, AccountsResponse, DevicesResponse, ProductKind};
use mobank_sandbox::dev::CreditRequest;
use mobank_sandbox::{
    DEMO_CUSTOMER_ID, LANDLORD_ACCOUNT_NUMBER, LANDLORD_CUSTOMER_ID, LANDLORD_PHONE,
    OTHER_BANK_ACCOUNTS,
};
use rust_decimal::Decimal;

#[tokio::test]
async fn the_landlord_is_a_customer_with_a_known_account_and_no_device() {
    let bank = Bank::start().await;
    let accounts = bank.sandbox.accounts(LANDLORD_CUSTOMER_ID).unwrap();
    let summary: Vec<(ProductKind, &str, Decimal, &str)> = accounts
        .iter()
        .map(|a| {
            (
                a.product,
                a.currency.as_str(),
                a.balance,
                a.masked_number.as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                ProductKind::Current,
                "CNY",
                Decimal::new(860_000, 2),
                "6222 **** **** 6509"
            ),
            (
                ProductKind::Savings,
                "JPY",
                Decimal::new(350_000, 0),
                "6222 **** **** 8109"
            ),
        ]
    );
    assert_eq!(
        bank.sandbox.account_numbers(LANDLORD_CUSTOMER_ID).unwrap()[0],
        LANDLORD_ACCOUNT_NUMBER
    );
    assert!(bank
        .sandbox
        .notifications(LANDLORD_CUSTOMER_ID)
        .unwrap()
        .notifications
        .is_empty());
    assert!(bank
        .sandbox
        .sms_outbox(LANDLORD_PHONE)
        .unwrap()
        .messages
        .is_empty());

    // Her phone binds like anyone's; she sees her accounts only.
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    bank.bind_to(&mut phone, LANDLORD_CUSTOMER_ID).await;
    let token = bank.login(&mut phone).await.session_token;
    let seen: AccountsResponse = bank.get_ok(paths::ACCOUNTS, &token).await;
    assert_eq!(seen.accounts, accounts);
    let devices: DevicesResponse = bank.get_ok(paths::DEVICES, &token).await;
    assert_eq!(devices.devices.len(), 1);
    let demo_ids: BTreeSet<String> = bank
        .sandbox
        .accounts(DEMO_CUSTOMER_ID)
        .unwrap()
        .into_iter()
        .map(|a| a.account_id)
        .collect();
    assert!(seen
        .accounts
        .iter()
        .all(|a| !demo_ids.contains(&a.account_id)));
}

#[test]
fn the_accounts_at_other_banks_are_distinct_and_named() {
    let numbers: BTreeSet<&str> = OTHER_BANK_ACCOUNTS
        .iter()
        .map(|known| known.account_number)
        .collect();
    assert_eq!(numbers.len(), OTHER_BANK_ACCOUNTS.len());
    assert!(!numbers.contains(LANDLORD_ACCOUNT_NUMBER));
    for known in OTHER_BANK_ACCOUNTS {
        assert!(known.account_number.bytes().all(|b| b.is_ascii_digit()));
        assert!(!known.holder_name.is_empty() && !known.bank_name.is_empty());
    }
}

#[tokio::test]
async fn the_newest_binding_code_is_read_past_older_codes_and_account_notices() {
    let bank = Bank::start().await;
    bank.start_activation_for(LANDLORD_CUSTOMER_ID).await;
    let (started, second) = bank.start_activation_for(LANDLORD_CUSTOMER_ID).await;
    // A notice after the codes, whose amount has six digits before the decimal point.
    bank.sandbox
        .credit(&CreditRequest {
            account_id: "acct_landlord_current".to_owned(),
            amount: Decimal::new(12_345_600, 2),
            currency: "CNY".to_owned(),
            counterparty_name: "租客 Tenant 123456".to_owned(),
            counterparty_account: "6230580000987654329".to_owned(),
            memo: String::new(),
            category: None,
        })
        .unwrap();
    let outbox = bank.sandbox.sms_outbox(LANDLORD_PHONE).unwrap();
    assert_eq!(outbox.messages.len(), 3);
    assert_eq!(
        common::latest_otp_in(&outbox).as_deref(),
        Some(second.as_str())
    );

    // Only the newest code binds (a new start voids the one before).
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    let _: mobank_protocol::messages::CompleteActivationResponse = bank
        .post_ok(
            paths::ACTIVATION_COMPLETE,
            &phone.completion(&started, &bank.latest_otp_for(LANDLORD_PHONE)),
        )
        .await;
}
