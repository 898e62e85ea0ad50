//! The knowledge factor end to end: the PIN set at binding, PIN login, failures counted only by
//! the bank (and indistinguishable from any other factor's), the block and the way out, the
//! blocklist, and the two-step PIN change (whose first step counts as a strong authentication
//! on the phone as at the bank).

use std::time::Duration;

use mobank_core::platform::KeyPurpose;
use mobank_core::platform::KeyStore;
use mobank_core::{BindingState, MobankError, PinRejection};
use mobank_e2e::{pin, Bank, CountingProxy, Phone, PIN, WRONG_PIN};

const NEW_PIN: &str = "640259";

/// Time passes for the phone and the bank alike.
fn pass(bank: &Bank, phone: &Phone, by: Duration) {
    phone.clock.advance(by);
    bank.sandbox.advance_clock(by);
}

fn failed(attempts_remaining: u32) -> MobankError {
    MobankError::AuthenticationFailed {
        attempts_remaining: Some(attempts_remaining),
    }
}

/// Both the right PIN and a biometric login are refused as `DeviceBlocked`.
async fn assert_blocked_for_every_factor(phone: &Phone) {
    assert_eq!(
        phone.login_pin(PIN).await.unwrap_err(),
        MobankError::DeviceBlocked
    );
    assert_eq!(
        phone.login_biometric().await.unwrap_err(),
        MobankError::DeviceBlocked
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pin_login_works_and_only_the_bank_can_tell_a_wrong_pin() {
    let bank = Bank::start().await.unwrap();
    let proxy = CountingProxy::start(&bank).await.unwrap();
    let phone = Phone::bound(&bank, proxy.endpoint(&bank)).await.unwrap();

    let session = phone.login_pin(PIN).await.unwrap();
    assert_eq!(session.idle_timeout_secs, 300);
    assert!(phone.mobank.accounts().list().await.unwrap().len() >= 2);
    // No biometric prompt was shown for it.
    assert_eq!(
        phone.key_store.prompts_shown().len(),
        1,
        "only the binding's"
    );

    // A wrong PIN is signed and sent like a right one; the refusal is the bank's.
    let before = proxy.bytes_sent();
    let result = phone.login_pin(WRONG_PIN).await;
    assert_eq!(result.unwrap_err(), failed(4));
    assert!(proxy.bytes_sent() > before);
    // A failed login ended the earlier session too.
    assert_eq!(
        phone.mobank.accounts().list().await.unwrap_err(),
        MobankError::NotLoggedIn
    );
    // A success resets the bank's count.
    phone.login_pin(PIN).await.unwrap();
    assert_eq!(phone.login_pin(WRONG_PIN).await.unwrap_err(), failed(4));
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_pin_and_a_wrong_biometric_key_get_the_same_answer() {
    let bank = Bank::start().await.unwrap();
    let by_pin = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    let by_biometric = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    // Someone else's key under the biometric key's alias: it signs, but not as the bound key.
    let alias = by_biometric.key_alias(".uv").unwrap();
    by_biometric
        .key_store
        .generate(&alias, KeyPurpose::UserVerified)
        .unwrap();

    let wrong_pin = by_pin.login_pin(WRONG_PIN).await.unwrap_err();
    let wrong_biometric = by_biometric.login_biometric().await.unwrap_err();
    assert_eq!(wrong_pin, failed(4));
    assert_eq!(wrong_pin, wrong_biometric);
    assert_eq!(wrong_pin.to_string(), wrong_biometric.to_string());
    assert_eq!(format!("{wrong_pin:?}"), format!("{wrong_biometric:?}"));
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_wrong_pins_block_the_binding_until_a_new_activation() {
    let bank = Bank::start().await.unwrap();
    let proxy = CountingProxy::start(&bank).await.unwrap();
    let phone = Phone::new(proxy.endpoint(&bank)).unwrap();
    let first = phone.bind(&bank).await.unwrap();
    let old_aliases = phone.binding_aliases();

    for remaining in [4, 3, 2, 1] {
        assert_eq!(
            phone.login_pin(WRONG_PIN).await.unwrap_err(),
            failed(remaining)
        );
    }
    assert_eq!(
        phone.login_pin(WRONG_PIN).await.unwrap_err(),
        MobankError::DeviceBlocked
    );
    // Blocked for every factor, the right PIN included, and known on the phone now: no
    // further attempt leaves it.
    proxy
        .assert_sends_nothing(assert_blocked_for_every_factor(&phone))
        .await;
    let BindingState::Bound(summary) = phone.mobank.binding_state().unwrap() else {
        panic!("a blocked binding is still shown");
    };
    assert!(summary.blocked);
    assert_eq!(summary.device_id, first.device_id);

    // Still blocked after an app restart.
    let phone = phone.restart(proxy.endpoint(&bank)).unwrap();
    assert_eq!(
        phone.login_pin(PIN).await.unwrap_err(),
        MobankError::DeviceBlocked
    );

    // The way out: a new activation with a fresh code, which replaces the blocked binding.
    let second = phone.bind(&bank).await.unwrap();
    assert_ne!(second.device_id, first.device_id);
    assert!(!second.blocked);
    assert!(phone
        .key_store
        .aliases()
        .iter()
        .all(|alias| !old_aliases.contains(alias)));
    phone.login_pin(PIN).await.unwrap();
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guessable_pin_is_refused_at_binding_before_anything_is_sent() {
    let bank = Bank::start().await.unwrap();
    let proxy = CountingProxy::start(&bank).await.unwrap();
    let phone = Phone::new(proxy.endpoint(&bank)).unwrap();
    phone.start_activation(&bank).await.unwrap();
    let sent = proxy.bytes_sent();
    for (weak, reason) in [
        ("123456", PinRejection::Sequence),
        ("111111", PinRejection::SameDigit),
        ("123123", PinRejection::Pattern),
        ("199001", PinRejection::Date),
        ("147258", PinRejection::Common),
    ] {
        let result = phone
            .mobank
            .activation()
            .complete(bank.latest_otp().unwrap(), pin(weak).unwrap())
            .await;
        let error = result.unwrap_err();
        assert_eq!(error, MobankError::PinRejected { reason }, "{weak}");
        assert!(!error.to_string().contains(weak));
    }
    assert_eq!(
        MobankError::from(mobank_core::Pin::from_digits("12345").unwrap_err()),
        MobankError::PinRejected {
            reason: PinRejection::NotSixDigits
        }
    );
    assert_eq!(proxy.bytes_sent(), sent);
    assert!(phone.key_store.aliases().is_empty());
    // The activation and its OTP are untouched.
    phone
        .mobank
        .activation()
        .complete(bank.latest_otp().unwrap(), pin(PIN).unwrap())
        .await
        .unwrap();
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pin_change_needs_the_old_pin_then_only_the_new_one_works() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    phone.login_biometric().await.unwrap();

    assert_eq!(
        phone
            .mobank
            .pin()
            .commit_change(pin(NEW_PIN).unwrap())
            .await
            .unwrap_err(),
        MobankError::NoPinChangeInProgress
    );
    // A wrong old PIN counts like any failed factor.
    assert_eq!(
        phone
            .mobank
            .pin()
            .begin_change(pin(WRONG_PIN).unwrap())
            .await
            .unwrap_err(),
        failed(4)
    );
    phone
        .mobank
        .pin()
        .begin_change(pin(PIN).unwrap())
        .await
        .unwrap();
    // A guessable new PIN is refused locally and the begun change stays open.
    assert_eq!(
        phone
            .mobank
            .pin()
            .commit_change(pin("654321").unwrap())
            .await
            .unwrap_err(),
        MobankError::PinRejected {
            reason: PinRejection::Sequence
        }
    );
    phone
        .mobank
        .pin()
        .commit_change(pin(NEW_PIN).unwrap())
        .await
        .unwrap();
    // The ticket is spent.
    assert_eq!(
        phone
            .mobank
            .pin()
            .commit_change(pin("918273").unwrap())
            .await
            .unwrap_err(),
        MobankError::NoPinChangeInProgress
    );
    phone.mobank.auth().logout();

    assert_eq!(phone.login_pin(PIN).await.unwrap_err(), failed(4));
    phone.login_pin(NEW_PIN).await.unwrap();
    // And after a restart, from what is stored.
    let phone = phone.restart(bank.endpoint()).unwrap();
    phone.login_pin(NEW_PIN).await.unwrap();
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_session_must_step_up_before_a_pin_change_and_nothing_is_sent() {
    let bank = Bank::start().await.unwrap();
    let proxy = CountingProxy::start(&bank).await.unwrap();
    let phone = Phone::bound(&bank, proxy.endpoint(&bank)).await.unwrap();
    phone.login_biometric().await.unwrap();
    assert!(!phone
        .mobank
        .auth()
        .needs_step_up(mobank_core::Operation::ChangePin));
    phone.let_strong_auth_go_stale().await.unwrap();
    assert!(phone
        .mobank
        .auth()
        .needs_step_up(mobank_core::Operation::ChangePin));
    let refused = proxy
        .assert_sends_nothing(phone.mobank.pin().begin_change(pin(PIN).unwrap()))
        .await;
    assert_eq!(refused.unwrap_err(), MobankError::StepUpRequired);

    phone
        .mobank
        .auth()
        .step_up_pin(pin(PIN).unwrap())
        .await
        .unwrap();
    phone.change_pin(PIN, "918273").await.unwrap();
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restored_pin_counter_gets_the_device_blocked() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    let mut restored = phone.device_state().unwrap();
    phone.login_pin(PIN).await.unwrap();
    let current = phone.device_state().unwrap();

    // An old copy comes back, but with the possession counter of today: only the PIN's own
    // counter goes backwards, and that alone is a clone signal.
    assert_eq!(restored["knowledge_sign_count"], 0);
    assert_eq!(current["knowledge_sign_count"], 1);
    restored["possession_sign_count"] = current["possession_sign_count"].clone();
    phone.set_device_state(&restored).unwrap();

    // The PIN login is refused, and a biometric login, whose counters are fine, too: the
    // binding is blocked.
    assert_blocked_for_every_factor(&phone).await;
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wrapping_key_is_what_keeps_the_pin_factor() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    // The platform key that wraps the knowledge key is lost (the key store was reset).
    phone
        .key_store
        .delete(&phone.key_alias(".knowledge").unwrap())
        .unwrap();
    assert_eq!(
        phone.login_pin(PIN).await.unwrap_err(),
        MobankError::KeyInvalidated
    );
    // Nothing reached the bank, so nothing was counted: the device keys still log in.
    phone.login_biometric().await.unwrap();
    bank.stop().await;
}

#[tokio::test]
async fn a_commit_five_minutes_after_login_but_soon_after_the_begin_succeeds() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    phone.login_biometric().await.unwrap();

    pass(&bank, &phone, Duration::from_secs(4 * 60));
    phone
        .mobank
        .pin()
        .begin_change(pin(PIN).unwrap())
        .await
        .unwrap();
    // The login is now 5:30 old, the proven old PIN 1:30.
    pass(&bank, &phone, Duration::from_secs(90));
    phone
        .mobank
        .pin()
        .commit_change(pin(NEW_PIN).unwrap())
        .await
        .unwrap();

    phone.mobank.auth().logout();
    phone.login_pin(NEW_PIN).await.unwrap();
}
