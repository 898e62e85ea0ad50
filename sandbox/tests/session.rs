//! Session tokens: missing, unknown, idle, past the absolute cap, of a blocked device.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::{expect_error, Bank, Phone};
use mobank_protocol::messages::{paths, LoginResponse};
use mobank_protocol::ErrorCode;

async fn logged_in(bank: &Bank) -> (Phone, LoginResponse) {
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    bank.bind(&mut phone).await;
    let login = bank.login(&mut phone).await;
    (phone, login)
}

#[tokio::test]
async fn a_missing_or_unknown_token_is_unauthorized() {
    let bank = Bank::start().await;
    let (_, login) = logged_in(&bank).await;

    let response = bank
        .client
        .get(bank.url(paths::ACCOUNTS))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    let (status, error) = expect_error(response).await;
    assert_eq!(
        (status.as_u16(), error.code),
        (401, ErrorCode::Unauthorized)
    );

    let mut tampered = login.session_token.clone().into_bytes();
    tampered[0] = if tampered[0] == b'A' { b'B' } else { b'A' };
    for token in [String::from_utf8(tampered).unwrap(), "x".repeat(43)] {
        let (status, error) = expect_error(bank.accounts(&token).await).await;
        assert_eq!(
            (status.as_u16(), error.code),
            (401, ErrorCode::Unauthorized)
        );
    }
    let basic = bank
        .client
        .get(bank.url(paths::ACCOUNTS))
        .header("authorization", format!("Basic {}", login.session_token))
        .send()
        .await
        .unwrap();
    assert_eq!(expect_error(basic).await.1.code, ErrorCode::Unauthorized);
    // The real token still works.
    assert_eq!(bank.accounts(&login.session_token).await.status(), 200);
}

#[tokio::test]
async fn idle_for_the_timeout_ends_the_session_and_each_use_restarts_the_idle_window() {
    let bank = Bank::start().await;
    let (_, login) = logged_in(&bank).await;
    for _ in 0..3 {
        bank.sandbox.advance_clock(Duration::from_secs(299));
        assert_eq!(bank.accounts(&login.session_token).await.status(), 200);
    }
    bank.sandbox.advance_clock(Duration::from_secs(300));
    let (status, error) = expect_error(bank.accounts(&login.session_token).await).await;
    assert_eq!(
        (status.as_u16(), error.code),
        (401, ErrorCode::SessionExpired)
    );
    // And it stays over.
    let (_, error) = expect_error(bank.accounts(&login.session_token).await).await;
    assert_eq!(error.code, ErrorCode::SessionExpired);
}

#[tokio::test]
async fn the_absolute_cap_ends_even_an_active_session() {
    let bank = Bank::start_with(|config| {
        config.session_cap = Duration::from_secs(600);
    })
    .await;
    let (_, login) = logged_in(&bank).await;
    assert_eq!(login.expires_at_ms - login.server_time_ms, 600_000);
    bank.sandbox.advance_clock(Duration::from_secs(290));
    assert_eq!(bank.accounts(&login.session_token).await.status(), 200);
    bank.sandbox.advance_clock(Duration::from_secs(290));
    assert_eq!(bank.accounts(&login.session_token).await.status(), 200);
    bank.sandbox.advance_clock(Duration::from_secs(20));
    let (_, error) = expect_error(bank.accounts(&login.session_token).await).await;
    assert_eq!(error.code, ErrorCode::SessionExpired);
}

#[tokio::test]
async fn blocking_a_device_ends_its_sessions() {
    let bank = Bank::start().await;
    let (phone, login) = logged_in(&bank).await;
    let mut restored = phone.copy();
    restored.possession_count -= 1;
    restored.user_verified_count -= 1;
    let challenge = bank.challenge(&restored).await;
    let (_, error) = bank
        .post_err(paths::LOGIN, &restored.login_request(&challenge))
        .await;
    assert_eq!(error.code, ErrorCode::DeviceBlocked);
    let (status, error) = expect_error(bank.accounts(&login.session_token).await).await;
    assert_eq!(
        (status.as_u16(), error.code),
        (403, ErrorCode::DeviceBlocked)
    );
}
