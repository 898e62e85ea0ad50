//! The customer's device list and the end of a binding, as the app sees them.

use mobank_core as core;

/// Where a binding stands at the bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum DeviceStatus {
    Active,
    /// Too many failed attempts or a suspected clone; only a new binding helps.
    Blocked,
    /// Revoked from another device or unbound by itself.
    Revoked,
}

impl From<core::DeviceStatus> for DeviceStatus {
    fn from(status: core::DeviceStatus) -> Self {
        match status {
            core::DeviceStatus::Active => DeviceStatus::Active,
            core::DeviceStatus::Blocked => DeviceStatus::Blocked,
            core::DeviceStatus::Revoked => DeviceStatus::Revoked,
        }
    }
}

/// One of the customer's bound devices, as the bank lists it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DeviceInfo {
    pub device_id: String,
    pub name: String,
    /// "android", "ios" or "other".
    pub platform: String,
    /// Bank time, Unix ms.
    pub bound_at_ms: i64,
    pub last_seen_ms: Option<i64>,
    pub status: DeviceStatus,
    /// The phone this library runs on.
    pub this_device: bool,
}

impl From<core::DeviceInfo> for DeviceInfo {
    fn from(device: core::DeviceInfo) -> Self {
        DeviceInfo {
            device_id: device.device_id,
            name: device.name,
            platform: device.platform,
            bound_at_ms: device.bound_at_ms,
            last_seen_ms: device.last_seen_ms,
            status: device.status.into(),
            this_device: device.this_device,
        }
    }
}

/// What `unbind` achieved besides wiping the phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct UnbindOutcome {
    /// The bank confirmed the binding can no longer be used. `false`: the bank could not be
    /// reached or its answer was lost; the keys are deleted all the same, but the device may
    /// stay in the customer's list until revoked from another device.
    pub bank_confirmed: bool,
}

impl From<core::UnbindOutcome> for UnbindOutcome {
    fn from(outcome: core::UnbindOutcome) -> Self {
        UnbindOutcome {
            bank_confirmed: outcome.bank_confirmed,
        }
    }
}
