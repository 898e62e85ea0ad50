//! Login with replayed, forged, cloned or incomplete assertions.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::{bound, Bank, Phone, UP, UP_UV};
use mobank_protocol::messages::{paths, LoginChallengeRequest, LoginResponse};
use mobank_protocol::{Ceremony, ErrorCode, Factor};

#[tokio::test]
async fn a_challenge_answers_one_login_only() {
    let (bank, mut phone) = bound().await;
    let challenge = bank.challenge(&phone).await;
    let request = phone.login_request(&challenge);
    let _: LoginResponse = bank.post_ok(paths::LOGIN, &request).await;

    // The same request again, and a fresh signature over the same challenge.
    let (status, error) = bank.login_err(&request).await;
    assert_eq!(
        (status.as_u16(), error.code),
        (400, ErrorCode::ChallengeInvalid)
    );
    let (_, error) = bank.login_err(&phone.login_request(&challenge)).await;
    assert_eq!(error.code, ErrorCode::ChallengeInvalid);
}

#[tokio::test]
async fn a_failed_attempt_also_spends_the_challenge() {
    let (bank, mut phone) = bound().await;
    let challenge = bank.challenge(&phone).await;
    let mut bad = phone.login_request(&challenge);
    bad.assertions[0].signature[10] ^= 0x01;
    let (_, error) = bank.login_err(&bad).await;
    assert_eq!(error.code, ErrorCode::AuthenticationFailed);
    let (_, error) = bank.login_err(&phone.login_request(&challenge)).await;
    assert_eq!(error.code, ErrorCode::ChallengeInvalid);
}

#[tokio::test]
async fn a_challenge_expires_after_sixty_seconds() {
    let (bank, mut phone) = bound().await;
    let challenge = bank.challenge(&phone).await;
    bank.sandbox.advance_clock(Duration::from_secs(60));
    let (_, error) = bank.login_err(&phone.login_request(&challenge)).await;
    assert_eq!(error.code, ErrorCode::ChallengeInvalid);
    // A fresh one works, and the failed expiry did not count against the device.
    let login = bank.login(&mut phone).await;
    assert_eq!(login.idle_timeout_secs, 300);
}

#[tokio::test]
async fn a_challenge_of_another_device_is_refused() {
    let (bank, mut phone) = bound().await;
    let mut other = Phone::new(&bank.sandbox.rp_id());
    bank.bind(&mut other).await;
    let others_challenge = bank.challenge(&other).await;
    let (_, error) = bank
        .login_err(&phone.login_request(&others_challenge))
        .await;
    assert_eq!(error.code, ErrorCode::ChallengeInvalid);
    let (_, error) = bank
        .login_err(&other.login_request(&others_challenge))
        .await;
    assert_eq!(
        error.code,
        ErrorCode::ChallengeInvalid,
        "spent by the first attempt"
    );
}

#[tokio::test]
async fn an_assertion_signed_by_another_key_fails_and_counts_down() {
    let (bank, mut phone) = bound().await;
    let stranger = common::new_key();
    for remaining in [4, 3, 2, 1] {
        let (status, error) = bank
            .login_forged(&mut phone, Factor::UserVerified, 1, |phone, challenge| {
                phone.sign_with(
                    &stranger,
                    Factor::UserVerified,
                    Ceremony::Login,
                    challenge,
                    UP_UV,
                    1000,
                )
            })
            .await;
        assert_eq!(
            (status.as_u16(), error.code),
            (401, ErrorCode::AuthenticationFailed)
        );
        assert_eq!(error.attempts_remaining, Some(remaining));
        assert_eq!(
            error.message, "authentication failed",
            "must not say which factor failed"
        );
    }
    // A success in between resets the count.
    bank.login(&mut phone).await;
    let (_, error) = bank
        .login_forged(&mut phone, Factor::UserVerified, 0, |phone, challenge| {
            phone.sign_with(
                &stranger,
                Factor::Possession,
                Ceremony::Login,
                challenge,
                UP,
                1000,
            )
        })
        .await;
    assert_eq!(error.attempts_remaining, Some(4));
}

#[tokio::test]
async fn five_consecutive_failures_block_the_device() {
    let (bank, mut phone) = bound().await;
    for attempt in 1..=5 {
        let challenge = bank.challenge(&phone).await;
        let mut request = phone.login_request(&challenge);
        request.assertions[0].signature[20] ^= 0x40;
        let (status, error) = bank.login_err(&request).await;
        if attempt < 5 {
            assert_eq!(error.code, ErrorCode::AuthenticationFailed);
        } else {
            assert_eq!(
                (status.as_u16(), error.code),
                (403, ErrorCode::DeviceBlocked)
            );
        }
    }
    assert_eq!(
        bank.login_challenge_refusal(&phone).await,
        ErrorCode::DeviceBlocked
    );
}

