//! The secrets this bank hands out (session tokens, activation codes, OTPs) and the knowledge
//! keys phones give it, appended to a file when a test run asks for it
//! (`SandboxConfig::issued_secrets_file`), so a leak scan can look for each of them in
//! everything the phones wrote. Without the setting nothing is written.

use std::io::Write;
use std::path::PathBuf;

pub(crate) struct Witness {
    file: Option<PathBuf>,
}

impl Witness {
    pub(crate) fn new(file: Option<PathBuf>) -> Self {
        Self { file }
    }

    /// A knowledge key a phone derived from its PIN, in the two spellings a leak would take:
    /// the wire's base64 and hex.
    pub(crate) fn received_key(&self, key: &[u8]) {
        if self.file.is_none() {
            return;
        }
        self.issued(&zeroize::Zeroizing::new(mobank_protocol::b64::encode(key)));
        let mut hex = zeroize::Zeroizing::new(String::with_capacity(key.len() * 2));
        crate::random::push_hex(&mut hex, key);
        self.issued(&hex);
    }

    /// Appends `secret` on a line of its own. A failure is logged, never the secret: a missed
    /// line weakens a scan, it must not fail the bank's answer.
    pub(crate) fn issued(&self, secret: &str) {
        let Some(file) = &self.file else {
            return;
        };
        let mut line = zeroize::Zeroizing::new(Vec::with_capacity(secret.len() + 1));
        line.extend_from_slice(secret.as_bytes());
        line.push(b'\n');
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(file)
            // One write per line: appends from banks running side by side do not interleave.
            .and_then(|mut out| out.write_all(&line));
        if let Err(error) = written {
            tracing::warn!(%error, "an issued secret was not recorded for the leak scan");
        }
    }
}
