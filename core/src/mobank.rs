//! The facade the bindings export. This file: opening Mobank, binding the phone, and the app's
//! lifecycle hooks. Logging in and step-up are in `auth.rs`, the device list and unbinding in
//! `devices.rs`, the PIN change in `pin_change.rs`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use mobank_protocol::messages::{
    paths, CompleteActivationRequest, CompleteActivationResponse, DeviceDescription,
    StartActivationRequest, StartActivationResponse,
};
use mobank_protocol::CHALLENGE_LEN;
use zeroize::Zeroize;

use crate::config::MobankConfig;
use crate::device::binding::{
    create_keys_and_proofs, delete_keys, knowledge_alias, ActivationStarted, NewKeys,
    PendingActivation,
};
use crate::device::knowledge::KnowledgeKey;
use crate::device::state::{BindingStatus, DeviceState, DeviceStates, StateError};
use crate::device::store_repo::StoreRepo;
use crate::device::{BindingState, DeviceSummary};
use crate::error::MobankError;
use crate::input;
use crate::net::{BankClient, NetError};
use crate::pin::Pin;
use crate::pin_policy;
use crate::platform::{
    Clock, DeviceIntegrity, EventListener, KeyStore, KeyStoreError, MobankEvent, Platform,
    SystemClock,
};
use crate::policy::Operation;
use crate::secret::SecretString;
use crate::session::{Limits, SessionSlot};
use crate::storage::StorageSlot;

/// Mobank on this phone. `Send + Sync`; share it in an `Arc`.
///
/// The async methods must run on a tokio runtime (the bindings export them with
/// `async_runtime = "tokio"`). Key store calls run on tokio's blocking pool, never on a
/// runtime worker and never while Mobank holds a lock, since a biometric prompt can take
/// as long as the customer likes. Events reach the app's listener after every lock is released.
pub struct Mobank {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub device_name: String,
    pub platform: String,
    pub data_dir: PathBuf,
    pub bank: BankClient,
    pub key_store: Arc<dyn KeyStore>,
    pub clock: Arc<dyn Clock>,
    pub events: Option<Arc<dyn EventListener>>,
    pub integrity: Option<Arc<dyn DeviceIntegrity>>,
    pub states: DeviceStates,
    pub pending: Mutex<Option<PendingActivation>>,
    pub session: Mutex<SessionSlot>,
    /// The limits of the last session, to tell the app when they change.
    pub last_limits: Mutex<Option<Limits>>,
    /// The encrypted store, opened on first use (`storage/`). The device state lives in it.
    pub storage: Arc<StorageSlot>,
}

/// What is on the phone, judged against the key store.
pub(crate) enum Binding {
    None,
    /// A saved state whose keys are gone (restored backup, reinstall), or a binding the bank no
    /// longer knows (revoked): not bound.
    Stale(DeviceState),
    /// The saved state cannot be read; a new activation replaces it.
    Corrupt,
    /// The store holding the state can never be opened again (its key is lost or invalidated,
    /// or its vault and the backup copy are damaged): the binding is gone. A new activation
    /// wipes the store and starts a new one.
    Unreadable(StateError),
    /// Bound, possibly blocked by the bank (see [`DeviceState::status`]).
    Bound(DeviceState),
}

/// What `unbind` achieved besides wiping the phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnbindOutcome {
    /// The bank confirmed the binding can no longer be used (unbound now, or blocked or revoked
    /// before). `false`: the bank could not be reached or its answer was lost; the keys are
    /// deleted all the same, so nobody can use the binding, but it may stay in the customer's
    /// device list until revoked from another device.
    pub bank_confirmed: bool,
}

impl Mobank {
    /// Checks the configuration and prepares the data directory. No network, no key store.
    /// Every platform hook except the key store at its default.
    pub fn open(config: MobankConfig, key_store: Arc<dyn KeyStore>) -> Result<Self, MobankError> {
        Self::open_with_platform(config, Platform::new(key_store))
    }

