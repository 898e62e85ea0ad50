//! `MobankClient`: the object the app holds for the life of its process. Binding, logging in,
//! step-up, the PIN change, the device list and the app's lifecycle; the history calls are in
//! `history.rs`.

use std::sync::Arc;

use mobank_core as core;
use mobank_core::SecretString;
use zeroize::Zeroizing;

use crate::devices::{DeviceInfo, UnbindOutcome};
use crate::error::{MobankError, PinRejection};
use crate::key_store::{ForeignKeyStore, PlatformKeyStore};
use crate::platform::{
    DeviceIntegrity, EventListener, ForeignClock, ForeignEvents, ForeignIntegrity, MonotonicClock,
};
use crate::records::{AccountInfo, ActivationStarted, BindingState, ClientConfig, DeviceSummary};
use crate::session::{SensitiveOperation, SessionSummary};

/// One bound (or not yet bound) phone. Thread-safe; create one per process and share it.
#[derive(uniffi::Object)]
pub struct MobankClient {
    pub(crate) inner: core::Mobank,
}

#[uniffi::export(async_runtime = "tokio")]
impl MobankClient {
    /// Opens the local state in `config.data_dir` (created if missing) with the app's key store
    /// and, optionally, its other platform hooks: a monotonic `clock` (default: the library's
    /// own), an `events` listener (default: events are dropped) and the `integrity` checks
    /// (default: nothing is reported to the bank). No network, no key store call.
    #[uniffi::constructor(default(clock = None, events = None, integrity = None))]
    pub fn new(
        config: ClientConfig,
        key_store: Arc<dyn PlatformKeyStore>,
        clock: Option<Arc<dyn MonotonicClock>>,
        events: Option<Arc<dyn EventListener>>,
        integrity: Option<Arc<dyn DeviceIntegrity>>,
    ) -> Result<Arc<Self>, MobankError> {
        let mut platform = core::Platform::new(Arc::new(ForeignKeyStore(key_store)));
        platform.clock =
            clock.map(|clock| Arc::new(ForeignClock::new(clock)) as Arc<dyn core::platform::Clock>);
        platform.events =
            events.map(|events| Arc::new(ForeignEvents(events)) as Arc<dyn core::EventListener>);
        platform.integrity = integrity.map(|integrity| {
            Arc::new(ForeignIntegrity(integrity)) as Arc<dyn core::platform::DeviceIntegrity>
        });
        let inner = core::Mobank::open_with_platform(config.into(), platform)?;
        Ok(Arc::new(MobankClient { inner }))
    }

    /// Whether this phone is bound, and to whom.
    pub fn binding_state(&self) -> Result<BindingState, MobankError> {
        Ok(self.inner.binding_state()?.into())
    }

    /// Step 1 of binding: sends the activation code (from the branch, letter or web banking);
    /// the bank texts an OTP to the customer's registered phone.
    pub async fn start_activation(
        &self,
        activation_code: String,
    ) -> Result<ActivationStarted, MobankError> {
        let activation_code = SecretString::from(activation_code);
        Ok(self.inner.activation().start(activation_code).await?.into())
    }

    /// Step 2 of binding: the OTP from the SMS and the PIN the customer chose (six ASCII digit
    /// bytes). Creates the device keys and registers them. A PIN that is too easy to guess is
    /// refused with `PinRejected` before anything is sent.
    pub async fn complete_activation(
        &self,
        otp: String,
        pin: Vec<u8>,
    ) -> Result<DeviceSummary, MobankError> {
        let otp = SecretString::from(otp);
        let pin = pin_from_ffi(pin)?;
        Ok(self.inner.activation().complete(otp, pin).await?.into())
    }

    /// Logs in with the possession key and the biometric key; the platform shows `prompt`.
    pub async fn login_biometric(&self, prompt: String) -> Result<SessionSummary, MobankError> {
        Ok(self.inner.auth().login_biometric(&prompt).await?.into())
    }

    /// Logs in with the possession key and the PIN (six ASCII digit bytes). A wrong PIN is
    /// `AuthenticationFailed` with the attempts left, exactly like any other failed factor;
    /// after five failures in a row the bank blocks the binding (`DeviceBlocked`).
    pub async fn login_pin(&self, pin: Vec<u8>) -> Result<SessionSummary, MobankError> {
        let pin = pin_from_ffi(pin)?;
        Ok(self.inner.auth().login_pin(pin).await?.into())
    }

    /// A fresh strong authentication inside the session with the biometric key, for the
    /// operations that answered `StepUpRequired`.
    pub async fn step_up_biometric(&self, prompt: String) -> Result<(), MobankError> {
        Ok(self.inner.auth().step_up_biometric(&prompt).await?)
    }

