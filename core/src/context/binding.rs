//! What is on the phone, judged against the key store, and the changes to the binding every
//! feature may cause: the bank's verdict recorded, the phone wiped.

use std::fs;
use std::io;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::Context;
use crate::device::binding::{delete_keys, state_aliases};
use crate::device::state::{BindingStatus, DeviceState, StateError};
use crate::error::MobankError;
use crate::platform::KeyStoreError;
use crate::runtime::{blocking, lock};

/// What is on the phone, judged against the key store.
pub(crate) enum Binding {
    None,
    /// A saved state whose keys are gone (restored backup, reinstall), or a binding the bank no
    /// longer knows (revoked): not bound.
    Stale(DeviceState),
    /// The saved state cannot be read; a new activation replaces it.
    Corrupt,
    /// The store holding the state can never be opened again (its key is lost or invalidated,
    /// or its vault and the backup copy are damaged): the binding is gone. A new activation
    /// wipes the store and starts a new one.
    Unreadable(StateError),
    /// Bound, possibly blocked by the bank (see [`DeviceState::status`]).
    Bound(DeviceState),
}

impl Context {
    /// Blocking: it may open the encrypted store, which asks the key store for its key.
    pub(crate) fn binding(&self) -> Result<Binding, MobankError> {
        let state = match self.states.load() {
            Ok(Some(state)) => state,
            Ok(None) => return Ok(Binding::None),
            Err(StateError::Corrupt) => {
                tracing::warn!("device state is corrupt; a new activation will replace it");
                return Ok(Binding::Corrupt);
            }
            Err(error @ StateError::Unreadable(_)) => {
                tracing::warn!(%error, "the store holding the binding cannot be opened");
                return Ok(Binding::Unreadable(error));
            }
            Err(error) => return Err(error.into()),
        };
        if state.status == BindingStatus::Revoked {
            return Ok(Binding::Stale(state));
        }
        let mut keys_present = true;
        for alias in [&state.possession_key_alias, &state.user_verified_key_alias] {
            match self.key_store.public_key(alias) {
                // An invalidated key still exists; using it says what to do next.
                Ok(_) | Err(KeyStoreError::Invalidated) => {}
                Err(KeyStoreError::NotFound) => keys_present = false,
                Err(error) => return Err(error.into()),
            }
        }
        if keys_present {
            Ok(Binding::Bound(state))
        } else {
            tracing::warn!("a device key is missing; treating this phone as not bound");
            Ok(Binding::Stale(state))
        }
    }

    pub(crate) async fn binding_off_runtime(self: &Arc<Self>) -> Result<Binding, MobankError> {
        let context = Arc::clone(self);
        blocking(move || context.binding()).await?
    }

    /// The saved binding, if it can still authenticate: not blocked, not revoked.
    pub(crate) async fn usable_state(self: &Arc<Self>) -> Result<DeviceState, MobankError> {
        let context = Arc::clone(self);
        let state = blocking(move || context.states.load())
            .await??
            .ok_or(MobankError::NotBound)?;
        match state.status {
            BindingStatus::Active => Ok(state),
            BindingStatus::Blocked => Err(MobankError::DeviceBlocked),
            BindingStatus::Revoked => Err(MobankError::NotBound),
        }
    }

    /// Records what the bank said about the binding when it refused this device: blocked for
    /// good, or no longer known. Only ever makes the local view stricter.
    pub(crate) async fn note_binding_error(self: &Arc<Self>, device_id: &str, error: &MobankError) {
        let status = match error {
            MobankError::DeviceBlocked => BindingStatus::Blocked,
            MobankError::NotBound => BindingStatus::Revoked,
            _ => return,
        };
        let context = Arc::clone(self);
        let device_id = device_id.to_owned();
        let saved = blocking(move || {
            context.states.update(&device_id, |state| {
                // A revoked binding stays revoked; a blocked one may learn it was revoked.
                if state.status != BindingStatus::Revoked {
                    state.status = status;
                }
                Ok(())
            })
        })
        .await;
        if !matches!(saved, Ok(Ok(_))) {
            tracing::warn!("could not record the bank's refusal of this binding");
        }
    }

    /// Removes everything Mobank keeps on this phone: the session, every key of the binding,
    /// the encrypted store with its key, and every file in the data directory (the directory
    /// itself stays). Flows begun before it are over. Key deletion is best effort: a key no
    /// state refers to can no longer be used by Mobank. Works on a store that cannot be opened
    /// any more, too.
    pub(crate) async fn wipe(self: &Arc<Self>) -> Result<(), MobankError> {
        drop(lock(&self.session).live.take());
        self.wipes.fetch_add(1, Ordering::SeqCst);
        let context = Arc::clone(self);
        blocking(move || {
            if let Ok(Some(state)) = context.states.load() {
                delete_keys(context.key_store.as_ref(), &state_aliases(&state));
            }
            // Deleted first in case the store's files outlive what follows; an unreadable store
            // has nothing to delete.
            if context.states.remove().is_err() {
                tracing::warn!("could not delete the device state record");
            }
            // Closes the store and deletes its wrapping key; the files go with the directory.
            if context.storage.wipe().is_err() {
                tracing::warn!("could not delete the store's wrapping key");
            }
            clear_dir(context.storage.data_dir()).map_err(|error| StateError::Io {
                op: "deleted",
                kind: error.kind(),
            })
        })
        .await?
        .map_err(MobankError::from)
    }
}

/// Deletes every entry of `dir`, not `dir` itself.
fn clear_dir(dir: &Path) -> io::Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error),
    };
    for entry in entries {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            fs::remove_dir_all(entry.path())?;
        } else {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}
