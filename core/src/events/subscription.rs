//! The listeners of one Mobank. Each [`Subscription`] removes its listener when cancelled or
//! dropped; delivery takes a snapshot of the listeners and calls them with no lock held, so a
//! listener may subscribe, cancel or call back into Mobank from `on_event`.

use std::sync::{Arc, Mutex, Weak};

use super::{EventListener, MobankEvent};
use crate::runtime::lock;

/// Who hears this Mobank's events.
#[derive(Default)]
pub(crate) struct Listeners {
    registry: Arc<Mutex<Registry>>,
}

#[derive(Default)]
struct Registry {
    next_id: u64,
    listeners: Vec<(u64, Arc<dyn EventListener>)>,
}

impl Listeners {
    pub(crate) fn subscribe(&self, listener: Arc<dyn EventListener>) -> Subscription {
        let mut registry = lock(&self.registry);
        let id = registry.next_id;
        registry.next_id += 1;
        registry.listeners.push((id, listener));
        Subscription {
            registry: Arc::downgrade(&self.registry),
            id,
        }
    }

    /// Delivers `events` to every listener subscribed now, in order. Callers hold no lock.
    pub(crate) fn emit(&self, events: impl IntoIterator<Item = MobankEvent>) {
        let mut events = events.into_iter().peekable();
        if events.peek().is_none() {
            return;
        }
        let listeners: Vec<Arc<dyn EventListener>> = lock(&self.registry)
            .listeners
            .iter()
            .map(|(_, listener)| Arc::clone(listener))
            .collect();
        for event in events {
            for listener in &listeners {
                listener.on_event(event.clone());
            }
        }
    }

    #[cfg(test)]
    pub(crate) fn is_unlocked(&self) -> bool {
        self.registry.try_lock().is_ok()
    }
}

/// A listener's place among the ones that hear Mobank's events. Cancelled by
/// [`Subscription::cancel`] or when dropped; an event whose delivery had already begun may
/// still arrive once.
#[must_use = "dropping a subscription cancels it"]
pub struct Subscription {
    /// Weak: a subscription kept by the app does not keep a dropped Mobank's listeners alive.
    registry: Weak<Mutex<Registry>>,
    id: u64,
}

impl Subscription {
    /// Stops deliveries to this listener. Calling it again does nothing.
    pub fn cancel(&self) {
        if let Some(registry) = self.registry.upgrade() {
            lock(&registry).listeners.retain(|(id, _)| *id != self.id);
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.cancel();
    }
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription")
            .field("id", &self.id)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records each event and whether the listener registry was unlocked while it arrived.
    #[derive(Default)]
    struct Recorder {
        listeners: std::sync::OnceLock<Arc<Listeners>>,
        seen: Mutex<Vec<(MobankEvent, bool)>>,
    }

    impl EventListener for Recorder {
        fn on_event(&self, event: MobankEvent) {
            let unlocked = self.listeners.get().is_some_and(|l| l.is_unlocked());
            lock(&self.seen).push((event, unlocked));
        }
    }

    fn events(recorder: &Recorder) -> Vec<MobankEvent> {
        lock(&recorder.seen)
            .iter()
            .map(|(e, _)| e.clone())
            .collect()
    }

    #[test]
    fn every_subscriber_hears_every_event_in_order() {
        let listeners = Listeners::default();
        let (first, second) = (Arc::new(Recorder::default()), Arc::new(Recorder::default()));
        let _a = listeners.subscribe(first.clone());
        let _b = listeners.subscribe(second.clone());
        listeners.emit([MobankEvent::SessionExpired, MobankEvent::SessionLocked]);
        for recorder in [&first, &second] {
            assert_eq!(
                events(recorder),
                [MobankEvent::SessionExpired, MobankEvent::SessionLocked]
            );
        }
    }

    #[test]
    fn a_cancelled_or_dropped_subscription_hears_nothing_more() {
        let listeners = Listeners::default();
        let (kept, cancelled, dropped) = (
            Arc::new(Recorder::default()),
            Arc::new(Recorder::default()),
            Arc::new(Recorder::default()),
        );
        let _kept = listeners.subscribe(kept.clone());
        let cancelling = listeners.subscribe(cancelled.clone());
        drop(listeners.subscribe(dropped.clone()));
        cancelling.cancel();
        cancelling.cancel();
        listeners.emit(Some(MobankEvent::SessionLocked));
        assert_eq!(events(&kept), [MobankEvent::SessionLocked]);
        assert!(events(&cancelled).is_empty());
        assert!(events(&dropped).is_empty());
    }

    #[test]
    fn listeners_are_called_with_the_registry_unlocked() {
        let listeners = Arc::new(Listeners::default());
        let recorder = Arc::new(Recorder::default());
        let _ = recorder.listeners.set(Arc::clone(&listeners));
        let _subscription = listeners.subscribe(recorder.clone());
        listeners.emit(Some(MobankEvent::SessionExpired));
        assert_eq!(*lock(&recorder.seen), [(MobankEvent::SessionExpired, true)]);
    }

    #[test]
    fn a_subscription_outliving_its_listeners_cancels_harmlessly() {
        let listeners = Listeners::default();
        let subscription = listeners.subscribe(Arc::new(Recorder::default()));
        drop(listeners);
        subscription.cancel();
    }
}
