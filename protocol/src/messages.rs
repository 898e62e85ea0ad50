//! Request and response bodies. Times are Unix milliseconds (`*_ms`) of the bank's clock;
//! binary values are base64url; money is a decimal string with its currency.
//!
//! Customer API (HTTPS, pinned): `/v1/...`. The sandbox's developer API (plain HTTP on a separate
//! loopback listener, never part of a real bank) is under `/dev/...`.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::assertion::Assertion;
use crate::b64;

pub mod paths {
    pub const ACTIVATION_START: &str = "/v1/activation/start";
    pub const ACTIVATION_COMPLETE: &str = "/v1/activation/complete";
    pub const LOGIN_CHALLENGE: &str = "/v1/login/challenge";
    pub const LOGIN: &str = "/v1/login";
    pub const ACCOUNTS: &str = "/v1/accounts";

    /// Developer API: issue an activation code (what a branch or the bank's web portal would do).
    pub const DEV_ACTIVATION_CODES: &str = "/dev/activation-codes";
    /// Developer API: the SMS outbox of one phone number, `/dev/sms/{phone}`.
    pub const DEV_SMS_PREFIX: &str = "/dev/sms/";
}

// ---- developer API (sandbox only) ----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueActivationRequest {
    pub customer_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueActivationResponse {
    pub activation_code: String,
    /// The registered phone number the OTP will go to (E.164).
    pub phone: String,
    pub expires_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmsMessage {
    pub to: String,
    pub body: String,
    pub sent_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmsOutbox {
    /// Oldest first.
    pub messages: Vec<SmsMessage>,
}

// ---- device binding ----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartActivationRequest {
    pub activation_code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartActivationResponse {
    pub activation_id: String,
    /// Both new device keys sign this (ceremony `mobank.bind`) to prove they hold their keys.
    #[serde(with = "b64")]
    pub challenge: Vec<u8>,
    /// Where the OTP went, masked for display: `+86 138****8000`.
    pub masked_phone: String,
    pub otp_expires_at_ms: i64,
    pub rp_id: String,
    pub server_time_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceDescription {
    /// Shown in the customer's device list, e.g. "Pixel 8".
    pub name: String,
    /// "android", "ios" or "other".
    pub platform: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompleteActivationRequest {
    pub activation_id: String,
    pub otp: String,
    pub device: DeviceDescription,
    /// Uncompressed SEC1 P-256 public key of the possession key.
    #[serde(with = "b64")]
    pub possession_public_key: Vec<u8>,
    /// Uncompressed SEC1 P-256 public key of the user-verified (biometric) key.
    #[serde(with = "b64")]
    pub user_verified_public_key: Vec<u8>,
    /// One `mobank.bind` assertion per key over the activation challenge.
    pub proofs: Vec<Assertion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompleteActivationResponse {
    pub device_id: String,
    /// The customer's display name as the bank knows it.
    pub customer_name: String,
    pub bound_at_ms: i64,
    pub server_time_ms: i64,
}

// ---- login ----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginChallengeRequest {
    pub device_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChallengeResponse {
    pub challenge_id: String,
    #[serde(with = "b64")]
    pub challenge: Vec<u8>,
    pub expires_at_ms: i64,
    pub rp_id: String,
    pub server_time_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub device_id: String,
    pub challenge_id: String,
    /// `mobank.login` assertions over the challenge, one per factor used.
    pub assertions: Vec<Assertion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginResponse {
    /// Opaque bearer token for `Authorization: Bearer …`. Kept only in memory by the phone.
    pub session_token: String,
    pub idle_timeout_secs: u32,
    /// Absolute end of the session, whatever the activity.
    pub expires_at_ms: i64,
    pub server_time_ms: i64,
}

// ---- accounts ----

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductKind {
    Current,
    Savings,
    Deposit,
    Card,
    Investment,
    Margin,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub account_id: String,
    pub product: ProductKind,
    pub name: String,
    /// ISO 4217, e.g. "CNY".
    pub currency: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub balance: Decimal,
    /// Only the last four digits are ever sent: `6222 **** **** 7890`.
    pub masked_number: String,
    /// For sub-accounts (e.g. a margin account): the account it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_account_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountsResponse {
    pub accounts: Vec<Account>,
    pub server_time_ms: i64,
}
