//! Device binding: the activation code starts it, the OTP and a proof from each new device key
//! complete it.

use serde::{Deserialize, Serialize};

use crate::assertion::Assertion;
use crate::b64;

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StartActivationRequest {
    pub activation_code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StartActivationResponse {
    pub activation_id: String,
    /// Both new device keys sign this (ceremony `mobank.bind`) to prove they hold their keys.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::challenge))]
    #[serde(with = "b64")]
    pub challenge: Vec<u8>,
    /// Where the OTP went, masked for display: `+86 138****8000`.
    pub masked_phone: String,
    pub otp_expires_at_ms: i64,
    pub rp_id: String,
    pub server_time_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeviceDescription {
    /// Shown in the customer's device list, e.g. "Pixel 8".
    pub name: String,
    /// "android", "ios" or "other".
    pub platform: String,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CompleteActivationRequest {
    pub activation_id: String,
    pub otp: String,
    pub device: DeviceDescription,
    /// Uncompressed SEC1 P-256 public key of the possession key.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::public_key))]
    #[serde(with = "b64")]
    pub possession_public_key: Vec<u8>,
    /// Uncompressed SEC1 P-256 public key of the user-verified (biometric) key.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::public_key))]
    #[serde(with = "b64")]
    pub user_verified_public_key: Vec<u8>,
    /// One `mobank.bind` assertion per key over the activation challenge.
    pub proofs: Vec<Assertion>,
    /// The 32-byte knowledge (PIN) key, so the PIN is set at binding. Absent: no PIN login
    /// for this device.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::knowledge_key))]
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::b64::option"
    )]
    pub knowledge_key: Option<Vec<u8>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CompleteActivationResponse {
    pub device_id: String,
    /// The customer's display name as the bank knows it.
    pub customer_name: String,
    pub bound_at_ms: i64,
    pub server_time_ms: i64,
}

/// The OTP and the knowledge key stay out of logs.
impl std::fmt::Debug for CompleteActivationRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompleteActivationRequest")
            .field("activation_id", &self.activation_id)
            .field("otp", &"***")
            .field("device", &self.device)
            .field("possession_public_key", &self.possession_public_key)
            .field("user_verified_public_key", &self.user_verified_public_key)
            .field("proofs", &self.proofs)
            .field("knowledge_key", &self.knowledge_key.as_ref().map(|_| "***"))
            .finish()
    }
}

/// The activation code stays out of logs.
impl std::fmt::Debug for StartActivationRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StartActivationRequest")
            .field("activation_code", &"***")
            .finish()
    }
}
