//! The knowledge factor: PIN login, failures counted with every other factor and never named,
//! the clone rule on the PIN's counter, and the two-step PIN change.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{bound, new_knowledge_key, Bank, Phone, UP_UV};
use mobank_protocol::assertion::operations;
use mobank_protocol::messages::{
    paths, ChallengePurpose, LoginResponse, PinChangeBeginRequest, PinChangeCommitRequest,
    PinChangeResponse, PinChangeTicket,
};
use mobank_protocol::{ApiError, Ceremony, ErrorCode, Factor};

async fn failed_pin_login(bank: &Bank, phone: &mut Phone) -> (u16, ApiError) {
    phone.enter_wrong_pin();
    let challenge = bank.challenge(phone).await;
    let (status, error) = bank.login_err(&phone.pin_login_request(&challenge)).await;
    phone.enter_right_pin();
    (status.as_u16(), error)
}

#[tokio::test]
async fn possession_and_the_right_pin_log_in() {
    let (bank, mut phone) = bound().await;
    let login = bank.login_with_pin(&mut phone).await;
    assert_eq!(bank.accounts(&login.session_token).await.status(), 200);
    // Twice: the PIN's own counter advances like the keys' counters.
    bank.login_with_pin(&mut phone).await;
    assert_eq!(phone.knowledge_count, 2);
}

#[tokio::test]
async fn five_wrong_pins_block_the_device_counting_down_from_four() {
    let (bank, mut phone) = bound().await;
    for remaining in [4, 3, 2, 1] {
        let (status, error) = failed_pin_login(&bank, &mut phone).await;
        assert_eq!((status, error.code), (401, ErrorCode::AuthenticationFailed));
        assert_eq!(error.attempts_remaining, Some(remaining));
    }
    let (status, error) = failed_pin_login(&bank, &mut phone).await;
    assert_eq!((status, error.code), (403, ErrorCode::DeviceBlocked));
    assert_eq!(
        bank.login_challenge_refusal(&phone).await,
        ErrorCode::DeviceBlocked
    );
}

#[tokio::test]
async fn a_wrong_pin_and_a_wrong_biometric_signature_get_the_same_answer() {
    let (bank, mut phone) = bound().await;
    let (pin_status, pin_error) = failed_pin_login(&bank, &mut phone).await;

    let challenge = bank.challenge(&phone).await;
    let mut request = phone.login_request(&challenge);
    request.assertions[1] = phone.sign_with(
        &common::new_key(),
        Factor::UserVerified,
        Ceremony::Login,
        &challenge.challenge,
        UP_UV,
        phone.user_verified_count + 1,
    );
    let response = bank.post(paths::LOGIN, &request).await;
    let biometric_status = response.status().as_u16();
    let mut biometric_body: serde_json::Value = response.json().await.unwrap();

    assert_eq!(pin_status, biometric_status);
    assert_eq!(pin_error.attempts_remaining, Some(4));
    assert_eq!(
        biometric_body["error"]["attempts_remaining"],
        serde_json::json!(3),
        "one counter for every factor"
    );
    let mut pin_body =
        serde_json::to_value(mobank_protocol::ErrorBody { error: pin_error }).unwrap();
    pin_body["error"]
        .as_object_mut()
        .unwrap()
        .remove("attempts_remaining");
    biometric_body["error"]
        .as_object_mut()
        .unwrap()
        .remove("attempts_remaining");
    assert_eq!(pin_body, biometric_body);
}

#[tokio::test]
async fn failures_of_any_factor_add_up_and_a_success_resets_them() {
    let (bank, mut phone) = bound().await;
    failed_pin_login(&bank, &mut phone).await;
    failed_pin_login(&bank, &mut phone).await;
    let challenge = bank.challenge(&phone).await;
    let mut request = phone.login_request(&challenge);
    request.assertions[0].signature[12] ^= 0x01;
    let (_, error) = bank.login_err(&request).await;
    assert_eq!(error.attempts_remaining, Some(2));

    bank.login_with_pin(&mut phone).await;
    let (_, error) = failed_pin_login(&bank, &mut phone).await;
    assert_eq!(error.attempts_remaining, Some(4));
}

#[tokio::test]
async fn an_old_copy_of_the_pin_state_is_treated_as_a_clone() {
    let (bank, mut phone) = bound().await;
    bank.login_with_pin(&mut phone).await;
    // The right PIN, but the knowledge counter the bank has already seen.
    let (status, error) = bank
        .login_forged(&mut phone, Factor::Knowledge, 1, |phone, challenge| {
            phone.tag_with(
                &phone.knowledge_key,
                Ceremony::Login,
                challenge,
                None,
                UP_UV,
                phone.knowledge_count - 1,
            )
        })
        .await;
    assert_eq!(
        (status.as_u16(), error.code),
        (403, ErrorCode::DeviceBlocked)
    );
    assert_eq!(
        bank.login_challenge_refusal(&phone).await,
        ErrorCode::DeviceBlocked
    );
}

