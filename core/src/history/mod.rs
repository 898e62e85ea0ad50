//! Transaction history on the phone: an incremental sync from the bank into the encrypted store,
//! and the queries the app's screens make (latest of an account, a date range, text search, a
//! monthly summary by category). Everything needs a live session.

mod cache;
mod client;
mod convert;
mod model;
mod queries;
mod sync;

pub(crate) use cache::store_for;
pub use client::HistoryClient;
pub(crate) use convert::{booking_day, next_bank_day_ms};
pub use model::{CategorySpending, SyncProgress, SyncProgressListener, SyncReport, Transaction};