    /// A fresh strong authentication inside the session with the PIN.
    pub async fn step_up_pin(&self, pin: Vec<u8>) -> Result<(), MobankError> {
        let pin = pin_from_ffi(pin)?;
        Ok(self.inner.auth().step_up_pin(pin).await?)
    }

    /// Whether `operation` needs `step_up_biometric`/`step_up_pin` first (also `true` without
    /// a live session). No network.
    pub fn needs_step_up(&self, operation: SensitiveOperation) -> bool {
        self.inner.auth().needs_step_up(operation.into())
    }

    /// PIN change, step one: proves the current PIN to the bank. Needs a fresh strong
    /// authentication. A wrong PIN counts toward the block like any failed factor.
    pub async fn begin_pin_change(&self, old_pin: Vec<u8>) -> Result<(), MobankError> {
        let old_pin = pin_from_ffi(old_pin)?;
        Ok(self.inner.pin().begin_change(old_pin).await?)
    }

    /// PIN change, step two: the new PIN. One too easy to guess is `PinRejected` before
    /// anything is sent, and the begun change stays open for another try.
    pub async fn commit_pin_change(&self, new_pin: Vec<u8>) -> Result<(), MobankError> {
        let new_pin = pin_from_ffi(new_pin)?;
        Ok(self.inner.pin().commit_change(new_pin).await?)
    }

    /// After `BiometryChanged`: a new biometric key (the platform shows `prompt`), registered
    /// with the bank. Needs a PIN login or `step_up_pin` within the last minutes.
    pub async fn reenrol_biometric(&self, prompt: String) -> Result<DeviceSummary, MobankError> {
        Ok(self
            .inner
            .activation()
            .reenrol_biometric(&prompt)
            .await?
            .into())
    }

    /// Every account of the customer, sub-accounts included. Needs a live session.
    pub async fn accounts(&self) -> Result<Vec<AccountInfo>, MobankError> {
        Ok(self
            .inner
            .accounts()
            .list()
            .await?
            .into_iter()
            .map(AccountInfo::from)
            .collect())
    }

    /// Every device bound to the customer, oldest binding first. Needs a live session.
    pub async fn devices(&self) -> Result<Vec<DeviceInfo>, MobankError> {
        Ok(self
            .inner
            .devices()
            .list()
            .await?
            .into_iter()
            .map(DeviceInfo::from)
            .collect())
    }

    /// Revokes another of the customer's devices. Needs a fresh strong authentication.
    pub async fn revoke_device(&self, device_id: String) -> Result<(), MobankError> {
        Ok(self.inner.devices().revoke(device_id).await?)
    }

    /// Ends this phone's binding and wipes every key and file the library keeps here. Needs a
    /// fresh strong authentication while the binding is active.
    pub async fn unbind(&self) -> Result<UnbindOutcome, MobankError> {
        Ok(self.inner.devices().unbind().await?.into())
    }

    /// The app went to the background; time spent there counts as idle time.
    pub fn app_entered_background(&self) {
        self.inner.app_entered_background();
    }

    /// The app is back. After the idle window in the background the session is dropped and the
    /// listener hears `SessionLocked`.
    pub fn app_entered_foreground(&self) {
        self.inner.app_entered_foreground();
    }

    /// Ends the session and forgets its token.
    pub fn logout(&self) {
        self.inner.auth().logout();
    }
}

/// Whether `pin` (six ASCII digit bytes) may be chosen as a new PIN, for checking while the
/// customer types: the rules `complete_activation` and `commit_pin_change` apply.
#[uniffi::export]
pub fn check_new_pin(pin: Vec<u8>) -> Result<(), MobankError> {
    Ok(core::check_new_pin(&pin_from_ffi(pin)?)?)
}

/// The PIN crosses the FFI as bytes, not as a string, so the app can wipe its `ByteArray`/`Data`
/// right after the call. The copy uniffi hands over is wiped here once the core has its own
/// (the core's `Pin` is zeroizing too). uniffi's own transfer buffer is freed without wiping;
/// that is outside this crate's reach.
fn pin_from_ffi(pin: Vec<u8>) -> Result<core::Pin, MobankError> {
    let pin = Zeroizing::new(pin);
    let digits = std::str::from_utf8(&pin).map_err(|_| MobankError::PinRejected {
        reason: PinRejection::NotSixDigits,
    })?;
    Ok(core::Pin::from_digits(digits).map_err(core::MobankError::from)?)
}
