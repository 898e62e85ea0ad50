//! Nothing secret or personal reaches the logs: activation codes, OTPs, session tokens, PIN
//! (knowledge) keys, phone numbers and full account numbers. One test per binary: it installs the global subscriber.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{Bank, Phone};
use mobank_protocol::messages::{paths, StartActivationRequest};
use mobank_sandbox::dev::{CreditRequest, MoveRequest};
use mobank_sandbox::DEMO_CUSTOMER_ID;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_or_personal_number_is_ever_logged() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .without_time()
        .with_writer(move || writer.clone())
        .init();

    let bank = Bank::start().await;
    let issued = bank
        .sandbox
        .issue_activation_code(DEMO_CUSTOMER_ID)
        .unwrap();
    let code = issued.activation_code.clone();
    let started: mobank_protocol::messages::StartActivationResponse = bank
        .post_ok(
            paths::ACTIVATION_START,
            &StartActivationRequest {
                activation_code: code.clone(),
            },
        )
        .await;
    let otp = bank.latest_otp();
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    // A wrong OTP first, so the failure path logs too.
    let wrong = if otp == "123123" { "321321" } else { "123123" };
    bank.post_err(
        paths::ACTIVATION_COMPLETE,
        &phone.completion(&started, wrong),
    )
    .await;
    let request = phone.completion(&started, &otp);
    let bound: mobank_protocol::messages::CompleteActivationResponse =
        bank.post_ok(paths::ACTIVATION_COMPLETE, &request).await;
    phone.device_id = bound.device_id;
    let login = bank.login(&mut phone).await;
    assert_eq!(bank.accounts(&login.session_token).await.status(), 200);
    // A wrong PIN, then the right one.
    phone.enter_wrong_pin();
    let wrong_pin_key = phone.entered_key;
    let challenge = bank.challenge(&phone).await;
    bank.post_err(paths::LOGIN, &phone.pin_login_request(&challenge))
        .await;
    phone.enter_right_pin();
    let pin_login = bank.login_with_pin(&mut phone).await;
    let mut forged = phone.copy();
    forged.possession_count -= 1;
    let challenge = bank.challenge(&forged).await;
    bank.post_err(paths::LOGIN, &forged.login_request(&challenge))
        .await;
    // Money arriving from outside and moving to a sub-account, and a refused overdraft.
    bank.sandbox
        .credit(&CreditRequest {
            account_id: "acct_current_01".to_owned(),
            amount: "1200.50".parse().unwrap(),
            currency: "CNY".to_owned(),
            counterparty_name: "张三 Zhang San".to_owned(),
            counterparty_account: "6230580000987654329".to_owned(),
            memo: "还款".to_owned(),
            category: None,
        })
        .unwrap();
    let move_to_margin = |amount: &str| MoveRequest {
        from_account_id: "acct_current_01".to_owned(),
        to_account_id: "acct_margin_01".to_owned(),
        amount: amount.parse().unwrap(),
        currency: "CNY".to_owned(),
        memo: String::new(),
    };
    bank.sandbox.move_funds(&move_to_margin("100.00")).unwrap();
    assert!(bank
        .sandbox
        .move_funds(&move_to_margin("9999999.00"))
        .is_err());
    bank.sandbox.shutdown().await;

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("device bound"), "the capture works: {logs}");
    assert!(logs.contains("suspected clone"), "{logs}");
    assert!(
        logs.contains("credit from outside the bank booked"),
        "{logs}"
    );
    let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let knowledge_b64 = mobank_protocol::b64::encode(phone.knowledge_key);
    let knowledge_hex = hex(&phone.knowledge_key);
    let wrong_b64 = mobank_protocol::b64::encode(wrong_pin_key);
    for (what, secret) in [
        ("knowledge key", knowledge_b64.as_str()),
        ("knowledge key (hex)", knowledge_hex.as_str()),
        ("wrong PIN's key", wrong_b64.as_str()),
        ("PIN session token", pin_login.session_token.as_str()),
        ("activation code", code.as_str()),
        ("OTP", otp.as_str()),
        ("wrong OTP", wrong),
        ("session token", login.session_token.as_str()),
        ("phone number", "13800138000"),
        ("account number", "6222021234507890"),
        ("account number tail", "1234567890"),
        ("payer's account number", "6230580000987654329"),
        ("payer's account number tail", "0987654329"),
    ] {
        assert!(!logs.contains(secret), "the {what} appears in the logs");
    }
}
