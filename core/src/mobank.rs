//! The facade the bindings export: bind this phone, log in, list accounts.

use std::fs;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use mobank_protocol::messages::{
    paths, AccountsResponse, ChallengeResponse, CompleteActivationRequest,
    CompleteActivationResponse, DeviceDescription, LoginChallengeRequest, LoginRequest,
    LoginResponse, StartActivationRequest, StartActivationResponse,
};
use mobank_protocol::{Assertion, Ceremony, Factor, CHALLENGE_LEN};
use zeroize::Zeroize;

use crate::accounts::Account;
use crate::config::MobankConfig;
use crate::device::binding::{
    create_keys_and_proofs, delete_keys, ActivationStarted, NewKeys, PendingActivation,
};
use crate::device::signer::{make_assertion, AssertionSpec};
use crate::device::state::{DeviceState, DeviceStates, JsonFileRepo, StateError};
use crate::device::{BindingState, DeviceSummary};
use crate::error::MobankError;
use crate::input;
use crate::net::{BankClient, NetError};
use crate::platform::{KeyStore, KeyStoreError};
use crate::secret::SecretString;
use crate::session::{Session, SessionSummary};

/// Mobank on this phone. `Send + Sync`; share it in an `Arc`.
///
/// The async methods must run on a tokio runtime (the bindings export them with
/// `async_runtime = "tokio"`). Key store calls run on tokio's blocking pool, never on a
/// runtime worker and never while Mobank holds a lock, since a biometric prompt can take
/// as long as the customer likes.
pub struct Mobank {
    inner: Arc<Inner>,
}

struct Inner {
    device_name: String,
    platform: String,
    bank: BankClient,
    key_store: Arc<dyn KeyStore>,
    states: DeviceStates,
    pending: Mutex<Option<PendingActivation>>,
    session: Mutex<Option<Session>>,
}

/// What is on the phone, judged against the key store.
enum Binding {
    None,
    /// A state file whose keys are gone (restored backup, reinstall): not bound.
    Stale(DeviceState),
    /// The state file cannot be read; a new activation replaces it.
    Corrupt,
    Bound(DeviceState),
}

impl Mobank {
    /// Checks the configuration and prepares the data directory. No network, no key store.
    pub fn open(config: MobankConfig, key_store: Arc<dyn KeyStore>) -> Result<Self, MobankError> {
        let device_name = input::device_name(&config.device_name)?.to_owned();
        let platform = input::platform(&config.platform)?.to_owned();
        let bank = BankClient::new(&config.bank)?;
        fs::create_dir_all(&config.data_dir).map_err(|error| StateError::Io {
            op: "created",
            kind: error.kind(),
        })?;
        let states = DeviceStates::new(Box::new(JsonFileRepo::new(&config.data_dir)));
        Ok(Self {
            inner: Arc::new(Inner {
                device_name,
                platform,
                bank,
                key_store,
                states,
                pending: Mutex::new(None),
                session: Mutex::new(None),
            }),
        })
    }

    /// Whether this phone is bound. A saved binding whose keys the key store no longer has
    /// (a backup restored to a new phone, a reinstall) counts as not bound, so the app offers
    /// a fresh activation. A locked key store is an error, not "not bound".
    pub fn binding_state(&self) -> Result<BindingState, MobankError> {
        match self.inner.binding()? {
            Binding::Bound(state) => Ok(BindingState::Bound(DeviceSummary::from(&state))),
            Binding::None | Binding::Stale(_) => Ok(BindingState::NotBound),
            Binding::Corrupt => Err(StateError::Corrupt.into()),
        }
    }

