//! This phone's binding, persisted: ids, key aliases, public keys, the signature counters, the
//! wrapped knowledge key and the local biometric failure count. It holds no secret in clear:
//! the private keys stay in the platform key store, the knowledge key is wrapped by it (and
//! masked by the PIN), and the session token never touches disk.
//!
//! It lives behind [`DeviceStateRepo`] so the encrypted store can take over from the JSON file.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use mobank_protocol::assertion::PUBLIC_KEY_LEN;
use mobank_protocol::b64;
use serde::{Deserialize, Serialize};

use super::knowledge::KnowledgeRecord;

/// 2 added the knowledge factor, the biometric failure count and the binding status; a file
/// of format 1 reads as a binding without a PIN and is written back as 2.
const FORMAT_VERSION: u32 = 2;
const OLDEST_READABLE_VERSION: u32 = 1;
pub(crate) const STATE_FILE: &str = "device.json";
const TEMP_FILE: &str = "device.json.tmp";

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

    fn check(&self) -> Result<(), StateError> {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
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
}

fn io_error(op: &'static str) -> impl Fn(io::Error) -> StateError {
    move |error| StateError::Io {
        op,
        kind: error.kind(),
    }
}

/// Where device state is kept.
pub(crate) trait DeviceStateRepo: Send + Sync {
    fn load(&self) -> Result<Option<DeviceState>, StateError>;
    /// Replaces the stored state as one atomic step: after a crash either the old or the new
    /// state is there, never a mix.
    fn save(&self, state: &DeviceState) -> Result<(), StateError>;
    /// Deletes the stored state; nothing stored is not an error.
    fn remove(&self) -> Result<(), StateError>;
}

/// A small JSON file in the data directory, replaced by write-to-temp, fsync, rename.
pub(crate) struct JsonFileRepo {
    dir: PathBuf,
}

impl JsonFileRepo {
    pub(crate) fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
        }
    }

    fn path(&self) -> PathBuf {
        self.dir.join(STATE_FILE)
    }
}

impl DeviceStateRepo for JsonFileRepo {
    fn load(&self) -> Result<Option<DeviceState>, StateError> {
        let bytes = match fs::read(self.path()) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(io_error("read")(error)),
        };
        let state: DeviceState = serde_json::from_slice(&bytes).map_err(|_| StateError::Corrupt)?;
        state.check()?;
        Ok(Some(state))
    }

    fn save(&self, state: &DeviceState) -> Result<(), StateError> {
        let json = serde_json::to_vec_pretty(state).map_err(|_| StateError::Corrupt)?;
        let temp = self.dir.join(TEMP_FILE);
        let mut options = OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&temp).map_err(io_error("created"))?;
        file.write_all(&json).map_err(io_error("written"))?;
        file.sync_all().map_err(io_error("synced"))?;
        drop(file);
        fs::rename(&temp, self.path()).map_err(io_error("replaced"))?;
        sync_dir(&self.dir)
    }

    fn remove(&self) -> Result<(), StateError> {
        for path in [self.dir.join(TEMP_FILE), self.path()] {
            match fs::remove_file(path) {
                Ok(()) => {}
                Err(error) if error.kind() == io::ErrorKind::NotFound => {}
                Err(error) => return Err(io_error("deleted")(error)),
            }
        }
        sync_dir(&self.dir)
    }
}

/// Makes the rename itself durable (the directory entry), where the platform allows it.
fn sync_dir(dir: &Path) -> Result<(), StateError> {
    // Windows cannot open a directory as a file; NTFS makes the rename durable on its own.
    #[cfg(unix)]
    fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_error("synced"))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// The device state plus the rule that keeps counters unique: a counter is reserved and
/// persisted before the signature that uses it exists, so a crash can skip a value but can
/// never make the phone sign the same value twice.
pub(crate) struct DeviceStates {
    repo: Box<dyn DeviceStateRepo>,
    /// Serialises read-modify-write cycles. Never held while calling the key store.
    write: Mutex<()>,
}

