//! This phone's binding, persisted: ids, key aliases, public keys, the signature counters, the
//! wrapped knowledge key and the local biometric failure count. It holds no secret in clear:
//! the private keys stay in the platform key store, the knowledge key is wrapped by it (and
//! masked by the PIN), and the session token never touches disk.
//!
//! It lives behind [`DeviceStateRepo`]; Mobank keeps it in the encrypted store's vault
//! (`store_repo.rs`).

use std::io;
use std::sync::{Mutex, PoisonError};

use mobank_protocol::assertion::PUBLIC_KEY_LEN;
use mobank_protocol::b64;
use mobank_store::StoreError;
use serde::{Deserialize, Serialize};

use super::knowledge::KnowledgeRecord;

/// 2 added the knowledge factor, the biometric failure count and the binding status; a state
/// of format 1 reads as a binding without a PIN and is written back as 2.
const FORMAT_VERSION: u32 = 2;
const OLDEST_READABLE_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeviceState {
    pub version: u32,
    pub device_id: String,
    /// The relying party this phone signs for, as the bank named it at binding.
    pub rp_id: String,
    pub customer_name: String,
    pub device_name: String,
    pub bound_at_ms: i64,
    pub possession_key_alias: String,
    pub user_verified_key_alias: String,
    #[serde(with = "b64")]
    pub possession_public_key: Vec<u8>,
    #[serde(with = "b64")]
    pub user_verified_public_key: Vec<u8>,
    /// The last counter value each key signed with (or reserved for a signature).
    pub possession_sign_count: u32,
    pub user_verified_sign_count: u32,
    /// The knowledge key, wrapped and PIN-masked. `None`: no PIN was set at binding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub knowledge: Option<KnowledgeRecord>,
    /// The new knowledge key of a PIN change sent to the bank whose answer the phone never
    /// stored: the bank holds either it or `knowledge`, and the next PIN login finds which.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_knowledge: Option<KnowledgeRecord>,
    /// The knowledge factor's own counter. It carries on across PIN changes, so the bank never
    /// sees a value twice whatever it does with its stored one when the key changes.
    #[serde(default)]
    pub knowledge_sign_count: u32,
    /// Biometric checks the OS ran and failed since the last successful login.
    #[serde(default)]
    pub biometric_failures: u32,
    #[serde(default)]
    pub status: BindingStatus,
}

/// What the bank last said about this binding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum BindingStatus {
    #[default]
    Active,
    /// Too many failures or a suspected clone. Still shown as bound, so the app can explain;
    /// only a new activation helps, and one is allowed.
    Blocked,
    /// The bank no longer knows this device (revoked from another device). Reads as not bound.
    Revoked,
}

impl DeviceState {
    pub(crate) fn new_version() -> u32 {
        FORMAT_VERSION
    }

