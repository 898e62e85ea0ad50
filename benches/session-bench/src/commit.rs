//! A durable commit configured like the phone's vault: the disk part of a floor. The transfer
//! benchmark includes this file too.

use std::path::Path;
use std::time::{Duration, Instant};

use ring::rand::{SecureRandom, SystemRandom};
use rusqlite::{params, Connection};

/// A SQLite file with the vault's settings (WAL, `synchronous = FULL`: every commit fsynced
/// before it returns), written one record per commit, a new key each time.
pub struct DurableCommit {
    conn: Connection,
    value: Vec<u8>,
    next_key: u64,
}

impl DurableCommit {
    /// `record_len`: the size of the sealed record the phone writes (see `sealed_record_len`).
    pub fn new(dir: &Path, record_len: usize) -> Result<Self, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let conn = Connection::open(dir.join("vault-floor.db")).map_err(|e| e.to_string())?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             PRAGMA journal_size_limit = 4194304;
             CREATE TABLE IF NOT EXISTS kv (k INTEGER PRIMARY KEY, sealed BLOB NOT NULL);",
        )
        .map_err(|e| e.to_string())?;
        let mut value = vec![0u8; record_len];
        // Sealed records are random-looking; so is this one.
        SystemRandom::new()
            .fill(&mut value)
            .map_err(|_| "random failed")?;
        Ok(Self {
            conn,
            value,
            next_key: 0,
        })
    }

    /// One commit of one record.
    pub fn commit(&mut self) -> Result<Duration, String> {
        self.next_key += 1;
        let key = i64::try_from(self.next_key).map_err(|e| e.to_string())?;
        let started = Instant::now();
        let written = self
            .conn
            .prepare_cached("INSERT OR REPLACE INTO kv (k, sealed) VALUES (?1, ?2)")
            .and_then(|mut stmt| stmt.execute(params![key, &self.value]));
        let elapsed = started.elapsed();
        written.map_err(|e| format!("durable commit: {e}"))?;
        Ok(elapsed)
    }

    pub fn record_len(&self) -> usize {
        self.value.len()
    }
}

/// The size of the largest sealed record of `table` (`kv_device`, `kv_outbox`) in the vault of
/// the phone whose data is under `phone_dir`. Read from the SQLite file, which needs no key.
pub fn sealed_record_len(phone_dir: &Path, table: &str) -> Result<usize, String> {
    let vault = phone_dir.join("store").join("vault.db");
    let conn = Connection::open_with_flags(&vault, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| format!("{}: {e}", vault.display()))?;
    let len: i64 = conn
        .query_row(
            &format!("SELECT max(length(sealed)) FROM {table}"),
            [],
            |row| row.get(0),
        )
        .map_err(|e| format!("{table} record size: {e}"))?;
    usize::try_from(len).map_err(|e| e.to_string())
}
