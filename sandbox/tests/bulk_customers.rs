//! Customers made in bulk for load tests (`POST /dev/customers/bulk`): funded, payable, and
//! bindable through the real activation with their own code and their own phone's OTP.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;

use common::{Bank, Phone};
use mobank_protocol::messages::{
    paths, CompleteActivationResponse, StartActivationRequest, StartActivationResponse,
};
use mobank_protocol::transfer::account_number;
use mobank_protocol::ErrorCode;
use mobank_sandbox::dev::{paths as dev_paths, BulkCustomers, BulkCustomersRequest};
use rust_decimal::Decimal;

fn request(count: u32, opening: &str) -> BulkCustomersRequest {
    BulkCustomersRequest {
        count,
        opening_balance: opening.parse().unwrap(),
    }
}

async fn make(bank: &Bank, count: u32, opening: &str) -> BulkCustomers {
    bank.dev_post_ok(dev_paths::BULK_CUSTOMERS, &request(count, opening))
        .await
}

fn customers_total(bank: &Bank) -> Decimal {
    let check = bank.sandbox.check_ledger().unwrap();
    assert!(check.balanced, "{check:?}");
    check
        .totals
        .iter()
        .find(|totals| totals.currency == "CNY")
        .unwrap()
        .customers
}

#[tokio::test]
async fn customers_made_in_bulk_are_funded_numbered_on_and_keep_the_ledger_balanced() {
    let bank = Bank::start().await;
    let before = customers_total(&bank);

    let first = make(&bank, 3, "1000.00").await;
    let second = make(&bank, 2, "1000.00").await;
    let all: Vec<_> = first.customers.iter().chain(&second.customers).collect();
    let ids: Vec<&str> = all.iter().map(|c| c.customer_id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "bulk_00001",
            "bulk_00002",
            "bulk_00003",
            "bulk_00004",
            "bulk_00005"
        ]
    );
    let distinct = |values: Vec<&str>| values.into_iter().collect::<BTreeSet<_>>().len();
    assert_eq!(distinct(all.iter().map(|c| c.phone.as_str()).collect()), 5);
    assert_eq!(
        distinct(all.iter().map(|c| c.account_number.as_str()).collect()),
        5
    );
    assert_eq!(
        distinct(all.iter().map(|c| c.activation_code.as_str()).collect()),
        5
    );
    for customer in &all {
        assert_eq!(account_number::check(&customer.account_number), Ok(()));
        let accounts = bank.sandbox.accounts(&customer.customer_id).unwrap();
        assert_eq!(accounts.len(), 1);
        assert_eq!(accounts[0].account_id, customer.account_id);
        assert_eq!(accounts[0].currency, "CNY");
        assert_eq!(accounts[0].balance, Decimal::new(100_000, 2));
    }
    assert_eq!(customers_total(&bank) - before, Decimal::new(500_000, 2));
}

#[tokio::test]
async fn a_phone_binds_to_a_bulk_customer_with_its_code_and_the_otp_sent_to_its_own_phone() {
    let bank = Bank::start().await;
    let made = make(&bank, 2, "50.00").await;
    let customer = &made.customers[1];
    let started: StartActivationResponse = bank
        .post_ok(
            paths::ACTIVATION_START,
            &StartActivationRequest {
                activation_code: customer.activation_code.clone(),
            },
        )
        .await;
    let otp = bank.latest_otp_for(&customer.phone);
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    let completion = phone.completion(&started, &otp);
    let bound: CompleteActivationResponse =
        bank.post_ok(paths::ACTIVATION_COMPLETE, &completion).await;
    assert_eq!(bound.customer_name, customer.holder_name);
    // The other customer's phone got nothing.
    assert!(bank
        .sandbox
        .sms_outbox(&made.customers[0].phone)
        .unwrap()
        .messages
        .is_empty());
}

#[tokio::test]
async fn a_bulk_request_out_of_range_is_refused_and_makes_nobody() {
    let bank = Bank::start().await;
    let before = customers_total(&bank);
    for (count, opening) in [(0, "10.00"), (10_001, "10.00"), (1, "0"), (1, "1.001")] {
        let (status, error) = bank
            .dev_post_err(dev_paths::BULK_CUSTOMERS, &request(count, opening))
            .await;
        assert_eq!(status, 400, "{count} {opening}");
        assert_eq!(error.code, ErrorCode::BadRequest);
    }
    assert_eq!(customers_total(&bank), before);
    let made = make(&bank, 1, "10.00").await;
    assert_eq!(made.customers[0].customer_id, "bulk_00001");
}
