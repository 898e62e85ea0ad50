//! The device lifecycle: the device list, notices of new bindings, revocation and unbinding
//! behind a fresh step-up, and the step-up itself.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::{Bank, Phone};
use mobank_protocol::assertion::operations;
use mobank_protocol::messages::{
    paths, ChallengePurpose, DeviceStatus, DevicesResponse, NoticeKind, NotificationOutbox,
    RevokeDeviceRequest, RevokeDeviceResponse, StepUpRequest, StepUpResponse, UnbindDeviceRequest,
};
use mobank_protocol::{Ceremony, ErrorCode, Factor};
use mobank_sandbox::DEMO_CUSTOMER_ID;

async fn phone_named(bank: &Bank, name: &str) -> Phone {
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    phone.name = name.to_owned();
    bank.bind(&mut phone).await;
    phone
}

/// Keeps the session alive but lets its last strong authentication age past five minutes.
async fn let_strong_auth_age(bank: &Bank, token: &str) {
    bank.sandbox.advance_clock(Duration::from_secs(4 * 60));
    assert_eq!(bank.accounts(token).await.status(), 200);
    bank.sandbox.advance_clock(Duration::from_secs(2 * 60));
}

async fn revoke_request(
    bank: &Bank,
    phone: &mut Phone,
    token: &str,
    target: &str,
) -> RevokeDeviceRequest {
    let challenge = bank
        .session_challenge(token, ChallengePurpose::Operation)
        .await;
    RevokeDeviceRequest {
        device_id: target.to_owned(),
        assertion: phone.assert_operation(
            Factor::Possession,
            Ceremony::Operation,
            &challenge.challenge,
            Some(&operations::revoke_device(target)),
        ),
        challenge_id: challenge.challenge_id,
    }
}

#[tokio::test]
async fn the_device_list_shows_every_binding_and_marks_this_one() {
    let bank = Bank::start().await;
    let mut pixel = phone_named(&bank, "Pixel 8").await;
    let iphone = phone_named(&bank, "iPhone 15").await;
    let token = bank.login(&mut pixel).await.session_token;

    let list: DevicesResponse = bank.get_ok(paths::DEVICES, &token).await;

    assert_eq!(list.devices.len(), 2);
    assert_eq!(list.devices[0].device_id, pixel.device_id);
    assert_eq!(list.devices[0].name, "Pixel 8");
    assert!(list.devices[0].this_device);
    assert_eq!(list.devices[0].last_seen_ms, Some(list.server_time_ms));
    assert_eq!(list.devices[1].device_id, iphone.device_id);
    assert!(!list.devices[1].this_device);
    assert!(list
        .devices
        .iter()
        .all(|d| d.status == DeviceStatus::Active && d.platform == "android"));
    assert!(list.devices[0].bound_at_ms <= list.devices[1].bound_at_ms);
}

