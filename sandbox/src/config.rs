//! What a sandbox bank is started with. Every knob has a default, so callers name only what
//! they change: `SandboxConfig { data_dir, ..Default::default() }`.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

/// The relying-party id device assertions are made for.
pub const DEFAULT_RP_ID: &str = "sandbox.mobank.local";

#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Holds the database and the TLS certificate and key. Reusing a directory keeps the
    /// customers, the bound devices and the SPKI pin.
    pub data_dir: PathBuf,
    /// The customer API (HTTPS). Port 0 picks a free port.
    pub listen: SocketAddr,
    /// The developer API (plain HTTP). Must be a loopback address.
    pub dev_listen: SocketAddr,
    pub rp_id: String,
    /// How long an SMS one-time password stays valid.
    pub otp_ttl: Duration,
    /// How long a login challenge stays valid.
    pub challenge_ttl: Duration,
    /// How long an issued activation code stays valid.
    pub activation_ttl: Duration,
    /// A session unused for this long is over.
    pub idle_timeout: Duration,
    /// A session is over after this long, however active.
    pub session_cap: Duration,
    /// A newly bound device gets low transfer limits for this long.
    pub cooling_off: Duration,
    /// On start, book this many transactions of realistic history for the demo customer, if
    /// the ledger has none yet (a data directory is seeded once). 0: none.
    pub seed_history: u32,
    /// Lets the developer API move the bank's clock (`POST /dev/clock/advance`): for test
    /// suites in any language. Off by default, so a shared sandbox keeps real time. The
    /// in-process `RunningSandbox::advance_clock` works either way.
    pub test_clock: bool,
    /// For leak scans of test runs only: every session token, activation code and OTP the
    /// bank issues, and every knowledge key a phone gives it (base64 and hex), is appended to
    /// this file in clear, one per line, so the scan can look for each in what the phones
    /// wrote. Unset by default.
    pub issued_secrets_file: Option<PathBuf>,
}

impl SandboxConfig {
    /// Both listeners on free loopback ports, every knob at its default.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            ..Self::default()
        }
    }
}

impl Default for SandboxConfig {
    fn default() -> Self {
        let loopback = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        Self {
            // Empty on purpose: `start` refuses it rather than scatter files in the working
            // directory.
            data_dir: PathBuf::new(),
            listen: loopback,
            dev_listen: loopback,
            rp_id: DEFAULT_RP_ID.to_owned(),
            otp_ttl: Duration::from_secs(5 * 60),
            challenge_ttl: Duration::from_secs(60),
            activation_ttl: Duration::from_secs(24 * 60 * 60),
            // PSD2 RTS art. 4(3)(d): at most 5 minutes of inactivity.
            idle_timeout: Duration::from_secs(5 * 60),
            // NIST SP 800-63B AAL2/AAL3 reauthentication bound.
            session_cap: Duration::from_secs(12 * 60 * 60),
            cooling_off: Duration::from_secs(24 * 60 * 60),
            seed_history: 0,
            test_clock: false,
            issued_secrets_file: None,
        }
    }
}
