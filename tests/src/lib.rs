//! What every end-to-end suite needs: a sandbox bank on a free loopback port, and a "phone"
//! (Mobank with the software key store, a manual clock and an event recorder) pointed at it
//! through the bank's pinned key — directly, or through a proxy that counts every byte the
//! phone sends.
//!
//! Everything goes through public APIs only: `mobank_sandbox::start` and its developer calls
//! for the bank side, `mobank_core::Mobank` for the phone.
//!
//! For the crash tests: a phone whose keys and files survive its process ([`crash_phone`],
//! [`file_key_store`]), a bank that can be killed mid-request and started again
//! ([`killable_bank`]), and a man in the middle with the bank's own identity that changes a
//! receipt ([`tamper_proxy`]).
//!
//! For a hostile network: a proxy that loses, cuts, holds, resets or duplicates a transfer's
//! submission ([`fault_proxy`]).

pub mod crash_phone;
pub mod disk;
pub mod fault_proxy;
pub mod file_key_store;
pub mod kept_files;
pub mod killable_bank;
pub mod tamper_proxy;

use std::error::Error;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use mobank_core::platform::{
    DeviceIntegrity, InsecureSoftwareKeyStore, IntegritySignals, KeyStore, KeyStoreError,
    ManualClock, Platform,
};
use mobank_core::testing::newest_otp;
use mobank_core::{
    ActivationStarted, BankEndpoint, DeviceSummary, EventListener, Mobank, MobankConfig,
    MobankError, MobankEvent, Pin, SecretString, SessionSummary,
};
use mobank_sandbox::{RunningSandbox, SandboxConfig, DEMO_CUSTOMER_ID, DEMO_PHONE};
use mobank_store::{KeyWrapper, Store, Table, WrapError, Zeroizing};
use tempfile::TempDir;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{AbortHandle, JoinHandle};

pub type TestResult<T> = Result<T, Box<dyn Error + Send + Sync>>;

/// The PIN every test phone chooses at binding. Passes the blocklist.
pub const PIN: &str = "482916";
/// A well-formed PIN that is not [`PIN`].
pub const WRONG_PIN: &str = "305847";

pub fn pin(digits: &str) -> TestResult<Pin> {
    Ok(Pin::from_digits(digits)?)
}

/// A sandbox bank in its own temporary directory.
pub struct Bank {
    pub sandbox: RunningSandbox,
    dir: TempDir,
}

impl Bank {
    pub async fn start() -> TestResult<Self> {
        Self::start_with(|_| {}).await
    }

    /// Starts with some knobs changed from their defaults.
    pub async fn start_with(change: impl FnOnce(&mut SandboxConfig)) -> TestResult<Self> {
        let dir = tempfile::tempdir()?;
        let mut config = bank_config(dir.path().join("bank"))?;
        change(&mut config);
        let sandbox = mobank_sandbox::start(config).await?;
        Ok(Self { sandbox, dir })
    }

    /// The sandbox's own data directory (its ledger and TLS identity).
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("bank")
    }

    /// The customer API with the sandbox's real pin.
    pub fn endpoint(&self) -> BankEndpoint {
        BankEndpoint {
            base_url: self.sandbox.base_url(),
            spki_pins: vec![self.sandbox.spki_pin()],
            receipt_keys: self.receipt_keys(),
        }
    }

    /// The receipt keys the phone trusts for this bank. This sandbox signs no receipts, so
    /// any well-formed key does; a bank that signs them announces its key at start-up.
    pub fn receipt_keys(&self) -> Vec<String> {
        vec![mobank_protocol::b64::encode(
            self.sandbox.receipt_public_key(),
        )]
    }

    /// A fresh activation code for the demo customer.
    pub fn issue_code(&self) -> TestResult<SecretString> {
        let issued = self.sandbox.issue_activation_code(DEMO_CUSTOMER_ID)?;
        Ok(SecretString::from(issued.activation_code))
    }

    pub fn sms_count(&self) -> TestResult<usize> {
        Ok(self.sandbox.sms_outbox(DEMO_PHONE)?.messages.len())
    }

    /// The OTP of the newest SMS to the demo customer's phone.
    pub fn latest_otp(&self) -> TestResult<SecretString> {
        let outbox = self.sandbox.sms_outbox(DEMO_PHONE)?;
        Ok(newest_otp(
            outbox.messages.iter().map(|sms| sms.body.as_str()),
        )?)
    }

    /// The bank's clock moves past the step-up window (5 minutes) while the phone's stands
    /// still and the session is kept active on both: the phone thinks the strong
    /// authentication is fresh, the bank knows it is not.
    pub async fn let_strong_auth_go_stale(&self, phone: &Phone) -> TestResult<()> {
        self.sandbox.advance_clock(Duration::from_secs(4 * 60));
        phone.mobank.accounts().list().await?;
        self.sandbox.advance_clock(Duration::from_secs(61));
        Ok(())
    }

    pub async fn stop(self) {
        self.sandbox.shutdown().await;
    }
}

