//! The bank's ledger: one SQLite file in the data directory.

mod migrations;
pub(crate) mod seed;

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;

use crate::error::SandboxError;

const DB_FILE: &str = "bank.sqlite3";

/// Opens (creating if needed) the database and brings its schema up to date.
pub(crate) fn open(data_dir: &Path) -> Result<Connection, SandboxError> {
    let mut conn = Connection::open(data_dir.join(DB_FILE))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(Duration::from_secs(5))?;
    // Seeding a long history writes tens of megabytes in one transaction; with SQLite's
    // default 2 MiB page cache it would spill pages to the WAL and read them back throughout.
    conn.pragma_update(None, "cache_size", -64 * 1024)?;
    migrations::run(&mut conn)?;
    Ok(conn)
}