    /// [`Mobank::open`] with the app's clock, event listener and integrity hooks.
    pub fn open_with_platform(
        config: MobankConfig,
        platform: Platform,
    ) -> Result<Self, MobankError> {
        let device_name = input::device_name(&config.device_name)?.to_owned();
        let platform_name = input::platform(&config.platform)?.to_owned();
        let bank = BankClient::new(&config.bank)?;
        fs::create_dir_all(&config.data_dir).map_err(|error| StateError::Io {
            op: "created",
            kind: error.kind(),
        })?;
        let Platform {
            key_store,
            clock,
            events,
            integrity,
        } = platform;
        let storage = Arc::new(StorageSlot::new(&config.data_dir, Arc::clone(&key_store)));
        let states = DeviceStates::new(Box::new(StoreRepo::new(Arc::clone(&storage))));
        Ok(Self {
            inner: Arc::new(Inner {
                device_name,
                platform: platform_name,
                data_dir: config.data_dir,
                bank,
                key_store,
                clock: clock.unwrap_or_else(|| Arc::new(SystemClock::new())),
                events,
                integrity,
                states,
                pending: Mutex::new(None),
                session: Mutex::new(SessionSlot::default()),
                last_limits: Mutex::new(None),
                storage,
            }),
        })
    }

    /// Whether this phone is bound. A saved binding whose keys the key store no longer has
    /// (a backup restored to a new phone, a reinstall), or that the bank revoked, counts as not
    /// bound, so the app offers a fresh activation; so does a binding whose encrypted store
    /// lost its key. A blocked binding is still `Bound`, with `blocked` set. A locked key store
    /// is an error (`KeyStoreLocked`, `StorageLocked`), never "not bound".
    ///
    /// Blocking: it may open the encrypted store, which asks the key store for its key.
    pub fn binding_state(&self) -> Result<BindingState, MobankError> {
        match self.inner.binding()? {
            Binding::Bound(state) => Ok(BindingState::Bound(DeviceSummary::from(&state))),
            Binding::None | Binding::Stale(_) => Ok(BindingState::NotBound),
            Binding::Corrupt => Err(StateError::Corrupt.into()),
            Binding::Unreadable(error) => match MobankError::from(error) {
                MobankError::NotBound => Ok(BindingState::NotBound),
                error => Err(error),
            },
        }
    }

