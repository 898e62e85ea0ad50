//! The `meta` rows of each file: the wrapped data key, the nonce epoch counter, the key canary.

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::crypto::{begin_record, Aad, Keys};
use crate::error::{Result, StoreError, StorePart};
use crate::files::Paths;
use crate::nonce;

pub(crate) const WRAPPED_KEY: &str = "wrapped_key";
pub(crate) const NONCE_EPOCH: &str = "nonce_epoch";
pub(crate) const CANARY: &str = "canary";
/// Present from a restore from the backup until the vault's owner acknowledged it.
pub(crate) const RESTORED: &str = "restored";
const CANARY_PLAINTEXT: &[u8] = b"mobank-store key canary v1";

fn canary_aad(part: StorePart) -> Aad {
    let mut aad = Aad::new(match part {
        StorePart::Vault => "vault-meta",
        StorePart::Cache => "cache-meta",
    });
    aad.push(CANARY.as_bytes());
    aad
}

/// The canary of a file, sealed with `nonce`.
pub(crate) fn seal_canary(keys: &Keys, nonce: [u8; 12], part: StorePart) -> Result<Vec<u8>> {
    let mut record = Vec::new();
    begin_record(&mut record);
    record.extend_from_slice(CANARY_PLAINTEXT);
    keys.seal(nonce, &canary_aad(part), &mut record)?;
    Ok(record)
}

/// Whether the canary of `conn` opens under `keys`: the one check that tells "wrong or lost key"
/// from "no data" and from damage elsewhere.
pub(crate) fn canary_opens(conn: &Connection, keys: &Keys, part: StorePart) -> Result<bool> {
    let Some(blob) = meta_get(conn, part, CANARY)? else {
        return Ok(false);
    };
    let mut scratch = Vec::new();
    Ok(keys.open(&canary_aad(part), &blob, &mut scratch) == Some(CANARY_PLAINTEXT))
}

/// Durably claims the next nonce epoch (decision record 0003). Runs once per session, before the
/// first record is sealed. The vault backup is refreshed later (next vault write or pause): a
/// restore from a backup that missed reservations skips ahead (see [`Store::recover`]).
pub(crate) fn reserve_epoch(vault: &Connection) -> Result<u32> {
    let part = StorePart::Vault;
    let tx = vault
        .unchecked_transaction()
        .map_err(StoreError::sql(part))?;
    let stored = meta_get(&tx, part, NONCE_EPOCH)?.ok_or(StoreError::Corrupt { part })?;
    let epoch = u32::from_be_bytes(
        stored
            .try_into()
            .map_err(|_| StoreError::Corrupt { part })?,
    );
    meta_put(
        &tx,
        part,
        NONCE_EPOCH,
        &nonce::following(epoch)?.to_be_bytes(),
    )?;
    // The vault is synchronous=FULL: the claim is on disk before any record uses it.
    tx.commit().map_err(StoreError::sql(part))?;
    Ok(epoch)
}

/// A restored backup may predate nonce epochs that sessions since then reserved and used. Skipping
/// far ahead keeps the next epochs unused; the random half of each nonce prefix covers the rest
/// (decision record 0003).
pub(crate) fn skip_epochs_after_restore(paths: &Paths) -> Result<()> {
    const SKIP: u32 = 1 << 16;
    let part = StorePart::Vault;
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let vault = Connection::open_with_flags(&paths.vault, flags).map_err(StoreError::sql(part))?;
    let stored = meta_get(&vault, part, NONCE_EPOCH)?.ok_or(StoreError::Corrupt { part })?;
    let epoch = u32::from_be_bytes(
        stored
            .try_into()
            .map_err(|_| StoreError::Corrupt { part })?,
    );
    let skipped = epoch.checked_add(SKIP).ok_or(StoreError::InvalidInput(
        "nonce epochs exhausted for this data key; re-bind",
    ))?;
    let tx = vault
        .unchecked_transaction()
        .map_err(StoreError::sql(part))?;
    meta_put(&tx, part, NONCE_EPOCH, &skipped.to_be_bytes())?;
    // Kept until the owner of lagging writes has moved its values forward
    // (`Store::acknowledge_restore`), so a crash before it did cannot hide the restore.
    meta_put(&tx, part, RESTORED, &[1])?;
    tx.commit().map_err(StoreError::sql(part))
}

pub(crate) fn meta_delete(conn: &Connection, part: StorePart, name: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM meta WHERE name = ?1")
        .and_then(|mut stmt| stmt.execute([name]))
        .map(|_| ())
        .map_err(StoreError::sql(part))
}

pub(crate) fn meta_get(conn: &Connection, part: StorePart, name: &str) -> Result<Option<Vec<u8>>> {
    conn.prepare_cached("SELECT value FROM meta WHERE name = ?1")
        .and_then(|mut stmt| stmt.query_row([name], |row| row.get(0)).optional())
        .map_err(StoreError::sql(part))
}

pub(crate) fn meta_put(conn: &Connection, part: StorePart, name: &str, value: &[u8]) -> Result<()> {
    conn.prepare_cached("INSERT OR REPLACE INTO meta (name, value) VALUES (?1, ?2)")
        .and_then(|mut stmt| stmt.execute(rusqlite::params![name, value]))
        .map(|_| ())
        .map_err(StoreError::sql(part))
}
