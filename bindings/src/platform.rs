//! The platform hooks besides the key store and the event listener, as foreign traits, and
//! their adapters to the core's traits: the monotonic clock, the device-integrity report and
//! the history sync's progress listener.
//!
//! Every hook returns a `Result` on the Rust side even where the app cannot fail, so that an
//! exception the app's code throws by mistake arrives here as a value instead of a panic. What
//! each adapter does with a failure is written next to it. The adapters hold no lock of their
//! own, and the core never calls a hook while it holds one.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use mobank_core::platform::{Clock, SystemClock};
use mobank_core::{self as core, IntegritySignals, SyncProgress};

// The one protocol type this crate's own exports use; core declares its shape.
uniffi::use_remote_type!(mobank_core::IntegritySignals);

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

/// Implemented by the app: its root/jailbreak, debugger, hooking and emulator checks.
#[uniffi::export(with_foreign)]
pub trait DeviceIntegrity: Send + Sync {
    fn signals(&self) -> Result<IntegritySignals, HookFailure>;
}

/// A check that fails reports nothing, as an app without checks does: a phone that lies about
/// itself gains nothing it could not get by not reporting, so the bank never relies on it.
pub(crate) struct ForeignIntegrity(pub(crate) Arc<dyn DeviceIntegrity>);

impl core::platform::DeviceIntegrity for ForeignIntegrity {
    fn signals(&self) -> IntegritySignals {
        match self.0.signals() {
            Ok(signals) => signals,
            Err(_) => {
                tracing::warn!("the app's integrity check failed; nothing reported");
                IntegritySignals::default()
            }
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
        if self.0.on_progress(progress).is_err() {
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
    fn failing_progress_listeners_and_integrity_checks_are_absorbed() {
        use mobank_core::platform::DeviceIntegrity as _;
        use mobank_core::SyncProgressListener as _;

        ForeignProgress(Arc::new(Failing)).on_progress(SyncProgress {
            fetched: 1,
            total_estimate: None,
            done: false,
        });
        assert_eq!(
            ForeignIntegrity(Arc::new(Failing)).signals(),
            IntegritySignals::default()
        );
    }
}
