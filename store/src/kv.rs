//! The key-value API over [`Table`]s.
//!
//! On disk a row is `(lookup value of the key, sealed record)`; the record holds the key and the
//! value, and its associated data names the table and the lookup value, so a record copied under
//! another key or into another table fails to open.

use rusqlite::params;
use zeroize::{Zeroize, Zeroizing};

use crate::codec::{Reader, Writer};
use crate::crypto::{begin_record, Aad, Keys, Lookup, LOOKUP_LEN};
use crate::error::{Result, StoreError, StorePart};
use crate::files::explain_write_failure;
use crate::meta::reserve_epoch;
use crate::setup::{backup_or_warn, MAX_BACKUP_LAG};
use crate::store::Store;
use crate::table::Table;

/// One entry of a table, in the order entries were first put.
#[derive(Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    /// May hold secrets (device state, signed transfers): zeroized on drop.
    pub value: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("key", &self.key)
            .field("value", &"<redacted>")
            .finish()
    }
}

impl Store {
    /// Stores `value` under `key`, replacing what was there (an outbox entry keeps its place in
    /// the queue). Vault tables are on disk and in the backup copy when this returns.
    pub fn put(&self, table: Table, key: &str, value: &[u8]) -> Result<()> {
        self.write(table, key, value, Durability::Backed)
    }

    /// Like [`Store::put`] into a vault table, durable (fsynced) when it returns, but the backup
    /// copy is refreshed only once [`MAX_BACKUP_LAG`] such writes have piled up since the last
    /// refresh (and by the next [`Store::put`], [`Store::delete`], [`Store::clear`] or
    /// [`Store::pause`]). For values their owner can move forward safely after a restore from
    /// a backup that lags behind (see [`Store::restore_unacknowledged`]) — a signature counter,
    /// which may skip values but never repeat one (decision record 0030): the refresh costs
    /// more than the commit itself.
    ///
    /// [`StoreError::InvalidInput`] for a cache table, whose writes are never backed up.
    pub fn put_lagging_backup(&self, table: Table, key: &str, value: &[u8]) -> Result<()> {
        vault_only(table)?;
        self.write(table, key, value, Durability::LaggingBackup)
    }

    /// Like [`Store::put_lagging_backup`], but the commit is not flushed to the disk: it
    /// survives the app being killed, and a power cut loses it unless a later durable write
    /// (any other vault write, or [`Store::pause`]) came first. The write-ahead log is written
    /// in order, so that later flush carries this write too. For a value whose owner makes a
    /// durable write before anything depends on it surviving a power cut (a signature counter
    /// reserved for a transfer whose outbox entry is written before it is sent), or one a
    /// lost write only makes the owner ask again (decision record 0033).
    ///
    /// [`StoreError::InvalidInput`] for a cache table.
    pub fn put_flushed_later(&self, table: Table, key: &str, value: &[u8]) -> Result<()> {
        vault_only(table)?;
        self.write(table, key, value, Durability::FlushedLater)
    }

    fn write(&self, table: Table, key: &str, value: &[u8], durability: Durability) -> Result<()> {
        self.write_locked(table, key, value, durability)
            .map_err(|error| explain_write_failure(error, table.part(), self.paths()))
    }

    fn write_locked(
        &self,
        table: Table,
        key: &str,
        value: &[u8],
        durability: Durability,
    ) -> Result<()> {
        let part = table.part();
        let mut guard = self.lock();
        let inner = &mut *guard;
        let conns = inner.conns.as_ref().ok_or(StoreError::Paused)?;
        let mac = inner.keys.lookup(table.name().as_bytes(), key.as_bytes());
        begin_record(&mut inner.record);
        Writer(&mut inner.record).str(key);
        inner.record.extend_from_slice(value);
        let nonce = inner.nonces.next(|| reserve_epoch(&conns.vault))?;
        inner
            .keys
            .seal(nonce, &aad(table, &mac), &mut inner.record)?;
        let conn = conns.get(part);
        let put = || {
            conn.prepare_cached(table.sql().put)
                .and_then(|mut stmt| stmt.execute(params![&mac[..], &inner.record[..]]))
        };
        if durability == Durability::FlushedLater {
            // Only around the record's own commit: a nonce epoch claimed above was flushed.
            without_flush(conn, put)?;
        } else {
            put().map_err(StoreError::sql(part))?;
        }
        if part == StorePart::Vault {
            let lagging = durability != Durability::Backed;
            if lagging {
                inner.backup_lag = inner.backup_lag.saturating_add(1);
            }
            if !lagging || inner.backup_lag >= MAX_BACKUP_LAG {
                backup_or_warn(conn, self.paths(), &mut inner.nonces, &mut inner.backup_lag);
            }
        }
        Ok(())
    }