    /// Sends the activation code; the bank texts an OTP to the customer's registered phone.
    /// A malformed code is refused locally, without spending one of the bank's attempts.
    pub async fn start_activation(
        &self,
        activation_code: SecretString,
    ) -> Result<ActivationStarted, MobankError> {
        let code = input::activation_code(activation_code.expose_secret())?;
        if let Binding::Bound(_) = self.inner.binding_off_runtime().await? {
            return Err(MobankError::AlreadyBound);
        }
        let mut request = StartActivationRequest {
            activation_code: code.to_owned(),
        };
        let result = self
            .inner
            .bank
            .post::<_, StartActivationResponse>(paths::ACTIVATION_START, &request)
            .await;
        request.activation_code.zeroize();
        let response = result?;
        if response.challenge.len() != CHALLENGE_LEN || response.rp_id.is_empty() {
            return Err(NetError::MalformedResponse.into());
        }
        *lock(&self.inner.pending) = Some(PendingActivation {
            activation_id: response.activation_id,
            challenge: response.challenge,
            rp_id: response.rp_id,
        });
        tracing::info!("activation started; OTP sent by the bank");
        Ok(ActivationStarted {
            masked_phone: response.masked_phone,
            otp_expires_at_ms: response.otp_expires_at_ms,
        })
    }

    /// Creates this phone's two device keys, proves them to the bank together with the OTP,
    /// and saves the binding. A wrong OTP can be retried; if the binding fails, the new keys
    /// are deleted again.
    pub async fn complete_activation(
        &self,
        otp: SecretString,
    ) -> Result<DeviceSummary, MobankError> {
        input::otp(otp.expose_secret())?;
        let inner = Arc::clone(&self.inner);
        // Runs to the end even if the caller stops waiting: a binding the bank accepted must be
        // saved, and the keys of one it refused must be deleted.
        tokio::spawn(async move { inner.complete_activation(otp).await })
            .await
            .map_err(|_| internal("activation task failed"))?
    }

    /// Logs in with the possession key and the user-verified key; the OS shows `prompt`
    /// before it releases the latter. The session token stays in memory only.
    pub async fn login_biometric(&self, prompt: &str) -> Result<SessionSummary, MobankError> {
        let prompt = input::prompt(prompt)?.to_owned();
        self.logout();
        let state = self.inner.states.load()?.ok_or(MobankError::NotBound)?;
        let challenge: ChallengeResponse = self
            .inner
            .bank
            .post(
                paths::LOGIN_CHALLENGE,
                &LoginChallengeRequest {
                    device_id: state.device_id.clone(),
                },
            )
            .await?;
        if challenge.challenge.len() != CHALLENGE_LEN {
            return Err(NetError::MalformedResponse.into());
        }
        let inner = Arc::clone(&self.inner);
        let device_id = state.device_id.clone();
        let server_challenge = challenge.challenge;
        let assertions =
            blocking(move || inner.sign_login(&device_id, &server_challenge, &prompt)).await??;
        let response: LoginResponse = self
            .inner
            .bank
            .post(
                paths::LOGIN,
                &LoginRequest {
                    device_id: state.device_id,
                    challenge_id: challenge.challenge_id,
                    assertions,
                },
            )
            .await?;
        if response.session_token.is_empty() || response.idle_timeout_secs == 0 {
            return Err(NetError::MalformedResponse.into());
        }
        let session = Session::new(response, Instant::now());
        let summary = session.summary();
        *lock(&self.inner.session) = Some(session);
        tracing::info!("logged in");
        Ok(summary)
    }

    /// Every account of the customer. Needs a live session.
    pub async fn accounts(&self) -> Result<Vec<Account>, MobankError> {
        let token = {
            let mut session = lock(&self.inner.session);
            match session.as_ref() {
                None => return Err(MobankError::NotLoggedIn),
                Some(live) if live.is_expired(Instant::now()) => {
                    *session = None;
                    return Err(MobankError::SessionExpired);
                }
                Some(live) => live.token(),
            }
        };
        let result = self
            .inner
            .bank
            .get_authorized::<AccountsResponse>(paths::ACCOUNTS, &token)
            .await
            .map_err(MobankError::from);
        let mut session = lock(&self.inner.session);
        let ours = session.as_ref().is_some_and(|live| live.holds(&token));
        match result {
            Ok(response) => {
                if let (true, Some(live)) = (ours, session.as_mut()) {
                    live.touch(Instant::now());
                }
                Ok(response.accounts.into_iter().map(Account::from).collect())
            }
            Err(error) => {
                let session_over = matches!(
                    error,
                    MobankError::NotLoggedIn
                        | MobankError::SessionExpired
                        | MobankError::DeviceBlocked
                        | MobankError::NotBound
                );
                if ours && session_over {
                    *session = None;
                }
                Err(error)
            }
        }
    }

