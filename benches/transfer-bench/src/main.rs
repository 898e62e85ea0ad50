//! `transfer-bench`: the transfer benchmark of `make bench`.
//!
//! Starts the sandbox bank in this process (data in a temporary directory), binds one phone
//! with the software key store through the public core API, moves the bank's clock past the
//! binding's cooling-off period, funds the account through the developer API and logs in. Then
//! times full transfers over loopback HTTPS — `draft` (the quote, checked and rendered as the
//! confirmation) and `sign_and_submit_biometric` (the counters reserved, two signatures, the
//! outbox written, the submit, the receipt verified and stored) — next to the floor of their
//! parts, all in the same run: every iteration runs every probe once, in an order that rotates
//! from one iteration to the next.
//!
//! The floor: `2 × durable commit + sign + verify + 2 × round trip` (p50 of each part).
//!
//! ```text
//! transfer-bench [--iterations N] [--warmup N] [--out FILE] [--work DIR]
//! ```

mod bank;
#[path = "../../session-bench/src/commit.rs"]
mod commit;
mod crypto;
mod floor;
#[path = "../../workload/latency_cli.rs"]
mod latency_cli;
#[path = "../../session-bench/src/phone.rs"]
mod phone;
mod report;
#[path = "../../session-bench/src/stats.rs"]
mod stats;

use std::path::Path;
use std::time::{Duration, Instant};

use latency_cli::{Options, Output};
use mobank_core::{Mobank, TransferState};
use stats::Samples;

/// What the signing probes sign: the first transfer's amount (`bank::amount_of`).
pub const AMOUNT: &str = "1.00";
pub const MEMO: &str = "十二月房租";
/// The cryptographic parts take microseconds: more samples per iteration cost nothing.
const CRYPTO_REPEATS: usize = 5;

fn main() {
    latency_cli::main(
        "transfer-bench",
        "target/bench/transfer.json",
        |options, work, runtime| {
            let measured = runtime.block_on(measure(options, work))?;
            let report = report::Report::new(options, measured);
            Ok(Output {
                table: report.table(),
                json: report.json(),
            })
        },
    );
}

/// Every probe's samples, warm-up excluded.
#[derive(Default)]
pub struct Measured {
    pub transfer: Samples,
    /// The two halves of each transfer: the draft, then the signature and the submit.
    pub draft: Samples,
    pub submit: Samples,
    pub commit: Samples,
    pub sign: Samples,
    pub verify: Samples,
    pub round_trip: Samples,
    pub canonical_encode: Samples,
    pub sign_transfer: Samples,
    pub verify_transfer: Samples,
    pub http_version: String,
    pub record_len: usize,
    pub canonical_len: usize,
}

#[derive(Clone, Copy)]
enum Probe {
    Transfer,
    Commit,
    Crypto,
    RoundTrip,
}

const PROBES: [Probe; 4] = [
    Probe::Transfer,
    Probe::Commit,
    Probe::Crypto,
    Probe::RoundTrip,
];

struct Subjects {
    mobank: Mobank,
    payer_account_id: String,
    crypto: crypto::TransferCrypto,
    commit: commit::DurableCommit,
    trip: floor::RoundTrip,
    /// Transfers made so far.
    made: usize,
}

async fn measure(options: &Options, work: &Path) -> Result<Measured, String> {
    // One transfer more than timed: the first one, before the floor exists, gives the size of
    // an outbox record for the durable commits.
    let total = options.warmup + options.iterations;
    let setup = bank::start(work, total + 1).await?;
    transfer(&setup.mobank, &setup.payer_account_id, 0).await?;
    let record_len = commit::sealed_record_len(&setup.phone_dir, "kv_outbox")?;
    let mut subjects = Subjects {
        crypto: crypto::TransferCrypto::new(&setup.bank.rp_id(), &setup.payer_account_id)?,
        commit: commit::DurableCommit::new(&work.join("floor"), record_len)?,
        trip: floor::RoundTrip::new(&setup.bank.base_url(), &setup.bank.spki_pin())?,
        mobank: setup.mobank,
        payer_account_id: setup.payer_account_id,
        made: 1,
    };
    let mut measured = Measured {
        record_len: subjects.commit.record_len(),
        canonical_len: subjects.crypto.canonical_len()?,
        ..Measured::default()
    };
    let started = Instant::now();
    for iteration in 0..total {
        let mut discarded = Measured::default();
        let into = if iteration < options.warmup {
            &mut discarded
        } else {
            &mut measured
        };
        for k in 0..PROBES.len() {
            run_probe(PROBES[(iteration + k) % PROBES.len()], &mut subjects, into).await?;
        }
        if (iteration + 1) % 100 == 0 || iteration + 1 == total {
            eprintln!(
                "transfer-bench: {}/{total} iterations ({:.0} s)",
                iteration + 1,
                started.elapsed().as_secs_f64()
            );
        }
    }
    let ledger = setup.bank.check_ledger().map_err(|e| e.to_string())?;
    setup.bank.shutdown().await;
    if !ledger.balanced {
        return Err("the bank's ledger does not balance after the run".into());
    }
    Ok(measured)
}

async fn run_probe(
    probe: Probe,
    subjects: &mut Subjects,
    into: &mut Measured,
) -> Result<(), String> {
    match probe {
        Probe::Transfer => {
            let started = Instant::now();
            let drafted =
                transfer(&subjects.mobank, &subjects.payer_account_id, subjects.made).await?;
            let elapsed = started.elapsed();
            into.transfer.push(elapsed);
            into.draft.push(drafted);
            into.submit.push(elapsed.saturating_sub(drafted));
            subjects.made += 1;
        }
        Probe::Commit => {
            // The floor counts two: the outbox entry before the send, the receipt after it.
            into.commit.push(subjects.commit.commit()?);
            into.commit.push(subjects.commit.commit()?);
        }
        Probe::Crypto => {
            let crypto = &subjects.crypto;
            for _ in 0..CRYPTO_REPEATS {
                into.sign.push(crypto.sign()?);
                into.verify.push(crypto.verify()?);
                into.canonical_encode.push(crypto.canonical_encode()?);
                into.sign_transfer.push(crypto.sign_transfer()?);
                into.verify_transfer.push(crypto.verify_transfer()?);
            }
        }
        Probe::RoundTrip => {
            for _ in 0..2 {
                let (elapsed, version) = subjects.trip.bare().await?;
                into.round_trip.push(elapsed);
                into.http_version = format!("{version:?}");
            }
        }
    }
    Ok(())
}

/// The `n`th whole transfer as an app makes it: the draft and its confirmation, then the
/// biometric signature and the submit. A warning that needs acknowledging, or anything but a
/// settled transfer with an accepted, verified receipt, stops the run: the bench times the
/// path a customer takes without warnings.
///
/// Returns how long the draft took.
async fn transfer(mobank: &Mobank, payer_account_id: &str, n: usize) -> Result<Duration, String> {
    let started = Instant::now();
    let transfers = mobank.transfers();
    let confirmation = transfers
        .draft(bank::to_landlord(payer_account_id, n))
        .await
        .map_err(|e| format!("draft failed: {e}"))?;
    let drafted = started.elapsed();
    let sent = transfers
        .sign_and_submit_biometric(&confirmation.token)
        .await
        .map_err(|e| format!("transfer failed: {e}"))?;
    let accepted = sent
        .receipt
        .as_ref()
        .is_some_and(|receipt| receipt.accepted);
    if sent.state != TransferState::Settled || !accepted {
        return Err(format!("the transfer ended {:?}", sent.state));
    }
    Ok(drafted)
}
