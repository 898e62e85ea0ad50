//! Logging in with bad or hostile input: replays, foreign keys, cloned state, and every way
//! the platform key store can say no.

use std::sync::Arc;

use mobank_core::net::pinned_tls_config;
use mobank_core::platform::{KeyPurpose, KeyStore};
use mobank_core::{BindingState, MobankError};
use mobank_e2e::{Bank, Phone, PIN};
use mobank_protocol::messages::{
    paths, ChallengeResponse, LoginChallengeRequest, LoginRequest, LoginResponse,
};
use mobank_protocol::{
    signed_bytes, Assertion, AuthenticatorData, Ceremony, ClientData, ErrorBody, ErrorCode, Factor,
    FLAG_USER_PRESENT, FLAG_USER_VERIFIED,
};

/// A bare protocol client over the same pinned TLS as the phone, to send what Mobank never
/// would: the same login request twice.
struct RawClient {
    http: reqwest::Client,
    base_url: String,
}

impl RawClient {
    fn new(bank: &Bank) -> Self {
        let tls = pinned_tls_config(&[bank.sandbox.spki_pin()]).unwrap();
        let http = reqwest::Client::builder()
            .use_preconfigured_tls(tls)
            .build()
            .unwrap();
        Self {
            http,
            base_url: bank.sandbox.base_url(),
        }
    }

    async fn post(&self, path: &str, body: &impl serde::Serialize) -> (u16, Vec<u8>) {
        let response = self
            .http
            .post(format!("{}{path}", self.base_url))
            .body(serde_json::to_vec(body).unwrap())
            .header("content-type", "application/json")
            .send()
            .await
            .unwrap();
        (
            response.status().as_u16(),
            response.bytes().await.unwrap().to_vec(),
        )
    }
}

