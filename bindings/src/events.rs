//! Events as subscriptions: the app's listener as a foreign trait, and the `Subscription`
//! object that keeps it subscribed until cancelled or dropped.

use std::sync::Arc;

use mobank_core::{self as core, MobankEvent};

use crate::platform::HookFailure;

/// Implemented by the app to hear about `MobankEvent`s. Called on a library thread (not the
/// UI thread) and never while the library holds a lock, so it may call back into the client;
/// keep it quick and hand UI work to the main thread.
#[uniffi::export(with_foreign)]
pub trait EventListener: Send + Sync {
    fn on_event(&self, event: MobankEvent) -> Result<(), HookFailure>;
}

/// A listener that fails loses that one event; the library and the other listeners go on.
pub(crate) struct ForeignEvents(pub(crate) Arc<dyn EventListener>);

impl core::EventListener for ForeignEvents {
    fn on_event(&self, event: MobankEvent) {
        if self.0.on_event(event).is_err() {
            tracing::warn!("the app's event listener failed");
        }
    }
}

/// A listener's place among those that hear the client's events. `cancel()` ends it, and so
/// does dropping it (Kotlin: `close()` or the cleaner; Swift: the last reference going away).
/// An event whose delivery had already begun may still arrive once.
#[derive(uniffi::Object)]
pub struct Subscription(core::Subscription);

impl Subscription {
    pub(crate) fn new(subscription: core::Subscription) -> Self {
        Subscription(subscription)
    }
}

#[uniffi::export]
impl Subscription {
    /// Stops deliveries to this listener. Calling it again does nothing.
    pub fn cancel(&self) {
        self.0.cancel();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use mobank_core::EventListener as _;

    use super::*;

    struct Failing;

    impl EventListener for Failing {
        fn on_event(&self, _event: MobankEvent) -> Result<(), HookFailure> {
            Err(uniffi::UnexpectedUniFFICallbackError::new("IllegalStateException").into())
        }
    }

    #[derive(Default)]
    struct Recording(Mutex<Vec<MobankEvent>>);

    impl EventListener for Recording {
        fn on_event(&self, event: MobankEvent) -> Result<(), HookFailure> {
            self.0.lock().unwrap().push(event);
            Ok(())
        }
    }

    #[test]
    fn a_failing_listener_is_absorbed() {
        ForeignEvents(Arc::new(Failing)).on_event(MobankEvent::SessionExpired);
    }

    #[test]
    fn events_reach_the_app_as_the_core_sent_them() {
        let recording = Arc::new(Recording::default());
        let events = ForeignEvents(recording.clone());
        events.on_event(MobankEvent::SessionLocked);
        events.on_event(MobankEvent::SessionExpired);
        assert_eq!(
            *recording.0.lock().unwrap(),
            [MobankEvent::SessionLocked, MobankEvent::SessionExpired]
        );
    }
}
