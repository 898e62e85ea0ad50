//! The device state in the encrypted store's vault: one record, sealed like everything else
//! there, written durably (and into the vault's backup copy) before each save returns. So a
//! counter reserved for a signature is on disk before the signature exists.
//!
//! Earlier versions kept the state in clear in `device.json` in the data directory. Such a file
//! is imported into the vault the first time the store is opened, then deleted.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use mobank_store::{Store, StoreError, Table, MAX_BACKUP_LAG};

use super::state::{io_error, CounterFlush, DeviceState, DeviceStateRepo, StateError};
use crate::storage::{OpenHooks, StorageSlot};

/// The one key of the device state table.
const STATE_KEY: &str = "binding";
/// The file of earlier versions, and the temporary file they replaced it through.
pub(crate) const LEGACY_FILE: &str = "device.json";
const LEGACY_TEMP_FILE: &str = "device.json.tmp";

/// The device state in the vault of the phone's store.
pub(crate) struct StoreRepo {
    slot: Arc<StorageSlot>,
}

impl StoreRepo {
    pub(crate) fn new(slot: Arc<StorageSlot>) -> Self {
        Self { slot }
    }

    /// The store [`DeviceStateRepo::open`] opened. `None`: there is none (never bound, or
    /// wiped since).
    fn store(&self) -> Result<Option<Arc<Store>>, StateError> {
        self.slot.current().map_err(from_store)
    }
}

impl DeviceStateRepo for StoreRepo {
    fn open(&self, create: bool) -> Result<(), StateError> {
        self.slot.open(create).map(|_| ()).map_err(from_store)
    }

    fn load(&self) -> Result<Option<DeviceState>, StateError> {
        let Some(store) = self.store()? else {
            return Ok(None);
        };
        match read_record(&store)? {
            Some(state) => Ok(Some(state)),
            // A file of an earlier version that could not be imported is still this phone's
            // binding, unreadable: say so rather than "not bound".
            None => match read_legacy_file(self.slot.data_dir())? {
                Some(_) => Err(StateError::Corrupt),
                None => Ok(None),
            },
        }
    }

    fn save(&self, state: &DeviceState) -> Result<(), StateError> {
        // `open(true)` made one; none now means the phone was wiped in between.
        let store = self.store()?.ok_or(StateError::Wiped)?;
        write_record(&store, state)?;
        // A file left from an earlier version is replaced by this state.
        remove_legacy_file(self.slot.data_dir())
    }

    fn save_reserved(&self, state: &DeviceState, flush: CounterFlush) -> Result<(), StateError> {
        let store = self.store()?.ok_or(StateError::Wiped)?;
        let bytes =
            zeroize::Zeroizing::new(serde_json::to_vec(state).map_err(|_| StateError::Corrupt)?);
        match flush {
            CounterFlush::Now => store.put_lagging_backup(Table::DeviceState, STATE_KEY, &bytes),
            CounterFlush::WithCallersWrite => {
                store.put_flushed_later(Table::DeviceState, STATE_KEY, &bytes)
            }
        }
        .map_err(from_store)
    }

    fn remove(&self) -> Result<(), StateError> {
        if let Some(store) = self.store()? {
            store
                .delete(Table::DeviceState, STATE_KEY)
                .map_err(from_store)?;
        }
        remove_legacy_file(self.slot.data_dir())
    }
}

fn read_record(store: &Store) -> Result<Option<DeviceState>, StateError> {
    let Some(bytes) = store
        .get(Table::DeviceState, STATE_KEY)
        .map_err(from_store)?
    else {
        return Ok(None);
    };
    decode(&bytes).map(Some)
}

/// The stored value (or an earlier version's file) as a device state, checked.
fn decode(bytes: &[u8]) -> Result<DeviceState, StateError> {
    let state: DeviceState = serde_json::from_slice(bytes).map_err(|_| StateError::Corrupt)?;
    state.check()?;
    Ok(state)
}

/// A stored value read as the device state is read and written back as it is written; `None`
/// where reading refuses it. For the fuzz targets' round trip.
#[cfg(feature = "fuzzing")]
pub(crate) fn reread(bytes: &[u8]) -> Option<zeroize::Zeroizing<Vec<u8>>> {
    let state = decode(bytes).ok()?;
    serde_json::to_vec(&state).ok().map(zeroize::Zeroizing::new)
}

fn write_record(store: &Store, state: &DeviceState) -> Result<(), StateError> {
    let bytes = serde_json::to_vec(state).map_err(|_| StateError::Corrupt)?;
    store
        .put(Table::DeviceState, STATE_KEY, &bytes)
        .map_err(from_store)
}

