//! The leak scan of a test run learns every secret the bank hands out, and only when asked.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Bank, Phone};

#[tokio::test]
async fn every_secret_handed_out_or_received_is_recorded_for_the_scan_when_asked() {
    let list = tempfile::tempdir().unwrap();
    let file = list.path().join("issued-secrets");
    let recorded = file.clone();
    let bank = Bank::start_with(|config| config.issued_secrets_file = Some(recorded)).await;
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    bank.bind(&mut phone).await;
    let otp = bank.latest_otp();
    let session = bank.login(&mut phone).await;
    let code = bank.issue_code();

    let lines: Vec<String> = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    let key = phone.knowledge_key;
    let hex: String = key.iter().map(|byte| format!("{byte:02x}")).collect();
    assert_eq!(
        lines,
        [
            lines[0].clone(),
            otp,
            mobank_protocol::b64::encode(key),
            hex,
            session.session_token,
            code.clone(),
        ],
        "the binding's code, its OTP, the PIN's key twice, the session token, a code"
    );
    assert_eq!(lines[0].len(), code.len());
}

#[tokio::test]
async fn a_bank_not_asked_keeps_no_code_or_token_in_clear_anywhere() {
    let bank = Bank::start().await;
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    bank.bind(&mut phone).await;
    let session = bank.login(&mut phone).await;
    let code = bank.issue_code();
    let mut files = Vec::new();
    let mut pending = vec![bank.dir.path().to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    assert!(!files.is_empty());
    for file in files {
        let content = std::fs::read(&file).unwrap();
        for secret in [code.as_bytes(), session.session_token.as_bytes()] {
            assert!(
                !content.windows(secret.len()).any(|w| w == secret),
                "{} holds a secret in clear",
                file.display()
            );
        }
    }
}
