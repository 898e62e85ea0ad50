//! The transfer limits of a session.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Limits {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::decimal))]
    #[serde(with = "rust_decimal::serde::str")]
    pub per_transaction: Decimal,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::decimal))]
    #[serde(with = "rust_decimal::serde::str")]
    pub daily: Decimal,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::currency_code))]
    pub currency: String,
    /// The first reason that applies, in the order `BlockedByIntegrity`, `IntegrityRisk`,
    /// `CoolingOff`, `Normal`: an integrity reason wins over cooling-off even where their limits
    /// are equal.
    pub reason: LimitReason,
    /// Set while the device's cooling-off period lasts, whatever `reason` says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cooling_off_until_ms: Option<i64>,
}