    /// Ends the session locally and wipes the token from memory.
    pub fn logout(&self) {
        let ended = lock(&self.inner.session).take();
        drop(ended);
    }
}

impl Inner {
    fn binding(&self) -> Result<Binding, MobankError> {
        let state = match self.states.load() {
            Ok(Some(state)) => state,
            Ok(None) => return Ok(Binding::None),
            Err(StateError::Corrupt) => {
                tracing::warn!("device state is corrupt; a new activation will replace it");
                return Ok(Binding::Corrupt);
            }
            Err(error) => return Err(error.into()),
        };
        let mut keys_present = true;
        for alias in [&state.possession_key_alias, &state.user_verified_key_alias] {
            match self.key_store.public_key(alias) {
                // An invalidated key still exists; logging in will say so and lead to re-binding.
                Ok(_) | Err(KeyStoreError::Invalidated) => {}
                Err(KeyStoreError::NotFound) => keys_present = false,
                Err(error) => return Err(error.into()),
            }
        }
        if keys_present {
            Ok(Binding::Bound(state))
        } else {
            tracing::warn!("a device key is missing; treating this phone as not bound");
            Ok(Binding::Stale(state))
        }
    }

    async fn binding_off_runtime(self: &Arc<Self>) -> Result<Binding, MobankError> {
        let inner = Arc::clone(self);
        blocking(move || inner.binding()).await?
    }

    async fn complete_activation(
        self: Arc<Self>,
        otp: SecretString,
    ) -> Result<DeviceSummary, MobankError> {
        let otp = input::otp(otp.expose_secret())?;
        let pending = lock(&self.pending)
            .clone()
            .ok_or(MobankError::NoActivationInProgress)?;
        let earlier = match self.binding_off_runtime().await? {
            Binding::Bound(_) => return Err(MobankError::AlreadyBound),
            Binding::Stale(state) => Some(state),
            Binding::None | Binding::Corrupt => None,
        };

        let key_store = Arc::clone(&self.key_store);
        let for_keys = pending.clone();
        let (keys, proofs) =
            blocking(move || create_keys_and_proofs(key_store.as_ref(), &for_keys)).await??;

        let mut request = CompleteActivationRequest {
            activation_id: pending.activation_id.clone(),
            otp: otp.to_owned(),
            device: DeviceDescription {
                name: self.device_name.clone(),
                platform: self.platform.clone(),
            },
            possession_public_key: keys.possession_public_key.clone(),
            user_verified_public_key: keys.user_verified_public_key.clone(),
            proofs,
        };
        let result = self
            .bank
            .post::<_, CompleteActivationResponse>(paths::ACTIVATION_COMPLETE, &request)
            .await;
        request.otp.zeroize();

        let response = match result {
            Ok(response) if !response.device_id.is_empty() => response,
            Ok(_) => {
                return Err(self
                    .abandon(keys, &pending, NetError::MalformedResponse.into())
                    .await)
            }
            Err(error) => return Err(self.abandon(keys, &pending, error.into()).await),
        };
        let state = DeviceState {
            version: DeviceState::new_version(),
            device_id: response.device_id,
            rp_id: pending.rp_id.clone(),
            customer_name: response.customer_name,
            device_name: self.device_name.clone(),
            bound_at_ms: response.bound_at_ms,
            possession_key_alias: keys.possession_alias.clone(),
            user_verified_key_alias: keys.user_verified_alias.clone(),
            possession_public_key: keys.possession_public_key.clone(),
            user_verified_public_key: keys.user_verified_public_key.clone(),
            // The proofs were each key's first signature.
            possession_sign_count: 1,
            user_verified_sign_count: 1,
        };
        if let Err(error) = self.states.save(&state) {
            return Err(self.abandon(keys, &pending, error.into()).await);
        }
        self.forget_pending(&pending);
        if let Some(earlier) = earlier {
            let key_store = Arc::clone(&self.key_store);
            let aliases = [
                earlier.possession_key_alias,
                earlier.user_verified_key_alias,
            ];
            blocking(move || delete_keys(key_store.as_ref(), &[&aliases[0], &aliases[1]])).await?;
        }
        tracing::info!("device bound");
        Ok(DeviceSummary::from(&state))
    }