/// A bank's configuration in `data_dir`: the defaults, and when the suites keep their files,
/// the issued secrets recorded for the canary scan.
pub fn bank_config(data_dir: PathBuf) -> TestResult<SandboxConfig> {
    let mut config = SandboxConfig::new(data_dir);
    config.issued_secrets_file = kept_files::issued_secrets_file()?;
    Ok(config)
}

/// Every event the phone's Mobank delivered, oldest first.
#[derive(Default)]
pub struct EventRecorder {
    events: Mutex<Vec<MobankEvent>>,
}

impl EventRecorder {
    pub fn events(&self) -> Vec<MobankEvent> {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The events so far, forgetting them.
    pub fn take(&self) -> Vec<MobankEvent> {
        std::mem::take(&mut *self.events.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl EventListener for EventRecorder {
    fn on_event(&self, event: MobankEvent) {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(event);
    }
}

/// The integrity findings the phone reports; tests change them at will.
#[derive(Default)]
pub struct FakeIntegrity {
    signals: Mutex<IntegritySignals>,
}

impl FakeIntegrity {
    pub fn set(&self, signals: IntegritySignals) {
        *self.signals.lock().unwrap_or_else(PoisonError::into_inner) = signals;
    }
}

impl DeviceIntegrity for FakeIntegrity {
    fn signals(&self) -> IntegritySignals {
        *self.signals.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One phone: Mobank over its own data directory, in-memory key store, manual clock.
pub struct Phone {
    pub mobank: Mobank,
    pub key_store: Arc<InsecureSoftwareKeyStore>,
    pub clock: Arc<ManualClock>,
    pub events: Arc<EventRecorder>,
    pub integrity: Arc<FakeIntegrity>,
    pub data_dir: PathBuf,
    pub device_name: String,
    _dir: TempDir,
}

impl Phone {
    pub fn new(endpoint: BankEndpoint) -> TestResult<Self> {
        Self::named(endpoint, "Pixel 8")
    }

    pub fn named(endpoint: BankEndpoint, device_name: &str) -> TestResult<Self> {
        let dir = kept_files::phone_dir()?;
        let data_dir = dir.path().join("mobank");
        let key_store = Arc::new(InsecureSoftwareKeyStore::new());
        let clock = Arc::new(ManualClock::new());
        let events = Arc::new(EventRecorder::default());
        let integrity = Arc::new(FakeIntegrity::default());
        let platform = Platform {
            key_store: key_store.clone(),
            clock: Some(clock.clone()),
            events: Some(events.clone()),
            integrity: Some(integrity.clone()),
        };
        let mobank =
            Mobank::open_with_platform(config(&data_dir, endpoint, device_name), platform)?;
        Ok(Self {
            mobank,
            key_store,
            clock,
            events,
            integrity,
            data_dir,
            device_name: device_name.to_owned(),
            _dir: dir,
        })
    }

    /// The same phone after an app restart: same data directory, key store and clock.
    pub fn restart(self, endpoint: BankEndpoint) -> TestResult<Self> {
        let platform = Platform {
            key_store: self.key_store.clone(),
            clock: Some(self.clock.clone()),
            events: Some(self.events.clone()),
            integrity: Some(self.integrity.clone()),
        };
        let mobank = Mobank::open_with_platform(
            config(&self.data_dir, endpoint, &self.device_name),
            platform,
        )?;
        Ok(Self { mobank, ..self })
    }

    /// A new phone reaching the bank through `endpoint`, bound with [`PIN`].
    pub async fn bound(bank: &Bank, endpoint: BankEndpoint) -> TestResult<Self> {
        let phone = Self::new(endpoint)?;
        phone.bind(bank).await?;
        Ok(phone)
    }

    /// Starts an activation with a fresh code.
    pub async fn start_activation(&self, bank: &Bank) -> TestResult<ActivationStarted> {
        Ok(self.mobank.activation().start(bank.issue_code()?).await?)
    }

    /// The whole binding: code, OTP from the SMS outbox, keys, PIN [`PIN`].
    pub async fn bind(&self, bank: &Bank) -> TestResult<DeviceSummary> {
        self.start_activation(bank).await?;
        Ok(self
            .mobank
            .activation()
            .complete(bank.latest_otp()?, pin(PIN)?)
            .await?)
    }

    /// Logs in with the biometric key behind the prompt "Log in".
    pub async fn login_biometric(&self) -> Result<SessionSummary, MobankError> {
        self.mobank.auth().login_biometric("Log in").await
    }

    /// Logs in with the PIN `digits`.
    pub async fn login_pin(&self, digits: &str) -> Result<SessionSummary, MobankError> {
        let pin = Pin::from_digits(digits).map_err(MobankError::from)?;
        self.mobank.auth().login_pin(pin).await
    }

    /// The two-step PIN change, both steps expected to succeed.
    pub async fn change_pin(&self, old: &str, new: &str) -> TestResult<()> {
        self.mobank.pin().begin_change(pin(old)?).await?;
        self.mobank.pin().commit_change(pin(new)?).await?;
        Ok(())
    }

    /// Active all along, but the strong authentication is more than 5 minutes old on the
    /// phone's clock.
    pub async fn let_strong_auth_go_stale(&self) -> TestResult<()> {
        self.clock.advance(Duration::from_secs(4 * 60));
        self.mobank.accounts().list().await?;
        self.clock.advance(Duration::from_secs(61));
        Ok(())
    }

    /// The encrypted store's directory. The device state (ids, counters, the wrapped knowledge
    /// key) is a record in its vault.
    pub fn store_dir(&self) -> PathBuf {
        self.data_dir.join(STORE_DIR)
    }

    /// A copy of every file of the store, the device state with it, as a backup would take it:
    /// with the store paused, so the files are complete and consistent.
    pub fn copy_store(&self) -> TestResult<StoreCopy> {
        self.mobank.pause_storage()?;
        let copied = read_store_files(&self.store_dir());
        self.mobank.resume_storage()?;
        Ok(StoreCopy(copied?))
    }

    /// Puts a [`Phone::copy_store`] copy back in place of the current files, as restoring a
    /// backup would.
    pub fn put_back_store(&self, copy: &StoreCopy) -> TestResult<()> {
        self.mobank.pause_storage()?;
        let written = write_store_files(&self.store_dir(), copy);
        self.mobank.resume_storage()?;
        written
    }

    /// The device state as the phone keeps it, read with the phone's key store from a copy of
    /// the vault.
    pub fn device_state(&self) -> TestResult<serde_json::Value> {
        let copy = self.copy_store()?;
        let dir = tempfile::tempdir()?;
        write_store_files(dir.path(), &copy)?;
        let store = Store::open_existing(dir.path(), self.store_key())?;
        let bytes = store
            .get(Table::DeviceState, DEVICE_STATE_KEY)?
            .ok_or("no device state")?;
        Ok(serde_json::from_slice(&bytes)?)
    }

    /// Replaces the device state record in the vault (the store paused meanwhile).
    pub fn set_device_state(&self, state: &serde_json::Value) -> TestResult<()> {
        let bytes = serde_json::to_vec(state)?;
        self.mobank.pause_storage()?;
        let written = Store::open_existing(self.store_dir(), self.store_key()).and_then(|store| {
            store.put(Table::DeviceState, DEVICE_STATE_KEY, &bytes)?;
            store.pause()
        });
        self.mobank.resume_storage()?;
        Ok(written?)
    }

    fn store_key(&self) -> Arc<dyn KeyWrapper> {
        Arc::new(StoreKey(self.key_store.clone()))
    }

    /// The aliases of the binding's keys: every key but the store's, which belongs to the
    /// phone and outlives a re-binding.
    pub fn binding_aliases(&self) -> Vec<String> {
        let mut aliases = self.key_store.aliases();
        aliases.retain(|alias| alias != STORE_KEY_ALIAS);
        aliases
    }

    /// The alias of the key whose alias ends in `suffix` (".possession", ".uv", ".knowledge").
    pub fn key_alias(&self, suffix: &str) -> TestResult<String> {
        let aliases = self.key_store.aliases();
        let mut matching = aliases.iter().filter(|alias| alias.ends_with(suffix));
        let alias = matching.next().ok_or("no such key")?.clone();
        if matching.next().is_some() {
            return Err("more than one such key".into());
        }
        Ok(alias)
    }

    /// Every file under the data directory with its bytes.
    pub fn files(&self) -> TestResult<Vec<(PathBuf, Vec<u8>)>> {
        let mut files = Vec::new();
        collect_files(&self.data_dir, &mut files)?;
        Ok(files)
    }
}

/// Under the data directory: the encrypted store.
pub const STORE_DIR: &str = "store";
/// The key of the device state record in the vault.
const DEVICE_STATE_KEY: &str = "binding";
/// The platform key that wraps the store's data key.
pub const STORE_KEY_ALIAS: &str = "mobank.store";

/// The files of a store, by name.
pub struct StoreCopy(Vec<(std::ffi::OsString, Vec<u8>)>);

fn read_store_files(dir: &Path) -> TestResult<Vec<(std::ffi::OsString, Vec<u8>)>> {
    let mut files = Vec::new();
    for path in Store::file_paths(dir) {
        match std::fs::read(&path) {
            Ok(bytes) => files.push((path.file_name().ok_or("no name")?.to_owned(), bytes)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(error.into()),
        }
    }
    if files.is_empty() {
        return Err("no store".into());
    }
    Ok(files)
}

fn write_store_files(dir: &Path, copy: &StoreCopy) -> TestResult<()> {
    std::fs::create_dir_all(dir)?;
    for path in Store::file_paths(dir) {
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(error.into()),
        }
    }
    for (name, bytes) in &copy.0 {
        std::fs::write(dir.join(name), bytes)?;
    }
    Ok(())
}

/// The phone's key store as the store's key wrapper, the way the core adapts it.
struct StoreKey(Arc<InsecureSoftwareKeyStore>);

impl KeyWrapper for StoreKey {
    fn wrap(&self, plaintext: &[u8]) -> Result<Vec<u8>, WrapError> {
        self.0.wrap(STORE_KEY_ALIAS, plaintext).map_err(wrap_error)
    }

    fn unwrap(&self, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, WrapError> {
        self.0.unwrap(STORE_KEY_ALIAS, wrapped).map_err(wrap_error)
    }

    fn delete(&self) -> Result<(), WrapError> {
        self.0.delete(STORE_KEY_ALIAS).map_err(wrap_error)
    }
}

fn wrap_error(error: KeyStoreError) -> WrapError {
    match error {
        KeyStoreError::NotFound => WrapError::NotFound,
        KeyStoreError::Invalidated => WrapError::Invalidated,
        KeyStoreError::Locked => WrapError::Locked,
        other => WrapError::Other(other.to_string()),
    }
}

fn collect_files(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) -> TestResult<()> {
    for path in files_under(dir)? {
        let content = std::fs::read(&path)?;
        out.push((path, content));
    }
    Ok(())
}

/// Every file below `dir`, at any depth.
pub fn files_under(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    Ok(files)
}

/// Whether `needle` occurs in `haystack`.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|window| window == needle)
}

/// Asserts that none of `files` holds any of the named `canaries`, `when` saying at which
/// point of the test the files were read.
pub fn assert_no_file_holds(
    files: &[(PathBuf, Vec<u8>)],
    canaries: &[(String, Vec<u8>)],
    when: &str,
) {
    for (path, bytes) in files {
        for (name, canary) in canaries {
            assert!(
                !contains(bytes, canary),
                "{when}: {} holds the {name}",
                path.display()
            );
        }
    }
}

fn config(data_dir: &Path, bank: BankEndpoint, device_name: &str) -> MobankConfig {
    MobankConfig {
        data_dir: data_dir.to_path_buf(),
        bank,
        device_name: device_name.to_owned(),
        platform: "android".to_owned(),
    }
}

/// A TCP relay between the phone and the bank that counts every byte the phone sends. TLS runs
/// end to end through it (the phone still checks the bank's pin), so a count that does not
/// move proves the phone sent nothing at all, not even a handshake.
pub struct CountingProxy {
    pub port: u16,
    sent: Arc<AtomicU64>,
    task: JoinHandle<()>,
    relays: Arc<Mutex<Vec<AbortHandle>>>,
}

impl CountingProxy {
    pub async fn start(bank: &Bank) -> TestResult<Self> {
        let upstream = bank
            .sandbox
            .base_url()
            .trim_start_matches("https://")
            .to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let sent = Arc::new(AtomicU64::new(0));
        let relays = Arc::new(Mutex::new(Vec::new()));
        let counter = Arc::clone(&sent);
        let running = Arc::clone(&relays);
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let counter = Arc::clone(&counter);
                let relay = tokio::spawn(async move {
                    if let Ok(server) = TcpStream::connect(&upstream).await {
                        relay(client, server, counter).await;
                    }
                });
                running
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(relay.abort_handle());
            }
        });
        Ok(Self {
            port,
            sent,
            task,
            relays,
        })
    }

    /// The line goes dead: open connections are dropped and new ones refused.
    pub fn cut(&self) {
        self.task.abort();
        self.drop_connections();
    }

    /// The open connections are dropped mid-stream; new ones still go through.
    pub fn drop_connections(&self) {
        for relay in self
            .relays
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .drain(..)
        {
            relay.abort();
        }
    }

    /// The bank, as the phone reaches it through this proxy.
    pub fn endpoint(&self, bank: &Bank) -> BankEndpoint {
        BankEndpoint {
            base_url: format!("https://127.0.0.1:{}", self.port),
            spki_pins: vec![bank.sandbox.spki_pin()],
            receipt_keys: bank.receipt_keys(),
        }
    }

    /// Bytes the phone has sent toward the bank so far.
    pub fn bytes_sent(&self) -> u64 {
        self.sent.load(Ordering::SeqCst)
    }

    /// What `call` returns, asserting the phone sent not one byte toward the bank for it.
    pub async fn assert_sends_nothing<T>(&self, call: impl Future<Output = T>) -> T {
        let before = self.bytes_sent();
        let result = call.await;
        assert_eq!(self.bytes_sent(), before, "a byte went out toward the bank");
        result
    }
}

impl Drop for CountingProxy {
    fn drop(&mut self) {
        self.cut();
    }
}

async fn relay(client: TcpStream, server: TcpStream, sent: Arc<AtomicU64>) {
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let upstream = async move {
        let mut buffer = [0u8; 16 * 1024];
        while let Ok(read) = client_read.read(&mut buffer).await {
            if read == 0 {
                break;
            }
            sent.fetch_add(read as u64, Ordering::SeqCst);
            if server_write.write_all(&buffer[..read]).await.is_err() {
                break;
            }
        }
        let _ = server_write.shutdown().await;
    };
    let downstream = async move {
        let _ = tokio::io::copy(&mut server_read, &mut client_write).await;
        let _ = client_write.shutdown().await;
    };
    tokio::join!(upstream, downstream);
}