    pub(super) fn check(&self) -> Result<(), StateError> {
        let key_ok = |key: &[u8]| key.len() == PUBLIC_KEY_LEN && key[0] == 0x04;
        if self.version > FORMAT_VERSION {
            return Err(StateError::UnsupportedVersion(self.version));
        }
        if self.version < OLDEST_READABLE_VERSION {
            return Err(StateError::Corrupt);
        }
        if self.device_id.is_empty()
            || self.possession_key_alias.is_empty()
            || self.user_verified_key_alias.is_empty()
            || !key_ok(&self.possession_public_key)
            || !key_ok(&self.user_verified_public_key)
        {
            return Err(StateError::Corrupt);
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum StateError {
    /// Paths are left out on purpose: they can contain the phone user's name.
    #[error("device state could not be {op} ({kind})")]
    Io {
        op: &'static str,
        kind: io::ErrorKind,
    },
    #[error("device state is corrupt")]
    Corrupt,
    #[error("device state format {0} is newer than this version of Mobank")]
    UnsupportedVersion(u32),
    #[error("a signature counter is exhausted; bind this phone again")]
    CounterExhausted,
    /// The store cannot be used now (key store locked, storage paused, a file busy). Nothing
    /// is lost.
    #[error("device state unavailable: {0}")]
    Store(StoreError),
    /// The store's key is gone or invalidated, or its vault and the backup copy are damaged:
    /// the binding it held can never be read again. A new activation replaces the store.
    #[error("device state can no longer be read: {0}")]
    Unreadable(StoreError),
    /// The phone was wiped while the state was being written.
    #[error("device state was removed while it was written")]
    Wiped,
}

pub(super) fn io_error(op: &'static str) -> impl Fn(io::Error) -> StateError {
    move |error| StateError::Io {
        op,
        kind: error.kind(),
    }
}

/// Where device state is kept.
pub(crate) trait DeviceStateRepo: Send + Sync {
    /// Everything that may call the platform key store (opening an encrypted store) happens
    /// here, before [`DeviceStates`] takes its lock; the other methods never call it. `create`:
    /// make the storage if there is none (only a save needs it).
    fn open(&self, create: bool) -> Result<(), StateError>;
    fn load(&self) -> Result<Option<DeviceState>, StateError>;
    /// Replaces the stored state as one durable, atomic step: after a crash or a power cut
    /// either the old or the new state is there, never a mix.
    fn save(&self, state: &DeviceState) -> Result<(), StateError>;
    /// Like [`DeviceStateRepo::save`], as durable, for a state whose only change is reserved
    /// counters: a copy kept against damage may lag behind by a bounded number of such saves,
    /// which a restore makes up for by moving the counters forward (decision record 0030).
    fn save_reserved(&self, state: &DeviceState, flush: CounterFlush) -> Result<(), StateError>;
    /// Deletes the stored state; nothing stored is not an error.
    fn remove(&self) -> Result<(), StateError>;
}

/// The device state plus the rule that keeps counters unique: a counter is reserved and
/// persisted before the signature that uses it exists, so a crash can skip a value but can
/// never make the phone sign the same value twice.
pub(crate) struct DeviceStates {
    repo: Box<dyn DeviceStateRepo>,
    /// Serialises read-modify-write cycles. Never held while calling the key store: the repo
    /// is opened before it is taken.
    write: Mutex<()>,
}

/// Which counter besides the possession key's a signature needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SecondCounter {
    UserVerified,
    Knowledge,
}

/// When reserved counter values reach the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CounterFlush {
    /// Before the reservation returns: the signature may leave the phone at once.
    Now,
    /// With the caller's next durable vault write, which it makes before the signature leaves
    /// the phone (a transfer's outbox entry, decision record 0033). A crash before that write
    /// loses the values together with a signature nobody saw.
    WithCallersWrite,
}

/// Counter values reserved for one set of signatures, with the state they were taken from.
pub(crate) struct Reserved {
    pub state: DeviceState,
    pub possession_count: u32,
    /// Reserved only if asked for.
    pub second_count: Option<u32>,
}

impl DeviceStates {
    pub(crate) fn new(repo: Box<dyn DeviceStateRepo>) -> Self {
        Self {
            repo,
            write: Mutex::new(()),
        }
    }

    pub(crate) fn load(&self) -> Result<Option<DeviceState>, StateError> {
        self.repo.open(false)?;
        self.repo.load()
    }

    pub(crate) fn save(&self, state: &DeviceState) -> Result<(), StateError> {
        self.repo.open(true)?;
        let _guard = self.write.lock().unwrap_or_else(PoisonError::into_inner);
        let mut state = state.clone();
        state.version = FORMAT_VERSION;
        self.repo.save(&state)
    }

    /// Changes the state of the device `device_id` as one read-modify-write, and persists it if
    /// `change` succeeds. `None` if this phone is no longer bound as that device.
    pub(crate) fn update<T>(
        &self,
        device_id: &str,
        change: impl FnOnce(&mut DeviceState) -> Result<T, StateError>,
    ) -> Result<Option<(DeviceState, T)>, StateError> {
        self.change(device_id, change, None)
    }