    /// Sends the activation code; the bank texts an OTP to the customer's registered phone.
    /// A malformed code is refused locally, without spending one of the bank's attempts.
    /// Allowed on a blocked binding: the new binding replaces it.
    pub async fn start_activation(
        &self,
        activation_code: SecretString,
    ) -> Result<ActivationStarted, MobankError> {
        let code = input::activation_code(activation_code.expose_secret())?;
        if let Binding::Bound(state) = self.inner.binding_off_runtime().await? {
            if state.status != BindingStatus::Blocked {
                return Err(MobankError::AlreadyBound);
            }
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

    /// Creates this phone's device keys and its knowledge key under the PIN the customer chose,
    /// proves the keys to the bank together with the OTP, and saves the binding. A PIN that is
    /// too easy to guess is refused before anything is sent. A wrong OTP can be retried; if the
    /// binding fails, the new keys are deleted again.
    pub async fn complete_activation(
        &self,
        otp: SecretString,
        pin: Pin,
    ) -> Result<DeviceSummary, MobankError> {
        input::otp(otp.expose_secret())?;
        pin_policy::check_new_pin(&pin)?;
        let inner = Arc::clone(&self.inner);
        // Runs to the end even if the caller stops waiting: a binding the bank accepted must be
        // saved, and the keys of one it refused must be deleted.
        tokio::spawn(async move { inner.complete_activation(otp, pin).await })
            .await
            .map_err(|_| internal("activation task failed"))?
    }

    /// Ends the session locally and wipes the token from memory.
    pub fn logout(&self) {
        let ended = lock(&self.inner.session).live.take();
        drop(ended);
    }

    /// The app went to the background. Time spent there counts as idle time.
    pub fn app_entered_background(&self) {
        let now = self.inner.clock.now_ms();
        let mut slot = lock(&self.inner.session);
        slot.background_since_ms.get_or_insert(now);
    }

    /// The app is back. After the idle window in the background, the session is dropped and
    /// the app gets [`MobankEvent::SessionLocked`]: whoever holds the phone now must
    /// authenticate again.
    pub fn app_entered_foreground(&self) {
        let now = self.inner.clock.now_ms();
        let event = {
            let mut slot = lock(&self.inner.session);
            let since = slot.background_since_ms.take();
            match (since, slot.live.as_ref()) {
                (Some(since), Some(live)) if now.saturating_sub(since) >= live.idle_ms() => {
                    slot.live = None;
                    Some(MobankEvent::SessionLocked)
                }
                (_, Some(live)) if live.is_expired(now) => {
                    slot.live = None;
                    Some(MobankEvent::SessionExpired)
                }
                _ => None,
            }
        };
        self.inner.emit(event);
    }

    /// Whether `operation` would now need a step-up (`step_up_biometric` or `step_up_pin`)
    /// first. Also `true` without a live session.
    pub fn needs_step_up(&self, operation: Operation) -> bool {
        let now = self.inner.clock.now_ms();
        let slot = lock(&self.inner.session);
        !slot
            .live
            .as_ref()
            .is_some_and(|live| !live.is_expired(now) && live.is_fresh_for(operation, now))
    }
}

impl Inner {
    pub(crate) fn binding(&self) -> Result<Binding, MobankError> {
        let state = match self.states.load() {
            Ok(Some(state)) => state,
            Ok(None) => return Ok(Binding::None),
            Err(StateError::Corrupt) => {
                tracing::warn!("device state is corrupt; a new activation will replace it");
                return Ok(Binding::Corrupt);
            }
            Err(error @ StateError::Unreadable(_)) => {
                tracing::warn!(%error, "the store holding the binding cannot be opened");
                return Ok(Binding::Unreadable(error));
            }
            Err(error) => return Err(error.into()),
        };
        if state.status == BindingStatus::Revoked {
            return Ok(Binding::Stale(state));
        }
        let mut keys_present = true;
        for alias in [&state.possession_key_alias, &state.user_verified_key_alias] {
            match self.key_store.public_key(alias) {
                // An invalidated key still exists; using it says what to do next.
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

    pub(crate) async fn binding_off_runtime(self: &Arc<Self>) -> Result<Binding, MobankError> {
        let inner = Arc::clone(self);
        blocking(move || inner.binding()).await?
    }

    async fn complete_activation(
        self: Arc<Self>,
        otp: SecretString,
        pin: Pin,
    ) -> Result<DeviceSummary, MobankError> {
        let otp = input::otp(otp.expose_secret())?;
        let pending = lock(&self.pending)
            .clone()
            .ok_or(MobankError::NoActivationInProgress)?;
        let mut store_unreadable = false;
        let earlier = match self.binding_off_runtime().await? {
            Binding::Bound(state) if state.status == BindingStatus::Blocked => Some(state),
            Binding::Bound(_) => return Err(MobankError::AlreadyBound),
            Binding::Stale(state) => Some(state),
            Binding::None | Binding::Corrupt => None,
            Binding::Unreadable(_) => {
                store_unreadable = true;
                None
            }
        };

        let key_store = Arc::clone(&self.key_store);
        let for_keys = pending.clone();
        let (keys, proofs, knowledge_key, knowledge) = blocking(move || {
            let (keys, proofs) = create_keys_and_proofs(key_store.as_ref(), &for_keys)?;
            let sealed = KnowledgeKey::generate().and_then(|key| {
                let record = key.seal(
                    key_store.as_ref(),
                    &knowledge_alias(&keys.possession_alias),
                    &pin,
                )?;
                Ok((key, record))
            });
            match sealed {
                Ok((key, record)) => Ok((keys, proofs, key, record)),
                Err(error) => {
                    delete_keys(key_store.as_ref(), &as_strs(&all_aliases(&keys)));
                    Err(error)
                }
            }
        })
        .await??;

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
            knowledge_key: Some(knowledge_key.bytes().to_vec()),
        };
        let result = self
            .bank
            .post::<_, CompleteActivationResponse>(paths::ACTIVATION_COMPLETE, &request)
            .await;
        request.otp.zeroize();
        if let Some(key) = request.knowledge_key.as_mut() {
            key.zeroize();
        }
        drop(knowledge_key);

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
            knowledge: Some(knowledge),
            knowledge_sign_count: 0,
            biometric_failures: 0,
            status: BindingStatus::Active,
        };
        if store_unreadable {
            // Nothing in it can be read again: a new store (and key) for the new binding.
            let inner = Arc::clone(&self);
            if let Err(error) = blocking(move || inner.wipe_storage()).await? {
                return Err(self.abandon(keys, &pending, error).await);
            }
        }
        let saver = Arc::clone(&self);
        let saving = state.clone();
        let saved = blocking(move || saver.states.save(&saving)).await?;
        if let Err(error) = saved {
            return Err(self.abandon(keys, &pending, error.into()).await);
        }
        self.forget_pending(&pending);
        if let Some(earlier) = earlier {
            let key_store = Arc::clone(&self.key_store);
            let aliases = state_aliases(&earlier);
            blocking(move || delete_keys(key_store.as_ref(), &as_strs(&aliases))).await?;
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
        let deleted =
            blocking(move || delete_keys(key_store.as_ref(), &as_strs(&all_aliases(&keys)))).await;
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

    /// Delivers events to the app's listener. Callers hold no lock.
    pub(crate) fn emit(&self, events: impl IntoIterator<Item = MobankEvent>) {
        let Some(listener) = self.events.as_ref() else {
            return;
        };
        for event in events {
            listener.on_event(event);
        }
    }

    /// Records what the bank said about the binding when it refused this device: blocked for
    /// good, or no longer known. Only ever makes the local view stricter.
    pub(crate) async fn note_binding_error(self: &Arc<Self>, device_id: &str, error: &MobankError) {
        let status = match error {
            MobankError::DeviceBlocked => BindingStatus::Blocked,
            MobankError::NotBound => BindingStatus::Revoked,
            _ => return,
        };
        let inner = Arc::clone(self);
        let device_id = device_id.to_owned();
        let saved = blocking(move || {
            inner.states.update(&device_id, |state| {
                // A revoked binding stays revoked; a blocked one may learn it was revoked.
                if state.status != BindingStatus::Revoked {
                    state.status = status;
                }
                Ok(())
            })
        })
        .await;
        if !matches!(saved, Ok(Ok(_))) {
            tracing::warn!("could not record the bank's refusal of this binding");
        }
    }

    /// Removes everything Mobank keeps on this phone: the session, every key of the binding,
    /// the encrypted store with its key, and every file in the data directory (the directory
    /// itself stays). Key deletion is best effort: a key no state refers to can no longer be
    /// used by Mobank. Works on a store that cannot be opened any more, too.
    pub(crate) async fn wipe(self: &Arc<Self>) -> Result<(), MobankError> {
        drop(lock(&self.session).live.take());
        *lock(&self.pending) = None;
        let inner = Arc::clone(self);
        blocking(move || {
            if let Ok(Some(state)) = inner.states.load() {
                delete_keys(inner.key_store.as_ref(), &as_strs(&state_aliases(&state)));
            }
            // Deleted first in case the store's files outlive what follows; an unreadable store
            // has nothing to delete.
            if inner.states.remove().is_err() {
                tracing::warn!("could not delete the device state record");
            }
            // Closes the store and deletes its wrapping key; the files go with the directory.
            if inner.wipe_storage().is_err() {
                tracing::warn!("could not delete the store's wrapping key");
            }
            clear_dir(&inner.data_dir).map_err(|error| StateError::Io {
                op: "deleted",
                kind: error.kind(),
            })
        })
        .await?
        .map_err(MobankError::from)
    }
}

/// Every key of a new binding, the knowledge wrapping key included (it may not exist yet;
/// deleting a missing key is not an error).
fn all_aliases(keys: &NewKeys) -> Vec<String> {
    vec![
        keys.possession_alias.clone(),
        keys.user_verified_alias.clone(),
        knowledge_alias(&keys.possession_alias),
    ]
}

/// Every key a saved binding refers to.
pub(crate) fn state_aliases(state: &DeviceState) -> Vec<String> {
    let mut aliases = vec![
        state.possession_key_alias.clone(),
        state.user_verified_key_alias.clone(),
        knowledge_alias(&state.possession_key_alias),
    ];
    if let Some(knowledge) = &state.knowledge {
        if !aliases.contains(&knowledge.wrap_alias) {
            aliases.push(knowledge.wrap_alias.clone());
        }
    }
    aliases
}

pub(crate) fn as_strs(aliases: &[String]) -> Vec<&str> {
    aliases.iter().map(String::as_str).collect()
}

/// Deletes every entry of `dir`, not `dir` itself.
fn clear_dir(dir: &Path) -> io::Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error),
    };
    for entry in entries {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            fs::remove_dir_all(entry.path())?;
        } else {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// Runs key store and file work on tokio's blocking pool.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, MobankError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|_| internal("background task failed"))
}

pub(crate) fn internal(message: &str) -> MobankError {
    MobankError::Internal {
        message: message.to_owned(),
    }
}

/// Every critical section here is a few assignments or reads, so a poisoned lock still
/// holds consistent data.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;
    use std::time::Duration;

    use mobank_protocol::messages::LoginResponse;

    use super::*;
    use crate::platform::ManualClock;
    use crate::policy::StrongFactor;
    use crate::session::Session;

    fn assert_send<T: Send>(_: &T) {}

    /// Records each event and whether Mobank's session lock was free while it was delivered.
    #[derive(Default)]
    struct Reentrant {
        inner: OnceLock<Arc<Inner>>,
        seen: Mutex<Vec<(MobankEvent, bool)>>,
    }

    impl EventListener for Reentrant {
        fn on_event(&self, event: MobankEvent) {
            let free = self
                .inner
                .get()
                .is_some_and(|inner| inner.session.try_lock().is_ok());
            lock(&self.seen).push((event, free));
        }
    }

    fn with_listener() -> (Mobank, Arc<ManualClock>, Arc<Reentrant>, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new());
        let listener = Arc::new(Reentrant::default());
        let mut platform =
            Platform::new(Arc::new(crate::platform::InsecureSoftwareKeyStore::new()));
        platform.clock = Some(clock.clone());
        platform.events = Some(listener.clone());
        let mobank = Mobank::open_with_platform(config(dir.path()), platform).unwrap();
        let _ = listener.inner.set(Arc::clone(&mobank.inner));
        (mobank, clock, listener, dir)
    }

    fn config(dir: &Path) -> MobankConfig {
        MobankConfig {
            data_dir: dir.to_path_buf(),
            bank: crate::config::BankEndpoint {
                base_url: "https://127.0.0.1:9".to_owned(),
                spki_pins: vec![crate::net::spki_pin(b"x")],
            },
            device_name: "Test".to_owned(),
            platform: "other".to_owned(),
        }
    }

    fn log_in(mobank: &Mobank, at_ms: u64) {
        let response = LoginResponse {
            session_token: "token".to_owned(),
            idle_timeout_secs: 300,
            expires_at_ms: 43_200_000,
            server_time_ms: 0,
            notices: Vec::new(),
            limits: None,
        };
        let started = Session::start(
            response,
            "dev_1".to_owned(),
            StrongFactor::UserVerified,
            at_ms,
        );
        lock(&mobank.inner.session).live = Some(started.session);
    }

    #[test]
    fn events_are_delivered_with_no_lock_held() {
        let (mobank, clock, listener, _dir) = with_listener();
        log_in(&mobank, 0);
        clock.advance(Duration::from_secs(301));
        assert_eq!(
            mobank.inner.authorize(None).err(),
            Some(MobankError::SessionExpired)
        );

        log_in(&mobank, clock.now_ms());
        mobank.app_entered_background();
        clock.advance(Duration::from_secs(300));
        mobank.app_entered_foreground();

        assert_eq!(
            *lock(&listener.seen),
            [
                (MobankEvent::SessionExpired, true),
                (MobankEvent::SessionLocked, true)
            ]
        );
    }

    #[test]
    fn a_short_background_keeps_the_session() {
        let (mobank, clock, listener, _dir) = with_listener();
        log_in(&mobank, 0);
        mobank.app_entered_background();
        clock.advance(Duration::from_secs(299));
        mobank.app_entered_foreground();
        assert!(lock(&listener.seen).is_empty());
        assert!(mobank.inner.authorize(None).is_ok());
    }
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
        let pin = || Pin::from_digits("482916").unwrap();
        assert_send(&mobank.start_activation(SecretString::from("ABCDEFGH")));
        assert_send(&mobank.complete_activation(SecretString::from("123456"), pin()));
        assert_send(&mobank.login_biometric("Log in"));
        assert_send(&mobank.login_pin(pin()));
        assert_send(&mobank.step_up_biometric("Confirm"));
        assert_send(&mobank.step_up_pin(pin()));
        assert_send(&mobank.accounts());
        assert_send(&mobank.devices());
        assert_send(&mobank.revoke_device("dev".to_owned()));
        assert_send(&mobank.unbind());
        assert_send(&mobank.reenrol_biometric("Set up"));
        assert_send(&mobank.begin_pin_change(pin()));
        assert_send(&mobank.commit_pin_change(pin()));
    }
}
