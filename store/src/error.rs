//! The store's one error type.
//!
//! Every variant is something a caller acts on differently; none carries record contents, keys or
//! other personal data, so errors may be logged as they are.

use std::fmt;

/// The two database files of a store. They fail, and recover, separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StorePart {
    /// `vault.db`: the wrapped data key, device state, settings and the transfer outbox. Nothing in
    /// it can be fetched again from the bank, so it is written durably and backed up.
    Vault,
    /// `cache.db`: accounts, payees, transaction history and the sync cursor, all rebuildable by
    /// syncing again.
    Cache,
}

impl fmt::Display for StorePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StorePart::Vault => "vault",
            StorePart::Cache => "cache",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// `open_existing` found no store in the directory: this device holds no data.
    #[error("no store in this directory")]
    NoData,

    /// The data key is gone for good (wrapping key missing, or the unwrapped key does not open the
    /// key canary). Nothing can be read; the app must tell the customer and re-bind.
    /// `outbox_entries` transfers were queued and can no longer be read: the app must say so and
    /// let the bank's idempotency keys settle them, never drop them silently.
    #[error(
        "the store's key is lost ({outbox_entries} queued transfers unreadable); re-bind required"
    )]
    KeyLost { outbox_entries: u64 },

    /// The platform invalidated the wrapping key (lock screen removed, enrolment changed). Same
    /// consequence as [`StoreError::KeyLost`].
    #[error("the store's key was invalidated ({outbox_entries} queued transfers unreadable); re-bind required")]
    KeyInvalidated { outbox_entries: u64 },

    /// The platform key store is temporarily unavailable (device locked, iOS before first
    /// unlock). Nothing is lost: open again later. Never treat this as "no data".
    #[error("storage is locked; try again after the device is unlocked")]
    StorageLocked,

    /// The platform key store failed for another reason.
    #[error("key store failure: {0}")]
    KeyWrapper(String),

    /// The file was written by a newer version of the app (the app was downgraded).
    #[error("{part} schema version {found} is newer than this app supports ({supported})")]
    SchemaTooNew {
        part: StorePart,
        found: u32,
        supported: u32,
    },

    /// A migration step failed and was rolled back; the file is unchanged at its old version.
    #[error("{part} migration to schema version {version} failed: {reason}")]
    MigrationFailed {
        part: StorePart,
        version: u32,
        reason: String,
    },

    /// The file is damaged (not a database, truncated, malformed pages). `Store::recover`
    /// rebuilds the cache or restores the vault from its backup.
    #[error("{part} database file is corrupt")]
    Corrupt { part: StorePart },

    /// One record failed authentication: its bytes were changed, or it was moved to another row
    /// or table. Other records are unaffected.
    #[error("a record in table {table} failed its integrity check")]
    Integrity { table: &'static str },

    /// The store is paused (`Store::pause`); call `Store::resume` first.
    #[error("store is paused")]
    Paused,

    /// Another connection holds the database lock.
    #[error("{part} database is busy")]
    Busy { part: StorePart },

    /// A monthly total does not fit in 64 bits of minor units.
    #[error("amount total overflows")]
    AmountOverflow,

    /// The caller passed something the store cannot keep.
    #[error("invalid input: {0}")]
    InvalidInput(&'static str),

    /// The disk is full. The write was rolled back: nothing stored is lost, and the same write
    /// succeeds once space is freed.
    #[error("{part}: the disk is full")]
    Full { part: StorePart },

    /// The file system refused to write: it is read-only (mounted so, or turned so by the
    /// kernel after a file-system error). The write was rolled back: nothing stored is lost.
    #[error("{part}: the file system is read-only")]
    ReadOnly { part: StorePart },

    /// The file system refused (permissions, protected data unavailable).
    #[error("i/o error: {0}")]
    Io(String),

    /// Any other database failure.
    #[error("{part} database error: {message}")]
    Database { part: StorePart, message: String },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl StoreError {
    /// Maps a SQLite failure on `part` to the error a caller can act on.
    pub(crate) fn sql(part: StorePart) -> impl Fn(rusqlite::Error) -> StoreError {
        move |err| StoreError::from_sql(part, err)
    }

    pub(crate) fn from_sql(part: StorePart, err: rusqlite::Error) -> StoreError {
        use rusqlite::ErrorCode;
        match err.sqlite_error_code() {
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
                StoreError::Corrupt { part }
            }
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy { part },
            Some(ErrorCode::DiskFull) => StoreError::Full { part },
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly { part },
            Some(
                ErrorCode::CannotOpen | ErrorCode::PermissionDenied | ErrorCode::SystemIoFailure,
            ) => StoreError::Io(format!("{part}: {err}")),
            _ => StoreError::Database {
                part,
                message: err.to_string(),
            },
        }
    }

    pub(crate) fn io(err: std::io::Error) -> StoreError {
        StoreError::Io(err.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::ffi;

    fn sqlite(code: i32) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(ffi::Error::new(code), None)
    }

    #[test]
    fn a_full_disk_and_a_read_only_file_say_so_with_the_part() {
        assert_eq!(
            StoreError::from_sql(StorePart::Vault, sqlite(ffi::SQLITE_FULL)),
            StoreError::Full {
                part: StorePart::Vault
            }
        );
        assert_eq!(
            StoreError::from_sql(StorePart::Cache, sqlite(ffi::SQLITE_READONLY)),
            StoreError::ReadOnly {
                part: StorePart::Cache
            }
        );
        assert!(matches!(
            StoreError::from_sql(StorePart::Vault, sqlite(ffi::SQLITE_IOERR_WRITE)),
            StoreError::Io(_)
        ));
    }
}
