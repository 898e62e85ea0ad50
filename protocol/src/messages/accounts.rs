//! The customer's accounts, sub-accounts included.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub account_id: String,
    pub product: ProductKind,
    pub name: String,
    /// ISO 4217, e.g. "CNY".
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::currency_code))]
    pub currency: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::decimal))]
    #[serde(with = "rust_decimal::serde::str")]
    pub balance: Decimal,
    /// Only the last four digits are ever sent: `6222 **** **** 7890`.
    pub masked_number: String,
    /// For sub-accounts (e.g. a margin account): the account it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_account_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AccountsResponse {
    pub accounts: Vec<Account>,
    pub server_time_ms: i64,
}