#[tokio::test]
async fn binding_a_new_device_notifies_the_others_once_at_their_next_login() {
    let bank = Bank::start().await;
    let mut first = phone_named(&bank, "Pixel 8").await;
    let first_login = bank.login(&mut first).await;
    assert!(first_login.notices.is_empty());
    let mut second = phone_named(&bank, "iPhone 15").await;

    let login = bank.login(&mut first).await;
    assert_eq!(login.notices.len(), 1);
    assert_eq!(login.notices[0].kind, NoticeKind::NewDeviceBound);
    assert_eq!(login.notices[0].device_name.as_deref(), Some("iPhone 15"));
    assert!(
        bank.login(&mut first).await.notices.is_empty(),
        "delivered once"
    );
    // The new device itself is not told about its own binding.
    assert!(bank.login(&mut second).await.notices.is_empty());

    let outbox: NotificationOutbox = reqwest::get(format!(
        "{}{}{DEMO_CUSTOMER_ID}",
        bank.sandbox.dev_url(),
        paths::DEV_NOTIFICATIONS_PREFIX
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(outbox.notifications.len(), 1);
    let sent = &outbox.notifications[0];
    assert_eq!(sent.device_id, first.device_id);
    assert_eq!(sent.customer_id, DEMO_CUSTOMER_ID);
    assert_eq!(sent.kind, NoticeKind::NewDeviceBound);
    assert_eq!(
        outbox,
        bank.sandbox.notifications(DEMO_CUSTOMER_ID).unwrap()
    );
    assert!(bank.sandbox.notifications("nobody").is_err());
}

#[tokio::test]
async fn revoking_needs_a_fresh_step_up_then_ends_the_other_device() {
    let bank = Bank::start().await;
    let mut mine = phone_named(&bank, "Pixel 8").await;
    let mut lost = phone_named(&bank, "Old phone").await;
    let lost_token = bank.login(&mut lost).await.session_token;
    let token = bank.login(&mut mine).await.session_token;
    let _ = bank.login(&mut mine).await; // delivers the binding notice

    let_strong_auth_age(&bank, &token).await;
    assert_eq!(
        bank.accounts(&lost_token).await.status(),
        401,
        "idle by now"
    );
    let lost_token = bank.login(&mut lost).await.session_token;
    let request = revoke_request(&bank, &mut mine, &token, &lost.device_id).await;
    let (status, error) = bank
        .post_authorized_err(paths::DEVICES_REVOKE, &token, &request)
        .await;
    assert_eq!(
        (status.as_u16(), error.code),
        (403, ErrorCode::StepUpRequired)
    );
    assert_eq!(
        bank.accounts(&lost_token).await.status(),
        200,
        "not revoked"
    );

    let stepped: StepUpResponse = bank.step_up(&mut mine, &token).await;
    assert_eq!(stepped.strong_auth_at_ms, stepped.server_time_ms);
    let request = revoke_request(&bank, &mut mine, &token, &lost.device_id).await;
    let revoked: RevokeDeviceResponse = bank
        .post_authorized_ok(paths::DEVICES_REVOKE, &token, &request)
        .await;
    assert_eq!(revoked.device_id, lost.device_id);

    // Its session is over and it cannot log in again.
    let (status, error) = common::expect_error(bank.accounts(&lost_token).await).await;
    assert_eq!(
        (status.as_u16(), error.code),
        (403, ErrorCode::DeviceBlocked)
    );
    assert_eq!(
        bank.login_challenge_refusal(&lost).await,
        ErrorCode::DeviceBlocked
    );
    let list: DevicesResponse = bank.get_ok(paths::DEVICES, &token).await;
    let entry = list
        .devices
        .iter()
        .find(|d| d.device_id == lost.device_id)
        .unwrap();
    assert_eq!(entry.status, DeviceStatus::Revoked);

    // Asking again (a retry after a lost answer) gives the same answer.
    let request = revoke_request(&bank, &mut mine, &token, &lost.device_id).await;
    let again: RevokeDeviceResponse = bank
        .post_authorized_ok(paths::DEVICES_REVOKE, &token, &request)
        .await;
    assert_eq!(again.revoked_at_ms, revoked.revoked_at_ms);
}

#[tokio::test]
async fn a_revocation_is_announced_to_the_remaining_devices() {
    let bank = Bank::start().await;
    let mut mine = phone_named(&bank, "Pixel 8").await;
    let lost = phone_named(&bank, "Old phone").await;
    let mut tablet = phone_named(&bank, "iPad").await;
    let token = bank.login(&mut mine).await.session_token;
    let _ = bank.login(&mut tablet).await;

    let request = revoke_request(&bank, &mut mine, &token, &lost.device_id).await;
    let _: RevokeDeviceResponse = bank
        .post_authorized_ok(paths::DEVICES_REVOKE, &token, &request)
        .await;

    let notices = bank.login(&mut tablet).await.notices;
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].kind, NoticeKind::DeviceRevoked);
    assert_eq!(notices[0].device_name.as_deref(), Some("Old phone"));
    let mine_notices = bank.login(&mut mine).await.notices;
    assert!(
        mine_notices
            .iter()
            .all(|n| n.kind != NoticeKind::DeviceRevoked),
        "the revoking device knows already"
    );
}

