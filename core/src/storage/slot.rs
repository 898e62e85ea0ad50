//! When the store is open: lazily, on the first call that needs it; closed and reopened around
//! app suspension; removed with its key when the phone is wiped.
//!
//! The store is the phone's, not a binding's: it is opened under one platform key alias. Its
//! vault holds the device state (the binding itself); its cache records which binding it belongs
//! to, and a cache written under another binding (the phone was re-bound, possibly to another
//! customer) is discarded before anything reads it.
//!
//! Opening is synchronous (it asks the key store to unwrap the data key): the device state is
//! read from synchronous code, and async callers run it on the blocking pool.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use mobank_store::{Store, StoreError, StorePart, Table};

use super::wrapper::PlatformWrapper;
use crate::platform::KeyStore;
use crate::runtime::lock;

/// Under the data directory.
const STORE_DIR: &str = "store";
/// In the cache's sync table: the device id of the binding whose data the cache holds.
const OWNER_KEY: &str = "owner.device_id";

/// What the layer that owns the vault's data (the device state, `device/store_repo.rs`) does
/// when the store opens, so the store knows nothing of what it holds: move in data an earlier
/// version kept beside the store, and move lagging values forward after a restore.
#[derive(Clone, Copy)]
pub(crate) struct OpenHooks {
    /// Whether there is anything to move in. Checked on every open, so it must be cheap.
    pub pending: fn(&Path) -> bool,
    /// Moves it into the open store. What cannot be moved stays where it is, for the owner to
    /// report when it reads its data.
    pub import: fn(&Store, &Path),
    /// Runs on every open; acts only while the store reports an unacknowledged restore from
    /// its backup. A failure fails the open, so nothing signs before it succeeded.
    pub after_restore: fn(&Store) -> Result<(), StoreError>,
}

/// The store of one [`crate::Mobank`], opened on first use. Shared by the device state and the
/// history.
pub(crate) struct StorageSlot {
    data_dir: PathBuf,
    key_store: Arc<dyn KeyStore>,
    hooks: OpenHooks,
    state: Mutex<SlotState>,
    /// Held while a store is opened (and an old device state file imported, and the cache
    /// claimed), so that two callers never both create a store in the same directory. The one
    /// lock held across a key store call (the unwrap at open), on purpose: only another open
    /// waits on it, never anything the key store could call. Never taken while another Mobank
    /// lock is held.
    opening: Mutex<()>,
}

#[derive(Default)]
struct SlotState {
    store: Option<Arc<Store>>,
    /// The device id the open store's cache was checked to belong to.
    owner: Option<String>,
    /// Between `pause_storage` and `resume_storage`: nothing may open files.
    paused: bool,
    /// Counts wipes, so an open that raced with one does not bring the store back.
    wipes: u64,
}

impl StorageSlot {
    pub(crate) fn new(data_dir: &Path, key_store: Arc<dyn KeyStore>, hooks: OpenHooks) -> Self {
        Self {
            data_dir: data_dir.to_path_buf(),
            key_store,
            hooks,
            state: Mutex::new(SlotState::default()),
            opening: Mutex::new(()),
        }
    }

    pub(crate) fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    fn store_dir(&self) -> PathBuf {
        self.data_dir.join(STORE_DIR)
    }

    fn wrapper(&self) -> PlatformWrapper {
        PlatformWrapper::new(Arc::clone(&self.key_store))
    }

    /// The store if it is open; never opens it and never calls the key store, so it may be
    /// called under a lock. `Paused` between `pause_storage` and `resume_storage`.
    pub(crate) fn current(&self) -> Result<Option<Arc<Store>>, StoreError> {
        let state = lock(&self.state);
        if state.paused {
            return Err(StoreError::Paused);
        }
        Ok(state.store.clone())
    }

    /// The store, opened (and recovered if damaged) on first use. Without `create`, a phone
    /// with no store gets `None` and no key is made. Blocking: the key store may take its time.
    /// Call it with no lock held.
    pub(crate) fn open(&self, create: bool) -> Result<Option<Arc<Store>>, StoreError> {
        if let Some(store) = self.current()? {
            if !(self.hooks.pending)(&self.data_dir) {
                return Ok(Some(store));
            }
        }
        let _opening = lock(&self.opening);
        self.open_locked(create)
    }

    /// The open store, its cache claimed for the binding `device_id`. Blocking, like
    /// [`StorageSlot::open`]; creates the store if there is none. `None`: the phone was wiped
    /// meanwhile.
    pub(crate) fn open_for(&self, device_id: &str) -> Result<Option<Arc<Store>>, StoreError> {
        let _opening = lock(&self.opening);
        if let Some(store) = self.ready(device_id)? {
            return Ok(Some(store));
        }
        let Some(store) = self.open_locked(true)? else {
            return Ok(None);
        };
        claim(&store, device_id)?;
        let mut state = lock(&self.state);
        if state
            .store
            .as_ref()
            .is_some_and(|open| Arc::ptr_eq(open, &store))
        {
            state.owner = Some(device_id.to_owned());
            Ok(Some(store))
        } else {
            // Wiped while the cache was claimed.
            Ok(None)
        }
    }

