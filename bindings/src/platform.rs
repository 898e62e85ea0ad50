//! The platform hooks besides the key store, as foreign traits, and their adapters to the core's
//! `platform` traits: the monotonic clock, the event listener, the device-integrity report and
//! the history sync's progress listener.
//!
//! Every hook returns a `Result` on the Rust side even where the app cannot fail, so that an
//! exception the app's code throws by mistake arrives here as a value instead of a panic. What
//! each adapter does with a failure is written next to it. The adapters hold no lock of their
//! own, and the core never calls a hook while it holds one.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use mobank_core as core;
use mobank_core::platform::{Clock, SystemClock};

use crate::session::Limits;

/// A hook implementation failed. Nothing the app needs to raise on purpose: this is how an
/// unexpected exception in its code reaches the library.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum HookFailure {
    #[error("platform hook failed: {detail}")]
    Failed { detail: String },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for HookFailure {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        HookFailure::Failed {
            detail: error.reason,
        }
    }
}

/// A clock that never goes backwards and ignores changes of the phone's wall clock: Android
/// `SystemClock.elapsedRealtime()` (the shell's `ElapsedRealtimeClock`), iOS
/// `clock_gettime(CLOCK_MONOTONIC_RAW)` (the shell's `BootTimeClock`); not `ProcessInfo.systemUptime`,
/// which stops during sleep. Only differences between readings matter. Session timers (idle
/// 5 minutes, absolute 12 hours, step-up freshness) read it; tests move it by hand.
#[uniffi::export(with_foreign)]
pub trait MonotonicClock: Send + Sync {
    /// Milliseconds since an arbitrary fixed origin.
    fn now_ms(&self) -> Result<u64, HookFailure>;
}

/// Presents the app's clock to the core. Should a reading fail, time keeps running on the
/// library's own monotonic clock from the last good reading: a failing clock must neither
/// stop the session timers (that would keep a session alive) nor jump them.
pub(crate) struct ForeignClock {
    foreign: Arc<dyn MonotonicClock>,
    own: SystemClock,
    /// The last good foreign reading, and the library clock's reading at that moment. Two
    /// atomics, not a lock: a race between them at worst shifts a fallback reading by the
    /// time between two calls.
    last_foreign_ms: AtomicU64,
    last_own_ms: AtomicU64,
}

impl ForeignClock {
    pub(crate) fn new(foreign: Arc<dyn MonotonicClock>) -> Self {
        ForeignClock {
            foreign,
            own: SystemClock::new(),
            last_foreign_ms: AtomicU64::new(0),
            last_own_ms: AtomicU64::new(0),
        }
    }
}

impl Clock for ForeignClock {
    fn now_ms(&self) -> u64 {
        match self.foreign.now_ms() {
            Ok(now) => {
                self.last_foreign_ms.store(now, Ordering::SeqCst);
                self.last_own_ms.store(self.own.now_ms(), Ordering::SeqCst);
                now
            }
            Err(_) => {
                tracing::warn!("the app's clock failed; counting on the library's own clock");
                let since = self
                    .own
                    .now_ms()
                    .saturating_sub(self.last_own_ms.load(Ordering::SeqCst));
                self.last_foreign_ms
                    .load(Ordering::SeqCst)
                    .saturating_add(since)
            }
        }
    }
}

/// Something the library tells the app without being asked.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum MobankEvent {
    /// The session ended on its own (idle timeout, absolute cap, or the bank ended it): the
    /// customer must log in again.
    SessionExpired,
    /// The app spent the idle window in the background; the session was dropped so that
    /// whoever opens the app next must authenticate.
    SessionLocked,
    /// Another device was bound to the customer. If the customer did not do that, lead them to
    /// revoke it.
    NewDeviceBound {
        device_name: Option<String>,
        at_ms: i64,
    },
    /// One of the customer's devices was revoked or unbound.
    DeviceRevoked {
        device_name: Option<String>,
        at_ms: i64,
    },
    /// The PIN of one of the customer's devices was changed.
    PinChanged {
        device_name: Option<String>,
        at_ms: i64,
    },
    /// The transfer limits of this session differ from the last ones this app saw.
    LimitsChanged { limits: Limits },
}