#[tokio::test]
async fn a_revocation_signature_cannot_be_moved_to_another_device() {
    let bank = Bank::start().await;
    let mut mine = phone_named(&bank, "Pixel 8").await;
    let a = phone_named(&bank, "A").await;
    let b = phone_named(&bank, "B").await;
    let token = bank.login(&mut mine).await.session_token;
    let mut request = revoke_request(&bank, &mut mine, &token, &a.device_id).await;
    request.device_id = b.device_id.clone();
    let (status, error) = bank
        .post_authorized_err(paths::DEVICES_REVOKE, &token, &request)
        .await;
    assert_eq!(
        (status.as_u16(), error.code),
        (401, ErrorCode::AuthenticationFailed)
    );
    assert_eq!(error.attempts_remaining, Some(4));
    let list: DevicesResponse = bank.get_ok(paths::DEVICES, &token).await;
    assert!(list
        .devices
        .iter()
        .all(|d| d.status == DeviceStatus::Active));
}

#[tokio::test]
async fn revoke_refuses_this_device_strangers_and_a_spent_challenge() {
    let bank = Bank::start().await;
    let mut mine = phone_named(&bank, "Pixel 8").await;
    let other = phone_named(&bank, "Other").await;
    let token = bank.login(&mut mine).await.session_token;

    let own = mine.device_id.clone();
    let request = revoke_request(&bank, &mut mine, &token, &own).await;
    let (_, error) = bank
        .post_authorized_err(paths::DEVICES_REVOKE, &token, &request)
        .await;
    assert_eq!(
        error.code,
        ErrorCode::BadRequest,
        "unbind is for this device"
    );

    let request = revoke_request(&bank, &mut mine, &token, "dev_nope").await;
    let (status, error) = bank
        .post_authorized_err(paths::DEVICES_REVOKE, &token, &request)
        .await;
    assert_eq!((status.as_u16(), error.code), (404, ErrorCode::NotFound));

    let request = revoke_request(&bank, &mut mine, &token, &other.device_id).await;
    let _: RevokeDeviceResponse = bank
        .post_authorized_ok(paths::DEVICES_REVOKE, &token, &request)
        .await;
    let (_, error) = bank
        .post_authorized_err(paths::DEVICES_REVOKE, &token, &request)
        .await;
    assert_eq!(error.code, ErrorCode::ChallengeInvalid, "replayed");

    let mut request = revoke_request(&bank, &mut mine, &token, &other.device_id).await;
    request.assertion.factor = Factor::UserVerified;
    let (_, error) = bank
        .post_authorized_err(paths::DEVICES_REVOKE, &token, &request)
        .await;
    assert_eq!(error.code, ErrorCode::BadRequest);
}

#[tokio::test]
async fn a_step_up_challenge_is_not_an_operation_challenge() {
    let bank = Bank::start().await;
    let mut mine = phone_named(&bank, "Pixel 8").await;
    let other = phone_named(&bank, "Other").await;
    let token = bank.login(&mut mine).await.session_token;
    let challenge = bank
        .session_challenge(&token, ChallengePurpose::StepUp)
        .await;
    let request = RevokeDeviceRequest {
        device_id: other.device_id.clone(),
        assertion: mine.assert_operation(
            Factor::Possession,
            Ceremony::Operation,
            &challenge.challenge,
            Some(&operations::revoke_device(&other.device_id)),
        ),
        challenge_id: challenge.challenge_id,
    };
    let (_, error) = bank
        .post_authorized_err(paths::DEVICES_REVOKE, &token, &request)
        .await;
    assert_eq!(error.code, ErrorCode::ChallengeInvalid);
}

#[tokio::test]
async fn unbinding_revokes_this_device_and_tells_the_others() {
    let bank = Bank::start().await;
    let mut leaving = phone_named(&bank, "Pixel 8").await;
    let mut staying = phone_named(&bank, "iPhone 15").await;
    let _ = bank.login(&mut staying).await;
    let token = bank.login(&mut leaving).await.session_token;

    let challenge = bank
        .session_challenge(&token, ChallengePurpose::Operation)
        .await;
    let request = UnbindDeviceRequest {
        challenge_id: challenge.challenge_id,
        assertion: leaving.assert_operation(
            Factor::Possession,
            Ceremony::Operation,
            &challenge.challenge,
            Some(&operations::unbind(&leaving.device_id)),
        ),
    };
    let unbound: RevokeDeviceResponse = bank
        .post_authorized_ok(paths::DEVICES_UNBIND, &token, &request)
        .await;
    assert_eq!(unbound.device_id, leaving.device_id);
    assert_eq!(bank.accounts(&token).await.status(), 403);
    assert_eq!(
        bank.login_challenge_refusal(&leaving).await,
        ErrorCode::DeviceBlocked
    );

    let notices = bank.login(&mut staying).await.notices;
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].kind, NoticeKind::DeviceRevoked);
    assert_eq!(notices[0].device_name.as_deref(), Some("Pixel 8"));
}

