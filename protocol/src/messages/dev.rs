//! The sandbox's developer API: what a branch, the SMS network, the push service and the card
//! network do for a real bank. Plain HTTP on its own loopback listener; never part of a real bank.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::NoticeKind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IssueActivationRequest {
    pub customer_id: String,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IssueActivationResponse {
    pub activation_code: String,
    /// The registered phone number the OTP will go to (E.164).
    pub phone: String,
    pub expires_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SmsMessage {
    pub to: String,
    pub body: String,
    pub sent_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SmsOutbox {
    /// Oldest first.
    pub messages: Vec<SmsMessage>,
}

/// One notification the bank sent to one of the customer's devices (a push message in a real
/// bank); the same event reaches the device as a [`Notice`](super::Notice) at its next login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// The channel a channel notification is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<crate::transfer::Channel>,
    /// The payee a payee notification is about: `王芳 (**** 6509)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee: Option<String>,
    /// The product a product notification is about: its name and masked number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NotificationOutbox {
    /// Oldest first.
    pub notifications: Vec<Notification>,
}

/// Books one transaction on an account, as a card payment or an incoming transfer would.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AppendTransactionRequest {
    /// Absent: the demo customer's current account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Signed: negative is money going out.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::decimal))]
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    pub counterparty: String,
    pub memo: String,
    /// One of [`TRANSACTION_CATEGORIES`](super::TRANSACTION_CATEGORIES).
    pub category: String,
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