/// How a store error reads for the device state: a key that is gone for good or a vault beyond
/// repair means the binding can never be read again; a record that fails its check is a
/// corrupt state; anything else (locked, paused, busy) is passed on as it is.
fn from_store(error: StoreError) -> StateError {
    match error {
        StoreError::KeyLost { .. }
        | StoreError::KeyInvalidated { .. }
        | StoreError::Corrupt { .. } => StateError::Unreadable(error),
        StoreError::Integrity { .. } => StateError::Corrupt,
        other => StateError::Store(other),
    }
}

/// Moves a device state file of an earlier version into the store as it opens, and the
/// counters forward after a restore.
pub(crate) const DEVICE_STATE_HOOKS: OpenHooks = OpenHooks {
    pending: legacy_file_exists,
    import: import_or_keep_legacy_file,
    after_restore: skip_counters_after_restore,
};

/// A vault restored from its backup may hold counters up to [`MAX_BACKUP_LAG`] reservations
/// behind the values already signed with (counter reservations do not refresh the backup,
/// decision record 0030). Moving them that far forward, durably and before anything signs,
/// means no value is ever sent twice, so the bank never mistakes this phone for its own clone.
fn skip_counters_after_restore(store: &Store) -> Result<(), StoreError> {
    if !store.restore_unacknowledged()? {
        return Ok(());
    }
    match read_record(store) {
        Ok(Some(mut state)) => {
            state.skip_counters(MAX_BACKUP_LAG);
            let bytes = serde_json::to_vec(&state).map_err(|_| StoreError::Integrity {
                table: Table::DeviceState.name(),
            })?;
            store.put(Table::DeviceState, STATE_KEY, &bytes)?;
            tracing::warn!("signature counters moved forward after a vault restore");
        }
        Ok(None) => {}
        // An unreadable state signs nothing; reading it reports it, and a new activation
        // replaces it with fresh counters.
        Err(StateError::Corrupt | StateError::UnsupportedVersion(_)) => {}
        Err(StateError::Store(error) | StateError::Unreadable(error)) => return Err(error),
        Err(_) => {
            return Err(StoreError::Integrity {
                table: Table::DeviceState.name(),
            })
        }
    }
    store.acknowledge_restore()
}

/// Whether a device state file of an earlier version is in `dir`.
fn legacy_file_exists(dir: &Path) -> bool {
    dir.join(LEGACY_FILE).exists()
}

/// A file that cannot be imported stays where it is; reading the device state reports it, and a
/// new activation replaces it.
fn import_or_keep_legacy_file(store: &Store, dir: &Path) {
    if let Err(error) = import_legacy_file(store, dir) {
        tracing::warn!(%error, "could not import the device state file");
    }
}

/// Moves the device state of an earlier version into the vault, then deletes the file (and
/// makes the deletion durable). If the vault already holds a state, the file is what an import
/// interrupted before the deletion left behind: the vault's copy is newer or the same. An
/// unreadable file is left in place and reported.
fn import_legacy_file(store: &Store, dir: &Path) -> Result<(), StateError> {
    let imported = match read_record(store) {
        Ok(Some(_)) => false,
        // A damaged record in the vault is not replaced by an older file.
        Err(StateError::Corrupt) => false,
        Ok(None) => match read_legacy_file(dir)? {
            Some(mut state) => {
                state.version = DeviceState::new_version();
                write_record(store, &state)?;
                true
            }
            None => false,
        },
        Err(error) => return Err(error),
    };
    remove_legacy_file(dir)?;
    tracing::info!(imported, "device state file moved into the encrypted store");
    Ok(())
}

fn legacy_paths(dir: &Path) -> [PathBuf; 2] {
    [dir.join(LEGACY_TEMP_FILE), dir.join(LEGACY_FILE)]
}

/// The state of an earlier version (format 1 or 2). A leftover temporary file never counts: it
/// is what a crash before its rename left.
fn read_legacy_file(dir: &Path) -> Result<Option<DeviceState>, StateError> {
    let bytes = match fs::read(dir.join(LEGACY_FILE)) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(io_error("read")(error)),
    };
    decode(&bytes).map(Some)
}

/// Deletes the files of an earlier version, durably (the directory entry too). Missing files
/// are fine.
fn remove_legacy_file(dir: &Path) -> Result<(), StateError> {
    let mut removed = false;
    for path in legacy_paths(dir) {
        match fs::remove_file(path) {
            Ok(()) => removed = true,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => return Err(io_error("deleted")(error)),
        }
    }
    if removed {
        sync_dir(dir)?;
    }
    Ok(())
}

/// Makes a removal durable, where the platform allows it.
fn sync_dir(dir: &Path) -> Result<(), StateError> {
    // Windows cannot open a directory as a file; NTFS makes the change durable on its own.
    #[cfg(unix)]
    fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_error("synced"))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