fn sign(
    key_store: &dyn KeyStore,
    alias: &str,
    factor: Factor,
    rp_id: &str,
    challenge: &[u8],
    sign_count: u32,
) -> Assertion {
    let (flags, prompt) = match factor {
        Factor::Possession => (FLAG_USER_PRESENT, None),
        Factor::UserVerified => (FLAG_USER_PRESENT | FLAG_USER_VERIFIED, Some("Log in")),
        Factor::Knowledge => unreachable!("the knowledge factor is not a key store key"),
    };
    let authenticator_data = AuthenticatorData::new(rp_id, flags, sign_count)
        .to_bytes()
        .to_vec();
    let client_data_json = ClientData {
        ceremony: Ceremony::Login,
        challenge: challenge.to_vec(),
        rp_id: rp_id.to_owned(),
        operation: None,
    }
    .to_json();
    let signature = key_store
        .sign(
            alias,
            &signed_bytes(&authenticator_data, &client_data_json),
            prompt,
        )
        .unwrap();
    Assertion {
        factor,
        authenticator_data,
        client_data_json,
        signature,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_login_is_refused() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::new(bank.endpoint()).unwrap();
    let device = phone.bind(&bank).await.unwrap();
    let client = RawClient::new(&bank);

    let (status, body) = client
        .post(
            paths::LOGIN_CHALLENGE,
            &LoginChallengeRequest {
                device_id: device.device_id.clone(),
            },
        )
        .await;
    assert_eq!(status, 200);
    let challenge: ChallengeResponse = serde_json::from_slice(&body).unwrap();
    let assertion = |suffix: &str, factor: Factor| {
        let alias = phone.key_alias(suffix).unwrap();
        let store = phone.key_store.as_ref();
        sign(
            store,
            &alias,
            factor,
            &challenge.rp_id,
            &challenge.challenge,
            10,
        )
    };
    let request = LoginRequest {
        device_id: device.device_id.clone(),
        challenge_id: challenge.challenge_id.clone(),
        assertions: vec![
            assertion(".possession", Factor::Possession),
            assertion(".uv", Factor::UserVerified),
        ],
        integrity: None,
    };

    let (status, body) = client.post(paths::LOGIN, &request).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let session: LoginResponse = serde_json::from_slice(&body).unwrap();
    assert!(!session.session_token.is_empty());

    // The identical request again, as an eavesdropper would replay it.
    let (status, body) = client.post(paths::LOGIN, &request).await;
    assert!((400..500).contains(&status), "{status}");
    let error: ErrorBody = serde_json::from_slice(&body).unwrap();
    assert_eq!(error.error.code, ErrorCode::ChallengeInvalid);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_assertion_by_another_key_is_refused() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    // Someone else's key under the biometric key's alias: it signs, but not as the bound key.
    let alias = phone.key_alias(".uv").unwrap();
    phone
        .key_store
        .generate(&alias, KeyPurpose::UserVerified)
        .unwrap();

    let result = phone.login_biometric().await;
    assert_eq!(
        result.unwrap_err(),
        MobankError::AuthenticationFailed {
            attempts_remaining: Some(4)
        }
    );
    assert_eq!(
        phone.mobank.accounts().list().await.unwrap_err(),
        MobankError::NotLoggedIn
    );
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restored_older_device_state_gets_the_device_blocked() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    let before = phone.copy_store().unwrap();
    phone.login_biometric().await.unwrap();
    phone.mobank.auth().logout();

    // A backup from before that login comes back: the counters go back with it.
    phone.put_back_store(&before).unwrap();
    let result = phone.login_biometric().await;
    assert_eq!(result.unwrap_err(), MobankError::DeviceBlocked);
    // Blocked for good, even though the phone's counters are ahead again now.
    let again = phone.login_biometric().await;
    assert_eq!(again.unwrap_err(), MobankError::DeviceBlocked);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_store_refusals_become_typed_errors() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();

    phone.key_store.set_user_cancels(true);
    assert_eq!(
        phone.login_biometric().await.unwrap_err(),
        MobankError::UserCancelled
    );
    phone.key_store.set_user_cancels(false);

    phone.key_store.fail_verification(true);
    assert_eq!(
        phone.login_biometric().await.unwrap_err(),
        MobankError::AuthenticationFailed {
            attempts_remaining: None
        }
    );
    phone.key_store.fail_verification(false);

    // A locked key store is "try later", never "not bound".
    phone.key_store.set_locked(true);
    assert_eq!(
        phone.mobank.binding_state().unwrap_err(),
        MobankError::KeyStoreLocked
    );
    assert_eq!(
        phone.login_biometric().await.unwrap_err(),
        MobankError::KeyStoreLocked
    );
    phone.key_store.set_locked(false);

    // None of that cost the customer an attempt at the bank, and the counters skipped ahead
    // harmlessly.
    phone.login_biometric().await.unwrap();
    assert!(phone.mobank.accounts().list().await.unwrap().len() >= 2);

    // A new fingerprint enrolled: the biometric key is gone for good.
    phone.key_store.invalidate(&phone.key_alias(".uv").unwrap());
    assert_eq!(
        phone.login_biometric().await.unwrap_err(),
        MobankError::BiometryChanged
    );
    // The lock screen removed: the possession key is gone, and with it the binding.
    phone
        .key_store
        .invalidate(&phone.key_alias(".possession").unwrap());
    assert_eq!(
        phone.login_pin(PIN).await.unwrap_err(),
        MobankError::KeyInvalidated
    );
    assert!(matches!(
        phone.mobank.binding_state().unwrap(),
        BindingState::Bound(_)
    ));
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vanished_keys_mean_not_bound_and_a_clean_rebind() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::new(bank.endpoint()).unwrap();
    let first = phone.bind(&bank).await.unwrap();
    let old_aliases = phone.binding_aliases();

    // A backup restored onto a new phone: the state file came along, the keys did not.
    phone
        .key_store
        .delete(&phone.key_alias(".uv").unwrap())
        .unwrap();
    assert_eq!(
        phone.mobank.binding_state().unwrap(),
        BindingState::NotBound
    );
    assert_eq!(
        phone.login_biometric().await.unwrap_err(),
        MobankError::NotBound
    );

    let second = phone.bind(&bank).await.unwrap();
    assert_ne!(second.device_id, first.device_id);
    assert_eq!(
        phone.mobank.binding_state().unwrap(),
        BindingState::Bound(second)
    );
    // The orphaned key of the old binding was cleaned up.
    let aliases = phone.binding_aliases();
    assert_eq!(aliases.len(), 3, "{aliases:?}");
    assert!(aliases.iter().all(|alias| !old_aliases.contains(alias)));
    phone.login_biometric().await.unwrap();
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn facade_is_shared_across_tasks() {
    let bank = Bank::start().await.unwrap();
    let phone = Arc::new(Phone::new(bank.endpoint()).unwrap());
    phone.bind(&bank).await.unwrap();
    phone.login_biometric().await.unwrap();
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let phone = Arc::clone(&phone);
            tokio::spawn(async move { phone.mobank.accounts().list().await })
        })
        .collect();
    for task in tasks {
        assert!(task.await.unwrap().unwrap().len() >= 2);
    }
    bank.stop().await;
}
