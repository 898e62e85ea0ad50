//! The public API without a bank: everything that must be decided on the phone.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use mobank_core::platform::InsecureSoftwareKeyStore;
use mobank_core::testing::offline_config;
use mobank_core::{
    BindingState, Mobank, MobankConfig, MobankError, Pin, PinRejection, SecretString,
};

/// A bank that cannot be reached: any request that escaped would fail with `Network`, which
/// every assertion below would notice.
fn config(dir: &std::path::Path) -> MobankConfig {
    offline_config(&dir.join("mobank"))
}

fn open(dir: &std::path::Path) -> Mobank {
    Mobank::open(config(dir), Arc::new(InsecureSoftwareKeyStore::new())).unwrap()
}

fn pin(digits: &str) -> Pin {
    Pin::from_digits(digits).unwrap()
}

fn invalid_input(result: Result<impl std::fmt::Debug, MobankError>) -> String {
    match result {
        Err(MobankError::InvalidInput { what }) => what,
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

#[test]
fn open_refuses_bad_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let key_store = Arc::new(InsecureSoftwareKeyStore::new());
    let with = |change: &dyn Fn(&mut MobankConfig)| {
        let mut config = config(dir.path());
        change(&mut config);
        Mobank::open(config, key_store.clone()).map(|_| ())
    };
    invalid_input(with(&|c| c.bank.base_url = "http://127.0.0.1:9".to_owned()));
    invalid_input(with(&|c| c.bank.spki_pins.clear()));
    invalid_input(with(&|c| c.bank.spki_pins = vec!["AAAA".to_owned()]));
    invalid_input(with(&|c| c.bank.receipt_keys.clear()));
    invalid_input(with(&|c| c.bank.receipt_keys = vec!["AAAA".to_owned()]));
    // A compressed point (33 bytes) is not the announced form.
    invalid_input(with(&|c| {
        c.bank.receipt_keys = vec![mobank_protocol::b64::encode([2u8; 33])]
    }));
    invalid_input(with(&|c| c.device_name = " ".to_owned()));
    invalid_input(with(&|c| c.platform = "symbian".to_owned()));
    assert!(with(&|_| {}).is_ok());
    assert!(dir.path().join("mobank").is_dir());
}

#[test]
fn a_fresh_phone_is_not_bound() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        open(dir.path()).binding_state().unwrap(),
        BindingState::NotBound
    );
}

#[test]
fn a_corrupt_state_file_of_an_earlier_version_is_a_storage_error_and_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mobank = open(dir.path());
    let path = dir.path().join("mobank").join("device.json");
    std::fs::write(&path, b"{ half a file").unwrap();
    assert!(matches!(
        mobank.binding_state(),
        Err(MobankError::Storage { .. })
    ));
    assert_eq!(std::fs::read(&path).unwrap(), b"{ half a file");
}

#[tokio::test]
async fn malformed_codes_and_otps_are_refused_locally_without_echo() {
    let dir = tempfile::tempdir().unwrap();
    let mobank = open(dir.path());
    for code in ["SHORT", "ABC-DEF-G", "UNDER_SCORE_CODE", "码码码码码码码码"] {
        let what = invalid_input(mobank.activation().start(SecretString::from(code)).await);
        assert!(!what.contains(code), "{what}");
    }
    for otp in ["12345", "1234567", "12a456", ""] {
        let what = invalid_input(
            mobank
                .activation()
                .complete(SecretString::from(otp), pin("482916"))
                .await,
        );
        assert!(otp.is_empty() || !what.contains(otp), "{what}");
    }
}

#[tokio::test]
async fn flows_out_of_order_get_typed_errors_before_any_network() {
    let dir = tempfile::tempdir().unwrap();
    let mobank = open(dir.path());
    assert_eq!(
        mobank
            .activation()
            .complete(SecretString::from("123456"), pin("482916"))
            .await
            .unwrap_err(),
        MobankError::NoActivationInProgress
    );
    assert_eq!(
        mobank.auth().login_biometric("Log in").await.unwrap_err(),
        MobankError::NotBound
    );
    assert_eq!(
        mobank.accounts().list().await.unwrap_err(),
        MobankError::NotLoggedIn
    );
    invalid_input(mobank.auth().login_biometric("   ").await);
    mobank.auth().logout();
    assert_eq!(
        mobank.accounts().list().await.unwrap_err(),
        MobankError::NotLoggedIn
    );
}

#[tokio::test]
async fn an_unreachable_bank_is_a_network_error() {
    let dir = tempfile::tempdir().unwrap();
    let mobank = open(dir.path());
    let result = mobank
        .activation()
        .start(SecretString::from("ABCD-EFGH-JKLM"))
        .await;
    assert!(
        matches!(result, Err(MobankError::Network { .. })),
        "{result:?}"
    );
}