#[tokio::test]
async fn a_wrong_pin_with_an_old_counter_is_a_failure_not_a_clone() {
    // Only the right key's tag makes a counter a clone signal; anyone can send a low one.
    let (bank, mut phone) = bound().await;
    bank.login_with_pin(&mut phone).await;
    let (_, error) = bank
        .login_forged(&mut phone, Factor::Knowledge, 1, |phone, challenge| {
            phone.tag_with(
                &new_knowledge_key(),
                Ceremony::Login,
                challenge,
                None,
                UP_UV,
                0,
            )
        })
        .await;
    assert_eq!(error.code, ErrorCode::AuthenticationFailed);
    bank.login_with_pin(&mut phone).await;
}

#[tokio::test]
async fn a_pin_assertion_must_carry_user_verified() {
    let (bank, mut phone) = bound().await;
    let (_, error) = bank
        .login_forged(&mut phone, Factor::Knowledge, 1, |phone, challenge| {
            phone.tag_with(
                &phone.knowledge_key,
                Ceremony::Login,
                challenge,
                None,
                common::UP,
                phone.knowledge_count + 1,
            )
        })
        .await;
    assert_eq!(error.code, ErrorCode::AuthenticationFailed);
}

#[tokio::test]
async fn a_device_bound_without_a_pin_cannot_log_in_with_one() {
    let bank = Bank::start().await;
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    phone.with_pin = false;
    bank.bind(&mut phone).await;
    let challenge = bank.challenge(&phone).await;
    let (status, error) = bank.login_err(&phone.pin_login_request(&challenge)).await;
    assert_eq!((status.as_u16(), error.code), (400, ErrorCode::BadRequest));
    // Not a failed attempt: biometric login still has all five.
    bank.login(&mut phone).await;
}

#[tokio::test]
async fn a_knowledge_key_that_is_not_32_bytes_is_refused_at_binding() {
    let bank = Bank::start().await;
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    let (started, otp) = bank.start_activation().await;
    let mut request = phone.completion(&started, &otp);
    request.knowledge_key = Some(vec![7; 31]);
    let (status, error) = bank.complete_err(&request).await;
    assert_eq!((status.as_u16(), error.code), (400, ErrorCode::BadRequest));
}

#[tokio::test]
async fn three_factors_or_two_second_factors_are_not_a_login() {
    let (bank, mut phone) = bound().await;
    let challenge = bank.challenge(&phone).await;
    let p = phone.assert(Factor::Possession, Ceremony::Login, &challenge.challenge);
    let uv = phone.assert(Factor::UserVerified, Ceremony::Login, &challenge.challenge);
    let k = phone.assert(Factor::Knowledge, Ceremony::Login, &challenge.challenge);
    for assertions in [vec![p.clone(), uv.clone(), k.clone()], vec![uv, k]] {
        let mut request = phone.pin_login_request(&challenge);
        request.assertions = assertions;
        let (_, error) = bank.login_err(&request).await;
        assert_eq!(error.code, ErrorCode::BadRequest);
    }
}

// ---- PIN change ----

async fn begin_request(bank: &Bank, phone: &mut Phone, token: &str) -> PinChangeBeginRequest {
    let challenge = bank
        .session_challenge(token, ChallengePurpose::Operation)
        .await;
    let begin = Some(operations::PIN_CHANGE_BEGIN);
    PinChangeBeginRequest {
        challenge_id: challenge.challenge_id,
        assertions: vec![
            phone.assert_operation(
                Factor::Possession,
                Ceremony::Operation,
                &challenge.challenge,
                begin,
            ),
            phone.assert_operation(
                Factor::Knowledge,
                Ceremony::Operation,
                &challenge.challenge,
                begin,
            ),
        ],
    }
}

fn commit_request(
    phone: &mut Phone,
    ticket: &PinChangeTicket,
    new_key: [u8; 32],
) -> PinChangeCommitRequest {
    let operation = operations::pin_change_commit(&ticket.ticket_id);
    phone.entered_key = new_key;
    let assertions = vec![
        phone.assert_operation(
            Factor::Possession,
            Ceremony::Operation,
            &ticket.challenge,
            Some(&operation),
        ),
        phone.assert_operation(
            Factor::Knowledge,
            Ceremony::Operation,
            &ticket.challenge,
            Some(&operation),
        ),
    ];
    PinChangeCommitRequest {
        ticket_id: ticket.ticket_id.clone(),
        new_knowledge_key: new_key.to_vec(),
        assertions,
    }
}

