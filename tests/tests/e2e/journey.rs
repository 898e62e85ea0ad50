//! The walking skeleton end to end: bind this phone, log in, see the accounts.

use mobank_core::platform::KeyStore;
use mobank_core::{BindingState, MobankError, ProductKind};
use mobank_e2e::{pin, Bank, Phone, PIN};
use mobank_protocol::assertion::key_fingerprint;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bind_log_in_and_list_accounts() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::new(bank.endpoint()).unwrap();
    assert_eq!(
        phone.mobank.binding_state().unwrap(),
        BindingState::NotBound
    );

    let started = phone.start_activation(&bank).await.unwrap();
    assert!(
        started.masked_phone.contains('*'),
        "{}",
        started.masked_phone
    );
    assert!(!started.masked_phone.contains("13800138000"));
    assert!(mobank_core::unix_ms(started.otp_expires_at) > bank.sandbox.now_ms());

    let device = phone
        .mobank
        .activation()
        .complete(bank.latest_otp().unwrap(), pin(PIN).unwrap())
        .await
        .unwrap();
    assert!(!device.device_id.is_empty());
    assert!(
        device.customer_name.contains("Li Wei"),
        "{}",
        device.customer_name
    );
    assert_eq!(device.device_name, "Pixel 8");
    assert!(mobank_core::unix_ms(device.bound_at) > 0);
    // The fingerprints shown are those of the keys in the key store.
    let possession = phone
        .key_store
        .public_key(&phone.key_alias(".possession").unwrap())
        .unwrap();
    let user_verified = phone
        .key_store
        .public_key(&phone.key_alias(".uv").unwrap())
        .unwrap();
    assert_eq!(
        device.possession_key_fingerprint,
        key_fingerprint(&possession)
    );
    assert_eq!(
        device.user_verified_key_fingerprint,
        key_fingerprint(&user_verified)
    );
    assert_ne!(
        device.possession_key_fingerprint,
        device.user_verified_key_fingerprint
    );
    assert_eq!(
        phone.mobank.binding_state().unwrap(),
        BindingState::Bound(device.clone())
    );
    assert_eq!(
        phone.key_store.prompts_shown(),
        ["Confirm binding this phone to your bank account"]
    );

    let session = phone
        .mobank
        .auth()
        .login_biometric("Log in to Mobank")
        .await
        .unwrap();
    assert_eq!(session.idle_timeout_secs, 300);
    assert!(mobank_core::unix_ms(session.expires_at) > bank.sandbox.now_ms());
    assert_eq!(
        phone.key_store.prompts_shown().last().unwrap(),
        "Log in to Mobank"
    );

    let accounts = phone.mobank.accounts().list().await.unwrap();
    assert!(accounts.len() >= 2, "{accounts:?}");
    // With a live session, the data directory still holds only the encrypted store, whose
    // device state has no field that could carry a token (checked field by field in the core's
    // unit tests).
    let files: Vec<_> = std::fs::read_dir(&phone.data_dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(files, [mobank_e2e::STORE_DIR]);
    let known = mobank_store::Store::file_paths(phone.store_dir());
    for entry in std::fs::read_dir(phone.store_dir()).unwrap() {
        let path = entry.unwrap().path();
        assert!(known.contains(&path), "{}", path.display());
    }
    let current = accounts
        .iter()
        .find(|a| a.product == ProductKind::Current)
        .unwrap();
    let savings = accounts
        .iter()
        .find(|a| a.product == ProductKind::Savings)
        .unwrap();
    for account in [current, savings] {
        assert_eq!(account.currency, "CNY");
        assert!(
            account.balance.is_sign_positive() && !account.balance.is_zero(),
            "{account:?}"
        );
        assert!(
            account.masked_number.contains('*'),
            "{}",
            account.masked_number
        );
    }

    phone.mobank.auth().logout();
    assert_eq!(
        phone.mobank.accounts().list().await.unwrap_err(),
        MobankError::NotLoggedIn
    );

    // Logging in again works: the counters moved forward on the phone and at the bank.
    phone
        .mobank
        .auth()
        .login_biometric("Log in to Mobank")
        .await
        .unwrap();
    assert_eq!(
        phone.mobank.accounts().list().await.unwrap().len(),
        accounts.len()
    );
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binding_survives_an_app_restart() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::new(bank.endpoint()).unwrap();
    let device = phone.bind(&bank).await.unwrap();
    phone.login_biometric().await.unwrap();

    let phone = phone.restart(bank.endpoint()).unwrap();
    assert_eq!(
        phone.mobank.binding_state().unwrap(),
        BindingState::Bound(device)
    );
    // The session did not survive: it lives in memory only.
    assert_eq!(
        phone.mobank.accounts().list().await.unwrap_err(),
        MobankError::NotLoggedIn
    );
    phone.login_biometric().await.unwrap();
    assert!(phone.mobank.accounts().list().await.unwrap().len() >= 2);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_activation_on_a_bound_phone_is_refused() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    let sms_before = bank.sms_count().unwrap();
    let result = phone
        .mobank
        .activation()
        .start(bank.issue_code().unwrap())
        .await;
    assert_eq!(result.unwrap_err(), MobankError::AlreadyBound);
    // Refused on the phone: the bank sent no OTP.
    assert_eq!(bank.sms_count().unwrap(), sms_before);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_session_ends_at_the_bank() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    phone.login_biometric().await.unwrap();
    bank.sandbox
        .advance_clock(std::time::Duration::from_secs(5 * 60 + 1));
    assert_eq!(
        phone.mobank.accounts().list().await.unwrap_err(),
        MobankError::SessionExpired
    );
    // The phone dropped the session with it.
    assert_eq!(
        phone.mobank.accounts().list().await.unwrap_err(),
        MobankError::NotLoggedIn
    );
    bank.stop().await;
}
