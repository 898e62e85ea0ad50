//! The transaction history, page by page behind an opaque cursor.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Transaction {
    pub transaction_id: String,
    pub account_id: String,
    pub booked_at_ms: i64,
    /// Signed: negative is money going out of `account_id`.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::decimal))]
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::currency_code))]
    pub currency: String,
    pub counterparty: String,
    /// The other party's account number, when the bank knows it (money from or to another
    /// customer, or from outside the bank). Lets the phone tell who sent a credit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counterparty_account: Option<String>,
    pub memo: String,
    /// One of [`TRANSACTION_CATEGORIES`].
    pub category: String,
}

/// One page of the ledger, in booking order (the bank's sequence, not `booked_at_ms`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// How many transactions follow this page now (0 on the last page and on an empty ledger),
    /// when the bank counts them: lets the phone show how far a sync has come. Omitted by banks
    /// that do not count; never exact for transactions booked while the sync runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining: Option<u64>,
}
