//! What the activation keeps between its two steps: how this phone introduces itself, and the
//! bank's activation between the code and the OTP.

use std::sync::Mutex;

use crate::device::binding::PendingActivation;
use crate::runtime::lock;

/// Kept by [`crate::Mobank`] for every [`super::ActivationClient`].
pub(crate) struct ActivationState {
    /// Shown in the customer's device list; checked when Mobank was opened.
    pub device_name: String,
    /// "android", "ios" or "other".
    pub platform: String,
    pending: Mutex<Option<Pending>>,
}

struct Pending {
    activation: PendingActivation,
    /// The phone's wipe count when the activation started: a wipe ends it.
    wipes: u64,
}

impl ActivationState {
    pub(crate) fn new(device_name: String, platform: String) -> Self {
        Self {
            device_name,
            platform,
            pending: Mutex::new(None),
        }
    }

    /// Replaces whatever activation was pending.
    pub(crate) fn start(&self, activation: PendingActivation, wipes: u64) {
        *lock(&self.pending) = Some(Pending { activation, wipes });
    }

    /// The pending activation, unless the phone was wiped since it started.
    pub(crate) fn current(&self, wipes: u64) -> Option<PendingActivation> {
        let mut pending = lock(&self.pending);
        if pending.as_ref().is_some_and(|p| p.wipes != wipes) {
            *pending = None;
        }
        pending.as_ref().map(|p| p.activation.clone())
    }

    /// Forgets `activation` if it is still the pending one (a newer start is kept).
    pub(crate) fn forget(&self, activation: &PendingActivation) {
        let mut pending = lock(&self.pending);
        if pending
            .as_ref()
            .is_some_and(|p| p.activation.activation_id == activation.activation_id)
        {
            *pending = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn activation(id: &str) -> PendingActivation {
        PendingActivation {
            activation_id: id.to_owned(),
            challenge: vec![7; 32],
            rp_id: "bank".to_owned(),
        }
    }

    #[test]
    fn a_wipe_ends_the_pending_activation() {
        let state = ActivationState::new("Pixel 8".to_owned(), "android".to_owned());
        state.start(activation("a1"), 0);
        assert!(state.current(0).is_some());
        assert!(state.current(1).is_none());
        assert!(state.current(0).is_none());
    }

    #[test]
    fn only_the_pending_activation_is_forgotten() {
        let state = ActivationState::new("Pixel 8".to_owned(), "android".to_owned());
        state.start(activation("a2"), 0);
        state.forget(&activation("a1"));
        let current = state.current(0).map(|a| a.activation_id);
        assert_eq!(current.as_deref(), Some("a2"));
        state.forget(&activation("a2"));
        assert!(state.current(0).is_none());
    }
}
