//! Creating, opening and checking the two database files of a store.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::crypto::Keys;
use crate::error::{Result, StoreError, StorePart};
use crate::files::{self, Paths};
use crate::meta::{
    canary_opens, meta_get, meta_put, reserve_epoch, seal_canary, CANARY, NONCE_EPOCH, WRAPPED_KEY,
};
use crate::nonce::Nonces;
use crate::schema;

/// Opens `vault.db` and reads the wrapped data key. The vault is small, so a full structural
/// check costs little and catches damage before anything relies on the outbox.
pub(crate) fn open_vault(paths: &Paths) -> Result<(Connection, Vec<u8>)> {
    let part = StorePart::Vault;
    let vault = files::connect(&paths.vault, part)?;
    if schema::check_not_newer(&vault, part)? == 0 {
        // vault.db only ever appears complete (created under another name, then renamed).
        return Err(StoreError::Corrupt { part });
    }
    files::quick_check(&vault, part)?;
    let wrapped = meta_get(&vault, part, WRAPPED_KEY)?.ok_or(StoreError::Corrupt { part })?;
    Ok((vault, wrapped))
}

/// Queued transfers, counted in clear so that a lost key is never a silent loss of them.
pub(crate) fn outbox_entries(vault: &Connection) -> Result<u64> {
    let part = StorePart::Vault;
    let exists: bool = vault
        .query_row(
            "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = 'kv_outbox'",
            [],
            |row| row.get(0),
        )
        .map_err(StoreError::sql(part))?;
    if !exists {
        return Ok(0);
    }
    vault
        .query_row("SELECT count(*) FROM kv_outbox", [], |row| {
            row.get::<_, i64>(0)
        })
        .map(|n| n.unsigned_abs())
        .map_err(StoreError::sql(part))
}

pub(crate) fn create_vault(
    paths: &Paths,
    keys: &Keys,
    wrapped: &[u8],
    target: u32,
) -> Result<(Connection, Nonces)> {
    let part = StorePart::Vault;
    let fresh = paths.dir.join("vault.db.new");
    let mut nonces = Nonces::starting_at(0)?;
    build_then_rename(&fresh, &paths.vault, part, target, |conn| {
        let nonce = nonces.next_in_epoch().ok_or(StoreError::InvalidInput(
            "no nonce epoch reserved at creation",
        ))?;
        let canary = seal_canary(keys, nonce, part)?;
        let tx = conn
            .unchecked_transaction()
            .map_err(StoreError::sql(part))?;
        meta_put(&tx, part, WRAPPED_KEY, wrapped)?;
        // Epoch 0 is this session's; the next session reserves 1.
        meta_put(&tx, part, NONCE_EPOCH, &1u32.to_be_bytes())?;
        meta_put(&tx, part, CANARY, &canary)?;
        tx.commit().map_err(StoreError::sql(part))
    })?;
    Ok((files::connect(&paths.vault, part)?, nonces))
}

pub(crate) fn create_cache(
    paths: &Paths,
    keys: &Keys,
    nonces: &mut Nonces,
    vault: &Connection,
    target: u32,
) -> Result<Connection> {
    let part = StorePart::Cache;
    let fresh = paths.dir.join("cache.db.new");
    build_then_rename(&fresh, &paths.cache, part, target, |conn| {
        let canary = seal_canary(keys, nonces.next(|| reserve_epoch(vault))?, part)?;
        meta_put(conn, part, CANARY, &canary)
    })?;
    files::connect(&paths.cache, part)
}

/// Creates a database under a temporary name and renames it into place once complete, so the
/// real name never refers to a half-created file: a file under that name with no schema is
/// damage, not an interrupted creation.
fn build_then_rename(
    fresh: &Path,
    target_path: &Path,
    part: StorePart,
    target: u32,
    fill: impl FnOnce(&Connection) -> Result<()>,
) -> Result<()> {
    files::remove_all(&Paths::with_sidecars(fresh))?;
    let mut conn = files::connect(fresh, part)?;
    schema::migrate(&mut conn, part, target)?;
    fill(&conn)?;
    // Closing the last connection checkpoints the WAL into the file and removes it.
    conn.close()
        .map_err(|(_, e)| StoreError::from_sql(part, e))?;
    std::fs::File::open(fresh)
        .and_then(|f| f.sync_all())
        .map_err(StoreError::io)?;
    files::remove_all(&Paths::with_sidecars(target_path))?;
    std::fs::rename(fresh, target_path).map_err(StoreError::io)?;
    if let Some(dir) = target_path.parent() {
        if let Ok(dir) = std::fs::File::open(dir) {
            let _ = dir.sync_all();
        }
    }
    Ok(())
}

/// Opens `cache.db`, creating it when absent. A cache whose canary does not open under this key
/// (another store's file, or damage) is reported as corrupt.
pub(crate) fn attach_cache(
    paths: &Paths,
    keys: &Keys,
    nonces: &mut Nonces,
    vault: &Connection,
    target: u32,
) -> Result<(Connection, bool)> {
    let part = StorePart::Cache;
    if !paths.cache.exists() {
        return Ok((create_cache(paths, keys, nonces, vault, target)?, true));
    }
    let mut cache = files::connect(&paths.cache, part)?;
    if schema::check_not_newer(&cache, part)? == 0 || !canary_opens(&cache, keys, part)? {
        return Err(StoreError::Corrupt { part });
    }
    schema::migrate(&mut cache, part, target)?;
    Ok((cache, false))
}

/// Whether a database file opens and passes `quick_check` (and, for a vault, holds a wrapped
/// key). Opens without changing the file's journal mode.
pub(crate) fn database_sound(path: &Path, vault: bool) -> bool {
    if !path.exists() {
        return false;
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let Ok(conn) = Connection::open_with_flags(path, flags) else {
        return false;
    };
    let part = if vault {
        StorePart::Vault
    } else {
        StorePart::Cache
    };
    if files::quick_check(&conn, part).is_err() {
        return false;
    }
    !vault || matches!(meta_get(&conn, part, WRAPPED_KEY), Ok(Some(_)))
}

/// How many [`crate::Store::put_lagging_backup`] writes the vault backup may miss. A restored
/// vault is at most this many such writes behind the one it replaces, so an owner that moves its
/// counters forward by this much after a restore never reuses a value.
pub const MAX_BACKUP_LAG: u32 = 16;

/// The backup protects the outbox against damage to the vault file; failing to refresh it must
/// not fail the write that already committed. The lag is cleared only by a refresh that
/// succeeded, so a failing one is tried again at the next write.
pub(crate) fn backup_or_warn(
    vault: &Connection,
    paths: &Paths,
    nonces: &mut Nonces,
    backup_lag: &mut u32,
) {
    nonces.take_unsaved_reservation();
    if refresh_backup(vault, paths) {
        *backup_lag = 0;
    }
}

/// Whether the backup now holds the vault as it is.
pub(crate) fn refresh_backup(vault: &Connection, paths: &Paths) -> bool {
    match files::backup_vault(vault, paths) {
        Ok(()) => true,
        Err(err) => {
            tracing::warn!(%err, "vault backup not refreshed");
            false
        }
    }
}
