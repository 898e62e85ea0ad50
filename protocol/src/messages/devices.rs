//! The customer's devices: the list, revoking another, unbinding this one, a new biometric key.

use serde::{Deserialize, Serialize};

use crate::assertion::Assertion;
use crate::b64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeviceStatus {
    Active,
    /// Too many failed attempts or a suspected clone; only a new binding helps.
    Blocked,
    /// Revoked from another device or unbound by itself.
    Revoked,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeviceInfo {
    pub device_id: String,
    pub name: String,
    pub platform: String,
    pub bound_at_ms: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seen_ms: Option<i64>,
    pub status: DeviceStatus,
    /// The device whose session asked.
    pub this_device: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DevicesResponse {
    /// Oldest binding first.
    pub devices: Vec<DeviceInfo>,
    pub server_time_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RevokeDeviceRequest {
    /// Another device of the same customer.
    pub device_id: String,
    /// An `operation` challenge of this session.
    pub challenge_id: String,
    /// `possession`, ceremony `mobank.operation`, operation `revoke_device:<device_id>`.
    pub assertion: Assertion,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UnbindDeviceRequest {
    /// An `operation` challenge of this session.
    pub challenge_id: String,
    /// `possession`, ceremony `mobank.operation`, operation `unbind:<this device_id>`.
    pub assertion: Assertion,
}

/// The answer to a revoke or an unbind. Repeating a request for a device already revoked
/// gets the same answer, so a retry after a lost response is safe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RevokeDeviceResponse {
    pub device_id: String,
    pub revoked_at_ms: i64,
    pub server_time_ms: i64,
}

/// A new biometric key for this device, when the old one was invalidated by an enrolment change:
/// no new binding, but a fresh strong authentication (a PIN login counts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReenrolBiometricRequest {
    /// An `operation` challenge of this session.
    pub challenge_id: String,
    /// Uncompressed SEC1 P-256 public key of the new user-verified key.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::public_key))]
    #[serde(with = "b64")]
    pub user_verified_public_key: Vec<u8>,
    /// Over the challenge, ceremony `mobank.operation`, operation `reenrol_biometric`:
    /// `possession`, and `user_verified` made by the NEW key (its first signature).
    pub assertions: Vec<Assertion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReenrolBiometricResponse {
    pub server_time_ms: i64,
}
