//! The customer's accounts as the app shows them.

mod client;

use rust_decimal::Decimal;

pub use client::AccountsClient;
pub use mobank_protocol::messages::ProductKind;

/// One of the customer's accounts, sub-accounts included.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Account {
    pub account_id: String,
    pub product: ProductKind,
    pub name: String,
    /// ISO 4217, e.g. "CNY".
    pub currency: String,
    pub balance: Decimal,
    /// Only the last four digits: `6222 **** **** 7890`.
    pub masked_number: String,
    /// For sub-accounts (a margin account, say): the account it belongs to.
    pub parent_account_id: Option<String>,
}

impl From<mobank_protocol::messages::Account> for Account {
    fn from(account: mobank_protocol::messages::Account) -> Self {
        Self {
            account_id: account.account_id,
            product: account.product,
            name: account.name,
            currency: account.currency,
            balance: account.balance,
            masked_number: account.masked_number,
            parent_account_id: account.parent_account_id,
        }
    }
}
