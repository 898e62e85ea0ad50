//! The binding lives in the encrypted store's vault, under the store's platform key. A locked
//! key store is "try later", never "not bound"; a key that is gone or invalidated ends the
//! binding, and both a new activation and `unbind` clear the unreadable store for a clean start.

use mobank_core::platform::KeyStore;
use mobank_core::{BindingState, MobankError};
use mobank_e2e::{Bank, Phone, STORE_KEY_ALIAS};

/// A bound phone, restarted after `break_key` did something to the store's platform key: the
/// running app had the data key in memory, a new start has to ask the key store for it.
async fn bound_then_restarted(bank: &Bank, break_key: impl FnOnce(&Phone)) -> Phone {
    let phone = Phone::bound(bank, bank.endpoint()).await.unwrap();
    phone.login_biometric().await.unwrap();
    phone.mobank.auth().logout();
    break_key(&phone);
    phone.restart(bank.endpoint()).unwrap()
}

fn lose(phone: &Phone) {
    phone.key_store.delete(STORE_KEY_ALIAS).unwrap();
}

fn invalidate(phone: &Phone) {
    phone.key_store.invalidate(STORE_KEY_ALIAS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_key_store_is_storage_locked_and_loses_nothing() {
    let bank = Bank::start().await.unwrap();
    let phone = bound_then_restarted(&bank, |phone| phone.key_store.set_locked(true)).await;
    assert_eq!(
        phone.mobank.binding_state().unwrap_err(),
        MobankError::StorageLocked
    );
    assert_eq!(
        phone.login_biometric().await.unwrap_err(),
        MobankError::StorageLocked
    );
    phone.key_store.set_locked(false);
    assert!(matches!(
        phone.mobank.binding_state().unwrap(),
        BindingState::Bound(_)
    ));
    phone.login_biometric().await.unwrap();
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_or_invalidated_store_key_ends_the_binding_and_a_new_one_starts_clean() {
    let bank = Bank::start().await.unwrap();
    for break_key in [lose, invalidate] {
        let phone = bound_then_restarted(&bank, break_key).await;
        assert_eq!(
            phone.mobank.binding_state().unwrap(),
            BindingState::NotBound
        );
        assert_eq!(
            phone.login_biometric().await.unwrap_err(),
            MobankError::NotBound
        );
        let old_vault = std::fs::read(phone.store_dir().join("vault.db")).unwrap();

        // The new activation replaces the unreadable store with a new one under a new key.
        let device = phone.bind(&bank).await.unwrap();
        assert_eq!(
            phone.mobank.binding_state().unwrap(),
            BindingState::Bound(device)
        );
        assert_ne!(
            std::fs::read(phone.store_dir().join("vault.db")).unwrap(),
            old_vault
        );
        phone.login_biometric().await.unwrap();
        assert!(phone.mobank.accounts().list().await.unwrap().len() >= 2);

        // And it survives a restart: the new key opens the new store.
        let phone = phone.restart(bank.endpoint()).unwrap();
        phone.login_biometric().await.unwrap();
    }
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unbind_clears_a_store_whose_key_is_lost() {
    let bank = Bank::start().await.unwrap();
    let phone = bound_then_restarted(&bank, lose).await;
    let outcome = phone.mobank.devices().unbind().await.unwrap();
    // Nothing could be signed, so the bank was not told.
    assert!(!outcome.bank_confirmed);
    assert!(!phone.store_dir().exists());
    assert!(!phone
        .key_store
        .aliases()
        .contains(&STORE_KEY_ALIAS.to_owned()));
    assert_eq!(
        phone.mobank.binding_state().unwrap(),
        BindingState::NotBound
    );
    phone.bind(&bank).await.unwrap();
    phone.login_biometric().await.unwrap();
    bank.stop().await;
}
