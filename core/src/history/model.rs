//! What the history API hands to the app: plain values the bindings can export as records.

use rust_decimal::Decimal;

/// One booked transaction, as kept on the phone.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Transaction {
    /// The bank's reference; unique across the customer's accounts.
    pub transaction_id: String,
    pub account_id: String,
    /// The bank's calendar day of the booking, `yyyy-mm-dd`. The phone keeps no time of day.
    pub booking_date: String,
    /// Signed: negative is money going out of `account_id`.
    pub amount: Decimal,
    /// ISO 4217.
    pub currency: String,
    pub counterparty: String,
    pub memo: String,
    /// One of the bank's categories: salary, rent, groceries, utilities, transfer, dining,
    /// transport, shopping, other.
    pub category: String,
}

/// Money in and out of one category, in one currency, within a month.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CategorySpending {
    pub category: String,
    pub currency: String,
    /// Money that went out, as a positive amount.
    pub spent: Decimal,
    /// Money that came in.
    pub received: Decimal,
    pub transactions: u32,
}

/// How far a history sync has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SyncProgress {
    /// Transactions fetched and stored on the phone so far in this sync.
    pub fetched: u64,
    /// How many this sync will fetch in all, when the bank says; `None` otherwise.
    pub total_estimate: Option<u64>,
    /// The last event of a sync that reached the end of the bank's history.
    pub done: bool,
}

/// Implemented by the app to follow a sync (a progress bar). Called on a runtime thread, never
/// while Mobank holds a lock; keep it quick.
pub trait SyncProgressListener: Send + Sync {
    fn on_progress(&self, progress: SyncProgress);
}

/// What a completed sync did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SyncReport {
    /// Transactions fetched and stored by this sync (new ones, and corrections of stored ones).
    pub fetched: u64,
    /// Transactions on the phone now.
    pub stored: u64,
}