/// Which counter besides the possession key's a signature needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SecondCounter {
    UserVerified,
    Knowledge,
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
        self.repo.load()
    }

    pub(crate) fn save(&self, state: &DeviceState) -> Result<(), StateError> {
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
        let _guard = self.write.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(mut state) = self.repo.load()? else {
            return Ok(None);
        };
        if state.device_id != device_id {
            return Ok(None);
        }
        let output = change(&mut state)?;
        state.version = FORMAT_VERSION;
        self.repo.save(&state)?;
        Ok(Some((state, output)))
    }

    /// Takes the next value of the possession counter and, if asked, of a second one, and
    /// persists them before any signature exists.
    pub(crate) fn reserve(
        &self,
        device_id: &str,
        second: Option<SecondCounter>,
    ) -> Result<Option<Reserved>, StateError> {
        let reserved = self.update(device_id, |state| {
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
        })?;
        Ok(
            reserved.map(|(state, (possession_count, second_count))| Reserved {
                state,
                possession_count,
                second_count,
            }),
        )
    }

    /// Removes the state file. Missing already is fine.
    pub(crate) fn remove(&self) -> Result<(), StateError> {
        let _guard = self.write.lock().unwrap_or_else(PoisonError::into_inner);
        self.repo.remove()
    }
}

fn next(counter: u32) -> Result<u32, StateError> {
    counter.checked_add(1).ok_or(StateError::CounterExhausted)
}