impl From<core::MobankEvent> for MobankEvent {
    fn from(event: core::MobankEvent) -> Self {
        use core::MobankEvent as E;
        match event {
            E::SessionExpired => MobankEvent::SessionExpired,
            E::SessionLocked => MobankEvent::SessionLocked,
            E::NewDeviceBound { device_name, at_ms } => {
                MobankEvent::NewDeviceBound { device_name, at_ms }
            }
            E::DeviceRevoked { device_name, at_ms } => {
                MobankEvent::DeviceRevoked { device_name, at_ms }
            }
            E::PinChanged { device_name, at_ms } => MobankEvent::PinChanged { device_name, at_ms },
            E::LimitsChanged { limits } => MobankEvent::LimitsChanged {
                limits: limits.into(),
            },
        }
    }
}

/// Implemented by the app to hear about [`MobankEvent`]s. Called on a library thread (not the
/// UI thread) and never while the library holds a lock, so it may call back into the client;
/// keep it quick and hand UI work to the main thread.
#[uniffi::export(with_foreign)]
pub trait EventListener: Send + Sync {
    fn on_event(&self, event: MobankEvent) -> Result<(), HookFailure>;
}

/// A listener that fails loses that one event; the library goes on.
pub(crate) struct ForeignEvents(pub(crate) Arc<dyn EventListener>);

impl core::EventListener for ForeignEvents {
    fn on_event(&self, event: core::MobankEvent) {
        if self.0.on_event(event.into()).is_err() {
            tracing::warn!("the app's event listener failed");
        }
    }
}

/// What the app's integrity checks found, sent to the bank with each login. The bank decides
/// what they mean (lower limits, refusal; see the sandbox's documented policy).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, uniffi::Record)]
pub struct IntegritySignals {
    /// Rooted (Android) or jailbroken (iOS).
    pub rooted: bool,
    /// A debugger is attached.
    pub debugger: bool,
    /// A hooking framework (Frida, Xposed, Substrate) is present.
    pub hooking: bool,
    /// Running in an emulator or simulator.
    pub emulator: bool,
}

impl From<IntegritySignals> for core::IntegritySignals {
    fn from(signals: IntegritySignals) -> Self {
        core::IntegritySignals {
            rooted: signals.rooted,
            debugger: signals.debugger,
            hooking: signals.hooking,
            emulator: signals.emulator,
        }
    }
}

/// Implemented by the app: its root/jailbreak, debugger, hooking and emulator checks.
#[uniffi::export(with_foreign)]
pub trait DeviceIntegrity: Send + Sync {
    fn signals(&self) -> Result<IntegritySignals, HookFailure>;
}

/// A check that fails reports nothing, as an app without checks does: a phone that lies about
/// itself gains nothing it could not get by not reporting, so the bank never relies on it.
pub(crate) struct ForeignIntegrity(pub(crate) Arc<dyn DeviceIntegrity>);

impl core::platform::DeviceIntegrity for ForeignIntegrity {
    fn signals(&self) -> core::IntegritySignals {
        match self.0.signals() {
            Ok(signals) => signals.into(),
            Err(_) => {
                tracing::warn!("the app's integrity check failed; nothing reported");
                core::IntegritySignals::default()
            }
        }
    }
}

/// How far a history sync has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct SyncProgress {
    /// Transactions fetched and stored on the phone so far in this sync.
    pub fetched: u64,
    /// How many this sync will fetch in all, when the bank says.
    pub total_estimate: Option<u64>,
    /// The last event of a sync that reached the end of the bank's history.
    pub done: bool,
}

impl From<core::SyncProgress> for SyncProgress {
    fn from(progress: core::SyncProgress) -> Self {
        SyncProgress {
            fetched: progress.fetched,
            total_estimate: progress.total_estimate,
            done: progress.done,
        }
    }
}

/// Implemented by the app to follow a history sync (a progress bar). Called on a library
/// thread, never while the library holds a lock; keep it quick.
#[uniffi::export(with_foreign)]
pub trait SyncProgressListener: Send + Sync {
    fn on_progress(&self, progress: SyncProgress) -> Result<(), HookFailure>;
}

/// A listener that fails misses that one report; the sync goes on.
pub(crate) struct ForeignProgress(pub(crate) Arc<dyn SyncProgressListener>);

