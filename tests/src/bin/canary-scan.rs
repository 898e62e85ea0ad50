//! `canary-scan DIR`: after `make test`, reads every file the test phones left under DIR
//! (`MOBANK_KEEP_PHONE_FILES`: their stores, their key files, the phone-side log) and fails if
//! any holds a secret or a personal text in clear: the test PINs, the seeded customers' full
//! account numbers, the memos the suites type, a bearer token's header. Prints counts only,
//! never a canary.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use mobank_e2e::{PIN, WRONG_PIN};
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

struct Report {
    files: usize,
    bytes: u64,
    phones: usize,
    canaries: usize,
    hits: Vec<PathBuf>,
}

fn scan(dir: &Path) -> Result<Report, String> {
    let canaries = canaries()?;
    let files = files_under(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
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
        canaries: canaries.len(),
        hits: Vec::new(),
    };
    for file in files {
        let content = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        report.bytes += content.len() as u64;
        let found = canaries.iter().any(|canary| {
            content
                .windows(canary.len())
                .any(|window| window == canary.as_slice())
        });
        if found {
            report.hits.push(file);
        }
    }
    Ok(report)
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

fn files_under(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_pin_planted_in_a_phone_file_is_found_and_a_clean_phone_passes() {
        let root = tempfile::tempdir().unwrap();
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
    fn a_directory_no_phone_wrote_to_is_an_error_not_a_pass() {
        let root = tempfile::tempdir().unwrap();
        assert!(scan(root.path()).is_err());
    }
}
