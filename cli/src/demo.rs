//! `mobank demo`: the customer journey, narrated, against a sandbox bank started in-process.

use std::sync::Arc;

use mobank_core::platform::{InsecureSoftwareKeyStore, KeyPurpose, KeyStore, KeyStoreError};
use mobank_core::{
    BankEndpoint, BindingState, Mobank, MobankConfig, MobankError, Pin, SecretString,
};
use mobank_sandbox::{RunningSandbox, SandboxConfig};
use rust_decimal::Decimal;
use zeroize::Zeroizing;

use crate::narrate::Narrator;

const DEMO_CUSTOMER: &str = "demo";

pub async fn run(say: Narrator) -> Result<(), String> {
    let workdir =
        tempfile::tempdir().map_err(|e| format!("cannot create a work directory: {e}"))?;
    say.title("Mobank — a customer's first day with a new banking app");

    say.step("The bank opens (a sandbox bank on this machine, real HTTPS)");
    let bank = start_bank(&workdir).await?;
    say.bank(&format!("listening on {}", bank.base_url()));
    say.detail("certificate pin", &bank.spki_pin());
    say.detail("relying party", &bank.rp_id());

    let phone_dir = workdir.path().join("phone");
    let keys = Arc::new(PromptingKeyStore::new(&say));
    let app = Mobank::open(
        MobankConfig {
            data_dir: phone_dir.clone(),
            bank: BankEndpoint {
                base_url: bank.base_url(),
                spki_pins: vec![bank.spki_pin()],
            },
            device_name: "Terminal phone".into(),
            platform: "other".into(),
        },
        keys.clone(),
    )
    .map_err(describe)?;

    say.step("A look-alike server is refused before a single byte is sent");
    show_pinning(&say, &bank, &workdir).await?;

    say.step("The bank gives Li Wei an activation code (branch letter or web banking)");
    let issued = bank
        .issue_activation_code(DEMO_CUSTOMER)
        .map_err(|e| format!("{e}"))?;
    say.bank(&format!(
        "activation code {} for the customer on file",
        say.bold(&issued.activation_code)
    ));

    say.step("Li Wei types the code into the new phone");
    let started = app
        .start_activation(SecretString::from(issued.activation_code.clone()))
        .await
        .map_err(describe)?;
    say.phone(&format!("\"We sent a code to {}\"", started.masked_phone));

    say.step("The SMS arrives on the registered phone");
    let sms = latest_sms(&bank, &issued.phone)?;
    say.phone(&format!("SMS: {}", say.dim(&sms)));
    let otp = Zeroizing::new(six_digit_code(&sms).ok_or("the SMS carries no 6-digit code")?);

    say.step("A wrong code first — the bank says so, and nothing is bound");
    let wrong = if otp.as_str() == "000000" {
        "111111"
    } else {
        "000000"
    };
    match app
        .complete_activation(SecretString::from(wrong.to_string()), demo_pin()?)
        .await
    {
        Err(MobankError::OtpInvalid) => {
            say.refused("\"That code is not right. Check the SMS and try again.\"")
        }
        other => {
            return Err(format!(
                "a wrong OTP was not refused as it should be: {other:?}"
            ))
        }
    }

    say.step("The right code: this phone is bound to Li Wei");
    let device = app
        .complete_activation(SecretString::from(otp.to_string()), demo_pin()?)
        .await
        .map_err(describe)?;
    say.ok(&format!("bound as device {}", device.device_id));
    say.detail("customer", &device.customer_name);
    say.detail("possession key", &device.possession_key_fingerprint);
    say.detail("biometric key", &device.user_verified_key_fingerprint);
    say.line(&say.dim("Both keys were made in the key store and never left it; the bank holds only their public halves."));

    say.step("Login with face recognition");
    let session = app
        .login_biometric("Log in to Mobank")
        .await
        .map_err(describe)?;
    say.ok(&format!(
        "logged in; the session ends after {} min idle, at the latest at bank time {}",
        session.idle_timeout_secs / 60,
        session.expires_at_ms
    ));
    say.line(&say.dim("The session token lives only in memory; it is never written to disk."));

    say.step("One view of every account");
    let accounts = app.accounts().await.map_err(describe)?;
    show_accounts(&say, &accounts);

    say.step("Log out");
    app.logout();
    match app.accounts().await {
        Err(MobankError::NotLoggedIn) => say.ok("logged out: the token is gone from memory"),
        other => return Err(format!("accounts were readable after logout: {other:?}")),
    }
    if let BindingState::Bound(summary) = app.binding_state().map_err(describe)? {
        say.ok(&format!(
            "the phone stays bound ({}); next time it only needs a face",
            summary.device_name
        ));
    }

    bank.shutdown().await;
    println!();
    Ok(())
}

async fn start_bank(workdir: &tempfile::TempDir) -> Result<RunningSandbox, String> {
    let listen = "127.0.0.1:0".parse().map_err(|_| "bad listen address")?;
    let config = SandboxConfig {
        data_dir: workdir.path().join("bank"),
        listen,
        dev_listen: listen,
        ..SandboxConfig::default()
    };
    mobank_sandbox::start(config)
        .await
        .map_err(|e| format!("the sandbox bank did not start: {e}"))
}