    /// `reserved`: the change only reserves counters, flushed as it says.
    fn change<T>(
        &self,
        device_id: &str,
        change: impl FnOnce(&mut DeviceState) -> Result<T, StateError>,
        reserved: Option<CounterFlush>,
    ) -> Result<Option<(DeviceState, T)>, StateError> {
        self.repo.open(false)?;
        let _guard = self.write.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(mut state) = self.repo.load()? else {
            return Ok(None);
        };
        if state.device_id != device_id {
            return Ok(None);
        }
        let output = change(&mut state)?;
        state.version = FORMAT_VERSION;
        match reserved {
            Some(flush) => self.repo.save_reserved(&state, flush)?,
            None => self.repo.save(&state)?,
        }
        Ok(Some((state, output)))
    }

    /// Takes the next value of the possession counter and, if asked, of a second one, and
    /// persists them before any signature exists, on the disk when `flush` says.
    pub(crate) fn reserve(
        &self,
        device_id: &str,
        second: Option<SecondCounter>,
        flush: CounterFlush,
    ) -> Result<Option<Reserved>, StateError> {
        let reserved = self.change(
            device_id,
            |state| {
                state.possession_sign_count = next(state.possession_sign_count)?;
                let second_count = match second {
                    None => None,
                    Some(SecondCounter::UserVerified) => {
                        state.user_verified_sign_count = next(state.user_verified_sign_count)?;
                        Some(state.user_verified_sign_count)
                    }
                    Some(SecondCounter::Knowledge) => {
                        state.knowledge_sign_count = next(state.knowledge_sign_count)?;
                        Some(state.knowledge_sign_count)
                    }
                };
                Ok((state.possession_sign_count, second_count))
            },
            Some(flush),
        )?;
        Ok(
            reserved.map(|(state, (possession_count, second_count))| Reserved {
                state,
                possession_count,
                second_count,
            }),
        )
    }

    /// Removes the stored state. Missing already is fine.
    pub(crate) fn remove(&self) -> Result<(), StateError> {
        self.repo.open(false)?;
        let _guard = self.write.lock().unwrap_or_else(PoisonError::into_inner);
        self.repo.remove()
    }
}

fn next(counter: u32) -> Result<u32, StateError> {
    counter.checked_add(1).ok_or(StateError::CounterExhausted)
}

impl DeviceState {
    /// Moves every signature counter `by` values forward, past any value reserved in saves a
    /// restored copy missed. Saturates: an exhausted counter then refuses to sign.
    pub(crate) fn skip_counters(&mut self, by: u32) {
        for counter in [
            &mut self.possession_sign_count,
            &mut self.user_verified_sign_count,
            &mut self.knowledge_sign_count,
        ] {
            *counter = counter.saturating_add(by);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::Path;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, OnceLock};

    use mobank_store::Table;
    use zeroize::Zeroizing;

    use super::*;
    use crate::device::store_repo::{StoreRepo, DEVICE_STATE_HOOKS, LEGACY_FILE};
    use crate::platform::{InsecureSoftwareKeyStore, KeyPurpose, KeyStore, KeyStoreError};
    use crate::storage::StorageSlot;

    fn sample() -> DeviceState {
        let mut key = vec![0x04];
        key.extend_from_slice(&[7u8; 64]);
        DeviceState {
            version: FORMAT_VERSION,
            device_id: "dev_1".to_owned(),
            rp_id: "sandbox.mobank.local".to_owned(),
            customer_name: "李伟 (Li Wei)".to_owned(),
            device_name: "Pixel 8".to_owned(),
            bound_at_ms: 1_700_000_000_000,
            possession_key_alias: "mobank.x.possession".to_owned(),
            user_verified_key_alias: "mobank.x.uv".to_owned(),
            possession_public_key: key.clone(),
            user_verified_public_key: key,
            possession_sign_count: 1,
            user_verified_sign_count: 1,
            knowledge: Some(KnowledgeRecord {
                wrap_alias: "mobank.x.knowledge".to_owned(),
                salt: vec![1; 16],
                sealed: vec![2; 60],
            }),
            pending_knowledge: None,
            knowledge_sign_count: 0,
            biometric_failures: 0,
            status: BindingStatus::Active,
        }
    }

    /// Device states over the store in `dir`, as one run of the app sees them.
    fn open_states(dir: &Path, key_store: Arc<dyn KeyStore>) -> (DeviceStates, Arc<StorageSlot>) {
        let slot = Arc::new(StorageSlot::new(dir, key_store, DEVICE_STATE_HOOKS));
        let states = DeviceStates::new(Box::new(StoreRepo::new(Arc::clone(&slot))));
        (states, slot)
    }

    /// The possession and user-verified counters of `dev_1`, reserved.
    fn reserve_uv(states: &DeviceStates, flush: CounterFlush) -> Reserved {
        states
            .reserve("dev_1", Some(SecondCounter::UserVerified), flush)
            .unwrap()
            .unwrap()
    }

    fn software() -> Arc<InsecureSoftwareKeyStore> {
        Arc::new(InsecureSoftwareKeyStore::new())
    }

    fn all_files(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.extend(all_files(&path));
            } else {
                out.push((path.clone(), fs::read(&path).unwrap()));
            }
        }
        out
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    fn write_legacy(dir: &Path, json: &serde_json::Value) {
        fs::write(dir.join(LEGACY_FILE), serde_json::to_vec(json).unwrap()).unwrap();
    }

