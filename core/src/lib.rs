//! The phone side of Mobank. The `bindings` crate exports this API; with the `uniffi` feature
//! the types it hands out carry their uniffi derives here (see `ffi.rs`), without it core has
//! no FFI code at all.
//!
//! Start with [`Mobank::open`] (or [`Mobank::open_with_platform`] for the optional hooks),
//! giving it the bank's endpoint with its pinned keys and the app's [`platform::KeyStore`].
//! Each feature is a handle on it: `mobank.activation().start(..)`, `mobank.auth().login_pin(..)`,
//! `mobank.history().sync(..)`. The layout is described in `docs/architecture.md`.

// Tests may unwrap; the non-test build of the same code is still linted without this.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

// The facade and the feature clients.
mod accounts;
mod activation;
mod auth;
mod devices;
mod history;
mod mobank;
mod payees;
mod transfers;

// What the clients share.
mod context;
mod error;
mod events;
mod input;
mod kill;
mod limits;
mod pin;
mod risk;
mod runtime;
mod secret;
mod timestamp;

// The layers below: the phone's binding and store, the bank client, the platform's hooks.
mod config;
mod device;
pub mod money;
pub mod net;
pub mod platform;
pub mod qr;
mod storage;

// The namespace of the types core exports when the bindings crate turns `uniffi` on.
#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("mobank_core");
#[cfg(feature = "uniffi")]
mod ffi;

#[cfg(any(test, feature = "testing"))]
#[doc(hidden)]
pub mod testing;

#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;

pub use accounts::{Account, AccountsClient, ProductKind};
pub use activation::{ActivationClient, ActivationStarted};
pub use auth::{AuthClient, Operation, PinClient};
pub use config::{BankEndpoint, MobankConfig};
pub use context::SessionSummary;
pub use device::{BindingState, DeviceSummary};
pub use devices::{DeviceInfo, DeviceStatus, DevicesClient, UnbindOutcome};
pub use error::MobankError;
pub use events::{DeviceNotice, EventListener, MobankEvent, Subscription};
pub use history::{
    CategorySpending, HistoryClient, SyncProgress, SyncProgressListener, SyncReport, Transaction,
};
pub use limits::{
    ChannelInfo, ChannelLimits, ChannelRoom, ChannelsClient, LimitKind, Limits, PendingLimits,
};
pub use mobank::Mobank;
pub use mobank_protocol::messages::{ChannelOpener, LimitReason, NoticeKind};
pub use mobank_protocol::transfer::messages::ScheduleReason;
pub use mobank_protocol::transfer::{Channel, RejectReason};
pub use payees::{Payee, PayeeCheck, PayeesClient};
pub use pin::{Pin, PinError, PinRejection};
pub use platform::{IntegritySignals, Platform};
pub use qr::QrRejection;
pub use risk::{WarningAction, WarningCode, WarningFigure};
pub use secret::SecretString;
pub use timestamp::unix_ms;
pub use transfers::{
    Confirmation, QrConfirmation, QrPaymentInput, ReceiptSummary, TransferInput, TransferState,
    TransferSummary, TransferWarning, TransfersClient,
};

/// Whether `pin` may be chosen as a new PIN: the rules `activation().complete` and
/// `pin().commit_change` apply, for an app that wants to check while the customer types.
pub fn check_new_pin(pin: &Pin) -> Result<(), MobankError> {
    pin::check_new_pin(pin).map_err(MobankError::from)
}
