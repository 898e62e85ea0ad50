//! Opening, creating, recovering and closing a store.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rusqlite::Connection;

use crate::crypto::{new_data_key, Keys};
use crate::error::{Result, StoreError, StorePart};
use crate::files::{self, Paths};
use crate::meta::{canary_opens, meta_delete, meta_get, skip_epochs_after_restore, RESTORED};
use crate::nonce::Nonces;
use crate::schema::{self, SCHEMA_VERSION};
use crate::setup::{
    attach_cache, backup_or_warn, create_cache, create_vault, database_sound, open_vault,
    outbox_entries, refresh_backup,
};
use crate::tx_account::AccountDirectory;
use crate::wrapper::{KeyWrapper, WrapError};

/// An open encrypted store: two SQLite files under one directory (decision record 0005), every
/// record sealed with AES-256-GCM under a data key the platform wraps.
///
/// All methods take `&self` and may be called from any thread; calls are serialised on one
/// internal lock, and the platform key wrapper is never called while it is held.
pub struct Store {
    paths: Paths,
    wrapper: Arc<dyn KeyWrapper>,
    info: OpenInfo,
    target: u32,
    pub(crate) inner: Mutex<Inner>,
}

/// What happened while a store was opened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpenInfo {
    /// There was no store: a new data key was made and wrapped.
    pub created: bool,
    /// The cache was created empty (new store, or rebuilt by recovery): sync from the start.
    pub cache_created: bool,
    /// The vault was damaged and restored from its backup copy.
    pub vault_restored: bool,
}

pub(crate) struct Inner {
    /// `None` while paused.
    pub conns: Option<Conns>,
    pub keys: Keys,
    pub nonces: Nonces,
    /// Loaded on first use; dropped whenever the cache is replaced or a write fails.
    pub accounts: Option<AccountDirectory>,
    /// Where records are decrypted.
    pub scratch: Vec<u8>,
    /// Where records are encoded and sealed in place.
    pub record: Vec<u8>,
    /// Vault writes since the backup was last refreshed (`put_lagging_backup`).
    pub backup_lag: u32,
}

pub(crate) struct Conns {
    pub vault: Connection,
    pub cache: Connection,
}

impl Conns {
    pub fn get(&self, part: StorePart) -> &Connection {
        match part {
            StorePart::Vault => &self.vault,
            StorePart::Cache => &self.cache,
        }
    }
}

impl Store {
    /// Opens the store in `dir`, creating it (and the directory) when there is none.
    ///
    /// Errors a caller must tell apart: [`StoreError::StorageLocked`] (try again later),
    /// [`StoreError::KeyLost`] / [`StoreError::KeyInvalidated`] (re-bind),
    /// [`StoreError::Corrupt`] (call [`Store::recover`]), [`StoreError::SchemaTooNew`].
    pub fn open(dir: impl AsRef<Path>, wrapper: Arc<dyn KeyWrapper>) -> Result<Store> {
        Store::open_at(dir.as_ref(), wrapper, true, SCHEMA_VERSION)
    }

    /// Like [`Store::open`], but [`StoreError::NoData`] when there is no store: for checking
    /// whether this device holds anything without creating a key.
    pub fn open_existing(dir: impl AsRef<Path>, wrapper: Arc<dyn KeyWrapper>) -> Result<Store> {
        Store::open_at(dir.as_ref(), wrapper, false, SCHEMA_VERSION)
    }

    /// Writes a store at an earlier schema version: only for the migration test fixtures.
    #[cfg(feature = "fixture-writer")]
    #[doc(hidden)]
    pub fn create_at_schema_version(
        dir: impl AsRef<Path>,
        wrapper: Arc<dyn KeyWrapper>,
        version: u32,
    ) -> Result<Store> {
        Store::open_at(dir.as_ref(), wrapper, true, version.min(SCHEMA_VERSION))
    }

