//! `mobank.auth()`: logging in, stepping up, and the session's end.

use std::sync::Arc;

use super::login::login;
use super::policy::{self, Operation};
use super::signing::Second;
use super::step_up::step_up;
use crate::context::{Context, SessionSummary};
use crate::error::MobankError;
use crate::input;
use crate::pin::Pin;
use crate::runtime::lock;

/// Login, step-up and logout. A cheap handle: get one from [`crate::Mobank::auth`] per use.
pub struct AuthClient {
    context: Arc<Context>,
}

impl AuthClient {
    pub(crate) fn new(context: Arc<Context>) -> Self {
        Self { context }
    }

    /// Logs in with the possession key and the biometric key; the OS shows `prompt` before it
    /// releases the latter. The session token stays in memory only.
    ///
    /// `BiometryChanged`: the enrolment changed; log in with the PIN and re-enrol.
    /// `PinRequired`: five biometric checks failed on this phone; log in with the PIN.
    pub async fn login_biometric(&self, prompt: &str) -> Result<SessionSummary, MobankError> {
        let prompt = input::prompt(prompt)?.to_owned();
        login(&self.context, Second::Biometric { prompt }).await
    }

    /// Logs in with the possession key and the PIN. The phone cannot tell a wrong PIN: it signs
    /// with whatever key the PIN gives, and the bank answers `AuthenticationFailed` with the
    /// attempts left, exactly as for any other failed factor.
    pub async fn login_pin(&self, pin: Pin) -> Result<SessionSummary, MobankError> {
        login(&self.context, Second::Pin(pin)).await
    }

    /// A fresh strong authentication inside the session, with the biometric key, for the
    /// operations that need one (`StepUpRequired`).
    pub async fn step_up_biometric(&self, prompt: &str) -> Result<(), MobankError> {
        let prompt = input::prompt(prompt)?.to_owned();
        step_up(&self.context, Second::Biometric { prompt }).await
    }

    /// A fresh strong authentication inside the session, with the PIN.
    pub async fn step_up_pin(&self, pin: Pin) -> Result<(), MobankError> {
        step_up(&self.context, Second::Pin(pin)).await
    }

    /// Whether `operation` would now need a step-up (`step_up_biometric` or `step_up_pin`)
    /// first. Also `true` without a live session.
    pub fn needs_step_up(&self, operation: Operation) -> bool {
        let now = self.context.clock.now_ms();
        let slot = lock(&self.context.session);
        !slot.live.as_ref().is_some_and(|live| {
            !live.is_expired(now) && live.is_fresh_for(policy::requirement(operation), now)
        })
    }

    /// Ends the session locally and wipes the token from memory.
    pub fn logout(&self) {
        let ended = lock(&self.context.session).live.take();
        drop(ended);
    }
}