impl core::SyncProgressListener for ForeignProgress {
    fn on_progress(&self, progress: core::SyncProgress) {
        if self.0.on_progress(progress.into()).is_err() {
            tracing::warn!("the app's sync progress listener failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    /// A foreign clock stand-in: answers the given reading, or fails.
    struct Scripted(Mutex<Option<u64>>);

    impl MonotonicClock for Scripted {
        fn now_ms(&self) -> Result<u64, HookFailure> {
            let reading = *self.0.lock().unwrap();
            reading.ok_or_else(|| {
                uniffi::UnexpectedUniFFICallbackError::new("RuntimeException").into()
            })
        }
    }

    #[test]
    fn the_app_clock_is_read_as_it_is() {
        let foreign = Arc::new(Scripted(Mutex::new(Some(299_000))));
        let clock = ForeignClock::new(foreign.clone());
        assert_eq!(clock.now_ms(), 299_000);
        *foreign.0.lock().unwrap() = Some(301_000);
        assert_eq!(clock.now_ms(), 301_000);
    }

    #[test]
    fn a_failing_app_clock_neither_stops_nor_rewinds_time() {
        let foreign = Arc::new(Scripted(Mutex::new(Some(600_000))));
        let clock = ForeignClock::new(foreign.clone());
        assert_eq!(clock.now_ms(), 600_000);
        *foreign.0.lock().unwrap() = None;
        let first = clock.now_ms();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let second = clock.now_ms();
        assert!(first >= 600_000, "{first}");
        assert!(second >= first + 20, "time went on: {first} then {second}");
    }

    struct Failing;

    impl EventListener for Failing {
        fn on_event(&self, _event: MobankEvent) -> Result<(), HookFailure> {
            Err(uniffi::UnexpectedUniFFICallbackError::new("IllegalStateException").into())
        }
    }

    impl DeviceIntegrity for Failing {
        fn signals(&self) -> Result<IntegritySignals, HookFailure> {
            Err(HookFailure::Failed {
                detail: "check crashed".to_owned(),
            })
        }
    }

    impl SyncProgressListener for Failing {
        fn on_progress(&self, _progress: SyncProgress) -> Result<(), HookFailure> {
            Err(HookFailure::Failed {
                detail: "view gone".to_owned(),
            })
        }
    }

    #[test]
    fn failing_listeners_and_checks_are_absorbed() {
        use mobank_core::platform::DeviceIntegrity as _;
        use mobank_core::EventListener as _;
        use mobank_core::SyncProgressListener as _;

        ForeignEvents(Arc::new(Failing)).on_event(core::MobankEvent::SessionExpired);
        ForeignProgress(Arc::new(Failing)).on_progress(core::SyncProgress {
            fetched: 1,
            total_estimate: None,
            done: false,
        });
        assert_eq!(
            ForeignIntegrity(Arc::new(Failing)).signals(),
            core::IntegritySignals::default()
        );
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
    fn every_core_event_reaches_the_app_with_its_fields() {
        use mobank_core::EventListener as _;
        let recording = Arc::new(Recording::default());
        let events = ForeignEvents(recording.clone());
        let limits = core::Limits {
            per_transaction: "500.00".parse().unwrap(),
            daily: "1000".parse().unwrap(),
            currency: "CNY".to_owned(),
            reason: core::LimitReason::CoolingOff,
            cooling_off_until_ms: Some(86_400_000),
        };
        let name = Some("Pixel".to_owned());
        for event in [
            core::MobankEvent::SessionExpired,
            core::MobankEvent::SessionLocked,
            core::MobankEvent::NewDeviceBound {
                device_name: name.clone(),
                at_ms: 1,
            },
            core::MobankEvent::DeviceRevoked {
                device_name: None,
                at_ms: 2,
            },
            core::MobankEvent::PinChanged {
                device_name: name.clone(),
                at_ms: 3,
            },
            core::MobankEvent::LimitsChanged { limits },
        ] {
            events.on_event(event);
        }
        assert_eq!(
            *recording.0.lock().unwrap(),
            [
                MobankEvent::SessionExpired,
                MobankEvent::SessionLocked,
                MobankEvent::NewDeviceBound {
                    device_name: name.clone(),
                    at_ms: 1
                },
                MobankEvent::DeviceRevoked {
                    device_name: None,
                    at_ms: 2
                },
                MobankEvent::PinChanged {
                    device_name: name,
                    at_ms: 3
                },
                MobankEvent::LimitsChanged {
                    limits: Limits {
                        per_transaction: "500.00".to_owned(),
                        daily: "1000".to_owned(),
                        currency: "CNY".to_owned(),
                        reason: crate::session::LimitReason::CoolingOff,
                        cooling_off_until_ms: Some(86_400_000),
                    }
                },
            ]
        );
    }

    #[test]
    fn integrity_signals_reach_the_core_field_by_field() {
        let signals = IntegritySignals {
            rooted: true,
            debugger: false,
            hooking: true,
            emulator: false,
        };
        let core_signals = core::IntegritySignals::from(signals);
        assert!(core_signals.rooted && core_signals.hooking);
        assert!(!core_signals.debugger && !core_signals.emulator);
    }
}
