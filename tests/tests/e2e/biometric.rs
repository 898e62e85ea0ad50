//! The biometric factor: failed checks counted on the phone until the PIN is required, and an
//! enrolment change recovered by a PIN login and a re-enrolment, without a new binding.

use mobank_core::{BindingState, MobankError, Operation};
use mobank_e2e::{pin, Bank, CountingProxy, Phone, PIN};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_failed_biometric_checks_require_the_pin() {
    let bank = Bank::start().await.unwrap();
    let proxy = CountingProxy::start(&bank).await.unwrap();
    let phone = Phone::bound(&bank, proxy.endpoint(&bank)).await.unwrap();

    phone.key_store.fail_verification(true);
    for _ in 0..4 {
        assert_eq!(
            phone.login_biometric().await.unwrap_err(),
            MobankError::AuthenticationFailed {
                attempts_remaining: None
            }
        );
    }
    assert_eq!(
        phone.login_biometric().await.unwrap_err(),
        MobankError::PinRequired
    );
    let prompts = phone.key_store.prompts_shown().len();

    // From now on biometrics are not even tried: no prompt, no byte to the bank, even after
    // the app restarts and even if the finger would now be recognised.
    phone.key_store.fail_verification(false);
    // A relay of its own for the restarted app: the old one's connections close in their own
    // time (TLS close_notify) and must not be counted.
    let proxy = CountingProxy::start(&bank).await.unwrap();
    let phone = phone.restart(proxy.endpoint(&bank)).unwrap();
    assert_eq!(
        phone.login_biometric().await.unwrap_err(),
        MobankError::PinRequired
    );
    assert_eq!(proxy.bytes_sent(), 0);
    assert_eq!(phone.key_store.prompts_shown().len(), prompts);

    // None of those checks reached the bank: its count is untouched.
    phone.login_pin(PIN).await.unwrap();
    phone.login_biometric().await.unwrap();
    assert!(phone.mobank.accounts().list().await.unwrap().len() >= 2);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_success_forgives_earlier_failed_checks() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    for _ in 0..2 {
        phone.key_store.fail_verification(true);
        for _ in 0..4 {
            phone.login_biometric().await.unwrap_err();
        }
        phone.key_store.fail_verification(false);
        phone.login_biometric().await.unwrap();
    }
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_enrolment_is_recovered_with_the_pin_without_rebinding() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::new(bank.endpoint()).unwrap();
    let device = phone.bind(&bank).await.unwrap();

    // Someone enrolled another finger: the OS invalidates the biometric key.
    let old_alias = phone.key_alias(".uv").unwrap();
    phone.key_store.invalidate(&old_alias);
    assert_eq!(
        phone.login_biometric().await.unwrap_err(),
        MobankError::BiometryChanged
    );
    // Still bound: the binding does not depend on the biometric key.
    assert!(matches!(
        phone.mobank.binding_state().unwrap(),
        BindingState::Bound(_)
    ));

    // Re-enrolment needs the PIN, not just any login.
    phone.login_pin(PIN).await.unwrap();
    assert!(!phone
        .mobank
        .auth()
        .needs_step_up(Operation::ReenrolBiometric));
    let renewed = phone
        .mobank
        .activation()
        .reenrol_biometric("Set up fingerprint login")
        .await
        .unwrap();
    assert_eq!(renewed.device_id, device.device_id);
    assert_eq!(
        renewed.possession_key_fingerprint,
        device.possession_key_fingerprint
    );
    assert_ne!(
        renewed.user_verified_key_fingerprint,
        device.user_verified_key_fingerprint
    );
    assert_eq!(
        phone.key_store.prompts_shown().last().unwrap(),
        "Set up fingerprint login"
    );
    // The dead key is gone; exactly one biometric key remains.
    let new_alias = phone.key_alias(".uv").unwrap();
    assert_ne!(new_alias, old_alias);
    assert_eq!(
        phone.mobank.binding_state().unwrap(),
        BindingState::Bound(renewed)
    );

    phone.login_biometric().await.unwrap();
    assert!(phone.mobank.accounts().list().await.unwrap().len() >= 2);
    // And again, after a restart.
    let phone = phone.restart(bank.endpoint()).unwrap();
    phone.login_biometric().await.unwrap();
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_biometric_login_is_not_enough_to_reenrol() {
    let bank = Bank::start().await.unwrap();
    let proxy = CountingProxy::start(&bank).await.unwrap();
    let phone = Phone::bound(&bank, proxy.endpoint(&bank)).await.unwrap();
    phone.login_biometric().await.unwrap();
    assert!(phone
        .mobank
        .auth()
        .needs_step_up(Operation::ReenrolBiometric));
    let aliases = phone.key_store.aliases();
    let refused = proxy
        .assert_sends_nothing(
            phone
                .mobank
                .activation()
                .reenrol_biometric("Set up fingerprint login"),
        )
        .await;
    assert_eq!(refused.unwrap_err(), MobankError::StepUpRequired);
    assert_eq!(phone.key_store.aliases(), aliases, "no key was made");

    phone
        .mobank
        .auth()
        .step_up_pin(pin(PIN).unwrap())
        .await
        .unwrap();
    phone
        .mobank
        .activation()
        .reenrol_biometric("Set up fingerprint login")
        .await
        .unwrap();
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bank_refuses_a_stale_reenrolment_and_the_new_key_is_dropped() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::new(bank.endpoint()).unwrap();
    let device = phone.bind(&bank).await.unwrap();
    phone.login_pin(PIN).await.unwrap();
    // Fresh on the phone's clock, stale on the bank's (kept active on both).
    bank.let_strong_auth_go_stale(&phone).await.unwrap();
    let aliases = phone.key_store.aliases();
    assert_eq!(
        phone
            .mobank
            .activation()
            .reenrol_biometric("Set up fingerprint login")
            .await
            .unwrap_err(),
        MobankError::StepUpRequired
    );
    assert_eq!(
        phone.key_store.aliases(),
        aliases,
        "the refused key is deleted"
    );
    assert_eq!(
        phone.mobank.binding_state().unwrap(),
        BindingState::Bound(device)
    );
    phone.login_biometric().await.unwrap();
    bank.stop().await;
}