    /// The recovery path after [`StoreError::Corrupt`]: a damaged vault is replaced by its backup
    /// copy (the outbox and device state as of the last completed write), a damaged cache is
    /// deleted and recreated empty (the app syncs it again). Fails with `Corrupt { Vault }` only
    /// when the vault and its backup are both unusable: then the app must re-bind.
    pub fn recover(dir: impl AsRef<Path>, wrapper: Arc<dyn KeyWrapper>) -> Result<Store> {
        let dir = dir.as_ref();
        let paths = Paths::new(dir);
        let mut vault_restored = false;
        if !paths.vault.exists() && !paths.backup.exists() {
            return Err(StoreError::NoData);
        }
        if !database_sound(&paths.vault, true) {
            if !database_sound(&paths.backup, true) {
                return Err(StoreError::Corrupt {
                    part: StorePart::Vault,
                });
            }
            files::restore_vault(&paths)?;
            skip_epochs_after_restore(&paths)?;
            vault_restored = true;
            tracing::warn!("vault restored from its backup copy");
        }
        let mut cache_rebuilt = false;
        if paths.cache.exists() && !database_sound(&paths.cache, false) {
            files::remove_all(&paths.cache_files())?;
            cache_rebuilt = true;
        }
        let mut store = match Store::open_at(dir, wrapper.clone(), false, SCHEMA_VERSION) {
            Err(StoreError::Corrupt {
                part: StorePart::Cache,
            }) => {
                files::remove_all(&paths.cache_files())?;
                cache_rebuilt = true;
                Store::open_at(dir, wrapper, false, SCHEMA_VERSION)?
            }
            other => other?,
        };
        if cache_rebuilt {
            tracing::warn!("damaged cache deleted; it is rebuilt by the next sync");
        }
        store.info.vault_restored = vault_restored;
        Ok(store)
    }

    /// Removes a store that cannot be opened (key lost or invalidated, vault beyond recovery) and
    /// asks the platform to delete its wrapping key. For an open store use [`Store::wipe`].
    pub fn destroy(dir: impl AsRef<Path>, wrapper: &dyn KeyWrapper) -> Result<()> {
        let removed = files::remove_all(&Paths::new(dir.as_ref()).all());
        let deleted = wrapper.delete().map_err(wrap_error);
        removed.and(deleted)
    }

    /// Every file a store in `dir` may write, so the app can exclude them from OS backups (a
    /// restored copy without its platform key is useless and would only trigger `KeyLost`).
    pub fn file_paths(dir: impl AsRef<Path>) -> Vec<PathBuf> {
        Paths::new(dir.as_ref()).all()
    }

    pub fn open_info(&self) -> OpenInfo {
        self.info
    }

    /// Whether the vault was restored from its backup and the restore not yet acknowledged.
    /// Survives closing and reopening: an owner of [`Store::put_lagging_backup`] values moves
    /// them forward by [`crate::MAX_BACKUP_LAG`] writes, then calls
    /// [`Store::acknowledge_restore`].
    pub fn restore_unacknowledged(&self) -> Result<bool> {
        let guard = self.lock();
        let conns = guard.conns.as_ref().ok_or(StoreError::Paused)?;
        Ok(meta_get(&conns.vault, StorePart::Vault, RESTORED)?.is_some())
    }

    /// Clears the mark [`Store::restore_unacknowledged`] reads, durably; the backup follows.
    pub fn acknowledge_restore(&self) -> Result<()> {
        let mut guard = self.lock();
        let inner = &mut *guard;
        let conns = inner.conns.as_ref().ok_or(StoreError::Paused)?;
        meta_delete(&conns.vault, StorePart::Vault, RESTORED)?;
        backup_or_warn(
            &conns.vault,
            &self.paths,
            &mut inner.nonces,
            &mut inner.backup_lag,
        );
        Ok(())
    }

    pub fn dir(&self) -> &Path {
        &self.paths.dir
    }