    /// The value under `key`, or `None`. [`StoreError::Integrity`] if that record was tampered
    /// with.
    pub fn get(&self, table: Table, key: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
        let part = table.part();
        let mut guard = self.lock();
        let inner = &mut *guard;
        let conns = inner.conns.as_ref().ok_or(StoreError::Paused)?;
        let mac = inner.keys.lookup(table.name().as_bytes(), key.as_bytes());
        let mut stmt = conns
            .get(part)
            .prepare_cached(table.sql().get)
            .map_err(StoreError::sql(part))?;
        let mut rows = stmt.query([&mac[..]]).map_err(StoreError::sql(part))?;
        let Some(row) = rows.next().map_err(StoreError::sql(part))? else {
            return Ok(None);
        };
        let sealed = row
            .get_ref(0)
            .and_then(|v| Ok(v.as_blob()?))
            .map_err(|_| integrity(table))?;
        let result = open_entry(&inner.keys, table, &mac, sealed, &mut inner.scratch).and_then(
            |(stored_key, value)| {
                if stored_key == key {
                    Ok(Zeroizing::new(value.to_vec()))
                } else {
                    Err(integrity(table))
                }
            },
        );
        inner.scratch.zeroize();
        result.map(Some)
    }

    /// Removes `key`; returns whether it was there.
    pub fn delete(&self, table: Table, key: &str) -> Result<bool> {
        let part = table.part();
        let mut guard = self.lock();
        let inner = &mut *guard;
        let conns = inner.conns.as_ref().ok_or(StoreError::Paused)?;
        let mac = inner.keys.lookup(table.name().as_bytes(), key.as_bytes());
        let conn = conns.get(part);
        let removed = conn
            .prepare_cached(table.sql().delete)
            .and_then(|mut stmt| stmt.execute([&mac[..]]))
            .map_err(StoreError::sql(part))?;
        if removed > 0 && part == StorePart::Vault {
            backup_or_warn(conn, self.paths(), &mut inner.nonces, &mut inner.backup_lag);
        }
        Ok(removed > 0)
    }

    /// Every entry of `table`, oldest first (for the outbox: the order to retry in). Fails as a
    /// whole with [`StoreError::Integrity`] if any entry does not open, so a damaged entry is
    /// never silently skipped.
    pub fn entries(&self, table: Table) -> Result<Vec<Entry>> {
        let part = table.part();
        let mut guard = self.lock();
        let inner = &mut *guard;
        let conns = inner.conns.as_ref().ok_or(StoreError::Paused)?;
        let mut stmt = conns
            .get(part)
            .prepare_cached(table.sql().entries)
            .map_err(StoreError::sql(part))?;
        let mut rows = stmt.query([]).map_err(StoreError::sql(part))?;
        let mut entries = Vec::new();
        let mut failure = None;
        while let Some(row) = rows.next().map_err(StoreError::sql(part))? {
            let opened = lookup_column(row, table).and_then(|mac| {
                let sealed = row
                    .get_ref(1)
                    .and_then(|v| Ok(v.as_blob()?))
                    .map_err(|_| integrity(table))?;
                let (key, value) =
                    open_entry(&inner.keys, table, &mac, sealed, &mut inner.scratch)?;
                Ok(Entry {
                    key: key.to_owned(),
                    value: Zeroizing::new(value.to_vec()),
                })
            });
            match opened {
                Ok(entry) => entries.push(entry),
                Err(err) => {
                    failure = Some(err);
                    break;
                }
            }
        }
        inner.scratch.zeroize();
        match failure {
            Some(err) => Err(err),
            None => Ok(entries),
        }
    }

