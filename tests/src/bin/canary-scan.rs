//! `canary-scan DIR`: after `make test`, reads every file the test phones left under DIR
//! (`MOBANK_KEEP_PHONE_FILES`: their stores, their key files, the phone-side log) and fails if
//! any holds a secret or a personal text in clear: the test PINs, every session token,
//! activation code and OTP the suites' banks issued (`issued-secrets`), the seeded customers'
//! full account numbers, the memos the suites type, a bearer token's header. Prints counts
//! only, never a canary.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use aho_corasick::AhoCorasick;
use mobank_e2e::kept_files::ISSUED_SECRETS_FILE;
use mobank_e2e::{files_under, PIN, WRONG_PIN};
use mobank_sandbox::{
    SandboxConfig, CORNER_SHOP_ACCOUNT_NUMBER, CORNER_SHOP_CUSTOMER_ID, DEMO_CUSTOMER_ID,
    LANDLORD_ACCOUNT_NUMBER, LANDLORD_CUSTOMER_ID, OTHER_BANK_ACCOUNTS,
};

/// Memos the suites type; the seeded history's own are in no phone file unsealed either.
const MEMOS: [&str; 3] = ["十二月房租", "转错了", "Bearer "];

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: canary-scan DIR");
        return ExitCode::from(2);
    };
    match scan(&dir) {
        Ok(report) if report.hits.is_empty() => {
            println!(
                "canary-scan: {} files, {} KiB from {} test phones: none of {} canaries in clear",
                report.files,
                report.bytes / 1024,
                report.phones,
                report.canaries
            );
            ExitCode::SUCCESS
        }
        Ok(report) => {
            for file in &report.hits {
                eprintln!("canary-scan: a canary in clear in {}", file.display());
            }
            ExitCode::FAILURE
        }
        Err(message) => {
            eprintln!("canary-scan: {message}");
            ExitCode::FAILURE
        }
    }
}

#[derive(Debug)]
struct Report {
    files: usize,
    bytes: u64,
    phones: usize,
    canaries: usize,
    hits: Vec<PathBuf>,
}

