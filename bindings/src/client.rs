//! `MobankClient`: the object the app holds for the life of its process.

use std::sync::Arc;

use mobank_core as core;
use mobank_core::SecretString;
use zeroize::Zeroizing;

use crate::error::{MobankError, PinRejection};
use crate::key_store::{ForeignKeyStore, PlatformKeyStore};
use crate::records::{
    AccountInfo, ActivationStarted, BindingState, ClientConfig, DeviceSummary, SessionSummary,
};

/// One bound (or not yet bound) phone. Thread-safe; create one per process and share it.
#[derive(uniffi::Object)]
pub struct MobankClient {
    inner: core::Mobank,
}

#[uniffi::export(async_runtime = "tokio")]
impl MobankClient {
    /// Opens the local state in `config.data_dir` (created if missing) with the app's key store.
    #[uniffi::constructor]
    pub fn new(
        config: ClientConfig,
        key_store: Arc<dyn PlatformKeyStore>,
    ) -> Result<Arc<Self>, MobankError> {
        let key_store: Arc<dyn core::platform::KeyStore> = Arc::new(ForeignKeyStore(key_store));
        let inner = core::Mobank::open(config.into(), key_store)?;
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
        Ok(self.inner.start_activation(activation_code).await?.into())
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
        Ok(self.inner.complete_activation(otp, pin).await?.into())
    }

    /// Logs in with the possession key and the biometric key; the platform shows `prompt`.
    pub async fn login_biometric(&self, prompt: String) -> Result<SessionSummary, MobankError> {
        Ok(self.inner.login_biometric(&prompt).await?.into())
    }

    /// Logs in with the possession key and the PIN (six ASCII digit bytes). A wrong PIN is
    /// `AuthenticationFailed` with the attempts left, like any other failed factor.
    pub async fn login_pin(&self, pin: Vec<u8>) -> Result<SessionSummary, MobankError> {
        let pin = pin_from_ffi(pin)?;
        Ok(self.inner.login_pin(pin).await?.into())
    }

    /// Every account of the customer, sub-accounts included. Needs a live session.
    pub async fn accounts(&self) -> Result<Vec<AccountInfo>, MobankError> {
        Ok(self
            .inner
            .accounts()
            .await?
            .into_iter()
            .map(AccountInfo::from)
            .collect())
    }

    /// Ends the session and forgets its token.
    pub fn logout(&self) {
        self.inner.logout();
    }
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
    Ok(core::Pin::from_digits(digits)?)
}
