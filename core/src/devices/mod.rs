//! The customer's devices as the bank lists them: list them, revoke another one, unbind this one.

mod client;

use std::time::SystemTime;

use mobank_protocol::messages;

use crate::timestamp::from_unix_ms;

pub use client::DevicesClient;
pub use mobank_protocol::messages::DeviceStatus;

/// One of the customer's bound devices, as the bank lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DeviceInfo {
    pub device_id: String,
    pub name: String,
    /// "android", "ios" or "other".
    pub platform: String,
    /// Bank time.
    pub bound_at: SystemTime,
    pub last_seen: Option<SystemTime>,
    pub status: DeviceStatus,
    /// The phone Mobank runs on.
    pub this_device: bool,
}

impl From<messages::DeviceInfo> for DeviceInfo {
    fn from(device: messages::DeviceInfo) -> Self {
        Self {
            device_id: device.device_id,
            name: device.name,
            platform: device.platform,
            bound_at: from_unix_ms(device.bound_at_ms),
            last_seen: device.last_seen_ms.map(from_unix_ms),
            status: device.status,
            this_device: device.this_device,
        }
    }
}

/// What `unbind` achieved besides wiping the phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct UnbindOutcome {
    /// The bank confirmed the binding can no longer be used (unbound now, or blocked or revoked
    /// before). `false`: the bank could not be reached or its answer was lost; the keys are
    /// deleted all the same, so nobody can use the binding, but it may stay in the customer's
    /// device list until revoked from another device.
    pub bank_confirmed: bool,
}
