//! What uniffi needs to know about types core does not define: the protocol's enums and
//! records the app sees, exact decimals, and file paths. Compiled with the `uniffi` feature only;
//! the derives on core's own types sit next to them, behind the same feature.
//!
//! A remote declaration repeats the shape of the protocol's type; uniffi checks it against the
//! real one when it compiles, so the two cannot drift.

use std::path::PathBuf;

use mobank_protocol::messages::{
    ChannelOpener, DeviceStatus, IntegritySignals, LimitReason, NoticeKind, ProductKind,
};
use mobank_protocol::transfer::account_number::AccountNumberError;
use mobank_protocol::transfer::messages::ScheduleReason;
use mobank_protocol::transfer::{Channel, RejectReason};
use rust_decimal::Decimal;

// Money crosses as the canonical decimal string ("12345.67", "-0.5") and becomes
// `java.math.BigDecimal` / `Foundation.Decimal` in the generated code (core/uniffi.toml), so
// no amount is ever a float on either side.
uniffi::custom_type!(Decimal, String, {
    remote,
    lower: |amount| amount.to_string(),
    try_lift: |text| Ok(text.parse::<Decimal>()?),
});

// A directory the app chose; it crosses as the platform's path string.
uniffi::custom_type!(PathBuf, String, {
    remote,
    lower: |path| path.to_string_lossy().into_owned(),
    try_lift: |text| Ok(PathBuf::from(text)),
});

/// The kind of product an account is.
#[uniffi::remote(Enum)]
pub enum ProductKind {
    Current,
    Savings,
    Deposit,
    Card,
    Investment,
    Margin,
}

/// Where a binding stands at the bank.
#[uniffi::remote(Enum)]
pub enum DeviceStatus {
    Active,
    /// Too many failed attempts or a suspected clone; only a new binding helps.
    Blocked,
    /// Revoked from another device or unbound by itself.
    Revoked,
}

/// Why the bank set the limits it set.
#[uniffi::remote(Enum)]
pub enum LimitReason {
    Normal,
    /// A newly bound device: low limits until the cooling-off period ends.
    CoolingOff,
    /// A debugger or an emulator was reported: low limits.
    IntegrityRisk,
    /// Rooted/jailbroken or a hooking framework was reported: no transfers.
    BlockedByIntegrity,
}

/// What happened to one of the customer's devices.
#[uniffi::remote(Enum)]
pub enum NoticeKind {
    NewDeviceBound,
    DeviceRevoked,
    PinChanged,
    ChannelEnabled,
    ChannelOpened,
    PayeeAdded,
    ProductOpened,
}

/// What the app's integrity checks found, sent to the bank with each login.
#[uniffi::remote(Record)]
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

/// Why a payee account number was refused before anything was sent.
#[uniffi::remote(Enum)]
pub enum AccountNumberError {
    Length,
    NotDigits,
    CheckDigit,
}

/// Why the bank refused a transfer whose signature was good (from its signed receipt).
#[uniffi::remote(Enum)]
pub enum RejectReason {
    InsufficientFunds,
    LimitExceeded,
    PayeeRefused,
    Suspended,
    ChannelClosed,
    Cancelled,
}

/// Why a transfer is held until a later time instead of booked when it is submitted.
#[uniffi::remote(Enum)]
pub enum ScheduleReason {
    /// The customer asked for a later execution date.
    Requested,
    /// The bank's policy holds a first transfer of this size to this payee.
    NewPayee,
    /// The bank's policy holds a transfer this large.
    LargeAmount,
}

/// How the money moves; each channel has its own limits.
#[uniffi::remote(Enum)]
pub enum Channel {
    /// A transfer the customer enters in the app: on for every customer.
    MobileTransfer,
    /// Paying a merchant by scanning its QR code.
    QrPayment,
    /// Small payments without a payee list.
    QuickPay,
}

/// Who opened a payment channel that is not on for everyone.
#[uniffi::remote(Enum)]
pub enum ChannelOpener {
    /// A branch or the back office: off until the customer turns it on in the app.
    Branch,
    /// The customer, in the app.
    App,
}