#[tokio::test]
async fn a_committed_pin_change_switches_the_key() {
    let (bank, mut phone) = bound().await;
    let token = bank.login_with_pin(&mut phone).await.session_token;
    let begin = begin_request(&bank, &mut phone, &token).await;
    let ticket: PinChangeTicket = bank
        .post_authorized_ok(paths::PIN_CHANGE_BEGIN, &token, &begin)
        .await;
    assert_eq!(ticket.challenge.len(), 32);
    assert!(ticket.expires_at_ms > ticket.server_time_ms);

    let new_key = new_knowledge_key();
    let commit = commit_request(&mut phone, &ticket, new_key);
    let changed: PinChangeResponse = bank
        .post_authorized_ok(paths::PIN_CHANGE_COMMIT, &token, &commit)
        .await;
    assert_eq!(changed.changed_at_ms, changed.server_time_ms);

    // The old PIN now fails...
    let old_key = phone.knowledge_key;
    phone.knowledge_key = new_key;
    phone.entered_key = old_key;
    let challenge = bank.challenge(&phone).await;
    let (_, error) = bank.login_err(&phone.pin_login_request(&challenge)).await;
    assert_eq!(error.code, ErrorCode::AuthenticationFailed);
    // ...and the new one works.
    phone.enter_right_pin();
    let _: LoginResponse = bank.login_with_pin(&mut phone).await;

    // The ticket was single-use.
    let (_, error) = bank
        .post_authorized_err(
            paths::PIN_CHANGE_COMMIT,
            &token,
            &commit_request(&mut phone, &ticket, new_knowledge_key()),
        )
        .await;
    assert_eq!(error.code, ErrorCode::ChallengeInvalid);
}

#[tokio::test]
async fn beginning_a_pin_change_with_a_wrong_old_pin_counts_a_failure() {
    let (bank, mut phone) = bound().await;
    let token = bank.login(&mut phone).await.session_token;
    phone.enter_wrong_pin();
    let begin = begin_request(&bank, &mut phone, &token).await;
    let (status, error) = bank
        .post_authorized_err(paths::PIN_CHANGE_BEGIN, &token, &begin)
        .await;
    assert_eq!(
        (status.as_u16(), error.code),
        (401, ErrorCode::AuthenticationFailed)
    );
    assert_eq!(error.attempts_remaining, Some(4));
    // Counted on the same counter as logins.
    phone.enter_right_pin();
    let (_, error) = failed_pin_login(&bank, &mut phone).await;
    assert_eq!(error.attempts_remaining, Some(3));
}

#[tokio::test]
async fn a_commit_tagged_with_the_old_key_changes_nothing() {
    let (bank, mut phone) = bound().await;
    let token = bank.login_with_pin(&mut phone).await.session_token;
    let begin = begin_request(&bank, &mut phone, &token).await;
    let ticket: PinChangeTicket = bank
        .post_authorized_ok(paths::PIN_CHANGE_BEGIN, &token, &begin)
        .await;
    let old_key = phone.knowledge_key;
    let mut commit = commit_request(&mut phone, &ticket, old_key);
    commit.new_knowledge_key = new_knowledge_key().to_vec();
    let (_, error) = bank
        .post_authorized_err(paths::PIN_CHANGE_COMMIT, &token, &commit)
        .await;
    assert_eq!(error.code, ErrorCode::AuthenticationFailed);
    phone.enter_right_pin();
    bank.login_with_pin(&mut phone).await;
}

#[tokio::test]
async fn a_pin_change_needs_a_recent_strong_authentication() {
    let (bank, mut phone) = bound().await;
    let token = bank.login_with_pin(&mut phone).await.session_token;
    // Keep the session alive but let the login age past five minutes.
    bank.sandbox
        .advance_clock(std::time::Duration::from_secs(4 * 60));
    assert_eq!(bank.accounts(&token).await.status(), 200);
    bank.sandbox
        .advance_clock(std::time::Duration::from_secs(2 * 60));
    let begin = begin_request(&bank, &mut phone, &token).await;
    let (status, error) = bank
        .post_authorized_err(paths::PIN_CHANGE_BEGIN, &token, &begin)
        .await;
    assert_eq!(
        (status.as_u16(), error.code),
        (403, ErrorCode::StepUpRequired)
    );
    bank.step_up(&mut phone, &token).await;
    let begin = begin_request(&bank, &mut phone, &token).await;
    let _: PinChangeTicket = bank
        .post_authorized_ok(paths::PIN_CHANGE_BEGIN, &token, &begin)
        .await;
}
