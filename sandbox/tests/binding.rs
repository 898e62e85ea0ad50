//! Device binding with wrong, expired or replayed input.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::{Bank, Phone, UP};
use mobank_protocol::messages::paths;
use mobank_protocol::{Ceremony, ErrorCode, Factor};

#[tokio::test]
async fn unknown_activation_code_is_rejected_with_a_typed_error() {
    let bank = Bank::start().await;
    for code in ["ABCDEFGHJKLM", "short", "", "ABCD-EFGH-JKLM-NPQR-STUV"] {
        let (status, error) = bank.start_with_code_err(code).await;
        assert_eq!(
            (status.as_u16(), error.code),
            (400, ErrorCode::ActivationInvalid),
            "{code:?}"
        );
    }
    assert!(bank
        .sandbox
        .sms_outbox(mobank_sandbox::DEMO_PHONE)
        .unwrap()
        .messages
        .is_empty());
}

#[tokio::test]
async fn codes_are_accepted_as_people_type_them() {
    let bank = Bank::start().await;
    let code = bank.issue_code();
    let typed = format!("{}-{} {}", &code[..4], &code[4..8], &code[8..]).to_lowercase();
    bank.start_with_code(&typed).await;
}

#[tokio::test]
async fn a_used_code_cannot_bind_a_second_device() {
    let bank = Bank::start().await;
    let code = bank.issue_code();
    let started = bank.start_with_code(&code).await;
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    let request = phone.completion(&started, &bank.latest_otp());
    let _: mobank_protocol::messages::CompleteActivationResponse =
        bank.post_ok(paths::ACTIVATION_COMPLETE, &request).await;

    let (_, error) = bank.start_with_code_err(&code).await;
    assert_eq!(error.code, ErrorCode::ActivationInvalid);
    // The completed activation cannot be completed again either.
    let mut other = Phone::new(&bank.sandbox.rp_id());
    let (_, error) = bank
        .complete_err(&other.completion(&started, &bank.latest_otp()))
        .await;
    assert_eq!(error.code, ErrorCode::ActivationInvalid);
}

#[tokio::test]
async fn an_expired_code_is_rejected() {
    let bank = Bank::start().await;
    let code = bank.issue_code();
    bank.sandbox
        .advance_clock(Duration::from_secs(24 * 60 * 60));
    let (_, error) = bank.start_with_code_err(&code).await;
    assert_eq!(error.code, ErrorCode::ActivationInvalid);
}

#[tokio::test]
async fn wrong_otps_count_down_then_kill_the_activation() {
    let bank = Bank::start().await;
    let (started, otp) = bank.start_activation().await;
    let wrong = if otp == "000000" { "000001" } else { "000000" };
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    for remaining in [4, 3, 2, 1] {
        let (status, error) = bank.complete_err(&phone.completion(&started, wrong)).await;
        assert_eq!((status.as_u16(), error.code), (400, ErrorCode::OtpInvalid));
        assert_eq!(error.attempts_remaining, Some(remaining));
    }
    let (_, error) = bank.complete_err(&phone.completion(&started, wrong)).await;
    assert_eq!(error.code, ErrorCode::ActivationInvalid);
    // Dead: even the right OTP no longer binds.
    let (_, error) = bank.complete_err(&phone.completion(&started, &otp)).await;
    assert_eq!(error.code, ErrorCode::ActivationInvalid);
}

#[tokio::test]
async fn an_expired_otp_is_told_apart_from_a_wrong_one() {
    let bank = Bank::start_with(|config| config.otp_ttl = Duration::from_secs(120)).await;
    let (started, otp) = bank.start_activation().await;
    assert_eq!(started.otp_expires_at_ms - started.server_time_ms, 120_000);
    assert!(bank
        .sandbox
        .sms_outbox(mobank_sandbox::DEMO_PHONE)
        .unwrap()
        .messages[0]
        .body
        .contains("valid 2 min"));
    bank.sandbox.advance_clock(Duration::from_secs(121));
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    let (_, error) = bank.complete_err(&phone.completion(&started, &otp)).await;
    assert_eq!(error.code, ErrorCode::OtpExpired);

    // Starting again with the same (still unused) code sends a fresh OTP that works.
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    bank.bind(&mut phone).await;
    bank.login(&mut phone).await;
}

#[tokio::test]
async fn a_new_start_supersedes_the_previous_otp() {
    let bank = Bank::start().await;
    let code = bank.issue_code();
    let first = bank.start_with_code(&code).await;
    let first_otp = bank.latest_otp();
    bank.start_with_code(&code).await;
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    let (_, error) = bank
        .complete_err(&phone.completion(&first, &first_otp))
        .await;
    assert_eq!(error.code, ErrorCode::ActivationInvalid);
}

