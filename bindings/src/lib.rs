//! The one FFI crate: the exported objects over `mobank-core`, the platform hooks the app
//! implements, and `uniffi-bindgen`.
//!
//! It stays thin on purpose. The values and the error the app sees are core's own types,
//! exported by core's `uniffi` feature (namespace `mobank_core`), so each is defined once and
//! its text is core's text. What lives here: `MobankClient` and its per-feature handles
//! (`client.auth()`, `client.history()`, …), the event subscription, and the foreign traits
//! with their adapters to core's platform traits.
//!
//! Secrets typed by the customer cross the FFI as the platform hands them over: the activation
//! code and the OTP as strings (what text fields give), the PIN as bytes (so the app can wipe
//! its copy). Each is wrapped into the core's zeroizing type on the first line of the export and
//! never stored or printed here.
//!
//! Async exports run on uniffi's tokio integration (`async_runtime = "tokio"`): one runtime for the
//! whole library, owned by uniffi, never by an exported object.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

uniffi::setup_scaffolding!("mobank");

mod accounts;
mod activation;
mod auth;
mod channels;
mod client;
mod devices;
mod events;
mod history;
mod key_store;
mod payees;
mod pin;
mod platform;
// Test-only export for host builds (the Swift tests on Linux); never in an Android or iOS library.
#[cfg(not(any(target_os = "android", target_os = "ios")))]
mod software_key_store;
mod transfers;

pub use accounts::AccountsClient;
pub use activation::ActivationClient;
pub use auth::{AuthClient, PinClient};
pub use channels::ChannelsClient;
pub use client::MobankClient;
pub use devices::DevicesClient;
pub use events::{EventListener, Subscription};
pub use history::HistoryClient;
pub use key_store::{KeyStoreFailure, PlatformKeyStore};
pub use payees::PayeesClient;
pub use pin::check_new_pin;
pub use platform::{DeviceIntegrity, HookFailure, MonotonicClock, SyncProgressListener};
pub use transfers::TransfersClient;
