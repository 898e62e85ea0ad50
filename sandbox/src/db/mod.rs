//! The bank's storage: one SQLite file in the data directory, its numbered migrations, the
//! customers it starts with, and the SQL of everything but the ledger (which keeps its own, in
//! `crate::ledger`). Functions here read and write rows; the rules that decide what to write
//! are in `crate::bank`.

pub(crate) mod activations;
pub(crate) mod challenges;
pub(crate) mod channels;
pub(crate) mod customers;
pub(crate) mod devices;
pub(crate) mod merchants;
mod migrations;
pub(crate) mod notices;
pub(crate) mod payees;
pub(crate) mod schedules;
pub(crate) mod seed;
pub(crate) mod sessions;
pub(crate) mod sms;
pub(crate) mod transfers;

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;

use crate::error::SandboxError;

const DB_FILE: &str = "bank.sqlite3";

/// Every commit reaches the disk before the request is answered, but those the bank chooses
/// not to flush (`Bank::transact_unflushed`).
pub(crate) const SYNCHRONOUS: &str = "FULL";

/// Opens (creating if needed) the database and brings its schema up to date.
pub(crate) fn open(data_dir: &Path) -> Result<Connection, SandboxError> {
    let mut conn = Connection::open(data_dir.join(DB_FILE))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", SYNCHRONOUS)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(Duration::from_secs(5))?;
    // Seeding a long history writes tens of megabytes in one transaction; with SQLite's
    // default 2 MiB page cache it would spill pages to the WAL and read them back throughout.
    conn.pragma_update(None, "cache_size", -64 * 1024)?;
    migrations::run(&mut conn)?;
    Ok(conn)
}