    /// Checkpoints both write-ahead logs into their databases and closes every file, so that no
    /// file lock is held while the app is suspended (iOS kills apps that do, 0xdead10cc). Keys
    /// stay in memory; every call except [`Store::resume`] and [`Store::wipe`] then returns
    /// [`StoreError::Paused`]. The store is closed even when this returns an error.
    pub fn pause(&self) -> Result<()> {
        let mut guard = self.lock();
        let Some(conns) = guard.conns.take() else {
            return Ok(());
        };
        let unsaved_epoch = guard.nonces.take_unsaved_reservation();
        if (unsaved_epoch || guard.backup_lag > 0) && refresh_backup(&conns.vault, &self.paths) {
            guard.backup_lag = 0;
        }
        drop(guard);
        let vault = files::checkpoint(&conns.vault, StorePart::Vault);
        let cache = files::checkpoint(&conns.cache, StorePart::Cache);
        let Conns { vault: v, cache: c } = conns;
        let closed_vault = v
            .close()
            .map_err(|(_, e)| StoreError::from_sql(StorePart::Vault, e));
        let closed_cache = c
            .close()
            .map_err(|(_, e)| StoreError::from_sql(StorePart::Cache, e));
        tracing::debug!("store paused");
        vault.and(cache).and(closed_vault).and(closed_cache)
    }

    /// Reopens the files after [`Store::pause`]. The data key was kept, so the platform key store
    /// is not asked again.
    pub fn resume(&self) -> Result<()> {
        let mut guard = self.lock();
        if guard.conns.is_some() {
            return Ok(());
        }
        let inner = &mut *guard;
        let (vault, _) = open_vault(&self.paths)?;
        if !canary_opens(&vault, &inner.keys, StorePart::Vault)? {
            return Err(StoreError::KeyLost {
                outbox_entries: outbox_entries(&vault)?,
            });
        }
        let (cache, created) = attach_cache(
            &self.paths,
            &inner.keys,
            &mut inner.nonces,
            &vault,
            self.target,
        )?;
        if created {
            inner.accounts = None;
        }
        inner.conns = Some(Conns { vault, cache });
        tracing::debug!("store resumed");
        Ok(())
    }

    /// Deletes the cache (accounts, payees, history, sync cursors) and starts an empty one; the
    /// vault is untouched. The recovery for [`StoreError::Integrity`] in a cache table or
    /// [`StoreError::Corrupt`] on the cache found while the store is open. If this fails the
    /// store is left paused; [`Store::resume`] tries again.
    pub fn rebuild_cache(&self) -> Result<()> {
        let mut guard = self.lock();
        let inner = &mut *guard;
        let Conns { vault, cache } = inner.conns.take().ok_or(StoreError::Paused)?;
        drop(cache);
        inner.accounts = None;
        files::remove_all(&self.paths.cache_files())?;
        let cache = create_cache(
            &self.paths,
            &inner.keys,
            &mut inner.nonces,
            &vault,
            self.target,
        )?;
        inner.conns = Some(Conns { vault, cache });
        tracing::info!("cache rebuilt empty");
        Ok(())
    }

    /// Closes the store, removes every file it wrote (databases, WAL and shared-memory files, the
    /// vault backup) and asks the platform to delete the wrapping key. Both steps are attempted
    /// even if one fails.
    pub fn wipe(self) -> Result<()> {
        drop(self.lock().conns.take());
        let removed = files::remove_all(&self.paths.all());
        // The lock is released: the platform callback runs without it.
        let deleted = self.wrapper.delete().map_err(wrap_error);
        tracing::info!("store wiped");
        removed.and(deleted)
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic cannot leave the connections half-written (SQLite transactions roll back), so
        // a poisoned lock is still safe to use.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn paths(&self) -> &Paths {
        &self.paths
    }