fn scan(dir: &Path) -> Result<Report, String> {
    let mut texts = canaries()?;
    let issued = dir.join(ISSUED_SECRETS_FILE);
    texts.extend(issued_secrets(&issued)?);
    let canaries = Canaries::new(texts)?;
    let mut files = files_under(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    files.retain(|file| *file != issued);
    let phones = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter(|entry| entry.as_ref().is_ok_and(|entry| entry.path().is_dir()))
        .count();
    if phones == 0 {
        return Err(format!("no test phone left files in {}", dir.display()));
    }
    let mut report = Report {
        files: files.len(),
        bytes: 0,
        phones,
        canaries: canaries.texts.len(),
        hits: Vec::new(),
    };
    for file in files {
        let content = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        report.bytes += content.len() as u64;
        let found = canaries.found_in(&content);
        if found {
            report.hits.push(file);
        }
    }
    Ok(report)
}

/// The canaries, searched for all at once.
struct Canaries {
    texts: Vec<Vec<u8>>,
    finder: AhoCorasick,
}

impl Canaries {
    fn new(texts: Vec<Vec<u8>>) -> Result<Self, String> {
        let finder = AhoCorasick::new(&texts).map_err(|e| e.to_string())?;
        Ok(Self { texts, finder })
    }

    /// Whether `content` holds a canary. One of digits only (a PIN, an OTP) counts where no
    /// digit touches it: a log is full of timestamps and amounts, and any six digits turn up
    /// in them by chance.
    fn found_in(&self, content: &[u8]) -> bool {
        let digit_at = |at: Option<usize>| {
            at.and_then(|at| content.get(at))
                .is_some_and(u8::is_ascii_digit)
        };
        self.finder.find_overlapping_iter(content).any(|found| {
            let text = &self.texts[found.pattern().as_usize()];
            !(text.iter().all(u8::is_ascii_digit)
                && (digit_at(found.start().checked_sub(1)) || digit_at(Some(found.end()))))
        })
    }
}

/// The secrets the suites' banks issued, one per line. A missing list is an error: a scan
/// without the tokens and OTPs would pass for the wrong reason.
fn issued_secrets(file: &Path) -> Result<Vec<Vec<u8>>, String> {
    let content = std::fs::read(file).map_err(|e| {
        format!(
            "{}: {e} (no bank recorded the secrets it issued)",
            file.display()
        )
    })?;
    let secrets: BTreeSet<Vec<u8>> = content
        .split(|byte| *byte == b'\n')
        .filter(|line| !line.is_empty())
        .map(<[u8]>::to_vec)
        .collect();
    Ok(secrets.into_iter().collect())
}

/// The texts no phone file may hold in clear, the seeded account numbers read from a sandbox
/// started for the purpose.
fn canaries() -> Result<Vec<Vec<u8>>, String> {
    let work = tempfile::tempdir().map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let numbers = runtime.block_on(async {
        let bank = mobank_sandbox::start(SandboxConfig::new(work.path().join("bank")))
            .await
            .map_err(|e| e.to_string())?;
        let mut numbers = Vec::new();
        for customer in [
            DEMO_CUSTOMER_ID,
            LANDLORD_CUSTOMER_ID,
            CORNER_SHOP_CUSTOMER_ID,
        ] {
            numbers.extend(bank.account_numbers(customer).map_err(|e| e.to_string())?);
        }
        bank.shutdown().await;
        Ok::<_, String>(numbers)
    })?;
    let mut texts: BTreeSet<String> = numbers.into_iter().collect();
    texts.extend(
        [LANDLORD_ACCOUNT_NUMBER, CORNER_SHOP_ACCOUNT_NUMBER]
            .into_iter()
            .chain(OTHER_BANK_ACCOUNTS.iter().map(|known| known.account_number))
            .chain([PIN, WRONG_PIN])
            .chain(MEMOS)
            .map(str::to_owned),
    );
    Ok(texts.into_iter().map(String::into_bytes).collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const OTP: &str = "731904";
    const TOKEN: &str = "q3Vd8-Xl0mT7cRkz1aPo4bYw9nJe6uHs2fGi5tK0LxE";

    /// A kept-files root whose banks issued one OTP and one session token.
    fn kept_root() -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(
            root.path().join(ISSUED_SECRETS_FILE),
            format!("{OTP}\n{TOKEN}\n"),
        )
        .unwrap();
        root
    }

    #[test]
    fn a_pin_planted_in_a_phone_file_is_found_and_a_clean_phone_passes() {
        let root = kept_root();
        let phone = root.path().join("phone-1");
        std::fs::create_dir_all(phone.join("store")).unwrap();
        std::fs::write(phone.join("store/vault.db"), b"sealed records only").unwrap();
        assert!(scan(root.path()).unwrap().hits.is_empty());

        std::fs::write(phone.join("phone.log"), format!("PIN was {PIN}\n")).unwrap();
        assert_eq!(
            scan(root.path()).unwrap().hits,
            vec![phone.join("phone.log")]
        );
    }

    #[test]
    fn an_issued_otp_or_token_in_the_log_is_found_but_not_six_digits_inside_a_longer_number() {
        let root = kept_root();
        let phone = root.path().join("phone-1");
        std::fs::create_dir_all(&phone).unwrap();
        let log = root.path().join("phone.log");
        std::fs::write(&log, format!("booked at 1764{OTP}123 ms\n")).unwrap();
        let report = scan(root.path()).unwrap();
        assert!(report.hits.is_empty(), "{:?}", report.hits);
        // The list of issued secrets is where the canaries come from, not a finding.
        assert_eq!(report.files, 1);

        std::fs::write(&log, format!("code {OTP} entered\n")).unwrap();
        assert_eq!(scan(root.path()).unwrap().hits, vec![log.clone()]);
        std::fs::write(&log, format!("token={TOKEN}\n")).unwrap();
        assert_eq!(scan(root.path()).unwrap().hits, vec![log]);
    }

    #[test]
    fn a_directory_no_phone_wrote_to_is_an_error_not_a_pass() {
        let root = kept_root();
        assert!(scan(root.path()).is_err());
    }

    #[test]
    fn a_run_whose_banks_recorded_no_issued_secret_is_an_error_not_a_pass() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("phone-1")).unwrap();
        let error = scan(root.path()).unwrap_err();
        assert!(error.contains("issued"), "{error}");
    }
}
