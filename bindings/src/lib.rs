//! The one FFI crate: uniffi exports of `mobank-core` for Kotlin and Swift.
//!
//! It stays thin on purpose: every rule lives in the core, this crate only translates types.
//! Secrets typed by the customer cross the FFI as the platform hands them over: the activation
//! code and the OTP as strings (what text fields give), the PIN as bytes (so the app can wipe
//! its copy). Each is wrapped into the core's zeroizing type on the first line of the export and
//! never stored or printed here.
//!
//! Async exports run on uniffi's tokio integration (`async_runtime = "tokio"`): one runtime for the
//! whole library, owned by uniffi, never by an exported object.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

uniffi::setup_scaffolding!("mobank");

mod client;
mod devices;
mod error;
mod history;
mod key_store;
mod platform;
mod records;
mod session;
// Test-only export for host builds (the Swift tests on Linux); never in an Android or iOS library.
#[cfg(not(any(target_os = "android", target_os = "ios")))]
mod software_key_store;

pub use client::{check_new_pin, MobankClient};
pub use devices::{DeviceInfo, DeviceStatus, UnbindOutcome};
pub use error::{MobankError, PinRejection};
pub use history::{CategorySpending, SyncReport, Transaction};
pub use key_store::{KeyPurpose, KeyStoreFailure, PlatformKeyStore};
pub use platform::{
    DeviceIntegrity, EventListener, HookFailure, IntegritySignals, MobankEvent, MonotonicClock,
    SyncProgress, SyncProgressListener,
};
pub use records::{
    AccountInfo, ActivationStarted, BindingState, ClientConfig, DeviceSummary, ProductKind,
};
pub use session::{
    DeviceNotice, LimitReason, Limits, NoticeKind, SensitiveOperation, SessionSummary,
};
