//! Login: a challenge for the device, then its assertions; the answer opens a session.

use serde::{Deserialize, Serialize};

use super::{Limits, Notice};
use crate::assertion::Assertion;
use crate::b64;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginChallengeRequest {
    pub device_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChallengeResponse {
    pub challenge_id: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::challenge))]
    #[serde(with = "b64")]
    pub challenge: Vec<u8>,
    pub expires_at_ms: i64,
    pub rp_id: String,
    pub server_time_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub device_id: String,
    pub challenge_id: String,
    /// `mobank.login` assertions over the challenge, one per factor used: `possession` and
    /// one of `user_verified` or `knowledge`.
    pub assertions: Vec<Assertion>,
    /// What the app found out about the phone it runs on. Absent: nothing reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integrity: Option<IntegritySignals>,
}

/// Device-integrity findings of the app, sent with login (and later with transfers). The bank
/// decides what they mean (limits, refusal); the app only reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
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

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginResponse {
    /// Opaque bearer token for `Authorization: Bearer …`. Kept only in memory by the phone.
    pub session_token: String,
    pub idle_timeout_secs: u32,
    /// Absolute end of the session, whatever the activity.
    pub expires_at_ms: i64,
    pub server_time_ms: i64,
    /// Events about this customer's devices not yet shown on this device, oldest first. Each
    /// is sent once: the bank marks it delivered with this response.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<Notice>,
    /// The transfer limits that apply to this session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<Limits>,
}

/// The session token stays out of logs.
impl std::fmt::Debug for LoginResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginResponse")
            .field("session_token", &"***")
            .field("idle_timeout_secs", &self.idle_timeout_secs)
            .field("expires_at_ms", &self.expires_at_ms)
            .field("server_time_ms", &self.server_time_ms)
            .field("notices", &self.notices)
            .field("limits", &self.limits)
            .finish()
    }
}
