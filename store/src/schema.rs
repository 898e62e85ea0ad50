//! Numbered schema migrations.
//!
//! Each file records its own version in SQLite's `user_version` header field (the only record of
//! it, so it cannot drift from a separate migrations table) and every step runs in one
//! transaction with its version bump: a crash or a failing step leaves the file at the previous
//! version, and the next open retries. One numbered list covers both files; a step may touch
//! either or both.

use rusqlite::{Connection, TransactionBehavior};

use crate::error::{Result, StoreError, StorePart};

/// The schema version this code writes.
pub const SCHEMA_VERSION: u32 = 2;

struct Migration {
    version: u32,
    vault: &'static str,
    cache: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    // 1: the initial layout. Every record table holds a keyed lookup value and a sealed record;
    // transactions additionally keep an account reference and the booking day in clear for
    // ordering and range queries (docs/threat-model.md).
    Migration {
        version: 1,
        vault: "
            CREATE TABLE meta (name TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL) WITHOUT ROWID;
            CREATE TABLE kv_device (key_mac BLOB NOT NULL UNIQUE, sealed BLOB NOT NULL);
            CREATE TABLE kv_settings (key_mac BLOB NOT NULL UNIQUE, sealed BLOB NOT NULL);
        ",
        cache: "
            CREATE TABLE meta (name TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL) WITHOUT ROWID;
            CREATE TABLE kv_accounts (key_mac BLOB NOT NULL UNIQUE, sealed BLOB NOT NULL);
            CREATE TABLE kv_payees (key_mac BLOB NOT NULL UNIQUE, sealed BLOB NOT NULL);
            CREATE TABLE kv_sync (key_mac BLOB NOT NULL UNIQUE, sealed BLOB NOT NULL);
            CREATE TABLE tx_account (ref INTEGER PRIMARY KEY, mac BLOB NOT NULL UNIQUE,
                                     sealed BLOB NOT NULL);
            CREATE TABLE tx (id_tag INTEGER NOT NULL UNIQUE, acct INTEGER NOT NULL,
                             day INTEGER NOT NULL, sealed BLOB NOT NULL);
            CREATE INDEX tx_by_account_day ON tx (acct, day);
        ",
    },
    // 2: the signed-transfer outbox. It cannot be fetched again from the bank, so it lives in the
    // vault (durable commits, backed up after every write), never in the rebuildable cache. Rows
    // keep insertion order (rowid), which is the order transfers are retried in.
    Migration {
        version: 2,
        vault: "CREATE TABLE kv_outbox (key_mac BLOB NOT NULL UNIQUE, sealed BLOB NOT NULL);",
        cache: "",
    },
];

pub(crate) fn version_of(conn: &Connection, part: StorePart) -> Result<u32> {
    conn.query_row("PRAGMA user_version", [], |row| row.get::<_, u32>(0))
        .map_err(StoreError::sql(part))
}

/// Refuses a file written by a newer schema before anything else reads it.
pub(crate) fn check_not_newer(conn: &Connection, part: StorePart) -> Result<u32> {
    let found = version_of(conn, part)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew {
            part,
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(found)
}

/// Brings `conn` from its current version up to `target`. Returns whether anything ran.
pub(crate) fn migrate(conn: &mut Connection, part: StorePart, target: u32) -> Result<bool> {
    let found = check_not_newer(conn, part)?;
    let mut ran = false;
    for step in MIGRATIONS
        .iter()
        .filter(|m| m.version > found && m.version <= target)
    {
        let sql = match part {
            StorePart::Vault => step.vault,
            StorePart::Cache => step.cache,
        };
        let failed = |err: rusqlite::Error| match StoreError::from_sql(part, err) {
            corrupt
            @ (StoreError::Corrupt { .. } | StoreError::Busy { .. } | StoreError::Io(_)) => corrupt,
            other => StoreError::MigrationFailed {
                part,
                version: step.version,
                reason: other.to_string(),
            },
        };
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(failed)?;
        tx.execute_batch(sql).map_err(failed)?;
        tx.pragma_update(None, "user_version", step.version)
            .map_err(failed)?;
        tx.commit().map_err(failed)?;
        tracing::info!(%part, version = step.version, "store schema migrated");
        ran = true;
    }
    Ok(ran)
}