    fn format_1(state: &DeviceState) -> serde_json::Value {
        let mut v1 = serde_json::to_value(state).unwrap();
        let fields = v1.as_object_mut().unwrap();
        for added in [
            "knowledge",
            "knowledge_sign_count",
            "biometric_failures",
            "status",
        ] {
            fields.remove(added);
        }
        fields.insert("version".to_owned(), 1.into());
        v1
    }

    #[test]
    fn round_trips_through_the_vault_with_nothing_in_clear() {
        let dir = tempfile::tempdir().unwrap();
        let key_store = software();
        let (states, _slot) = open_states(dir.path(), key_store.clone());
        assert_eq!(states.load().unwrap(), None);
        // Reading an unbound phone creates nothing, not even a key.
        assert!(key_store.aliases().is_empty());
        assert!(!dir.path().join("store").exists());

        states.save(&sample()).unwrap();
        assert_eq!(states.load().unwrap(), Some(sample()));
        drop(states);
        // The next run of the app reads it back.
        let (again, _slot) = open_states(dir.path(), key_store);
        assert_eq!(again.load().unwrap(), Some(sample()));

        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["store"]);
        let files = all_files(dir.path());
        assert!(!files.is_empty());
        let state = sample();
        for (path, bytes) in &files {
            for clear in [
                state.customer_name.as_bytes(),
                state.device_id.as_bytes(),
                state.possession_key_alias.as_bytes(),
                state.rp_id.as_bytes(),
                b"possession_sign_count",
            ] {
                assert!(!contains(bytes, clear), "{}", path.display());
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn the_store_is_readable_by_the_app_alone() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let (states, _slot) = open_states(dir.path(), software());
        states.save(&sample()).unwrap();
        states.reserve("dev_1", None, CounterFlush::Now).unwrap();
        let store = dir.path().join("store");
        assert_eq!(mode(&store), 0o700);
        let files = all_files(&store);
        assert!(files.len() >= 2, "{files:?}");
        for (path, _) in files {
            assert_eq!(mode(&path), 0o600, "{}", path.display());
        }
    }

    #[test]
    fn a_device_json_of_format_2_is_imported_and_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let key_store = software();
        write_legacy(dir.path(), &serde_json::to_value(sample()).unwrap());
        let (states, _slot) = open_states(dir.path(), key_store.clone());
        assert_eq!(states.load().unwrap(), Some(sample()));
        assert!(!dir.path().join(LEGACY_FILE).exists());
        drop(states);
        let (again, _slot) = open_states(dir.path(), key_store);
        assert_eq!(again.load().unwrap(), Some(sample()));
        // The counters carry on from the imported values.
        let reserved = again
            .reserve("dev_1", None, CounterFlush::Now)
            .unwrap()
            .unwrap();
        assert_eq!(reserved.possession_count, 2);
    }

