//! The phone side of Mobank. No FFI code lives here: the `bindings` crate exports this API.
//!
//! Start with [`Mobank::open`] (or [`Mobank::open_with_platform`] for the optional hooks),
//! giving it the bank's endpoint with its pinned keys and the app's [`platform::KeyStore`].

// Tests may unwrap; the non-test build of the same code is still linted without this.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod accounts;
mod auth;
mod config;
mod device;
mod devices;
mod error;
mod history;
mod input;
mod mobank;
pub mod money;
pub mod net;
mod pin;
mod pin_change;
mod pin_policy;
pub mod platform;
mod policy;
pub mod qr;
mod reenrol;
mod secret;
mod session;
mod storage;

pub use accounts::{Account, ProductKind};
pub use config::{BankEndpoint, MobankConfig};
pub use device::binding::ActivationStarted;
pub use device::{BindingState, DeviceSummary};
pub use devices::{DeviceInfo, DeviceStatus};
pub use error::MobankError;
pub use history::{CategorySpending, SyncProgress, SyncProgressListener, SyncReport, Transaction};
pub use mobank::{Mobank, UnbindOutcome};
pub use mobank_protocol::messages::{LimitReason, NoticeKind};
pub use pin::Pin;
pub use pin_policy::PinRejection;
pub use platform::{IntegritySignals, MobankEvent, Platform};
pub use policy::Operation;
pub use secret::SecretString;
pub use session::{DeviceNotice, Limits, SessionSummary};

/// Whether `pin` may be chosen as a new PIN: the rules `complete_activation` and
/// `commit_pin_change` apply, for an app that wants to check while the customer types.
pub fn check_new_pin(pin: &Pin) -> Result<(), MobankError> {
    pin_policy::check_new_pin(pin).map_err(MobankError::from)
}