#[tokio::test]
async fn a_counter_that_does_not_increase_blocks_the_device_as_a_clone() {
    let (bank, mut phone) = bound().await;
    // A backup of the phone taken now...
    let mut restored = phone.copy();
    // ...falls behind once the real phone logs in.
    bank.login(&mut phone).await;
    let challenge = bank.challenge(&restored).await;
    let (status, error) = bank.login_err(&restored.login_request(&challenge)).await;
    assert_eq!(
        (status.as_u16(), error.code),
        (403, ErrorCode::DeviceBlocked)
    );

    // The binding is blocked for the real phone too: only a new activation helps.
    assert_eq!(
        bank.login_challenge_refusal(&phone).await,
        ErrorCode::DeviceBlocked
    );
}

#[tokio::test]
async fn a_repeated_counter_on_one_key_is_enough_to_block() {
    let (bank, mut phone) = bound().await;
    bank.login(&mut phone).await;
    // The possession key signs with the counter it used last time.
    let (_, error) = bank
        .login_forged(&mut phone, Factor::UserVerified, 0, |phone, challenge| {
            phone.sign_with(
                &phone.possession,
                Factor::Possession,
                Ceremony::Login,
                challenge,
                UP,
                phone.possession_count - 1,
            )
        })
        .await;
    assert_eq!(error.code, ErrorCode::DeviceBlocked);
}

#[tokio::test]
async fn a_forged_low_counter_is_an_authentication_failure_not_a_clone() {
    // Blocking on an unsigned counter would let anyone block any device.
    let (bank, mut phone) = bound().await;
    let (_, error) = bank
        .login_forged(&mut phone, Factor::UserVerified, 0, |phone, challenge| {
            phone.sign_with(
                &common::new_key(),
                Factor::Possession,
                Ceremony::Login,
                challenge,
                UP,
                0,
            )
        })
        .await;
    assert_eq!(error.code, ErrorCode::AuthenticationFailed);
    bank.login(&mut phone).await;
}

#[tokio::test]
async fn the_biometric_assertion_must_carry_user_verified() {
    let (bank, mut phone) = bound().await;
    let (_, error) = bank
        .login_forged(&mut phone, Factor::UserVerified, 1, |phone, challenge| {
            phone.sign_with(
                &phone.user_verified,
                Factor::UserVerified,
                Ceremony::Login,
                challenge,
                UP,
                phone.user_verified_count + 1,
            )
        })
        .await;
    assert_eq!(error.code, ErrorCode::AuthenticationFailed);
    assert_eq!(error.attempts_remaining, Some(4));
}

#[tokio::test]
async fn a_bind_assertion_cannot_be_used_to_log_in() {
    let (bank, mut phone) = bound().await;
    let (_, error) = bank
        .login_forged(&mut phone, Factor::UserVerified, 0, |phone, challenge| {
            phone.sign_with(
                &phone.possession,
                Factor::Possession,
                Ceremony::Bind,
                challenge,
                UP,
                phone.possession_count + 1,
            )
        })
        .await;
    assert_eq!(error.code, ErrorCode::AuthenticationFailed);
}

#[tokio::test]
async fn both_factors_are_required() {
    let (bank, mut phone) = bound().await;
    let challenge = bank.challenge(&phone).await;
    let mut request = phone.login_request(&challenge);
    request.assertions.truncate(1);
    let (status, error) = bank.login_err(&request).await;
    assert_eq!((status.as_u16(), error.code), (400, ErrorCode::BadRequest));
    let mut request = phone.login_request(&challenge);
    request.assertions[1] = request.assertions[0].clone();
    let (_, error) = bank.login_err(&request).await;
    assert_eq!(error.code, ErrorCode::BadRequest);
}

#[tokio::test]
async fn an_unknown_device_gets_no_challenge() {
    let bank = Bank::start().await;
    let (status, error) = bank
        .post_err(
            paths::LOGIN_CHALLENGE,
            &LoginChallengeRequest {
                device_id: "dev_nope".into(),
            },
        )
        .await;
    assert_eq!(
        (status.as_u16(), error.code),
        (404, ErrorCode::DeviceUnknown)
    );
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    phone.device_id = "dev_nope".into();
    let challenge = mobank_protocol::messages::ChallengeResponse {
        challenge_id: "chl_nope".into(),
        challenge: vec![0; 32],
        expires_at_ms: 0,
        rp_id: bank.sandbox.rp_id(),
        server_time_ms: 0,
    };
    let (_, error) = bank.login_err(&phone.login_request(&challenge)).await;
    assert_eq!(error.code, ErrorCode::ChallengeInvalid);
}
