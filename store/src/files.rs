//! The files of a store, how their connections are configured, and the vault's backup copy.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::error::{Result, StoreError, StorePart};

/// Prepared statements kept per connection: every statement the store uses, so none is parsed
/// twice in a session.
const STATEMENT_CACHE: usize = 64;
/// After a checkpoint SQLite keeps the WAL file at its largest size unless told otherwise; a
/// 100k-row sync would leave tens of MiB of stale (sealed) pages behind.
const WAL_SIZE_LIMIT: i64 = 4 * 1024 * 1024;
/// Decision record 0004.
const VAULT_SYNCHRONOUS: &str = "FULL";

#[derive(Debug, Clone)]
pub(crate) struct Paths {
    pub dir: PathBuf,
    pub vault: PathBuf,
    pub cache: PathBuf,
    pub backup: PathBuf,
    backup_tmp: PathBuf,
    write_probe: PathBuf,
}

impl Paths {
    pub fn new(dir: &Path) -> Paths {
        Paths {
            dir: dir.to_path_buf(),
            vault: dir.join("vault.db"),
            cache: dir.join("cache.db"),
            backup: dir.join("vault.db.bak"),
            backup_tmp: dir.join("vault.db.bak.tmp"),
            write_probe: dir.join("write-probe"),
        }
    }

    /// A database file with the WAL and shared-memory files SQLite keeps beside it.
    pub fn with_sidecars(db: &Path) -> [PathBuf; 3] {
        let mut wal = db.as_os_str().to_owned();
        wal.push("-wal");
        let mut shm = db.as_os_str().to_owned();
        shm.push("-shm");
        [db.to_path_buf(), PathBuf::from(wal), PathBuf::from(shm)]
    }

    pub fn cache_files(&self) -> [PathBuf; 3] {
        Paths::with_sidecars(&self.cache)
    }

    pub fn vault_files(&self) -> [PathBuf; 3] {
        Paths::with_sidecars(&self.vault)
    }

    /// Every file a store may leave in its directory.
    pub fn all(&self) -> Vec<PathBuf> {
        let mut all = Vec::with_capacity(8);
        all.extend(self.vault_files());
        all.extend(self.cache_files());
        all.push(self.backup.clone());
        all.push(self.backup_tmp.clone());
        all.push(self.write_probe.clone());
        all
    }
}

/// Tells what an I/O failure of a write was. SQLite reports a write the kernel refused on a
/// read-only file system as a plain I/O error (the errno stays inside SQLite), so one byte is
/// written next to the databases: refused as read-only or for want of space, that is the
/// answer; anything else leaves `error` as it was.
pub(crate) fn explain_write_failure(
    error: StoreError,
    part: StorePart,
    paths: &Paths,
) -> StoreError {
    use std::io::{ErrorKind, Write};
    if !matches!(error, StoreError::Io(_) | StoreError::Database { .. }) {
        return error;
    }
    let written = fs::File::create(&paths.write_probe)
        .and_then(|mut probe| probe.write_all(&[0]).and_then(|()| probe.sync_all()));
    let _ = fs::remove_file(&paths.write_probe);
    match written.map_err(|probe| probe.kind()) {
        Err(ErrorKind::ReadOnlyFilesystem) => StoreError::ReadOnly { part },
        Err(ErrorKind::StorageFull) => StoreError::Full { part },
        _ => error,
    }
}

/// Creates the store directory readable by this user only.
pub(crate) fn create_dir(dir: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(StoreError::io)
}

/// Opens one of the two databases with the settings its role needs (decision record 0004).
pub(crate) fn connect(path: &Path, part: StorePart) -> Result<Connection> {
    let existed = path.exists();
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_EXRESCODE;
    let conn = Connection::open_with_flags(path, flags).map_err(StoreError::sql(part))?;
    if !existed {
        restrict_to_owner(path)?;
    }
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.busy_timeout(Duration::from_secs(2))
        .map_err(StoreError::sql(part))?;
    let synchronous = match part {
        // Every vault commit reaches the disk before it returns: a lost outbox entry or a
        // signature counter that goes backwards after a power cut is not acceptable.
        StorePart::Vault => VAULT_SYNCHRONOUS,
        // The cache survives an app crash with NORMAL; a power cut may lose the last commits,
        // never consistency, and a sync fetches them again.
        StorePart::Cache => "NORMAL",
    };
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = {synchronous};
         PRAGMA journal_size_limit = {WAL_SIZE_LIMIT};
         PRAGMA temp_store = MEMORY;
         PRAGMA trusted_schema = OFF;"
    ))
    .map_err(StoreError::sql(part))?;
    Ok(conn)
}