#[test]
fn errors_and_secrets_print_no_secret() {
    let secret = SecretString::from("K7QF-93XZ-M2PA");
    assert_eq!(format!("{secret:?}"), "***");
    let error = MobankError::AuthenticationFailed {
        attempts_remaining: Some(2),
    };
    assert_eq!(error.to_string(), "authentication failed");
}

#[tokio::test]
async fn session_operations_are_refused_locally_without_a_session() {
    let dir = tempfile::tempdir().unwrap();
    let mobank = open(dir.path());
    // Any of these reaching the network would be a `Network` error (nothing listens).
    assert_eq!(
        mobank.auth().login_pin(pin("482916")).await.unwrap_err(),
        MobankError::NotBound
    );
    assert_eq!(
        mobank.auth().step_up_pin(pin("482916")).await.unwrap_err(),
        MobankError::NotLoggedIn
    );
    assert_eq!(
        mobank
            .auth()
            .step_up_biometric("Confirm")
            .await
            .unwrap_err(),
        MobankError::NotLoggedIn
    );
    assert_eq!(
        mobank.devices().list().await.unwrap_err(),
        MobankError::NotLoggedIn
    );
    assert_eq!(
        mobank
            .devices()
            .revoke("dev_2".to_owned())
            .await
            .unwrap_err(),
        MobankError::NotLoggedIn
    );
    invalid_input(mobank.devices().revoke("dev 2".to_owned()).await);
    assert_eq!(
        mobank.devices().unbind().await.unwrap_err(),
        MobankError::NotBound
    );
    assert_eq!(
        mobank.pin().begin_change(pin("482916")).await.unwrap_err(),
        MobankError::NotLoggedIn
    );
    assert_eq!(
        mobank.pin().commit_change(pin("640259")).await.unwrap_err(),
        MobankError::NotLoggedIn
    );
    assert_eq!(
        mobank
            .activation()
            .reenrol_biometric("Set up")
            .await
            .unwrap_err(),
        MobankError::NotLoggedIn
    );
    assert!(mobank
        .auth()
        .needs_step_up(mobank_core::Operation::RevokeDevice));
    // The lifecycle hooks are harmless without a session.
    mobank.app_entered_background();
    mobank.app_entered_foreground();
}

#[tokio::test]
async fn a_guessable_pin_is_refused_before_the_activation_is_even_looked_up() {
    let dir = tempfile::tempdir().unwrap();
    let mobank = open(dir.path());
    assert_eq!(
        mobank
            .activation()
            .complete(SecretString::from("123456"), pin("111111"))
            .await
            .unwrap_err(),
        MobankError::PinRejected {
            reason: PinRejection::SameDigit
        }
    );
    assert_eq!(
        mobank_core::check_new_pin(&pin("199912")).unwrap_err(),
        MobankError::PinRejected {
            reason: PinRejection::Date
        }
    );
    assert!(mobank_core::check_new_pin(&pin("482916")).is_ok());
    assert_eq!(format!("{:?}", pin("482916")), "***");
}

#[test]
fn a_device_name_that_would_display_as_something_else_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let key_store = Arc::new(InsecureSoftwareKeyStore::new());
    let open_named = |name: &str| {
        let mut config = config(dir.path());
        config.device_name = name.to_owned();
        Mobank::open(config, key_store.clone()).map(|_| ())
    };
    // One of each refused class: a right-to-left override ("Pixelexe.png" on screen), an
    // isolate, a zero-width space, a line break; and a name over 64 code points.
    for (name, rule) in [
        ("Pixel\u{202E}gnp.exe", "bidirectional"),
        ("Pixel\u{2067}8", "bidirectional"),
        ("Pix\u{200B}el 8", "invisible"),
        ("Pixel\n8", "control"),
        (&"字".repeat(65) as &str, "1 to 64"),
    ] {
        let what = invalid_input(open_named(name));
        assert!(what.contains(rule), "{name:?}: {what}");
    }
    assert!(open_named(&"字".repeat(64)).is_ok());
    assert!(open_named("Li Wei's Pixel 8").is_ok());
}

#[tokio::test]
async fn nothing_is_opened_or_created_without_a_session() {
    let dir = tempfile::tempdir().unwrap();
    let key_store = Arc::new(InsecureSoftwareKeyStore::new());
    let mobank = Mobank::open(config(dir.path()), key_store.clone()).unwrap();
    assert_eq!(
        mobank.history().recent("a", 1).await,
        Err(MobankError::NotLoggedIn)
    );
    assert_eq!(
        mobank.history().sync(None).await,
        Err(MobankError::NotLoggedIn)
    );
    // Pausing and resuming a store that was never opened is harmless.
    mobank.pause_storage().unwrap();
    mobank.resume_storage().unwrap();
    assert!(key_store.aliases().is_empty());
    assert!(!dir.path().join("mobank").join("store").exists());
}
