//! The device lifecycle: a second phone is announced to the first, listed, revoked; step-up
//! before a revocation; unbinding with and without the bank.

use mobank_core::MobankEvent;
use mobank_core::{BindingState, DeviceStatus, MobankError, NoticeKind, Operation};
use mobank_e2e::{pin, Bank, CountingProxy, Phone, PIN};
use mobank_sandbox::DEMO_CUSTOMER_ID;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_phone_is_announced_listed_and_revoked() {
    let bank = Bank::start().await.unwrap();
    let first = Phone::new(bank.endpoint()).unwrap();
    let first_device = first.bind(&bank).await.unwrap();
    let second = Phone::named(bank.endpoint(), "iPhone 15").unwrap();
    let second_device = second.bind(&bank).await.unwrap();

    // The first phone hears of it at its next login, as an event and in the summary; the
    // bank also kept a notification for it.
    let session = first.login_biometric().await.unwrap();
    assert_eq!(session.notices.len(), 1, "{:?}", session.notices);
    let notice = &session.notices[0];
    assert_eq!(notice.kind, NoticeKind::NewDeviceBound);
    assert_eq!(notice.device_name.as_deref(), Some("iPhone 15"));
    let events = first.events.take();
    assert!(
        events.contains(&MobankEvent::NewDeviceBound {
            device_name: Some("iPhone 15".to_owned()),
            at: notice.at,
        }),
        "{events:?}"
    );
    let notifications = bank.sandbox.notifications(DEMO_CUSTOMER_ID).unwrap();
    assert!(notifications
        .notifications
        .iter()
        .any(|n| n.device_id == first_device.device_id && n.kind == NoticeKind::NewDeviceBound));
    // Delivered once.
    let again = first.login_biometric().await.unwrap();
    assert!(again.notices.is_empty());

    let devices = first.mobank.devices().list().await.unwrap();
    assert_eq!(devices.len(), 2, "{devices:?}");
    let me = devices.iter().find(|d| d.this_device).unwrap();
    assert_eq!(me.device_id, first_device.device_id);
    assert_eq!(me.name, "Pixel 8");
    let other = devices.iter().find(|d| !d.this_device).unwrap();
    assert_eq!(other.device_id, second_device.device_id);
    assert_eq!(
        (other.name.as_str(), other.platform.as_str()),
        ("iPhone 15", "android")
    );
    assert_eq!(other.status, DeviceStatus::Active);

    // This phone cannot revoke itself; that is what unbind is for.
    assert!(matches!(
        first
            .mobank
            .devices()
            .revoke(first_device.device_id.clone())
            .await
            .unwrap_err(),
        MobankError::InvalidInput { .. }
    ));
    first
        .mobank
        .devices()
        .revoke(second_device.device_id.clone())
        .await
        .unwrap();
    let devices = first.mobank.devices().list().await.unwrap();
    let other = devices.iter().find(|d| !d.this_device).unwrap();
    assert_eq!(other.status, DeviceStatus::Revoked);

    // The revoked phone cannot log in any more, and says so from then on.
    assert_eq!(
        second.login_biometric().await.unwrap_err(),
        MobankError::DeviceBlocked
    );
    let BindingState::Bound(summary) = second.mobank.binding_state().unwrap() else {
        panic!("expected the blocked binding to be shown");
    };
    assert!(summary.blocked);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoking_needs_a_fresh_strong_authentication() {
    let bank = Bank::start().await.unwrap();
    let proxy = CountingProxy::start(&bank).await.unwrap();
    let first = Phone::bound(&bank, proxy.endpoint(&bank)).await.unwrap();
    let second = Phone::named(bank.endpoint(), "iPhone 15").unwrap();
    let target = second.bind(&bank).await.unwrap().device_id;

    first.login_biometric().await.unwrap();
    first.let_strong_auth_go_stale().await.unwrap();
    assert!(first.mobank.auth().needs_step_up(Operation::RevokeDevice));
    // Refused before the network.
    let refused = proxy
        .assert_sends_nothing(first.mobank.devices().revoke(target.clone()))
        .await;
    assert_eq!(refused.unwrap_err(), MobankError::StepUpRequired);

    first
        .mobank
        .auth()
        .step_up_biometric("Confirm")
        .await
        .unwrap();
    assert!(!first.mobank.auth().needs_step_up(Operation::RevokeDevice));
    first.mobank.devices().revoke(target).await.unwrap();
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bank_enforces_step_up_too() {
    let bank = Bank::start().await.unwrap();
    let first = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    let second = Phone::named(bank.endpoint(), "iPhone 15").unwrap();
    let target = second.bind(&bank).await.unwrap().device_id;

    // The phone's clock stands still, so the phone thinks the login is fresh; the bank's
    // clock says otherwise (kept active on both sides).
    first.login_pin(PIN).await.unwrap();
    bank.let_strong_auth_go_stale(&first).await.unwrap();
    assert_eq!(
        first
            .mobank
            .devices()
            .revoke(target.clone())
            .await
            .unwrap_err(),
        MobankError::StepUpRequired
    );
    // The session survived the refusal.
    first
        .mobank
        .auth()
        .step_up_pin(pin(PIN).unwrap())
        .await
        .unwrap();
    first.mobank.devices().revoke(target).await.unwrap();
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unbinding_tells_the_bank_and_wipes_the_phone() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::new(bank.endpoint()).unwrap();
    let device = phone.bind(&bank).await.unwrap();
    let observer = Phone::named(bank.endpoint(), "iPad").unwrap();
    observer.bind(&bank).await.unwrap();
    phone.login_pin(PIN).await.unwrap();
    assert!(!phone.files().unwrap().is_empty());

    let outcome = phone.mobank.devices().unbind().await.unwrap();
    assert!(outcome.bank_confirmed);
    assert!(phone.files().unwrap().is_empty(), "{:?}", phone.files());
    assert!(phone.key_store.aliases().is_empty());
    assert_eq!(
        phone.mobank.binding_state().unwrap(),
        BindingState::NotBound
    );
    assert_eq!(
        phone.mobank.accounts().list().await.unwrap_err(),
        MobankError::NotLoggedIn
    );

    // The bank lists it as revoked.
    observer.login_biometric().await.unwrap();
    let devices = observer.mobank.devices().list().await.unwrap();
    let gone = devices
        .iter()
        .find(|d| d.device_id == device.device_id)
        .unwrap();
    assert_eq!(gone.status, DeviceStatus::Revoked);

    // The phone can be bound afresh.
    phone.bind(&bank).await.unwrap();
    phone.login_biometric().await.unwrap();
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unbinding_with_the_bank_out_of_reach_still_wipes_the_phone() {
    let bank = Bank::start().await.unwrap();
    let proxy = CountingProxy::start(&bank).await.unwrap();
    let phone = Phone::bound(&bank, proxy.endpoint(&bank)).await.unwrap();
    phone.login_biometric().await.unwrap();
    // The line goes dead.
    proxy.cut();

    let outcome = phone.mobank.devices().unbind().await.unwrap();
    assert!(!outcome.bank_confirmed);
    assert!(phone.files().unwrap().is_empty());
    assert!(phone.key_store.aliases().is_empty());
    assert_eq!(
        phone.mobank.binding_state().unwrap(),
        BindingState::NotBound
    );
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unbinding_with_a_stale_authentication_wipes_nothing() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    assert_eq!(
        phone.mobank.devices().unbind().await.unwrap_err(),
        MobankError::NotLoggedIn
    );
    phone.login_biometric().await.unwrap();
    phone.let_strong_auth_go_stale().await.unwrap();
    assert_eq!(
        phone.mobank.devices().unbind().await.unwrap_err(),
        MobankError::StepUpRequired
    );
    assert!(matches!(
        phone.mobank.binding_state().unwrap(),
        BindingState::Bound(_)
    ));
    assert_eq!(phone.binding_aliases().len(), 3);
    bank.stop().await;
}