    #[test]
    fn counters_reserved_for_the_callers_write_never_repeat_after_the_app_is_killed() {
        let dir = tempfile::tempdir().unwrap();
        let key_store = software();
        let (states, slot) = open_states(dir.path(), key_store.clone());
        states.save(&sample()).unwrap();
        let first = reserve_uv(&states, CounterFlush::WithCallersWrite);
        // Killed before the caller's flushed write: nothing paused, nothing checkpointed.
        drop(states);
        drop(slot);
        let (again, _slot) = open_states(dir.path(), key_store);
        let next = reserve_uv(&again, CounterFlush::Now);
        assert!(next.possession_count > first.possession_count);
        assert!(next.second_count > first.second_count);
    }

    #[test]
    fn a_device_json_of_format_1_is_imported_as_a_binding_without_pin() {
        let dir = tempfile::tempdir().unwrap();
        write_legacy(dir.path(), &format_1(&sample()));
        let (states, _slot) = open_states(dir.path(), software());
        let loaded = states.load().unwrap().unwrap();
        assert_eq!(loaded.version, FORMAT_VERSION);
        assert_eq!(loaded.knowledge, None);
        assert_eq!(loaded.knowledge_sign_count, 0);
        assert_eq!(loaded.status, BindingStatus::Active);
        assert_eq!(loaded.device_id, "dev_1");
        assert!(!dir.path().join(LEGACY_FILE).exists());
    }

    #[test]
    fn the_import_also_happens_when_the_history_opened_the_store_first() {
        let dir = tempfile::tempdir().unwrap();
        let (states, slot) = open_states(dir.path(), software());
        states.save(&sample()).unwrap();
        states.remove().unwrap();
        // The store is open already; a file turns up (an app update while it ran).
        write_legacy(dir.path(), &serde_json::to_value(sample()).unwrap());
        assert!(slot.open(false).unwrap().is_some());
        assert!(!dir.path().join(LEGACY_FILE).exists());
        assert_eq!(states.load().unwrap(), Some(sample()));
    }

    #[test]
    fn a_file_left_by_an_interrupted_import_does_not_replace_the_vault_state() {
        let dir = tempfile::tempdir().unwrap();
        let key_store = software();
        let (states, _slot) = open_states(dir.path(), key_store.clone());
        states.save(&sample()).unwrap();
        states
            .reserve("dev_1", None, CounterFlush::Now)
            .unwrap()
            .unwrap();
        drop(states);
        // The import wrote the vault, then the app died before the file was deleted.
        write_legacy(dir.path(), &serde_json::to_value(sample()).unwrap());
        let (again, _slot) = open_states(dir.path(), key_store);
        assert_eq!(again.load().unwrap().unwrap().possession_sign_count, 2);
        assert!(!dir.path().join(LEGACY_FILE).exists());
    }

    #[test]
    fn an_unreadable_device_json_is_reported_kept_and_replaced_by_a_new_binding() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(LEGACY_FILE);
        let mut newer = sample();
        newer.version = FORMAT_VERSION + 1;
        let cases: [(Vec<u8>, StateError); 3] = [
            (b"{not json".to_vec(), StateError::Corrupt),
            (b"{}".to_vec(), StateError::Corrupt),
            (
                serde_json::to_vec(&newer).unwrap(),
                StateError::UnsupportedVersion(FORMAT_VERSION + 1),
            ),
        ];
        for (garbage, expected) in cases {
            fs::write(&path, &garbage).unwrap();
            let (states, _slot) = open_states(dir.path(), software());
            assert_eq!(states.load(), Err(expected));
            assert_eq!(fs::read(&path).unwrap(), garbage);
            drop(states);
            fs::remove_dir_all(dir.path().join("store")).unwrap();
        }
        // A new activation saves its state; the old file goes.
        let (states, _slot) = open_states(dir.path(), software());
        assert!(states.load().is_err());
        states.save(&sample()).unwrap();
        assert!(!path.exists());
        assert_eq!(states.load().unwrap(), Some(sample()));
    }