    /// Undoes a binding attempt the bank refused (or that could not be saved): deletes the new
    /// keys, and forgets the activation if the bank will not accept it again.
    async fn abandon(
        &self,
        keys: NewKeys,
        pending: &PendingActivation,
        error: MobankError,
    ) -> MobankError {
        let key_store = Arc::clone(&self.key_store);
        let deleted = blocking(move || delete_keys(key_store.as_ref(), &keys.aliases())).await;
        if deleted.is_err() {
            tracing::warn!("could not delete the keys of a failed binding");
        }
        if matches!(
            error,
            MobankError::ActivationCodeInvalid | MobankError::OtpExpired
        ) {
            self.forget_pending(pending);
        }
        error
    }

    fn forget_pending(&self, pending: &PendingActivation) {
        let mut current = lock(&self.pending);
        if current
            .as_ref()
            .is_some_and(|p| p.activation_id == pending.activation_id)
        {
            *current = None;
        }
    }

    /// Reserves both counters (persisted before signing), then signs with both keys. Runs on
    /// the blocking pool; the state lock is released before the key store is called.
    fn sign_login(
        &self,
        device_id: &str,
        challenge: &[u8],
        prompt: &str,
    ) -> Result<Vec<Assertion>, MobankError> {
        let reserved = self
            .states
            .reserve_login_counters(device_id)?
            .ok_or(MobankError::NotBound)?;
        let state = &reserved.state;
        let spec = |factor, alias, sign_count, prompt| AssertionSpec {
            factor,
            alias,
            ceremony: Ceremony::Login,
            rp_id: &state.rp_id,
            challenge,
            sign_count,
            prompt,
        };
        // Possession first: it needs no prompt, so a missing key is found before the
        // customer is asked to look at the phone.
        let possession = make_assertion(
            self.key_store.as_ref(),
            &spec(
                Factor::Possession,
                &state.possession_key_alias,
                reserved.possession_count,
                None,
            ),
        )?;
        let user_verified = make_assertion(
            self.key_store.as_ref(),
            &spec(
                Factor::UserVerified,
                &state.user_verified_key_alias,
                reserved.user_verified_count,
                Some(prompt),
            ),
        )?;
        Ok(vec![possession, user_verified])
    }
}

/// Runs key store and file work on tokio's blocking pool.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, MobankError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|_| internal("background task failed"))
}

fn internal(message: &str) -> MobankError {
    MobankError::Internal {
        message: message.to_owned(),
    }
}

/// Every critical section here is a single assignment or read, so a poisoned lock still
/// holds consistent data.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send<T: Send>(_: &T) {}
    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn facade_and_its_futures_are_send() {
        assert_send_sync::<Mobank>();
        let dir = tempfile::tempdir().unwrap();
        let mobank = Mobank::open(
            MobankConfig {
                data_dir: dir.path().to_path_buf(),
                bank: crate::config::BankEndpoint {
                    base_url: "https://127.0.0.1:9".to_owned(),
                    spki_pins: vec![crate::net::spki_pin(b"x")],
                },
                device_name: "Test".to_owned(),
                platform: "other".to_owned(),
            },
            Arc::new(crate::platform::InsecureSoftwareKeyStore::new()),
        )
        .unwrap();
        assert_send(&mobank.start_activation(SecretString::from("ABCDEFGH")));
        assert_send(&mobank.complete_activation(SecretString::from("123456")));
        assert_send(&mobank.login_biometric("Log in"));
        assert_send(&mobank.accounts());
    }
}
