//! What the suites leave for the canary scan after `make test` (`canary-scan`): with
//! `MOBANK_KEEP_PHONE_FILES` set to a directory, every test phone keeps its data directory
//! under it, and everything the phone-side crates log, at every level, goes to `phone.log`
//! there, and every bank the suites start appends the session tokens, activation codes and
//! OTPs it issues to `issued-secrets` there, for the scan to look for. Without it, phones live
//! in temporary directories removed with them and banks write nothing.

use std::fs::{self, File};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use tempfile::TempDir;

/// Where kept phone files go, when asked for.
pub const KEEP_ENV: &str = "MOBANK_KEEP_PHONE_FILES";
/// The log of the phone-side crates, under the kept directory.
pub const LOG_FILE: &str = "phone.log";
/// The secrets the suites' banks issued, one per line: canaries for the scan, not scanned.
pub const ISSUED_SECRETS_FILE: &str = "issued-secrets";
/// Only the crates that run on a phone: the sandbox logs as the bank, which may see anything.
const PHONE_SIDE: &str = "mobank_core=trace,mobank_store=trace,mobank_protocol=trace";

/// A directory for one phone's files: kept under [`KEEP_ENV`] when it is set.
pub fn phone_dir() -> std::io::Result<TempDir> {
    let Some(root) = kept_root() else {
        return tempfile::tempdir();
    };
    fs::create_dir_all(&root)?;
    log_phone_side(&root);
    let mut dir = tempfile::Builder::new()
        .prefix("phone-")
        .tempdir_in(&root)?;
    dir.disable_cleanup(true);
    Ok(dir)
}

/// Where a bank started by the suites records the secrets it issues, when files are kept.
pub fn issued_secrets_file() -> std::io::Result<Option<PathBuf>> {
    let Some(root) = kept_root() else {
        return Ok(None);
    };
    fs::create_dir_all(&root)?;
    Ok(Some(root.join(ISSUED_SECRETS_FILE)))
}

fn kept_root() -> Option<PathBuf> {
    std::env::var_os(KEEP_ENV)
        .filter(|value| !value.is_empty())
        .map(PathBuf::from)
}

/// Installs, once per test binary, a subscriber that appends every phone-side event to the log.
fn log_phone_side(root: &std::path::Path) {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let Ok(file) = File::options()
            .create(true)
            .append(true)
            .open(root.join(LOG_FILE))
        else {
            return;
        };
        // Another subscriber already installed (a test of its own) keeps its place.
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(PHONE_SIDE))
            .with_writer(Mutex::new(file))
            .with_ansi(false)
            // Timestamps carry six-digit fractions: every OTP would turn up in them by chance.
            .without_time()
            .try_init();
    });
}