    #[test]
    fn a_corrupt_or_newer_record_is_a_typed_error() {
        let dir = tempfile::tempdir().unwrap();
        let (states, slot) = open_states(dir.path(), software());
        states.save(&sample()).unwrap();
        let store = slot.open(false).unwrap().unwrap();
        for garbage in [&b"{not json"[..], b"", b"{}"] {
            store.put(Table::DeviceState, "binding", garbage).unwrap();
            assert_eq!(states.load(), Err(StateError::Corrupt));
        }
        let mut short_key = sample();
        short_key.possession_public_key.truncate(10);
        let bytes = serde_json::to_vec(&short_key).unwrap();
        store.put(Table::DeviceState, "binding", &bytes).unwrap();
        assert_eq!(states.load(), Err(StateError::Corrupt));
        let mut newer = sample();
        newer.version = FORMAT_VERSION + 1;
        let bytes = serde_json::to_vec(&newer).unwrap();
        store.put(Table::DeviceState, "binding", &bytes).unwrap();
        assert_eq!(
            states.load(),
            Err(StateError::UnsupportedVersion(FORMAT_VERSION + 1))
        );
        // Saving replaces it.
        states.save(&sample()).unwrap();
        assert_eq!(states.load().unwrap(), Some(sample()));
    }

    #[test]
    fn a_locked_key_store_is_storage_locked_never_not_bound() {
        let dir = tempfile::tempdir().unwrap();
        let key_store = software();
        let (states, _slot) = open_states(dir.path(), key_store.clone());
        states.save(&sample()).unwrap();
        drop(states);
        key_store.set_locked(true);
        let (locked, _slot) = open_states(dir.path(), key_store.clone());
        // `error.rs` maps exactly this to `StorageLocked`.
        let error = locked.load().unwrap_err();
        assert_eq!(error, StateError::Store(StoreError::StorageLocked));
        assert!(matches!(
            locked.reserve("dev_1", None, CounterFlush::Now),
            Err(StateError::Store(StoreError::StorageLocked))
        ));
        // Nothing was lost.
        key_store.set_locked(false);
        assert_eq!(locked.load().unwrap(), Some(sample()));
    }

