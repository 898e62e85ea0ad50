//! `mobank demo`: the customer journey, narrated, against a sandbox bank started in-process.
//!
//! Every step checks what it shows: if the bank or the core misbehaves, the demo stops with an
//! error and a non-zero exit, so it doubles as a smoke test of the whole stack.

mod app;
mod at_rest;
mod bank;
mod binding;
mod cancelled_transfer;
mod chart;
mod confirming;
mod devices;
mod format;
mod history;
mod limit_raise;
mod login;
mod narrate;
mod payees;
mod progress;
mod refund_scam;
mod scan_to_pay;
mod session;
mod suspension;
mod transfers;
mod unusual_amount;

use std::fmt::Debug;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use mobank_core::platform::ManualClock;
use mobank_core::{BankEndpoint, Mobank, MobankConfig, Platform};
use mobank_sandbox::RunningSandbox;

pub use narrate::Narrator;

use app::{AppEvents, PromptingKeyStore};

/// A step that did not go as the journey says it must: the message names what and how.
pub type Outcome<T = ()> = Result<T, String>;

/// The demo's world: the bank, Li Wei's phone on a fast clock, and where the phones keep data.
pub struct Demo {
    pub say: Arc<Narrator>,
    pub bank: RunningSandbox,
    /// The phone's monotonic clock, moved forward by the demo instead of waiting.
    pub clock: Arc<ManualClock>,
    /// What the phone's app was told by the core.
    pub events: Arc<AppEvents>,
    pub phone: Mobank,
    workdir: tempfile::TempDir,
}

const PHONE_DIR: &str = "phone";

pub async fn run(say: Narrator) -> Outcome {
    let say = Arc::new(say);
    let workdir =
        tempfile::tempdir().map_err(|e| format!("cannot create a work directory: {e}"))?;
    say.title("Mobank — a customer's first weeks with a new banking app");

    let bank = bank::open(&say, workdir.path()).await?;
    let demo = Demo::new(say, bank, workdir)?;
    bank::lookalike_refused(&demo).await?;

    binding::bind_phone(&demo).await?;
    let accounts = login::first_login(&demo).await?;
    history::run(&demo, &accounts).await?;
    session::run(&demo).await?;
    devices::run(&demo).await?;
    payees::run(&demo).await?;
    transfers::run(&demo).await?;
    unusual_amount::run(&demo).await?;
    limit_raise::run(&demo).await?;
    scan_to_pay::run(&demo).await?;
    refund_scam::run(&demo).await?;
    cancelled_transfer::run(&demo).await?;
    suspension::run(&demo).await?;
    login::log_out(&demo).await?;
    at_rest::scan_phone_files(&demo)?;

    demo.bank.shutdown().await;
    println!();
    Ok(())
}

impl Demo {
    fn new(say: Arc<Narrator>, bank: RunningSandbox, workdir: tempfile::TempDir) -> Outcome<Self> {
        let clock = Arc::new(ManualClock::new());
        let events = Arc::new(AppEvents::new(Arc::clone(&say)));
        let mut platform = Platform::new(Arc::new(PromptingKeyStore::new(Arc::clone(&say))));
        platform.clock = Some(clock.clone());
        platform.events = Some(events.clone());
        let config = phone_config(
            &bank,
            workdir.path(),
            PHONE_DIR,
            "Li Wei's phone",
            "android",
        );
        let phone = Mobank::open_with_platform(config, platform).or_fail("opening the app")?;
        Ok(Self {
            say,
            bank,
            clock,
            events,
            phone,
            workdir,
        })
    }

    /// Another phone of Li Wei's, with its own data directory and key store.
    pub fn other_phone(&self, dir: &str, name: &str, platform: &str) -> Outcome<Mobank> {
        let config = phone_config(&self.bank, self.workdir.path(), dir, name, platform);
        let keys = Arc::new(PromptingKeyStore::new(Arc::clone(&self.say)));
        Mobank::open(config, keys).or_fail("opening the app on another device")
    }

    /// Where Li Wei's phone keeps its files.
    pub fn phone_dir(&self) -> std::path::PathBuf {
        self.workdir.path().join(PHONE_DIR)
    }

    /// The bank's list of the secrets it issued during the demo, one per line.
    pub fn issued_secrets_file(&self) -> std::path::PathBuf {
        self.workdir.path().join(bank::ISSUED_SECRETS_FILE)
    }

    /// A data directory for a phone that is not Li Wei's.
    pub fn scratch_dir(&self, name: &str) -> std::path::PathBuf {
        self.workdir.path().join(name)
    }

    /// Time passes on the fast clock, for the phone and the bank alike.
    pub fn pass(&self, by: Duration, what: &str) {
        self.clock.advance(by);
        self.bank.advance_clock(by);
        self.say.clock(&format!("+{} {what}", format::minutes(by)));
    }
}

fn phone_config(
    bank: &RunningSandbox,
    workdir: &Path,
    dir: &str,
    name: &str,
    platform: &str,
) -> MobankConfig {
    MobankConfig {
        data_dir: workdir.join(dir),
        bank: BankEndpoint {
            base_url: bank.base_url(),
            spki_pins: vec![bank.spki_pin()],
            receipt_keys: receipt_keys(bank),
        },
        device_name: name.into(),
        platform: platform.into(),
    }
}

/// The receipt keys the phone trusts: the sandbox's, which signs every transfer receipt and is
/// known once the bank has started.
pub(crate) fn receipt_keys(bank: &RunningSandbox) -> Vec<String> {
    vec![mobank_protocol::b64::encode(bank.receipt_public_key())]
}

/// Names the step that failed when the core returns an error where the journey expects none.
pub trait OrFail<T> {
    fn or_fail(self, what: &str) -> Outcome<T>;
}

impl<T, E: std::fmt::Display + Debug> OrFail<T> for Result<T, E> {
    fn or_fail(self, what: &str) -> Outcome<T> {
        self.map_err(|error| format!("{what} failed: {error} ({error:?})"))
    }
}

/// The failure for an outcome the journey says cannot happen.
pub fn unexpected(what: &str, got: impl Debug) -> String {
    format!("{what}, but got: {got:?}")
}

/// Fails with `what` unless `holds`.
pub fn ensure(holds: bool, what: impl FnOnce() -> String) -> Outcome {
    if holds {
        Ok(())
    } else {
        Err(what())
    }
}