    fn open_at(
        dir: &Path,
        wrapper: Arc<dyn KeyWrapper>,
        create: bool,
        target: u32,
    ) -> Result<Store> {
        let paths = Paths::new(dir);
        if !paths.vault.exists() {
            if paths.backup.exists() {
                // The vault is created before its backup; a backup alone means the vault was lost.
                return Err(StoreError::Corrupt {
                    part: StorePart::Vault,
                });
            }
            if !create {
                return Err(StoreError::NoData);
            }
            return Store::create(paths, wrapper, target);
        }

        let (mut vault, wrapped) = open_vault(&paths)?;
        // No lock exists yet: the platform call cannot deadlock against the store.
        let data_key = match wrapper.unwrap(&wrapped) {
            Ok(key) => key,
            Err(WrapError::NotFound) => {
                return Err(StoreError::KeyLost {
                    outbox_entries: outbox_entries(&vault)?,
                })
            }
            Err(WrapError::Invalidated) => {
                return Err(StoreError::KeyInvalidated {
                    outbox_entries: outbox_entries(&vault)?,
                })
            }
            Err(other) => return Err(wrap_error(other)),
        };
        let keys = match Keys::derive(&data_key) {
            Some(keys) if canary_opens(&vault, &keys, StorePart::Vault)? => keys,
            // The platform returned a key, but not the one these records were sealed with.
            _ => {
                return Err(StoreError::KeyLost {
                    outbox_entries: outbox_entries(&vault)?,
                })
            }
        };
        drop(data_key);

        let migrated = schema::migrate(&mut vault, StorePart::Vault, target)?;
        if migrated || !paths.backup.exists() {
            refresh_backup(&vault, &paths);
        }
        let mut nonces = Nonces::default();
        let (cache, cache_created) = attach_cache(&paths, &keys, &mut nonces, &vault, target)?;
        tracing::debug!(cache_created, "store opened");
        Ok(Store::assemble(
            paths,
            wrapper,
            target,
            keys,
            nonces,
            Conns { vault, cache },
            OpenInfo {
                created: false,
                cache_created,
                vault_restored: false,
            },
        ))
    }

    fn create(paths: Paths, wrapper: Arc<dyn KeyWrapper>, target: u32) -> Result<Store> {
        files::create_dir(&paths.dir)?;
        // Leftovers of an earlier store (a cache under another key, an old backup) would fail
        // their canaries later; start clean.
        files::remove_all(&paths.all())?;
        let data_key = new_data_key()?;
        let wrapped = wrapper.wrap(&data_key).map_err(wrap_error)?;
        let keys = Keys::derive(&data_key).ok_or(StoreError::InvalidInput("data key length"))?;
        drop(data_key);

        let (vault, mut nonces) = create_vault(&paths, &keys, &wrapped, target)?;
        refresh_backup(&vault, &paths);
        let cache = create_cache(&paths, &keys, &mut nonces, &vault, target)?;
        tracing::info!("store created");
        Ok(Store::assemble(
            paths,
            wrapper,
            target,
            keys,
            nonces,
            Conns { vault, cache },
            OpenInfo {
                created: true,
                cache_created: true,
                vault_restored: false,
            },
        ))
    }

    fn assemble(
        paths: Paths,
        wrapper: Arc<dyn KeyWrapper>,
        target: u32,
        keys: Keys,
        nonces: Nonces,
        conns: Conns,
        info: OpenInfo,
    ) -> Store {
        Store {
            paths,
            wrapper,
            info,
            target,
            inner: Mutex::new(Inner {
                conns: Some(conns),
                keys,
                nonces,
                accounts: None,
                scratch: Vec::with_capacity(512),
                record: Vec::with_capacity(512),
                backup_lag: 0,
            }),
        }
    }
}

pub(crate) fn wrap_error(err: WrapError) -> StoreError {
    match err {
        WrapError::NotFound => StoreError::KeyLost { outbox_entries: 0 },
        WrapError::Invalidated => StoreError::KeyInvalidated { outbox_entries: 0 },
        WrapError::Locked => StoreError::StorageLocked,
        WrapError::Other(message) => StoreError::KeyWrapper(message),
    }
}
