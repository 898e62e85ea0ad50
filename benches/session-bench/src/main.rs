//! `session-bench`: the session benchmark of `make bench`.
//!
//! Starts the sandbox bank in this process (data in a temporary directory), binds one phone
//! with the software key store through the public core API, then times full logins over
//! loopback HTTPS (`login_biometric` and `login_pin`) next to the floor of their parts, all in
//! the same run: every iteration runs every probe once, in an order that rotates from one
//! iteration to the next, so drift (CPU frequency, database growth) hits all of them alike.
//!
//! The floor of a biometric login, which reserves its signature counters with one durable
//! commit, signs with two device keys and sends two requests:
//! `commit + 2 × sign + 2 × verify + 2 × round trip` (p50 of each part). The table and
//! `target/bench/session.json` also give the floor without the commit, the simpler
//! `sign + verify + 2 × round trip`, the floor of a PIN login (whose second factor is PBKDF2
//! plus an HMAC instead of a second signature), and references that are not part of any floor.
//!
//! ```text
//! session-bench [--iterations N] [--warmup N] [--out FILE] [--work DIR]
//! ```

mod bank;
mod commit;
#[path = "../../workload/latency_cli.rs"]
mod latency_cli;
mod phone;
mod probes;
mod report;
mod stats;

use std::time::Instant;

use latency_cli::{Options, Output};
use probes::{Crypto, DurableReplace, RoundTrips};
use stats::Samples;

/// What the simulated biometric prompt says (the software key store only records it).
const PROMPT: &str = "Log in to Mobank";
/// Each cryptographic part is timed this many times per iteration: they take microseconds, so
/// more samples cost nothing.
const CRYPTO_REPEATS: usize = 5;

fn main() {
    latency_cli::main(
        "session-bench",
        "target/bench/session.json",
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
    pub login_biometric: Samples,
    pub login_pin: Samples,
    pub sign: Samples,
    pub verify: Samples,
    pub round_trip: Samples,
    pub pbkdf2: Samples,
    pub knowledge_tag: Samples,
    pub knowledge_verify: Samples,
    pub key_store_sign: Samples,
    pub challenge_round_trip: Samples,
    pub durable_replace: Samples,
    pub commit: Samples,
    /// The size of the sealed device state record the commit probe writes.
    pub record_len: usize,
    /// The HTTP version the round-trip connection negotiated.
    pub http_version: String,
    pub signed_message_len: usize,
}

#[derive(Clone, Copy)]
enum Probe {
    LoginBiometric,
    LoginPin,
    Crypto,
    Pbkdf2,
    RoundTrip,
    ChallengeRoundTrip,
    DurableReplace,
    Commit,
}

const PROBES: [Probe; 8] = [
    Probe::LoginBiometric,
    Probe::LoginPin,
    Probe::Crypto,
    Probe::Pbkdf2,
    Probe::RoundTrip,
    Probe::ChallengeRoundTrip,
    Probe::DurableReplace,
    Probe::Commit,
];

struct Subjects {
    phone: bank::BoundPhone,
    crypto: Crypto,
    trips: RoundTrips,
    durable: DurableReplace,
    commit: commit::DurableCommit,
}

async fn measure(options: &Options, work: &std::path::Path) -> Result<Measured, String> {
    let phone = bank::start_and_bind(work).await?;
    let crypto = Crypto::new(&phone.bank.rp_id())?;
    let trips = RoundTrips::new(
        &phone.bank.base_url(),
        &phone.bank.spki_pin(),
        &phone.device_id,
    )?;
    let record_len = commit::sealed_record_len(&work.join("phone"), "kv_device")?;
    let mut subjects = Subjects {
        phone,
        crypto,
        trips,
        durable: DurableReplace::new(&work.join("durable"))?,
        commit: commit::DurableCommit::new(&work.join("commit"), record_len)?,
    };
    let mut measured = Measured {
        signed_message_len: subjects.crypto.message_len(),
        record_len: subjects.commit.record_len(),
        ..Measured::default()
    };
    let total = options.warmup + options.iterations;
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
                "session-bench: {}/{total} iterations ({:.0} s)",
                iteration + 1,
                started.elapsed().as_secs_f64()
            );
        }
    }
    subjects.phone.bank.shutdown().await;
    Ok(measured)
}

async fn run_probe(
    probe: Probe,
    subjects: &mut Subjects,
    into: &mut Measured,
) -> Result<(), String> {
    let mobank = &subjects.phone.mobank;
    let crypto = &subjects.crypto;
    match probe {
        Probe::LoginBiometric => {
            let started = Instant::now();
            let session = mobank.auth().login_biometric(PROMPT).await;
            into.login_biometric.push(started.elapsed());
            session.map_err(|e| format!("biometric login failed: {e}"))?;
        }
        Probe::LoginPin => {
            let pin = phone::pin()?;
            let started = Instant::now();
            let session = mobank.auth().login_pin(pin).await;
            into.login_pin.push(started.elapsed());
            session.map_err(|e| format!("PIN login failed: {e}"))?;
        }
        Probe::Crypto => {
            for _ in 0..CRYPTO_REPEATS {
                into.sign.push(crypto.sign()?);
                into.verify.push(crypto.verify()?);
                into.knowledge_tag.push(crypto.knowledge_tag());
                into.knowledge_verify.push(crypto.knowledge_verify()?);
                into.key_store_sign.push(crypto.key_store_sign()?);
            }
        }
        Probe::Pbkdf2 => into.pbkdf2.push(crypto.pbkdf2()),
        Probe::RoundTrip => {
            let (elapsed, version) = subjects.trips.bare().await?;
            into.round_trip.push(elapsed);
            into.http_version = format!("{version:?}");
        }
        Probe::ChallengeRoundTrip => {
            into.challenge_round_trip
                .push(subjects.trips.login_challenge().await?);
        }
        Probe::DurableReplace => into.durable_replace.push(subjects.durable.replace()?),
        Probe::Commit => into.commit.push(subjects.commit.commit()?),
    }
    Ok(())
}