    #[test]
    fn a_lost_or_invalidated_store_key_means_not_bound() {
        for invalidate in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let key_store = software();
            let (states, _slot) = open_states(dir.path(), key_store.clone());
            states.save(&sample()).unwrap();
            drop(states);
            if invalidate {
                key_store.invalidate(crate::storage::STORE_KEY_ALIAS);
            } else {
                key_store.delete(crate::storage::STORE_KEY_ALIAS).unwrap();
            }
            let (lost, _slot) = open_states(dir.path(), key_store.clone());
            // `error.rs` maps exactly these to `NotBound`.
            let error = lost.load().unwrap_err();
            assert!(
                matches!(
                    error,
                    StateError::Unreadable(
                        StoreError::KeyLost { .. } | StoreError::KeyInvalidated { .. }
                    )
                ),
                "{error:?}"
            );
        }
    }

    #[test]
    fn the_record_holds_no_secret_fields() {
        let json = serde_json::to_value(sample()).unwrap();
        let mut fields: Vec<_> = json.as_object().unwrap().keys().cloned().collect();
        fields.sort();
        assert_eq!(
            fields,
            [
                "biometric_failures",
                "bound_at_ms",
                "customer_name",
                "device_id",
                "device_name",
                "knowledge",
                "knowledge_sign_count",
                "possession_key_alias",
                "possession_public_key",
                "possession_sign_count",
                "rp_id",
                "status",
                "user_verified_key_alias",
                "user_verified_public_key",
                "user_verified_sign_count",
                "version",
            ]
        );
        // The knowledge key is there only wrapped by the platform and masked by the PIN.
        let mut knowledge: Vec<_> = json["knowledge"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        knowledge.sort();
        assert_eq!(knowledge, ["salt", "sealed", "wrap_alias"]);
    }

    #[test]
    fn reserving_counters_persists_them_before_use() {
        let dir = tempfile::tempdir().unwrap();
        let key_store = software();
        let (states, _slot) = open_states(dir.path(), key_store.clone());
        states.save(&sample()).unwrap();
        let uv = Some(SecondCounter::UserVerified);
        let reserved = states
            .reserve("dev_1", uv, CounterFlush::Now)
            .unwrap()
            .unwrap();
        assert_eq!(
            (reserved.possession_count, reserved.second_count),
            (2, Some(2))
        );
        // Already in the vault, before any signature exists: the next run of the app sees it.
        drop(states);
        let (states, _slot) = open_states(dir.path(), key_store);
        let on_disk = states.load().unwrap().unwrap();
        assert_eq!(
            (
                on_disk.possession_sign_count,
                on_disk.user_verified_sign_count
            ),
            (2, 2)
        );
        let again = states
            .reserve("dev_1", uv, CounterFlush::Now)
            .unwrap()
            .unwrap();
        assert_eq!((again.possession_count, again.second_count), (3, Some(3)));
        // The knowledge counter runs on its own; possession alone leaves the others alone.
        let pin = states
            .reserve("dev_1", Some(SecondCounter::Knowledge), CounterFlush::Now)
            .unwrap()
            .unwrap();
        assert_eq!((pin.possession_count, pin.second_count), (4, Some(1)));
        let alone = states
            .reserve("dev_1", None, CounterFlush::Now)
            .unwrap()
            .unwrap();
        assert_eq!((alone.possession_count, alone.second_count), (5, None));
        assert_eq!(
            (
                alone.state.user_verified_sign_count,
                alone.state.knowledge_sign_count
            ),
            (3, 1)
        );
        assert!(states
            .reserve("another_device", uv, CounterFlush::Now)
            .unwrap()
            .is_none());
    }

    #[test]
    fn concurrent_reservations_never_share_a_value() {
        let dir = tempfile::tempdir().unwrap();
        let (states, _slot) = open_states(dir.path(), software());
        states.save(&sample()).unwrap();
        let mut seen: Vec<u32> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..4)
                .map(|_| {
                    scope.spawn(|| {
                        (0..5)
                            .map(|_| reserve_uv(&states, CounterFlush::Now).possession_count)
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        });
        seen.sort();
        assert_eq!(seen, (2..22).collect::<Vec<_>>());
    }

    /// A key store that records whether the device state lock was free at every call.
    #[derive(Default)]
    struct Watching {
        inner: InsecureSoftwareKeyStore,
        states: OnceLock<Arc<DeviceStates>>,
        calls: AtomicUsize,
        under_lock: AtomicUsize,
    }

    impl Watching {
        fn note(&self) {
            self.calls.fetch_add(1, Ordering::SeqCst);
            let held = self
                .states
                .get()
                .is_some_and(|states| states.write.try_lock().is_err());
            if held {
                self.under_lock.fetch_add(1, Ordering::SeqCst);
            }
        }
    }

    impl KeyStore for Watching {
        fn generate(&self, alias: &str, purpose: KeyPurpose) -> Result<Vec<u8>, KeyStoreError> {
            self.note();
            self.inner.generate(alias, purpose)
        }
        fn public_key(&self, alias: &str) -> Result<Vec<u8>, KeyStoreError> {
            self.note();
            self.inner.public_key(alias)
        }
        fn sign(
            &self,
            alias: &str,
            message: &[u8],
            prompt: Option<&str>,
        ) -> Result<Vec<u8>, KeyStoreError> {
            self.note();
            self.inner.sign(alias, message, prompt)
        }
        fn delete(&self, alias: &str) -> Result<(), KeyStoreError> {
            self.note();
            self.inner.delete(alias)
        }
        fn wrap(&self, alias: &str, plaintext: &[u8]) -> Result<Vec<u8>, KeyStoreError> {
            self.note();
            self.inner.wrap(alias, plaintext)
        }
        fn unwrap(&self, alias: &str, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeyStoreError> {
            self.note();
            self.inner.unwrap(alias, wrapped)
        }
    }

    #[test]
    fn the_key_store_is_never_called_under_the_state_lock() {
        let dir = tempfile::tempdir().unwrap();
        write_legacy(dir.path(), &serde_json::to_value(sample()).unwrap());
        let key_store = Arc::new(Watching::default());
        let (states, slot) = open_states(dir.path(), key_store.clone());
        let states = Arc::new(states);
        let _ = key_store.states.set(Arc::clone(&states));
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    for _ in 0..3 {
                        states
                            .reserve("dev_1", None, CounterFlush::Now)
                            .unwrap()
                            .unwrap();
                        states.load().unwrap().unwrap();
                    }
                });
            }
        });
        drop(slot);
        assert!(key_store.calls.load(Ordering::SeqCst) >= 1);
        assert_eq!(key_store.under_lock.load(Ordering::SeqCst), 0);
        assert_eq!(states.load().unwrap().unwrap().possession_sign_count, 13);
    }

    #[test]
    fn an_exhausted_counter_is_an_error_not_a_wrap() {
        let dir = tempfile::tempdir().unwrap();
        let (states, _slot) = open_states(dir.path(), software());
        let mut state = sample();
        state.user_verified_sign_count = u32::MAX;
        states.save(&state).unwrap();
        assert!(matches!(
            states.reserve(
                "dev_1",
                Some(SecondCounter::UserVerified),
                CounterFlush::Now
            ),
            Err(StateError::CounterExhausted)
        ));
        let mut expected = state;
        expected.version = FORMAT_VERSION;
        assert_eq!(states.load().unwrap(), Some(expected));
    }

    #[test]
    fn remove_deletes_the_state_and_tolerates_its_absence() {
        let dir = tempfile::tempdir().unwrap();
        let (states, _slot) = open_states(dir.path(), software());
        states.remove().unwrap();
        states.save(&sample()).unwrap();
        states.remove().unwrap();
        assert_eq!(states.load().unwrap(), None);
        states.remove().unwrap();
        assert_eq!(states.load().unwrap(), None);
    }

    #[test]
    fn counters_restored_from_a_lagging_backup_move_past_every_value_reserved_before() {
        let dir = tempfile::tempdir().unwrap();
        let key_store = software();
        let mut reserved = Vec::new();
        {
            let (states, _slot) = open_states(dir.path(), key_store.clone());
            states.save(&sample()).unwrap();
            // Fewer reservations than the lag limit: the backup still holds the saved state.
            for _ in 1..mobank_store::MAX_BACKUP_LAG {
                let r = reserve_uv(&states, CounterFlush::Now);
                reserved.push((r.possession_count, r.second_count.unwrap()));
            }
        }
        // The vault is lost; the next open restores the backup.
        fs::remove_file(dir.path().join("store").join("vault.db")).unwrap();
        let (states, slot) = open_states(dir.path(), key_store.clone());
        let next = reserve_uv(&states, CounterFlush::Now);
        let (possession, user_verified) = *reserved.last().unwrap();
        assert!(
            next.possession_count > possession,
            "{} repeats",
            next.possession_count
        );
        assert!(next.second_count.unwrap() > user_verified);
        let store = slot.current().unwrap().unwrap();
        assert!(!store.restore_unacknowledged().unwrap());
        drop((states, slot, store));

        // Acknowledged: opening again moves nothing forward.
        let (states, _slot) = open_states(dir.path(), key_store);
        let after = states
            .reserve("dev_1", None, CounterFlush::Now)
            .unwrap()
            .unwrap();
        assert_eq!(after.possession_count, next.possession_count + 1);
    }
}
