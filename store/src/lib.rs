//! Mobank's encrypted local store.
//!
//! Everything the phone keeps (device state, settings, the transfer outbox, the accounts and
//! payees caches, transaction history) goes through [`Store`]: SQLite (bundled) with every record
//! sealed by AES-256-GCM under a random data key that the platform key store wraps
//! ([`KeyWrapper`]). Lookups use keyed HMAC values, never plaintext. See `docs/threat-model.md`
//! ("Local store") for what stays visible on disk and decision records 0003-0006 for the nonce
//! scheme, durability, the two-file layout and history search.

mod codec;
mod columns;
mod crypto;
mod error;
mod files;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod history;
mod kv;
mod meta;
mod model;
mod nonce;
mod schema;
mod setup;
mod store;
mod table;
mod text;
mod tx_account;
mod wrapper;

pub use error::{Result, StoreError, StorePart};
pub use kv::Entry;
pub use model::{CategoryTotal, Transaction};
pub use schema::SCHEMA_VERSION;
pub use setup::MAX_BACKUP_LAG;
pub use store::{OpenInfo, Store};
pub use table::Table;
pub use wrapper::{KeyWrapper, WrapError};
pub use zeroize::Zeroizing;
