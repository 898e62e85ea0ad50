//! Payment channels and their limits: which channels are on, the per-transaction, daily and
//! monthly limit of each, a raise waiting for its cooling-off, and how much can still be sent.
//! Amounts are decimal strings in `currency` (the bank's limit currency, CNY in the sandbox).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Limits;
use crate::assertion::Assertion;
use crate::transfer::Channel;

/// Who opened a channel that is not on for everyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChannelOpener {
    /// A branch or the back office: the channel stays off until the customer turns it on in
    /// the app.
    Branch,
    /// The customer, in the app.
    App,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChannelLimits {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::decimal))]
    #[serde(with = "rust_decimal::serde::str")]
    pub per_transaction: Decimal,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::decimal))]
    #[serde(with = "rust_decimal::serde::str")]
    pub daily: Decimal,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::decimal))]
    #[serde(with = "rust_decimal::serde::str")]
    pub monthly: Decimal,
}

/// A raise the customer asked for, in force from `applies_at_ms`. Until then the limits in
/// force stay; values that were lowered in the same request are already in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PendingLimits {
    pub limits: ChannelLimits,
    pub applies_at_ms: i64,
}

/// What can still be sent on a channel now: its own limits and the session's device limits
/// (`Limits`), the stricter of each, less what was sent today and this month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChannelRoom {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::decimal))]
    #[serde(with = "rust_decimal::serde::str")]
    pub per_transaction: Decimal,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::decimal))]
    #[serde(with = "rust_decimal::serde::str")]
    pub today: Decimal,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::decimal))]
    #[serde(with = "rust_decimal::serde::str")]
    pub this_month: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChannelView {
    pub channel: Channel,
    /// Whether payments on the channel are accepted now.
    pub enabled: bool,
    /// Absent for the mobile transfer, which every customer has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opened_by: Option<ChannelOpener>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::currency_code))]
    pub currency: String,
    /// The limits in force now.
    pub limits: ChannelLimits,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<PendingLimits>,
    /// The highest limits the bank allows on this channel.
    pub ceilings: ChannelLimits,
    pub room: ChannelRoom,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChannelsResponse {
    /// In the order of `Channel::ALL`.
    pub channels: Vec<ChannelView>,
    /// The session's device limits (cooling-off, integrity), which apply on top.
    pub device_limits: Limits,
    pub server_time_ms: i64,
}

/// Turns a channel on: a fresh strong authentication and a possession signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EnableChannelRequest {
    pub channel: Channel,
    /// An `operation` challenge of this session.
    pub challenge_id: String,
    /// `possession`, ceremony `mobank.operation`, operation `enable_channel:<channel>`.
    pub assertion: Assertion,
}

/// Turns a channel off at once. Needs only the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DisableChannelRequest {
    pub channel: Channel,
}

/// Sets a channel's three limits. A value at or below the one in force applies at once; a
/// higher one waits for the cooling-off and needs the signature. The request replaces any
/// raise still pending on the channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetLimitsRequest {
    pub channel: Channel,
    pub limits: ChannelLimits,
    /// With a raise: an `operation` challenge of this session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_id: Option<String>,
    /// With a raise: `possession`, ceremony `mobank.operation`, operation
    /// `set_limits:<channel>:<per_transaction>:<daily>:<monthly>` (`operations::set_limits`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assertion: Option<Assertion>,
}
