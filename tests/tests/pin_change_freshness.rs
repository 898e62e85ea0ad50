//! The first step of a PIN change proves the old PIN to the bank, which counts it as a strong
//! authentication; the phone must count it too, or it refuses a commit the bank would accept.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use mobank_e2e::{pin, Bank, Phone, PIN};

const NEW_PIN: &str = "640259";

/// Time passes for the phone and the bank alike.
fn pass(bank: &Bank, phone: &Phone, by: Duration) {
    phone.clock.advance(by);
    bank.sandbox.advance_clock(by);
}

#[tokio::test]
async fn a_commit_five_minutes_after_login_but_soon_after_the_begin_succeeds() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    phone.mobank.login_biometric("Log in").await.unwrap();

    pass(&bank, &phone, Duration::from_secs(4 * 60));
    phone
        .mobank
        .begin_pin_change(pin(PIN).unwrap())
        .await
        .unwrap();
    // The login is now 5:30 old, the proven old PIN 1:30.
    pass(&bank, &phone, Duration::from_secs(90));
    phone
        .mobank
        .commit_pin_change(pin(NEW_PIN).unwrap())
        .await
        .unwrap();

    phone.mobank.logout();
    phone.mobank.login_pin(pin(NEW_PIN).unwrap()).await.unwrap();
}
