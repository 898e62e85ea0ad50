//! The bank opens, and a server with the bank's address but not its key is refused.

use std::path::Path;
use std::sync::Arc;

use mobank_core::platform::InsecureSoftwareKeyStore;
use mobank_core::{BankEndpoint, Mobank, MobankConfig, MobankError, SecretString};
use mobank_sandbox::{RunningSandbox, SandboxConfig};

use super::format::count;
use super::narrate::Narrator;
use super::{unexpected, Demo, OrFail, Outcome};

/// Where the bank lists, for the last look at the phone's files, every session token,
/// activation code and OTP it issued (a sandbox setting for leak scans; a bank keeps hashes).
pub const ISSUED_SECRETS_FILE: &str = "issued-secrets";

/// Transactions of history the bank books for Li Wei before the demo starts.
pub const SEEDED_HISTORY: u32 = 20_000;

pub async fn open(say: &Narrator, workdir: &Path) -> Outcome<RunningSandbox> {
    say.chapter("The bank");
    say.step("The bank opens (a sandbox bank on this machine, real HTTPS)");
    let listen = "127.0.0.1:0".parse().map_err(|_| "bad listen address")?;
    let config = SandboxConfig {
        data_dir: workdir.join("bank"),
        listen,
        dev_listen: listen,
        seed_history: SEEDED_HISTORY,
        issued_secrets_file: Some(workdir.join(ISSUED_SECRETS_FILE)),
        ..SandboxConfig::default()
    };
    let bank = mobank_sandbox::start(config)
        .await
        .map_err(|e| format!("the sandbox bank did not start: {e}"))?;
    say.bank(&format!("listening on {}", bank.base_url()));
    say.detail("certificate pin", &bank.spki_pin());
    say.detail("relying party", &bank.rp_id());
    say.detail(
        "customer on file",
        &format!(
            "Li Wei, with {} transactions of history",
            count(u64::from(SEEDED_HISTORY))
        ),
    );
    Ok(bank)
}

pub async fn lookalike_refused(demo: &Demo) -> Outcome {
    let say = &demo.say;
    say.step("A look-alike server is refused before a single byte is sent");
    // Same address, but the app expects another key: what a phishing proxy looks like.
    let wrong_pin = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=".to_string();
    let lookalike = Mobank::open(
        MobankConfig {
            data_dir: demo.scratch_dir("lookalike"),
            bank: BankEndpoint {
                base_url: demo.bank.base_url(),
                spki_pins: vec![wrong_pin],
                receipt_keys: super::receipt_keys(&demo.bank),
            },
            device_name: "Terminal phone".into(),
            platform: "other".into(),
        },
        Arc::new(InsecureSoftwareKeyStore::new()),
    )
    .or_fail("opening the look-alike app")?;
    match lookalike
        .activation()
        .start(SecretString::from("ABCD2345EFGH"))
        .await
    {
        Err(MobankError::PinningFailed) => {
            say.refused(
                "certificate does not match the bank's pinned key: connection dropped in the \
                 handshake",
            );
            Ok(())
        }
        other => Err(unexpected(
            "a server with an unpinned certificate must be refused",
            other,
        )),
    }
}