fn restrict_to_owner(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600)).map_err(StoreError::io)?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Copies the vault to `vault.db.bak` (decision record 0005): a consistent snapshot written to a
/// temporary file, flushed, then renamed over the old copy, so a crash leaves either the old or
/// the new backup, never half of one.
pub(crate) fn backup_vault(conn: &Connection, paths: &Paths) -> Result<()> {
    remove_if_present(&paths.backup_tmp)?;
    let target = paths
        .backup_tmp
        .to_str()
        .ok_or(StoreError::InvalidInput("store path is not valid UTF-8"))?;
    // `VACUUM INTO` writes its output with the source's `synchronous` level: under the vault's
    // FULL that is a rollback journal and four fsyncs for a file nobody reads until it is
    // complete, fsynced below and renamed into place. The vault itself is only read here.
    conn.execute_batch("PRAGMA synchronous = OFF")
        .map_err(StoreError::sql(StorePart::Vault))?;
    let copied = conn.execute("VACUUM INTO ?1", [target]);
    flush_every_commit(conn)?;
    copied.map_err(StoreError::sql(StorePart::Vault))?;
    restrict_to_owner(&paths.backup_tmp)?;
    fs::File::open(&paths.backup_tmp)
        .and_then(|f| f.sync_all())
        .map_err(StoreError::io)?;
    fs::rename(&paths.backup_tmp, &paths.backup).map_err(StoreError::io)?;
    sync_dir(&paths.dir);
    Ok(())
}

/// Puts the vault connection back to its own `synchronous` level after a write that lowered it.
pub(crate) fn flush_every_commit(vault: &Connection) -> Result<()> {
    vault
        .execute_batch(&format!("PRAGMA synchronous = {VAULT_SYNCHRONOUS}"))
        .map_err(StoreError::sql(StorePart::Vault))
}

/// Replaces a damaged vault by its backup copy.
pub(crate) fn restore_vault(paths: &Paths) -> Result<()> {
    remove_all(&paths.vault_files())?;
    fs::copy(&paths.backup, &paths.vault).map_err(StoreError::io)?;
    restrict_to_owner(&paths.vault)?;
    fs::File::open(&paths.vault)
        .and_then(|f| f.sync_all())
        .map_err(StoreError::io)?;
    sync_dir(&paths.dir);
    Ok(())
}

/// Makes a rename or removal durable. Best effort: not every platform can open a directory.
fn sync_dir(dir: &Path) {
    if let Ok(dir) = fs::File::open(dir) {
        let _ = dir.sync_all();
    }
}

pub(crate) fn remove_if_present(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(StoreError::io(err)),
        _ => Ok(()),
    }
}

pub(crate) fn remove_all(paths: &[PathBuf]) -> Result<()> {
    for path in paths {
        remove_if_present(path)?;
    }
    Ok(())
}

/// Writes the WAL back into the database and empties it, so a closed store is one file per part.
pub(crate) fn checkpoint(conn: &Connection, part: StorePart) -> Result<()> {
    let busy: i64 = conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0))
        .map_err(StoreError::sql(part))?;
    if busy != 0 {
        return Err(StoreError::Busy { part });
    }
    Ok(())
}

/// `PRAGMA quick_check` on a whole file: used on the (small) vault at every open and on both files
/// during recovery.
pub(crate) fn quick_check(conn: &Connection, part: StorePart) -> Result<()> {
    let verdict: String = conn
        .query_row("PRAGMA quick_check(1)", [], |row| row.get(0))
        .map_err(StoreError::sql(part))?;
    if verdict == "ok" {
        Ok(())
    } else {
        Err(StoreError::Corrupt { part })
    }
}