    /// Call with `opening` held.
    fn open_locked(&self, create: bool) -> Result<Option<Arc<Store>>, StoreError> {
        let legacy = (self.hooks.pending)(&self.data_dir);
        let (open, wipes) = {
            let state = lock(&self.state);
            if state.paused {
                return Err(StoreError::Paused);
            }
            (state.store.clone(), state.wipes)
        };
        let store = match open {
            Some(store) => store,
            // A device state file of an earlier version is a binding: it needs a store.
            None => match self.open_or_recover(create || legacy) {
                Ok(store) => {
                    (self.hooks.after_restore)(&store)?;
                    Arc::new(store)
                }
                Err(StoreError::NoData) => return Ok(None),
                Err(error) => return Err(error),
            },
        };
        if legacy {
            (self.hooks.import)(&store, &self.data_dir);
        }

        let (published, paused) = {
            let mut state = lock(&self.state);
            let published = state.wipes == wipes;
            if published && state.store.is_none() {
                state.store = Some(Arc::clone(&store));
                state.owner = None;
            }
            (published, state.paused)
        };
        if !published {
            // The phone was wiped while this store was being opened: it must not survive that.
            let _ = store.pause();
            Store::destroy(self.store_dir(), &self.wrapper())?;
            return Ok(None);
        }
        if paused {
            store.pause()?;
            return Err(StoreError::Paused);
        }
        Ok(Some(store))
    }

    /// The open store if it is already claimed for `device_id`. Never opens it and never calls
    /// the key store.
    pub(crate) fn ready(&self, device_id: &str) -> Result<Option<Arc<Store>>, StoreError> {
        let state = lock(&self.state);
        if state.paused {
            return Err(StoreError::Paused);
        }
        Ok(state
            .store
            .as_ref()
            .filter(|_| state.owner.as_deref() == Some(device_id))
            .map(Arc::clone))
    }

    /// Opens the store, repairing damaged files the documented way: a damaged cache is
    /// recreated empty (the bank has it all), a damaged vault is restored from its backup copy.
    fn open_or_recover(&self, create: bool) -> Result<Store, StoreError> {
        let dir = self.store_dir();
        let wrapper = Arc::new(self.wrapper());
        let opened = if create {
            Store::open(&dir, wrapper.clone())
        } else {
            Store::open_existing(&dir, wrapper.clone())
        };
        match opened {
            Err(StoreError::Corrupt { part }) => {
                tracing::warn!(%part, "store damaged; recovering");
                Store::recover(&dir, wrapper)
            }
            other => other,
        }
    }

    /// Checkpoints and closes the store's files (iOS suspends apps that hold file locks). Until
    /// [`StorageSlot::resume`], history and device state calls answer `Paused` and nothing
    /// opens the store.
    pub(crate) fn pause(&self) -> Result<(), StoreError> {
        let store = {
            let mut state = lock(&self.state);
            state.paused = true;
            state.store.clone()
        };
        match store {
            Some(store) => store.pause(),
            None => Ok(()),
        }
    }

    pub(crate) fn resume(&self) -> Result<(), StoreError> {
        let store = {
            let mut state = lock(&self.state);
            state.paused = false;
            state.store.clone()
        };
        match store {
            Some(store) => store.resume(),
            None => Ok(()),
        }
    }

    /// Closes the store, deletes its files (the device state with them) and asks the key store
    /// to delete its wrapping key, whether or not it could be opened (a lost key leaves files
    /// only this removes). Blocking: call it from the blocking pool.
    pub(crate) fn wipe(&self) -> Result<(), StoreError> {
        let store = {
            let mut state = lock(&self.state);
            state.wipes = state.wipes.wrapping_add(1);
            state.owner = None;
            state.store.take()
        };
        if let Some(store) = store {
            // Closing first so no connection writes into files about to be removed; whatever
            // else holds this store now gets `Paused`.
            if store.pause().is_err() {
                tracing::warn!("the store could not be checkpointed before wiping");
            }
        }
        Store::destroy(self.store_dir(), &self.wrapper())?;
        tracing::info!("encrypted store wiped");
        Ok(())
    }
}

/// Makes sure the cache holds only data of the binding `device_id`.
fn claim(store: &Store, device_id: &str) -> Result<(), StoreError> {
    match store.get(Table::Sync, OWNER_KEY) {
        Ok(Some(owner)) if owner.as_slice() == device_id.as_bytes() => return Ok(()),
        Ok(Some(_)) => {
            tracing::info!("cache belongs to an earlier binding; discarding it");
            store.rebuild_cache()?;
        }
        Ok(None) => {}
        Err(error) if is_cache_damage(&error) => store.rebuild_cache()?,
        Err(error) => return Err(error),
    }
    store.put(Table::Sync, OWNER_KEY, device_id.as_bytes())
}

/// Empties a damaged cache and claims the new one for `device_id`: the next sync fetches the
/// history again.
pub(crate) fn reset_cache(store: &Store, device_id: &str) -> Result<(), StoreError> {
    tracing::warn!("cached history failed its integrity check; clearing it");
    store.rebuild_cache()?;
    store.put(Table::Sync, OWNER_KEY, device_id.as_bytes())
}

/// Damage confined to the cache (rebuildable from the bank), as opposed to the vault's.
pub(crate) fn is_cache_damage(error: &StoreError) -> bool {
    match error {
        StoreError::Corrupt { part } => *part == StorePart::Cache,
        StoreError::Integrity { table } => !Table::ALL
            .iter()
            .any(|t| t.part() == StorePart::Vault && t.name() == *table),
        _ => false,
    }
}