#[cfg(test)]
mod tests {
    use super::*;

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
            knowledge_sign_count: 0,
            biometric_failures: 0,
            status: BindingStatus::Active,
        }
    }

    #[test]
    fn round_trips_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let repo = JsonFileRepo::new(dir.path());
        assert_eq!(repo.load().unwrap(), None);
        repo.save(&sample()).unwrap();
        assert_eq!(repo.load().unwrap(), Some(sample()));
        let mut names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, [STATE_FILE]);
    }

    #[cfg(unix)]
    #[test]
    fn file_is_private_to_the_app() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        JsonFileRepo::new(dir.path()).save(&sample()).unwrap();
        let mode = fs::metadata(dir.path().join(STATE_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn a_leftover_temp_file_from_a_crash_does_not_replace_the_state() {
        // A crash between writing the temp file and the rename leaves the old state in force.
        let dir = tempfile::tempdir().unwrap();
        let repo = JsonFileRepo::new(dir.path());
        repo.save(&sample()).unwrap();
        fs::write(
            dir.path().join(TEMP_FILE),
            b"{\"version\": 1, \"device_id\": \"half",
        )
        .unwrap();
        assert_eq!(repo.load().unwrap(), Some(sample()));
        // The next save overwrites the leftover.
        let mut next = sample();
        next.possession_sign_count = 9;
        repo.save(&next).unwrap();
        assert_eq!(repo.load().unwrap(), Some(next));
        assert!(!dir.path().join(TEMP_FILE).exists());
    }

    #[test]
    fn corrupt_or_newer_files_are_typed_errors_and_left_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let repo = JsonFileRepo::new(dir.path());
        let path = dir.path().join(STATE_FILE);
        for garbage in [&b"{not json"[..], b"", b"{}", b"\x00\x01"] {
            fs::write(&path, garbage).unwrap();
            assert_eq!(repo.load(), Err(StateError::Corrupt));
            assert_eq!(fs::read(&path).unwrap(), garbage);
        }
        let mut short_key = sample();
        short_key.possession_public_key.truncate(10);
        fs::write(&path, serde_json::to_vec(&short_key).unwrap()).unwrap();
        assert_eq!(repo.load(), Err(StateError::Corrupt));

        let mut newer = sample();
        newer.version = FORMAT_VERSION + 1;
        fs::write(&path, serde_json::to_vec(&newer).unwrap()).unwrap();
        assert_eq!(
            repo.load(),
            Err(StateError::UnsupportedVersion(FORMAT_VERSION + 1))
        );
    }

    #[test]
    fn a_format_1_file_reads_as_a_binding_without_pin_and_is_upgraded_on_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(STATE_FILE);
        let mut v1 = serde_json::to_value(sample()).unwrap();
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
        fs::write(&path, serde_json::to_vec(&v1).unwrap()).unwrap();

        let states = DeviceStates::new(Box::new(JsonFileRepo::new(dir.path())));
        let loaded = states.load().unwrap().unwrap();
        assert_eq!(loaded.version, 1);
        assert_eq!(loaded.knowledge, None);
        assert_eq!(loaded.status, BindingStatus::Active);
        let reserved = states.reserve("dev_1", None).unwrap().unwrap();
        assert_eq!(reserved.state.version, FORMAT_VERSION);
        assert_eq!(states.load().unwrap().unwrap().version, FORMAT_VERSION);
    }

    #[test]
    fn the_file_holds_no_secret_fields() {
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
        let states = DeviceStates::new(Box::new(JsonFileRepo::new(dir.path())));
        states.save(&sample()).unwrap();
        let uv = Some(SecondCounter::UserVerified);
        let reserved = states.reserve("dev_1", uv).unwrap().unwrap();
        assert_eq!(
            (reserved.possession_count, reserved.second_count),
            (2, Some(2))
        );
        // Already on disk, before any signature exists.
        let on_disk = JsonFileRepo::new(dir.path()).load().unwrap().unwrap();
        assert_eq!(
            (
                on_disk.possession_sign_count,
                on_disk.user_verified_sign_count
            ),
            (2, 2)
        );
        let again = states.reserve("dev_1", uv).unwrap().unwrap();
        assert_eq!((again.possession_count, again.second_count), (3, Some(3)));
        // The knowledge counter runs on its own; possession alone leaves the others alone.
        let pin = states
            .reserve("dev_1", Some(SecondCounter::Knowledge))
            .unwrap()
            .unwrap();
        assert_eq!((pin.possession_count, pin.second_count), (4, Some(1)));
        let alone = states.reserve("dev_1", None).unwrap().unwrap();
        assert_eq!((alone.possession_count, alone.second_count), (5, None));
        assert_eq!(
            (
                alone.state.user_verified_sign_count,
                alone.state.knowledge_sign_count
            ),
            (3, 1)
        );
        assert!(states.reserve("another_device", uv).unwrap().is_none());
    }

    #[test]
    fn concurrent_reservations_never_share_a_value() {
        let dir = tempfile::tempdir().unwrap();
        let states = DeviceStates::new(Box::new(JsonFileRepo::new(dir.path())));
        states.save(&sample()).unwrap();
        let mut seen: Vec<u32> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|_| {
                    scope.spawn(|| {
                        (0..10)
                            .map(|_| {
                                states
                                    .reserve("dev_1", Some(SecondCounter::UserVerified))
                                    .unwrap()
                                    .unwrap()
                                    .possession_count
                            })
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
        assert_eq!(seen, (2..82).collect::<Vec<_>>());
    }

    #[test]
    fn an_exhausted_counter_is_an_error_not_a_wrap() {
        let dir = tempfile::tempdir().unwrap();
        let states = DeviceStates::new(Box::new(JsonFileRepo::new(dir.path())));
        let mut state = sample();
        state.user_verified_sign_count = u32::MAX;
        states.save(&state).unwrap();
        assert!(matches!(
            states.reserve("dev_1", Some(SecondCounter::UserVerified)),
            Err(StateError::CounterExhausted)
        ));
        let mut expected = state;
        expected.version = FORMAT_VERSION;
        assert_eq!(states.load().unwrap(), Some(expected));
    }

    #[test]
    fn remove_deletes_the_file_and_tolerates_its_absence() {
        let dir = tempfile::tempdir().unwrap();
        let states = DeviceStates::new(Box::new(JsonFileRepo::new(dir.path())));
        states.save(&sample()).unwrap();
        states.remove().unwrap();
        assert_eq!(states.load().unwrap(), None);
        states.remove().unwrap();
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