#[tokio::test]
async fn a_code_cannot_be_started_endlessly() {
    let bank = Bank::start().await;
    let code = bank.issue_code();
    for _ in 0..5 {
        bank.start_with_code(&code).await;
    }
    let (_, error) = bank.start_with_code_err(&code).await;
    assert_eq!(error.code, ErrorCode::ActivationInvalid);
    assert_eq!(
        bank.sandbox
            .sms_outbox(mobank_sandbox::DEMO_PHONE)
            .unwrap()
            .messages
            .len(),
        5
    );
}

#[tokio::test]
async fn a_proof_signed_by_another_key_does_not_bind() {
    let bank = Bank::start().await;
    let (started, otp) = bank.start_activation().await;
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    let mut request = phone.completion(&started, &otp);
    let stranger = common::new_key();
    request.proofs[0] = phone.sign_with(
        &stranger,
        Factor::Possession,
        Ceremony::Bind,
        &started.challenge,
        UP,
        1,
    );
    let (status, error) = bank.complete_err(&request).await;
    assert_eq!(
        (status.as_u16(), error.code),
        (401, ErrorCode::AuthenticationFailed)
    );
    // The OTP was right, so the same activation still completes with proper proofs.
    let good = phone.completion(&started, &otp);
    let _: mobank_protocol::messages::CompleteActivationResponse =
        bank.post_ok(paths::ACTIVATION_COMPLETE, &good).await;
}

#[tokio::test]
async fn bind_proofs_must_be_bind_ceremony_and_the_biometric_one_user_verified() {
    let bank = Bank::start().await;
    let (started, otp) = bank.start_activation().await;
    let mut phone = Phone::new(&bank.sandbox.rp_id());

    let mut login_ceremony = phone.completion(&started, &otp);
    login_ceremony.proofs[0] = phone.sign_with(
        &phone.possession,
        Factor::Possession,
        Ceremony::Login,
        &started.challenge,
        UP,
        1,
    );
    let (_, error) = bank.complete_err(&login_ceremony).await;
    assert_eq!(error.code, ErrorCode::AuthenticationFailed);

    let mut no_uv = phone.completion(&started, &otp);
    no_uv.proofs[1] = phone.sign_with(
        &phone.user_verified,
        Factor::UserVerified,
        Ceremony::Bind,
        &started.challenge,
        UP,
        1,
    );
    let (_, error) = bank.complete_err(&no_uv).await;
    assert_eq!(error.code, ErrorCode::AuthenticationFailed);

    let mut other_challenge = phone.completion(&started, &otp);
    other_challenge.proofs[0] = phone.sign_with(
        &phone.possession,
        Factor::Possession,
        Ceremony::Bind,
        &[7u8; 32],
        UP,
        1,
    );
    let (_, error) = bank.complete_err(&other_challenge).await;
    assert_eq!(error.code, ErrorCode::AuthenticationFailed);
}

#[tokio::test]
async fn badly_shaped_completions_are_bad_requests_and_cost_no_otp_attempt() {
    let bank = Bank::start().await;
    let (started, otp) = bank.start_activation().await;
    let mut phone = Phone::new(&bank.sandbox.rp_id());

    let mut one_proof = phone.completion(&started, &otp);
    one_proof.proofs.pop();
    let mut same_factor = phone.completion(&started, &otp);
    same_factor.proofs[1] = same_factor.proofs[0].clone();
    let mut short_key = phone.completion(&started, &otp);
    short_key.possession_public_key.truncate(33);
    let mut same_keys = phone.completion(&started, &otp);
    same_keys.user_verified_public_key = same_keys.possession_public_key.clone();
    let mut platform = phone.completion(&started, &otp);
    platform.device.platform = "symbian".into();
    let mut name = phone.completion(&started, &otp);
    name.device.name = "x".repeat(65);
    let mut blank = phone.completion(&started, &otp);
    blank.device.name = "   ".into();

    for request in [
        one_proof,
        same_factor,
        short_key,
        same_keys,
        platform,
        name,
        blank,
    ] {
        let (status, error) = bank.complete_err(&request).await;
        assert_eq!(
            (status.as_u16(), error.code),
            (400, ErrorCode::BadRequest),
            "{}",
            error.message
        );
    }
    // None of that counted as an OTP failure: a first wrong OTP still has 4 left.
    let (_, error) = bank
        .complete_err(&phone.completion(&started, "999999x"))
        .await;
    assert_eq!(error.attempts_remaining, Some(4));
}

#[tokio::test]
async fn a_key_that_is_already_registered_cannot_be_bound_again() {
    let bank = Bank::start().await;
    let mut first = Phone::new(&bank.sandbox.rp_id());
    bank.bind(&mut first).await;

    let (started, otp) = bank.start_activation().await;
    // Same possession key as the bound phone, a fresh biometric key.
    let mut copycat = Phone::with_keys(
        &bank.sandbox.rp_id(),
        first.possession_pkcs8(),
        common::new_pkcs8(),
    );
    let (status, error) = bank.complete_err(&copycat.completion(&started, &otp)).await;
    assert_eq!((status.as_u16(), error.code), (400, ErrorCode::BadRequest));
    assert_eq!(error.message, "a device key is already registered");
}
