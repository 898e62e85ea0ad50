//! `client.auth()`: login, step-up, logout; `client.pin()`: the PIN change.

use mobank_core::{self as core, MobankError, Operation, SessionSummary};

use crate::pin::pin_from_ffi;

#[derive(uniffi::Object)]
pub struct AuthClient(pub(crate) core::AuthClient);

#[uniffi::export(async_runtime = "tokio")]
impl AuthClient {
    /// Logs in with the possession key and the biometric key; the platform shows `prompt`.
    pub async fn login_biometric(&self, prompt: String) -> Result<SessionSummary, MobankError> {
        self.0.login_biometric(&prompt).await
    }

    /// Logs in with the possession key and the PIN (six ASCII digit bytes). A wrong PIN is
    /// `AuthenticationFailed` with the attempts left, exactly like any other failed factor;
    /// after five failures in a row the bank blocks the binding (`DeviceBlocked`).
    pub async fn login_pin(&self, pin: Vec<u8>) -> Result<SessionSummary, MobankError> {
        self.0.login_pin(pin_from_ffi(pin)?).await
    }

    /// A fresh strong authentication inside the session with the biometric key, for the
    /// operations that answered `StepUpRequired`.
    pub async fn step_up_biometric(&self, prompt: String) -> Result<(), MobankError> {
        self.0.step_up_biometric(&prompt).await
    }

    /// A fresh strong authentication inside the session with the PIN.
    pub async fn step_up_pin(&self, pin: Vec<u8>) -> Result<(), MobankError> {
        self.0.step_up_pin(pin_from_ffi(pin)?).await
    }

    /// Whether `operation` needs a step-up first (also `true` without a live session). No
    /// network.
    pub fn needs_step_up(&self, operation: Operation) -> bool {
        self.0.needs_step_up(operation)
    }

    /// Ends the session and forgets its token.
    pub fn logout(&self) {
        self.0.logout();
    }
}

#[derive(uniffi::Object)]
pub struct PinClient(pub(crate) core::PinClient);

#[uniffi::export(async_runtime = "tokio")]
impl PinClient {
    /// PIN change, step one: proves the current PIN to the bank. Needs a fresh strong
    /// authentication. A wrong PIN counts toward the block like any failed factor.
    pub async fn begin_change(&self, old_pin: Vec<u8>) -> Result<(), MobankError> {
        self.0.begin_change(pin_from_ffi(old_pin)?).await
    }

    /// PIN change, step two: the new PIN. One too easy to guess is `PinRejected` before
    /// anything is sent, and the begun change stays open for another try.
    pub async fn commit_change(&self, new_pin: Vec<u8>) -> Result<(), MobankError> {
        self.0.commit_change(pin_from_ffi(new_pin)?).await
    }
}