#[tokio::test]
async fn unbinding_also_needs_a_fresh_strong_authentication() {
    let bank = Bank::start().await;
    let mut phone = phone_named(&bank, "Pixel 8").await;
    let token = bank.login(&mut phone).await.session_token;
    let_strong_auth_age(&bank, &token).await;
    let challenge = bank
        .session_challenge(&token, ChallengePurpose::Operation)
        .await;
    let request = UnbindDeviceRequest {
        challenge_id: challenge.challenge_id,
        assertion: phone.assert_operation(
            Factor::Possession,
            Ceremony::Operation,
            &challenge.challenge,
            Some(&operations::unbind(&phone.device_id)),
        ),
    };
    let (_, error) = bank
        .post_authorized_err(paths::DEVICES_UNBIND, &token, &request)
        .await;
    assert_eq!(error.code, ErrorCode::StepUpRequired);
    assert_eq!(bank.accounts(&token).await.status(), 200);
}

#[tokio::test]
async fn a_step_up_with_the_pin_works_and_a_failed_one_counts() {
    let bank = Bank::start().await;
    let mut phone = phone_named(&bank, "Pixel 8").await;
    let token = bank.login(&mut phone).await.session_token;

    let step_up = |phone: &mut Phone, challenge: &mobank_protocol::messages::ChallengeResponse| {
        StepUpRequest {
            challenge_id: challenge.challenge_id.clone(),
            assertions: vec![
                phone.assert(Factor::Possession, Ceremony::StepUp, &challenge.challenge),
                phone.assert(Factor::Knowledge, Ceremony::StepUp, &challenge.challenge),
            ],
        }
    };
    phone.enter_wrong_pin();
    let challenge = bank
        .session_challenge(&token, ChallengePurpose::StepUp)
        .await;
    let (status, error) = bank
        .post_authorized_err(paths::STEP_UP, &token, &step_up(&mut phone, &challenge))
        .await;
    assert_eq!(
        (status.as_u16(), error.code),
        (401, ErrorCode::AuthenticationFailed)
    );
    assert_eq!(error.attempts_remaining, Some(4));

    phone.enter_right_pin();
    let challenge = bank
        .session_challenge(&token, ChallengePurpose::StepUp)
        .await;
    let ok: StepUpResponse = bank
        .post_authorized_ok(paths::STEP_UP, &token, &step_up(&mut phone, &challenge))
        .await;
    assert!(ok.strong_auth_at_ms > 0);

    // A login assertion is no step-up.
    let challenge = bank
        .session_challenge(&token, ChallengePurpose::StepUp)
        .await;
    let request = StepUpRequest {
        challenge_id: challenge.challenge_id.clone(),
        assertions: vec![
            phone.assert(Factor::Possession, Ceremony::Login, &challenge.challenge),
            phone.assert(Factor::UserVerified, Ceremony::Login, &challenge.challenge),
        ],
    };
    let (_, error) = bank
        .post_authorized_err(paths::STEP_UP, &token, &request)
        .await;
    assert_eq!(error.code, ErrorCode::AuthenticationFailed);
}

#[tokio::test]
async fn session_endpoints_need_a_session() {
    let bank = Bank::start().await;
    let (status, error) = common::expect_error(bank.get(paths::DEVICES, "stk_nope").await).await;
    assert_eq!(
        (status.as_u16(), error.code),
        (401, ErrorCode::Unauthorized)
    );
    let (_, error) = bank
        .post_authorized_err(
            paths::CHALLENGES,
            "stk_nope",
            &mobank_protocol::messages::ChallengeRequest {
                purpose: ChallengePurpose::StepUp,
            },
        )
        .await;
    assert_eq!(error.code, ErrorCode::Unauthorized);
}
