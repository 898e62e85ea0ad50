//! The phone side of Mobank. No FFI code lives here: the `bindings` crate exports this API.
//!
//! Start with [`Mobank::open`], giving it the bank's endpoint with its pinned keys and the
//! app's [`platform::KeyStore`].

// Tests may unwrap; the non-test build of the same code is still linted without this.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod accounts;
mod config;
mod device;
mod error;
mod input;
mod mobank;
pub mod net;
pub mod platform;
mod secret;
mod session;

pub use accounts::{Account, ProductKind};
pub use config::{BankEndpoint, MobankConfig};
pub use device::binding::ActivationStarted;
pub use device::{BindingState, DeviceSummary};
pub use error::MobankError;
pub use mobank::Mobank;
pub use secret::SecretString;
pub use session::SessionSummary;
