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
    /// `GET`, query `cursor` and `limit`: the customer's transaction history, page by page.
    pub const TRANSACTIONS: &str = "/v1/transactions";
    /// A challenge inside a session, for a step-up or an operation.
    pub const CHALLENGES: &str = "/v1/challenges";
    pub const STEP_UP: &str = "/v1/session/step-up";
    /// `GET`: the customer's devices.
    pub const DEVICES: &str = "/v1/devices";
    pub const DEVICES_REVOKE: &str = "/v1/devices/revoke";
    pub const DEVICES_UNBIND: &str = "/v1/devices/unbind";
    /// Replaces this device's biometric (user-verified) key after an enrolment change.
    pub const DEVICES_BIOMETRIC_KEY: &str = "/v1/devices/biometric-key";
    pub const PIN_CHANGE_BEGIN: &str = "/v1/pin/change/begin";
    pub const PIN_CHANGE_COMMIT: &str = "/v1/pin/change/commit";

    /// Developer API: issue an activation code (what a branch or the bank's web portal would do).
    pub const DEV_ACTIVATION_CODES: &str = "/dev/activation-codes";
    /// Developer API: the SMS outbox of one phone number, `/dev/sms/{phone}`.
    pub const DEV_SMS_PREFIX: &str = "/dev/sms/";
    /// Developer API: the device notifications the bank sent to one customer,
    /// `/dev/notifications/{customer_id}`.
    pub const DEV_NOTIFICATIONS_PREFIX: &str = "/dev/notifications/";
    /// Developer API: book a new transaction (what card payments and incoming transfers do).
    pub const DEV_TRANSACTIONS: &str = "/dev/transactions";
}

// ---- developer API (sandbox only) ----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueActivationRequest {
    pub customer_id: String,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// One notification the bank sent to one of the customer's devices (a push message in a real
/// bank); the same event reaches the device as a [`Notice`] at its next login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notification {
    pub customer_id: String,
    /// The device the notification went to.
    pub device_id: String,
    pub kind: NoticeKind,
    /// The device the event is about (the new, revoked or re-keyed one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_name: Option<String>,
    pub at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotificationOutbox {
    /// Oldest first.
    pub notifications: Vec<Notification>,
}

/// Books one transaction on an account, as a card payment or an incoming transfer would.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppendTransactionRequest {
    /// Absent: the demo customer's current account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Signed: negative is money going out.
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    pub counterparty: String,
    pub memo: String,
    /// One of [`TRANSACTION_CATEGORIES`].
    pub category: String,
}
// ---- device binding ----

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
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

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// The 32-byte knowledge (PIN) key, so the PIN is set at binding. Absent: no PIN login
    /// for this device.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::b64::option"
    )]
    pub knowledge_key: Option<Vec<u8>>,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// Another device was bound to the customer.
    NewDeviceBound,
    /// One of the customer's devices was revoked or unbound.
    DeviceRevoked,
    /// The PIN of one of the customer's devices was changed.
    PinChanged,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    pub notice_id: String,
    pub kind: NoticeKind,
    /// The device the event is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_name: Option<String>,
    pub at_ms: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitReason {
    Normal,
    /// A newly bound device: low limits until `cooling_off_until_ms`.
    CoolingOff,
    /// A debugger or an emulator was reported: low limits.
    IntegrityRisk,
    /// Rooted/jailbroken or a hooking framework was reported: no transfers.
    BlockedByIntegrity,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    #[serde(with = "rust_decimal::serde::str")]
    pub per_transaction: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub daily: Decimal,
    pub currency: String,
    /// The strictest reason that applies.
    pub reason: LimitReason,
    /// Set while the device's cooling-off period lasts, whatever `reason` says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cooling_off_until_ms: Option<i64>,
}

