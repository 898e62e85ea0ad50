//! The whole happy path over HTTPS: bind a device, log in, list the accounts.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::str::FromStr;

use common::{Bank, Phone};
use mobank_protocol::messages::{paths, AccountsResponse, ProductKind};
use mobank_sandbox::DEMO_PHONE;
use rust_decimal::Decimal;

#[tokio::test]
async fn bind_login_and_list_accounts() {
    let bank = Bank::start().await;
    let mut phone = Phone::new(&bank.sandbox.rp_id());

    let (started, otp) = bank.start_activation().await;
    assert_eq!(started.masked_phone, "+86 138****8000");
    assert_eq!(started.challenge.len(), 32);
    assert_eq!(started.rp_id, "sandbox.mobank.local");
    assert_eq!(
        started.otp_expires_at_ms - started.server_time_ms,
        5 * 60 * 1000
    );
    let sms = bank.sandbox.sms_outbox(DEMO_PHONE).unwrap();
    assert_eq!(sms.messages.len(), 1);
    assert_eq!(sms.messages[0].to, DEMO_PHONE);
    assert!(sms.messages[0].body.contains("Never share it"));

    let request = phone.completion(&started, &otp);
    let bound: mobank_protocol::messages::CompleteActivationResponse =
        bank.post_ok(paths::ACTIVATION_COMPLETE, &request).await;
    assert_eq!(bound.customer_name, "李伟 (Li Wei)");
    assert!(bound.device_id.starts_with("dev_"));
    phone.device_id = bound.device_id;

    let challenge = bank.challenge(&phone).await;
    assert_eq!(challenge.challenge.len(), 32);
    assert_eq!(
        challenge.expires_at_ms - challenge.server_time_ms,
        60 * 1000
    );
    let login: mobank_protocol::messages::LoginResponse = bank
        .post_ok(paths::LOGIN, &phone.login_request(&challenge))
        .await;
    assert_eq!(login.idle_timeout_secs, 300);
    assert_eq!(
        login.expires_at_ms - login.server_time_ms,
        12 * 60 * 60 * 1000
    );
    // 32 random bytes, base64url without padding.
    assert_eq!(login.session_token.len(), 43);

    let response = bank.accounts(&login.session_token).await;
    assert_eq!(response.status(), 200);
    let accounts: AccountsResponse = response.json().await.unwrap();
    let summary: Vec<(ProductKind, &str, Decimal, &str, Option<&str>)> = accounts
        .accounts
        .iter()
        .map(|a| {
            (
                a.product,
                a.currency.as_str(),
                a.balance,
                a.masked_number.as_str(),
                a.parent_account_id.as_deref(),
            )
        })
        .collect();
    let current_id = accounts.accounts[0].account_id.as_str();
    assert_eq!(
        summary,
        vec![
            (
                ProductKind::Current,
                "CNY",
                Decimal::from_str("52380.25").unwrap(),
                "6222 **** **** 7890",
                None
            ),
            (
                ProductKind::Savings,
                "CNY",
                Decimal::from_str("120000.00").unwrap(),
                "6222 **** **** 5678",
                None
            ),
            (
                ProductKind::Margin,
                "CNY",
                Decimal::from_str("0.00").unwrap(),
                "6222 **** **** 0001",
                Some(current_id)
            ),
        ]
    );
    // The balance travels as an exact decimal string.
    let raw = bank
        .accounts(&login.session_token)
        .await
        .text()
        .await
        .unwrap();
    assert!(raw.contains(r#""balance":"52380.25""#), "{raw}");
    assert!(
        !raw.contains("6222021234507890"),
        "a full account number left the bank"
    );

    // A second login on the same device works: counters moved forward.
    let second = bank.login(&mut phone).await;
    assert_ne!(second.session_token, login.session_token);
    bank.sandbox.shutdown().await;
}

#[tokio::test]
async fn server_time_follows_the_sandbox_clock() {
    let bank = Bank::start().await;
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    bank.bind(&mut phone).await;
    let before = bank.challenge(&phone).await.server_time_ms;
    bank.sandbox
        .advance_clock(std::time::Duration::from_secs(3600));
    let after = bank.challenge(&phone).await.server_time_ms;
    assert!(after - before >= 3600 * 1000, "{before} -> {after}");
    assert!(bank.sandbox.now_ms() >= after);
}