    /// Number of entries in `table` (readable without opening any record).
    pub fn count(&self, table: Table) -> Result<u64> {
        let part = table.part();
        let guard = self.lock();
        let conns = guard.conns.as_ref().ok_or(StoreError::Paused)?;
        conns
            .get(part)
            .prepare_cached(table.sql().count)
            .and_then(|mut stmt| stmt.query_row([], |row| row.get::<_, i64>(0)))
            .map(|n| n.unsigned_abs())
            .map_err(StoreError::sql(part))
    }

    /// Removes every entry of `table`.
    pub fn clear(&self, table: Table) -> Result<()> {
        let part = table.part();
        let mut guard = self.lock();
        let inner = &mut *guard;
        let conns = inner.conns.as_ref().ok_or(StoreError::Paused)?;
        let conn = conns.get(part);
        conn.prepare_cached(table.sql().clear)
            .and_then(|mut stmt| stmt.execute([]))
            .map_err(StoreError::sql(part))?;
        if part == StorePart::Vault {
            backup_or_warn(conn, self.paths(), &mut inner.nonces, &mut inner.backup_lag);
        }
        Ok(())
    }
}

/// How far a vault write has reached when it returns.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Durability {
    /// On the disk, and in the backup copy.
    Backed,
    /// On the disk; the backup copy follows within [`MAX_BACKUP_LAG`] writes.
    LaggingBackup,
    /// Committed, on the disk with the next flushed commit; the backup as `LaggingBackup`.
    FlushedLater,
}

fn vault_only(table: Table) -> Result<()> {
    if table.part() == StorePart::Vault {
        Ok(())
    } else {
        Err(StoreError::InvalidInput(
            "only vault tables have a backup copy to lag behind",
        ))
    }
}

/// Runs `commit` on the vault with `synchronous = NORMAL` (in WAL mode: no flush at commit),
/// then puts the vault's setting back whatever happened.
fn without_flush(
    vault: &rusqlite::Connection,
    commit: impl FnOnce() -> rusqlite::Result<usize>,
) -> Result<()> {
    let sql = StoreError::sql(StorePart::Vault);
    vault
        .execute_batch("PRAGMA synchronous = NORMAL")
        .map_err(sql)?;
    let committed = commit();
    crate::files::flush_every_commit(vault)?;
    committed
        .map(drop)
        .map_err(StoreError::sql(StorePart::Vault))
}

/// Seals a key-value record inside an open write (the history sync stores its cursor this way).
pub(crate) fn seal_entry(
    keys: &Keys,
    nonce: [u8; 12],
    table: Table,
    key: &str,
    value: &[u8],
    record: &mut Vec<u8>,
) -> Result<Lookup> {
    let mac = keys.lookup(table.name().as_bytes(), key.as_bytes());
    begin_record(record);
    Writer(record).str(key);
    record.extend_from_slice(value);
    keys.seal(nonce, &aad(table, &mac), record)?;
    Ok(mac)
}

pub(crate) fn aad(table: Table, mac: &Lookup) -> Aad {
    let mut aad = Aad::new(table.name());
    aad.push(mac);
    aad
}

pub(crate) fn open_entry<'s>(
    keys: &Keys,
    table: Table,
    mac: &Lookup,
    sealed: &[u8],
    scratch: &'s mut Vec<u8>,
) -> Result<(&'s str, &'s [u8])> {
    let plain = keys
        .open(&aad(table, mac), sealed, scratch)
        .ok_or(integrity(table))?;
    let mut reader = Reader(plain);
    let key = reader.str().ok_or(integrity(table))?;
    Ok((key, reader.rest()))
}

fn lookup_column(row: &rusqlite::Row<'_>, table: Table) -> Result<Lookup> {
    let blob = row
        .get_ref(0)
        .and_then(|v| Ok(v.as_blob()?))
        .map_err(|_| integrity(table))?;
    <[u8; LOOKUP_LEN]>::try_from(blob).map_err(|_| integrity(table))
}

fn integrity(table: Table) -> StoreError {
    StoreError::Integrity {
        table: table.name(),
    }
}