async fn show_pinning(
    say: &Narrator,
    bank: &RunningSandbox,
    workdir: &tempfile::TempDir,
) -> Result<(), String> {
    // Same address, but the app expects another certificate: what a phishing proxy looks like.
    let wrong_pin = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=".to_string();
    let lookalike = Mobank::open(
        MobankConfig {
            data_dir: workdir.path().join("lookalike"),
            bank: BankEndpoint {
                base_url: bank.base_url(),
                spki_pins: vec![wrong_pin],
            },
            device_name: "Terminal phone".into(),
            platform: "other".into(),
        },
        Arc::new(InsecureSoftwareKeyStore::new()),
    )
    .map_err(describe)?;
    match lookalike
        .start_activation(SecretString::from("ABCD2345EFGH".to_string()))
        .await
    {
        Err(MobankError::PinningFailed) => {
            say.refused("certificate does not match the bank's pinned key: connection dropped in the handshake");
            Ok(())
        }
        other => Err(format!(
            "a server with an unpinned certificate was not refused: {other:?}"
        )),
    }
}

fn latest_sms(bank: &RunningSandbox, phone: &str) -> Result<String, String> {
    let outbox = bank.sms_outbox(phone).map_err(|e| format!("{e}"))?;
    outbox
        .messages
        .last()
        .map(|m| m.body.clone())
        .ok_or_else(|| "no SMS was sent".to_string())
}

/// The first run of exactly six digits, as a person reads a code from an SMS.
fn six_digit_code(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut start = 0;
    while start < chars.len() {
        if chars[start].is_ascii_digit() {
            let end = (start..chars.len())
                .find(|&i| !chars[i].is_ascii_digit())
                .unwrap_or(chars.len());
            if end - start == 6 {
                return Some(chars[start..end].iter().collect());
            }
            start = end;
        } else {
            start += 1;
        }
    }
    None
}

fn show_accounts(say: &Narrator, accounts: &[mobank_core::Account]) {
    let mut total = Decimal::ZERO;
    for account in accounts {
        let indent = if account.parent_account_id.is_some() {
            "  └ "
        } else {
            ""
        };
        say.line(&format!(
            "{:<28} {:<22} {:>16} {}",
            format!("{indent}{}", account.name),
            say.dim(&account.masked_number),
            money(account.balance),
            account.currency
        ));
        total += account.balance;
    }
    say.line(&say.dim(&"─".repeat(72)));
    say.line(&format!(
        "{:<51} {:>16} CNY",
        say.bold("Total"),
        money(total)
    ));
}

/// 1234567.5 → "1,234,567.50"
fn money(amount: Decimal) -> String {
    let text = format!("{:.2}", amount.round_dp(2));
    let (sign, text) = text
        .strip_prefix('-')
        .map_or(("", text.as_str()), |t| ("-", t));
    let (int, frac) = text.split_once('.').unwrap_or((text, "00"));
    let mut grouped = String::new();
    for (i, digit) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped}.{frac}")
}

/// The PIN Li Wei chooses while binding (a sandbox customer; a real app reads it from its PIN pad).
fn demo_pin() -> Result<Pin, String> {
    Pin::from_digits("273849").map_err(describe)
}

fn describe(error: MobankError) -> String {
    format!("{error}")
}

/// The software key store, showing each biometric prompt as the phone would.
struct PromptingKeyStore {
    inner: InsecureSoftwareKeyStore,
    face: String,
}

impl PromptingKeyStore {
    fn new(say: &Narrator) -> Self {
        Self {
            inner: InsecureSoftwareKeyStore::new(),
            face: say.dim("(face recognised — simulated)"),
        }
    }
}

impl KeyStore for PromptingKeyStore {
    fn generate(&self, alias: &str, purpose: KeyPurpose) -> Result<Vec<u8>, KeyStoreError> {
        self.inner.generate(alias, purpose)
    }
    fn public_key(&self, alias: &str) -> Result<Vec<u8>, KeyStoreError> {
        self.inner.public_key(alias)
    }
    fn sign(
        &self,
        alias: &str,
        message: &[u8],
        prompt: Option<&str>,
    ) -> Result<Vec<u8>, KeyStoreError> {
        if let Some(prompt) = prompt {
            println!("    🙂 \"{prompt}\" {}", self.face);
        }
        self.inner.sign(alias, message, prompt)
    }
    fn delete(&self, alias: &str) -> Result<(), KeyStoreError> {
        self.inner.delete(alias)
    }
    fn wrap(&self, alias: &str, plaintext: &[u8]) -> Result<Vec<u8>, KeyStoreError> {
        self.inner.wrap(alias, plaintext)
    }
    fn unwrap(&self, alias: &str, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeyStoreError> {
        self.inner.unwrap(alias, wrapped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_code_in_a_bilingual_sms() {
        let sms = "【Mobank】验证码 482913，10分钟内有效。Code 482913, valid 10 minutes.";
        assert_eq!(six_digit_code(sms).as_deref(), Some("482913"));
        assert_eq!(six_digit_code("call 0123456789 now"), None);
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(money(Decimal::new(123456750, 2)), "1,234,567.50");
        assert_eq!(money(Decimal::new(-5, 1)), "-0.50");
        assert_eq!(money(Decimal::new(100, 0)), "100.00");
    }
}
