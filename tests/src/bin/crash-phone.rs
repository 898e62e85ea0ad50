//! The phone of the crash tests, in a process of its own so it can die: opens the app over a
//! data directory and key directory a test bound, logs in with the PIN, drafts the rent and
//! signs and submits it. With `MOBANK_TEST_KILL_AT` set the core aborts at that step.
//!
//! Arguments: data directory, key directory, bank base URL, SPKI pin, receipt key, payer
//! account id. Prints `drafted <transfer id>` and, if it gets that far, `finished <outcome>`.

use std::io::Write;
use std::path::PathBuf;

use mobank_core::BankEndpoint;
use mobank_e2e::crash_phone::{self, DRAFTED, FINISHED};
use mobank_e2e::{pin, TestResult, PIN};

fn main() -> TestResult<()> {
    let mut args = std::env::args().skip(1);
    let mut next = || {
        args.next()
            .ok_or("usage: crash-phone DATA KEYS URL PIN RECEIPT_KEY PAYER")
    };
    let data_dir = PathBuf::from(next()?);
    let key_dir = PathBuf::from(next()?);
    let endpoint = BankEndpoint {
        base_url: next()?,
        spki_pins: vec![next()?],
        receipt_keys: vec![next()?],
    };
    let payer = next()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let mobank = crash_phone::open(&data_dir, &key_dir, endpoint, None)?;
        mobank.auth().login_pin(pin(PIN)?).await?;
        let transfers = mobank.transfers();
        let confirmation = transfers.draft(crash_phone::rent(&payer)).await?;
        say(&format!("{DRAFTED} {}", confirmation.transfer_id))?;
        let outcome = transfers
            .sign_and_submit_pin(&confirmation.token, pin(PIN)?)
            .await
            .map(|sent| sent.state);
        say(&format!("{FINISHED} {outcome:?}"))
    })
}

fn say(line: &str) -> TestResult<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")?;
    Ok(out.flush()?)
}
