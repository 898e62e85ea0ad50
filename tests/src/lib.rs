//! What every end-to-end suite needs: a sandbox bank on a free loopback port, and a "phone"
//! (Mobank with the software key store) pointed at it through the bank's pinned key.
//!
//! Everything goes through public APIs only: `mobank_sandbox::start` and its developer calls
//! for the bank side, `mobank_core::Mobank` for the phone.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use mobank_core::platform::InsecureSoftwareKeyStore;
use mobank_core::{
    ActivationStarted, BankEndpoint, DeviceSummary, Mobank, MobankConfig, SecretString,
};
use mobank_sandbox::{RunningSandbox, SandboxConfig, DEMO_CUSTOMER_ID, DEMO_PHONE};
use tempfile::TempDir;

pub type TestResult<T> = Result<T, Box<dyn Error + Send + Sync>>;

/// A sandbox bank in its own temporary directory.
pub struct Bank {
    pub sandbox: RunningSandbox,
    _dir: TempDir,
}

impl Bank {
    pub async fn start() -> TestResult<Self> {
        Self::start_with(|_| {}).await
    }

    /// Starts with some knobs changed from their defaults.
    pub async fn start_with(change: impl FnOnce(&mut SandboxConfig)) -> TestResult<Self> {
        let dir = tempfile::tempdir()?;
        let mut config = SandboxConfig::new(dir.path().join("bank"));
        change(&mut config);
        let sandbox = mobank_sandbox::start(config).await?;
        Ok(Self { sandbox, _dir: dir })
    }

    /// The customer API with the sandbox's real pin.
    pub fn endpoint(&self) -> BankEndpoint {
        BankEndpoint {
            base_url: self.sandbox.base_url(),
            spki_pins: vec![self.sandbox.spki_pin()],
        }
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
        let body = &outbox.messages.last().ok_or("no SMS was sent")?.body;
        Ok(SecretString::from(
            otp_in(body).ok_or("no 6-digit code in the SMS")?,
        ))
    }

    pub async fn stop(self) {
        self.sandbox.shutdown().await;
    }
}

/// The first run of exactly six ASCII digits: what `\b(\d{6})\b` finds in the SMS body.
pub fn otp_in(body: &str) -> Option<String> {
    body.split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 6)
        .map(str::to_owned)
}

/// One phone: Mobank over its own data directory and in-memory key store.
pub struct Phone {
    pub mobank: Mobank,
    pub key_store: Arc<InsecureSoftwareKeyStore>,
    pub data_dir: PathBuf,
    _dir: TempDir,
}

impl Phone {
    pub fn new(endpoint: BankEndpoint) -> TestResult<Self> {
        let dir = tempfile::tempdir()?;
        let data_dir = dir.path().join("mobank");
        let key_store = Arc::new(InsecureSoftwareKeyStore::new());
        let mobank = Mobank::open(config(&data_dir, endpoint), key_store.clone())?;
        Ok(Self {
            mobank,
            key_store,
            data_dir,
            _dir: dir,
        })
    }

    /// The same phone after an app restart: same data directory, same key store.
    pub fn restart(self, endpoint: BankEndpoint) -> TestResult<Self> {
        let mobank = Mobank::open(config(&self.data_dir, endpoint), self.key_store.clone())?;
        Ok(Self { mobank, ..self })
    }

    /// Starts an activation with a fresh code.
    pub async fn start_activation(&self, bank: &Bank) -> TestResult<ActivationStarted> {
        Ok(self.mobank.start_activation(bank.issue_code()?).await?)
    }

    /// The whole binding: code, OTP from the SMS outbox, keys.
    pub async fn bind(&self, bank: &Bank) -> TestResult<DeviceSummary> {
        self.start_activation(bank).await?;
        Ok(self.mobank.complete_activation(bank.latest_otp()?).await?)
    }

    pub fn state_file(&self) -> PathBuf {
        self.data_dir.join("device.json")
    }

    /// The alias of the key whose alias ends in `suffix` (".possession" or ".uv").
    pub fn key_alias(&self, suffix: &str) -> TestResult<String> {
        let aliases = self.key_store.aliases();
        let mut matching = aliases.iter().filter(|alias| alias.ends_with(suffix));
        let alias = matching.next().ok_or("no such key")?.clone();
        if matching.next().is_some() {
            return Err("more than one such key".into());
        }
        Ok(alias)
    }
}

fn config(data_dir: &Path, bank: BankEndpoint) -> MobankConfig {
    MobankConfig {
        data_dir: data_dir.to_path_buf(),
        bank,
        device_name: "Pixel 8".to_owned(),
        platform: "android".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::otp_in;

    #[test]
    fn otp_is_the_first_six_digit_run() {
        let body =
            "【Mobank】验证码 042917，5分钟内有效。Code 042917, valid 5 minutes. Never share it.";
        assert_eq!(otp_in(body).as_deref(), Some("042917"));
        assert_eq!(otp_in("call 1234567 or 12345"), None);
    }
}
