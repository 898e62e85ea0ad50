//! A phone that survives being killed: its data directory and its keys
//! ([`InsecureFileKeyStore`]) on disk, the system clock, so a new process opens the same store
//! with the same keys. The crash tests run one flow in such a process (the `crash-phone`
//! binary), stop it at a chosen step, and open the phone again in the test.

use std::io::{BufRead, BufReader, Lines, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::Arc;

use mobank_core::platform::Platform;
use mobank_core::{BankEndpoint, Channel, EventListener, Mobank, TransferInput};
use mobank_sandbox::LANDLORD_ACCOUNT_NUMBER;
use tempfile::TempDir;

use crate::file_key_store::InsecureFileKeyStore;
use crate::{config, pin, Bank, TestResult, PIN};

/// What the child prints once its transfer is drafted, then the transfer's id.
pub const DRAFTED: &str = "drafted";
/// What the child prints when `sign_and_submit` returned, then the outcome.
pub const FINISHED: &str = "finished";
/// What the child is told to send: ¥500 rent to the landlord.
pub const RENT: &str = "500";
/// What the child prints when its binding waits for the OTP on its stdin.
pub const AWAITING_OTP: &str = "awaiting_otp";
/// The PIN the child's PIN change sets.
pub const NEW_PIN: &str = "640259";
/// The landlord's account as the customer types it when adding him as a payee.
pub const LANDLORD_TYPED: &str = "6222 0288 8800 6509";
/// The mobile-transfer limits the child lowers to (at once, unsigned) before it raises them.
pub const STARTING_LIMITS: [&str; 3] = ["100", "1000", "5000"];
/// The mobile-transfer limits the child raises to (signed, after a cooling-off).
pub const RAISED: [&str; 3] = ["3000", "5000", "20000"];

/// What the child does once it opened the app (and, but for a binding, logged in with the PIN).
pub enum Flow<'a> {
    /// Sends [`rent`] from this payer account.
    Transfer { payer: &'a str },
    /// Binds with this activation code and the OTP [`PhoneProcess::type_otp`] hands it.
    Bind { code: &'a str },
    /// Logs in a second time.
    Login,
    /// Changes the PIN from [`PIN`] to [`NEW_PIN`].
    ChangePin,
    /// Syncs the history.
    History,
    /// Adds the landlord ([`LANDLORD_TYPED`]) as a payee.
    AddPayee,
    /// Lowers the mobile-transfer limits to [`STARTING_LIMITS`], then raises them to [`RAISED`].
    RaiseLimits,
    /// Cancels this scheduled transfer.
    Cancel { transfer_id: &'a str },
}

impl Flow<'_> {
    fn args(&self) -> [&str; 2] {
        match self {
            Flow::Transfer { payer } => ["transfer", payer],
            Flow::Bind { code } => ["bind", code],
            Flow::Login => ["login", ""],
            Flow::ChangePin => ["pin", ""],
            Flow::History => ["history", ""],
            Flow::AddPayee => ["payee", ""],
            Flow::RaiseLimits => ["limits", ""],
            Flow::Cancel { transfer_id } => ["cancel", transfer_id],
        }
    }
}

/// The rent the crash tests send, as the customer types it.
pub fn rent(payer_account_id: &str) -> TransferInput {
    TransferInput {
        payer_account_id: payer_account_id.to_owned(),
        payee_account_number: LANDLORD_ACCOUNT_NUMBER.to_owned(),
        payee_bank_code: "MOBANK".to_owned(),
        amount: RENT.to_owned(),
        memo: "十二月房租".to_owned(),
        channel: Channel::MobileTransfer,
        payee_name: None,
        execution_date: None,
        payee_id: None,
    }
}

/// Where a durable phone keeps its files.
pub struct DurablePhone {
    dir: TempDir,
    data_dir: PathBuf,
}

impl DurablePhone {
    pub fn new() -> TestResult<Self> {
        let dir = tempfile::tempdir()?;
        let data_dir = dir.path().join("mobank");
        Ok(Self { dir, data_dir })
    }

    /// A phone whose data directory is `data_dir` (on a file system a test controls); its keys
    /// stay in a temporary directory of their own.
    pub fn with_data_dir(data_dir: PathBuf) -> TestResult<Self> {
        Ok(Self {
            dir: tempfile::tempdir()?,
            data_dir,
        })
    }

    pub fn data_dir(&self) -> PathBuf {
        self.data_dir.clone()
    }

    pub fn key_dir(&self) -> PathBuf {
        self.dir.path().join("keys")
    }

    /// The app started (again) over the phone's files.
    pub fn open(
        &self,
        endpoint: BankEndpoint,
        events: Option<Arc<dyn EventListener>>,
    ) -> TestResult<Mobank> {
        open(&self.data_dir(), &self.key_dir(), endpoint, events)
    }

    /// Binds the phone with [`PIN`] and closes the app.
    pub async fn bind(&self, bank: &Bank) -> TestResult<()> {
        let mobank = self.open(bank.endpoint(), None)?;
        mobank.activation().start(bank.issue_code()?).await?;
        mobank
            .activation()
            .complete(bank.latest_otp()?, pin(PIN)?)
            .await?;
        Ok(())
    }

    /// Starts the app in a new process (`exe`, the `crash-phone` binary) that logs in with the
    /// PIN and sends [`rent`] from `payer_account_id`; with `kill_at`, the core aborts the
    /// process at that step.
    pub fn spawn_transfer(
        &self,
        exe: &Path,
        endpoint: &BankEndpoint,
        payer_account_id: &str,
        kill_at: Option<&str>,
    ) -> TestResult<PhoneProcess> {
        let flow = Flow::Transfer {
            payer: payer_account_id,
        };
        self.spawn(exe, endpoint, &flow, kill_at)
    }

    /// Like [`DurablePhone::spawn_transfer`], but the core holds the process at `pause_at`
    /// until [`PhoneProcess::carry_on`].
    pub fn spawn_transfer_pausing(
        &self,
        exe: &Path,
        endpoint: &BankEndpoint,
        payer_account_id: &str,
        pause_at: &str,
    ) -> TestResult<PhoneProcess> {
        let flow = Flow::Transfer {
            payer: payer_account_id,
        };
        self.start(exe, endpoint, &flow, |command| {
            command.env(mobank_core::testing::PAUSE_AT_VAR, pause_at);
        })
    }

    /// Starts the app in a new process (`exe`, the `crash-phone` binary) that runs `flow`;
    /// with `kill_at`, the core aborts the process at that step.
    pub fn spawn(
        &self,
        exe: &Path,
        endpoint: &BankEndpoint,
        flow: &Flow<'_>,
        kill_at: Option<&str>,
    ) -> TestResult<PhoneProcess> {
        self.start(exe, endpoint, flow, |command| {
            if let Some(point) = kill_at {
                command.env(mobank_core::testing::KILL_AT_VAR, point);
            }
        })
    }

    fn start(
        &self,
        exe: &Path,
        endpoint: &BankEndpoint,
        flow: &Flow<'_>,
        stop: impl FnOnce(&mut Command),
    ) -> TestResult<PhoneProcess> {
        let receipt_key = endpoint.receipt_keys.first().ok_or("no receipt key")?;
        let spki_pin = endpoint.spki_pins.first().ok_or("no pin")?;
        let mut command = Command::new(exe);
        command
            .arg(self.data_dir())
            .arg(self.key_dir())
            .arg(&endpoint.base_url)
            .arg(spki_pin)
            .arg(receipt_key)
            .args(flow.args())
            .env_remove(mobank_core::testing::KILL_AT_VAR)
            .env_remove(mobank_core::testing::PAUSE_AT_VAR)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        stop(&mut command);
        let mut child = command.spawn()?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let stdin = child.stdin.take();
        Ok(PhoneProcess {
            child,
            stdin,
            lines: BufReader::new(stdout).lines(),
        })
    }
}

/// The app over `data_dir` with the keys in `key_dir`, on the system clock.
pub fn open(
    data_dir: &Path,
    key_dir: &Path,
    endpoint: BankEndpoint,
    events: Option<Arc<dyn EventListener>>,
) -> TestResult<Mobank> {
    let platform = Platform {
        events,
        ..Platform::new(Arc::new(InsecureFileKeyStore::open(key_dir)?))
    };
    Ok(Mobank::open_with_platform(
        config(data_dir, endpoint, "Pixel 8"),
        platform,
    )?)
}

/// The phone's process while it runs one flow.
pub struct PhoneProcess {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Lines<BufReader<ChildStdout>>,
}

/// How the phone's process ended.
#[derive(Debug)]
pub struct Ended {
    pub status: ExitStatus,
    /// What the flow's last call returned, if the process lived to print it.
    pub finished: Option<String>,
}

impl PhoneProcess {
    /// The id of the drafted transfer (its idempotency key), once the child printed it.
    /// Blocking.
    pub fn transfer_id(&mut self) -> TestResult<String> {
        self.said(DRAFTED)
    }

    /// What follows `prefix` on the first line of the child's that starts with it. Blocking.
    fn said(&mut self, prefix: &str) -> TestResult<String> {
        for line in self.lines.by_ref() {
            if let Some(rest) = line?.strip_prefix(prefix) {
                return Ok(rest.trim().to_owned());
            }
        }
        Err(format!("the phone ended before saying {prefix}").into())
    }

    /// Waits until the binding asks for its OTP (sent once it started). Blocking.
    pub fn wait_for_otp_prompt(&mut self) -> TestResult<()> {
        self.said(AWAITING_OTP).map(drop)
    }

    /// Types `otp` in, as the customer does after reading the SMS.
    pub fn type_otp(&mut self, otp: &str) -> TestResult<()> {
        let stdin = self.stdin.as_mut().ok_or("no stdin")?;
        writeln!(stdin, "{otp}")?;
        Ok(stdin.flush()?)
    }

    /// Waits until the core holds the process at `point` ([`DurablePhone::spawn_transfer_pausing`]).
    /// Blocking.
    pub fn wait_until_paused_at(&mut self, point: &str) -> TestResult<()> {
        let held = self.said(mobank_core::testing::PAUSED_AT)?;
        if held != point {
            return Err(format!("the phone stopped at {held}, not {point}").into());
        }
        Ok(())
    }

    /// Lets a process held at a pause point go on.
    pub fn carry_on(&mut self) -> TestResult<()> {
        let stdin = self.stdin.as_mut().ok_or("no stdin")?;
        writeln!(stdin)?;
        Ok(stdin.flush()?)
    }

    /// SIGKILL, as the OS kills an app.
    pub fn kill(&mut self) -> TestResult<()> {
        Ok(self.child.kill()?)
    }

    /// Waits for the process to end. Blocking.
    pub fn wait(mut self) -> TestResult<Ended> {
        let mut finished = None;
        for line in self.lines.by_ref() {
            if let Some(outcome) = line?.strip_prefix(FINISHED) {
                finished = Some(outcome.trim().to_owned());
            }
        }
        let status = self.child.wait()?;
        Ok(Ended { status, finished })
    }
}

impl Drop for PhoneProcess {
    fn drop(&mut self) {
        // A test that failed half-way leaves no phone process behind.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
