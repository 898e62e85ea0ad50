//! Binding with bad input: nothing is bound, no key is left behind, and the customer can
//! still succeed afterwards where the bank allows it.

use std::time::Duration;

use mobank_core::{BindingState, MobankError, SecretString};
use mobank_e2e::{pin, Bank, Phone, PIN};

/// An OTP that is well formed but not the one the bank sent.
fn other_otp(real: &SecretString) -> SecretString {
    let wrong = if real.expose_secret() == "000000" {
        "111111"
    } else {
        "000000"
    };
    SecretString::from(wrong)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_activation_code_is_refused_by_the_bank() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::new(bank.endpoint()).unwrap();
    // Well formed, from the bank's alphabet, but never issued.
    let result = phone
        .mobank
        .activation()
        .start(SecretString::from("ABCD-EFGH-JKLM"))
        .await;
    assert_eq!(result.unwrap_err(), MobankError::ActivationCodeInvalid);
    assert_eq!(bank.sms_count().unwrap(), 0);
    assert_eq!(
        phone
            .mobank
            .activation()
            .complete(SecretString::from("123456"), pin(PIN).unwrap())
            .await
            .unwrap_err(),
        MobankError::NoActivationInProgress
    );
    assert_eq!(
        phone.mobank.binding_state().unwrap(),
        BindingState::NotBound
    );
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_activation_code_never_reaches_the_bank() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::new(bank.endpoint()).unwrap();
    let code = bank.issue_code().unwrap();
    let typo = SecretString::from(format!("{}!", code.expose_secret()));
    let Err(MobankError::InvalidInput { what }) = phone.mobank.activation().start(typo).await
    else {
        panic!("expected InvalidInput");
    };
    assert!(!what.contains(code.expose_secret()), "{what}");
    assert_eq!(bank.sms_count().unwrap(), 0);
    // The real code is unharmed.
    phone.mobank.activation().start(code).await.unwrap();
    assert_eq!(bank.sms_count().unwrap(), 1);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_otp_deletes_the_new_keys_and_can_be_retried() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::new(bank.endpoint()).unwrap();
    phone.start_activation(&bank).await.unwrap();
    let otp = bank.latest_otp().unwrap();

    let result = phone
        .mobank
        .activation()
        .complete(other_otp(&otp), pin(PIN).unwrap())
        .await;
    assert_eq!(result.unwrap_err(), MobankError::OtpInvalid);
    assert!(
        phone.key_store.aliases().is_empty(),
        "{:?}",
        phone.key_store.aliases()
    );
    // Nothing was saved: not even a store (or its key) was made.
    assert!(!phone.store_dir().exists());
    assert_eq!(
        phone.mobank.binding_state().unwrap(),
        BindingState::NotBound
    );

    // The activation is still open at the bank and on the phone.
    let device = phone
        .mobank
        .activation()
        .complete(otp, pin(PIN).unwrap())
        .await
        .unwrap();
    assert_eq!(
        phone.mobank.binding_state().unwrap(),
        BindingState::Bound(device)
    );
    // Possession, biometric, the platform key that wraps the knowledge key, and the one that
    // wraps the store's data key (the binding is in the store).
    assert_eq!(phone.key_store.aliases().len(), 4);
    assert!(phone
        .key_store
        .aliases()
        .contains(&mobank_e2e::STORE_KEY_ALIAS.to_owned()));
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_otp_ends_the_activation() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::new(bank.endpoint()).unwrap();
    phone.start_activation(&bank).await.unwrap();
    let otp = bank.latest_otp().unwrap();
    bank.sandbox.advance_clock(Duration::from_secs(5 * 60 + 1));

    let result = phone
        .mobank
        .activation()
        .complete(otp, pin(PIN).unwrap())
        .await;
    assert_eq!(result.unwrap_err(), MobankError::OtpExpired);
    assert!(phone.key_store.aliases().is_empty());
    assert_eq!(
        phone.mobank.binding_state().unwrap(),
        BindingState::NotBound
    );
    // The phone forgot the activation: the customer starts again.
    let again = phone
        .mobank
        .activation()
        .complete(bank.latest_otp().unwrap(), pin(PIN).unwrap())
        .await;
    assert_eq!(again.unwrap_err(), MobankError::NoActivationInProgress);
    phone.bind(&bank).await.unwrap();
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_binding_prompt_binds_nothing_and_keeps_the_activation() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::new(bank.endpoint()).unwrap();
    phone.start_activation(&bank).await.unwrap();
    phone.key_store.set_user_cancels(true);
    let result = phone
        .mobank
        .activation()
        .complete(bank.latest_otp().unwrap(), pin(PIN).unwrap())
        .await;
    assert_eq!(result.unwrap_err(), MobankError::UserCancelled);
    assert!(phone.key_store.aliases().is_empty());

    phone.key_store.set_user_cancels(false);
    phone
        .mobank
        .activation()
        .complete(bank.latest_otp().unwrap(), pin(PIN).unwrap())
        .await
        .unwrap();
    assert!(matches!(
        phone.mobank.binding_state().unwrap(),
        BindingState::Bound(_)
    ));
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_used_activation_code_cannot_bind_a_second_phone() {
    let bank = Bank::start().await.unwrap();
    let first = Phone::new(bank.endpoint()).unwrap();
    let second = Phone::new(bank.endpoint()).unwrap();
    let code = bank.issue_code().unwrap().expose_secret().to_owned();
    first
        .mobank
        .activation()
        .start(SecretString::from(code.as_str()))
        .await
        .unwrap();
    first
        .mobank
        .activation()
        .complete(bank.latest_otp().unwrap(), pin(PIN).unwrap())
        .await
        .unwrap();

    let result = second
        .mobank
        .activation()
        .start(SecretString::from(code))
        .await;
    assert_eq!(result.unwrap_err(), MobankError::ActivationCodeInvalid);
    bank.stop().await;
}