// ---- step-up and operation challenges ----

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChallengePurpose {
    /// For `POST /v1/session/step-up` (ceremony `mobank.step_up`).
    StepUp,
    /// For an operation (ceremony `mobank.operation`): revoke, unbind, PIN change.
    Operation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChallengeRequest {
    pub purpose: ChallengePurpose,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepUpRequest {
    pub challenge_id: String,
    /// `mobank.step_up` assertions: `possession` and one of `user_verified` or `knowledge`.
    pub assertions: Vec<Assertion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepUpResponse {
    /// The session's last strong authentication, now.
    pub strong_auth_at_ms: i64,
    pub server_time_ms: i64,
}

// ---- devices ----

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceStatus {
    Active,
    /// Too many failed attempts or a suspected clone; only a new binding helps.
    Blocked,
    /// Revoked from another device or unbound by itself.
    Revoked,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[serde(deny_unknown_fields)]
pub struct DevicesResponse {
    /// Oldest binding first.
    pub devices: Vec<DeviceInfo>,
    pub server_time_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[serde(deny_unknown_fields)]
pub struct RevokeDeviceResponse {
    pub device_id: String,
    pub revoked_at_ms: i64,
    pub server_time_ms: i64,
}

/// A new biometric key for this device, when the old one was invalidated by an enrolment change:
/// no new binding, but a fresh strong authentication (a PIN login counts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReenrolBiometricRequest {
    /// An `operation` challenge of this session.
    pub challenge_id: String,
    /// Uncompressed SEC1 P-256 public key of the new user-verified key.
    #[serde(with = "b64")]
    pub user_verified_public_key: Vec<u8>,
    /// Over the challenge, ceremony `mobank.operation`, operation `reenrol_biometric`:
    /// `possession`, and `user_verified` made by the NEW key (its first signature).
    pub assertions: Vec<Assertion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReenrolBiometricResponse {
    pub server_time_ms: i64,
}

// ---- PIN change ----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinChangeBeginRequest {
    /// An `operation` challenge of this session.
    pub challenge_id: String,
    /// `possession` and `knowledge` (old PIN), ceremony `mobank.operation`, operation
    /// `pin_change:begin`.
    pub assertions: Vec<Assertion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinChangeTicket {
    pub ticket_id: String,
    /// What the commit assertions sign.
    #[serde(with = "b64")]
    pub challenge: Vec<u8>,
    pub expires_at_ms: i64,
    pub server_time_ms: i64,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinChangeCommitRequest {
    pub ticket_id: String,
    /// A new 32-byte knowledge key for the new PIN. A new key rather than the old one under the
    /// new PIN: a copy of the phone's files taken while the old PIN was known is then worthless.
    #[serde(with = "b64")]
    pub new_knowledge_key: Vec<u8>,
    /// Over the ticket's challenge, ceremony `mobank.operation`, operation
    /// `pin_change:commit:<ticket_id>`: `possession`, and `knowledge` made with the NEW key.
    pub assertions: Vec<Assertion>,
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
impl std::fmt::Debug for IssueActivationResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssueActivationResponse")
            .field("activation_code", &"***")
            .field("phone", &self.phone)
            .field("expires_at_ms", &self.expires_at_ms)
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

/// The new knowledge key stays out of logs.
impl std::fmt::Debug for PinChangeCommitRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PinChangeCommitRequest")
            .field("ticket_id", &self.ticket_id)
            .field("new_knowledge_key", &"***")
            .field("assertions", &self.assertions)
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinChangeResponse {
    pub changed_at_ms: i64,
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

// ---- transaction history ----

/// The values of [`Transaction::category`].
pub const TRANSACTION_CATEGORIES: [&str; 9] = [
    "salary",
    "rent",
    "groceries",
    "utilities",
    "transfer",
    "dining",
    "transport",
    "shopping",
    "other",
];

/// The query of `GET /v1/transactions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransactionsQuery {
    /// `next_cursor` of the previous page; absent for the first page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// 1 to 1000; absent: 500.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transaction {
    pub transaction_id: String,
    pub account_id: String,
    pub booked_at_ms: i64,
    /// Signed: negative is money going out of `account_id`.
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    pub currency: String,
    pub counterparty: String,
    pub memo: String,
    /// One of [`TRANSACTION_CATEGORIES`].
    pub category: String,
}

/// One page of the ledger, in booking order (the bank's sequence, not `booked_at_ms`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransactionsPage {
    pub transactions: Vec<Transaction>,
    /// Opaque. Ask again with it for what follows this page, now or later: transactions booked
    /// after this page always come after it. Equal to the request's cursor when the page is
    /// empty.
    pub next_cursor: String,
    /// More transactions follow already now.
    pub has_more: bool,
    pub server_time_ms: i64,
    /// How many transactions follow this page now, when the bank counts them: lets the phone
    /// show how far a sync has come. Omitted by banks that do not count; never exact for
    /// transactions booked while the sync runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining: Option<u64>,
}
