//! The last look: what an attacker who copies the phone's files (a backup, a repair shop) finds.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use mobank_sandbox::{
    CORNER_SHOP_ACCOUNT_NUMBER, DEMO_CUSTOMER_ID, LANDLORD_ACCOUNT_NUMBER, OTHER_BANK_ACCOUNTS,
};

use super::binding::{IPAD_PIN, PHONE_PIN};
use super::format::count;
use super::session::MISTYPED_PIN;
use super::{ensure, Demo, Outcome};

/// Distinct memos and counterparties are plenty; more would only slow the scan.
const TEXT_CANARIES: usize = 200;
const MIN_CANARY_BYTES: usize = 6;

/// Memos typed in transfers the bank never booked (cancelled, refused, never signed) are in no
/// ledger, yet the phone kept or saw them.
const TYPED: [&[&str]; 6] = [
    super::unusual_amount::TYPED,
    super::limit_raise::TYPED,
    super::refund_scam::TYPED,
    super::cancelled_transfer::TYPED,
    super::suspension::TYPED,
    &[
        LANDLORD_ACCOUNT_NUMBER,
        CORNER_SHOP_ACCOUNT_NUMBER,
        OTHER_BANK_ACCOUNTS[0].account_number,
        OTHER_BANK_ACCOUNTS[1].account_number,
        OTHER_BANK_ACCOUNTS[2].account_number,
    ],
];

pub fn scan_phone_files(demo: &Demo) -> Outcome {
    let say = &demo.say;
    say.step("What someone who copies the phone's files would find");
    let canaries = canaries(demo)?;
    let files =
        files_under(&demo.phone_dir()).map_err(|e| format!("listing the phone's files: {e}"))?;
    let mut bytes = 0u64;
    for file in &files {
        let content =
            std::fs::read(file).map_err(|e| format!("reading {}: {e}", file.display()))?;
        bytes += content.len() as u64;
        let found = canaries.iter().any(|canary| {
            content
                .windows(canary.len())
                .any(|window| window == canary.as_slice())
        });
        ensure(!found, || {
            format!(
                "a file on the phone holds a known plaintext: {}",
                file.display()
            )
        })?;
    }
    say.ok(&format!(
        "{} files, {} KiB: not one of {} known texts (PINs, session tokens, activation codes, OTPs, account numbers, memos, counterparties) in clear",
        files.len(),
        count(bytes / 1024),
        count(canaries.len() as u64)
    ));
    say.aside(
        "The records are sealed one by one; the data key is wrapped by the phone's key store.",
    );
    Ok(())
}

fn canaries(demo: &Demo) -> Outcome<Vec<Vec<u8>>> {
    let mut texts = BTreeSet::new();
    let numbers = demo
        .bank
        .account_numbers(DEMO_CUSTOMER_ID)
        .map_err(|e| format!("the bank's account numbers: {e}"))?;
    texts.extend(numbers);
    let ledger = demo
        .bank
        .ledger(DEMO_CUSTOMER_ID)
        .map_err(|e| format!("the bank's ledger: {e}"))?;
    let mut distinct = BTreeSet::new();
    for transaction in ledger.iter().rev() {
        distinct.insert(transaction.memo.clone());
        distinct.insert(transaction.counterparty.clone());
        distinct.extend(transaction.counterparty_account.clone());
        if distinct.len() >= TEXT_CANARIES {
            break;
        }
    }
    texts.extend(distinct);
    texts.extend(
        TYPED
            .iter()
            .flat_map(|typed| typed.iter().map(|t| t.to_string())),
    );
    texts.insert("Bearer".to_owned());
    texts.extend(
        [PHONE_PIN, IPAD_PIN, MISTYPED_PIN]
            .into_iter()
            .map(str::to_owned),
    );
    let mut canaries: Vec<Vec<u8>> = texts
        .into_iter()
        .filter(|text| text.len() >= MIN_CANARY_BYTES)
        .map(String::into_bytes)
        .collect();
    let issued = std::fs::read(demo.issued_secrets_file())
        .map_err(|e| format!("the bank's list of issued secrets: {e}"))?;
    let before = canaries.len();
    canaries.extend(
        issued
            .split(|byte| *byte == b'\n')
            .filter(|line| !line.is_empty())
            .map(<[u8]>::to_vec),
    );
    ensure(canaries.len() > before, || {
        "the bank listed no secret it issued".to_owned()
    })?;
    Ok(canaries)
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
    files.sort();
    Ok(files)
}
