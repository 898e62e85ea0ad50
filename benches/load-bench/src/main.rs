//! `load-bench`: the load benchmark of `make bench`.
//!
//! Starts the sandbox bank in this process on its own runtime (threads `lb-bank`), makes one
//! funded customer per phone (`POST /dev/customers/bulk`) and binds a phone to each through
//! the public core API with the software key store, over loopback HTTPS with the bank's key
//! pinned. The phones run on a second runtime (threads `lb-phone`), so the CPU each side
//! spends can be told apart.
//!
//! Then runs: first a saturation sweep (the first 10, 50, 100, … phones for a short while
//! each), then the main run (every phone for `--seconds`). In each run every phone, with no
//! pause, logs in, syncs its history and makes transfers to other phones' customers and to
//! other banks (`workload`). After each run, answers that were lost are reconciled and the
//! bank is audited (`audit`): no 5xx, the ledger balances, one journal entry per accepted
//! transfer, every receipt verifies. Writes `target/bench/load.json` and a table.
//!
//! ```text
//! load-bench [--phones N] [--seconds S] [--sweep 10,50,100] [--sweep-seconds S]
//!            [--out FILE] [--work DIR] [--phones-dir DIR]
//! ```

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod audit;
mod cpu;
mod fleet;
mod reconcile;
mod report;
mod server_errors;
mod stats;
mod workload;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mobank_sandbox::RunningSandbox;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use cpu::{CpuSplit, BANK_THREADS, PHONE_THREADS};
use fleet::Phone;
use report::RunReport;
use server_errors::ServerErrors;
use workload::Tally;

pub struct Options {
    pub phones: u32,
    pub seconds: u64,
    pub sweep: Vec<u32>,
    pub sweep_seconds: u64,
    pub out: PathBuf,
    /// Where the bank's data directory goes (a fresh temporary directory inside).
    pub work: PathBuf,
    /// Where the phones' data directories go. Real phones each have their own storage, so by
    /// default they live in memory (`/dev/shm`) and do not queue on this machine's disk with
    /// the bank.
    pub phones_dir: PathBuf,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Err(message) = parse(&args).and_then(|options| run(&options)) {
        eprintln!("load-bench: {message}");
        std::process::exit(1);
    }
}

fn parse(args: &[String]) -> Result<Options, String> {
    let shm = PathBuf::from("/dev/shm");
    let mut options = Options {
        phones: 200,
        seconds: 60,
        sweep: vec![10, 50, 100],
        sweep_seconds: 15,
        out: PathBuf::from("target/bench/load.json"),
        work: PathBuf::from("target/bench/load-work"),
        phones_dir: if shm.is_dir() {
            shm
        } else {
            std::env::temp_dir()
        },
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<u64>()
                .map_err(|_| format!("{flag} takes a number"))
        };
        match flag.as_str() {
            "--phones" => {
                options.phones = u32::try_from(number()?).map_err(|_| "--phones is too large")?
            }
            "--seconds" => options.seconds = number()?,
            "--sweep-seconds" => options.sweep_seconds = number()?,
            "--sweep" => {
                options.sweep = value
                    .split(',')
                    .filter(|part| !part.trim().is_empty())
                    .map(|part| part.trim().parse::<u32>())
                    .collect::<Result<_, _>>()
                    .map_err(|_| "--sweep takes numbers separated by commas".to_owned())?
            }
            "--out" => options.out = PathBuf::from(value),
            "--work" => options.work = PathBuf::from(value),
            "--phones-dir" => options.phones_dir = PathBuf::from(value),
            other => return Err(format!("unknown option {other}")),
        }
    }
    if options.phones < 2 || options.phones > 10_000 {
        return Err("--phones must be from 2 to 10000".into());
    }
    if options.seconds < 1 {
        return Err("--seconds must be at least 1".into());
    }
    options.sweep.retain(|&n| n >= 2 && n < options.phones);
    options.sweep.sort_unstable();
    options.sweep.dedup();
    Ok(options)
}

fn runtime(name: &str) -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .thread_name(name)
        // Threads that stay keep their CPU time countable until the end.
        .thread_keep_alive(Duration::from_secs(24 * 3600))
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
}

fn run(options: &Options) -> Result<(), String> {
    let server_errors = ServerErrors::default();
    tracing_subscriber::registry()
        .with(server_errors.clone())
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_filter(EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| "warn".into())),
        )
        .try_init()
        .map_err(|e| e.to_string())?;

    for dir in [&options.work, &options.phones_dir] {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let tempdir = |parent: &PathBuf| {
        tempfile::Builder::new()
            .prefix("load-bench-")
            .tempdir_in(parent)
            .map_err(|e| format!("{}: {e}", parent.display()))
    };
    let bank_dir = tempdir(&options.work)?;
    let phones_dir = tempdir(&options.phones_dir)?;

    let load_before = cpu::load_average();
    let bank_runtime = runtime(BANK_THREADS)?;
    let phone_runtime = runtime(PHONE_THREADS)?;
    let bank = Arc::new(bank_runtime.block_on(fleet::start_bank(&bank_dir.path().join("bank")))?);

    let started = Instant::now();
    let phones =
        phone_runtime.block_on(fleet::bind_phones(&bank, phones_dir.path(), options.phones))?;
    eprintln!(
        "load-bench: {} phones bound in {:.1} s",
        phones.len(),
        started.elapsed().as_secs_f64()
    );
    let phones = Arc::new(phones);

    let mut sweep = Vec::new();
    for &count in &options.sweep {
        let run = phone_runtime.block_on(measure(
            &bank,
            &phones,
            count,
            options.sweep_seconds,
            &server_errors,
        ))?;
        eprintln!("load-bench: {}", run.line());
        sweep.push(run);
    }
    let main = phone_runtime.block_on(measure(
        &bank,
        &phones,
        options.phones,
        options.seconds,
        &server_errors,
    ))?;
    eprintln!("load-bench: {}", main.line());
    sweep.push(main.clone());
    let load_after = cpu::load_average();

    drop(phones);
    let bank = Arc::try_unwrap(bank).map_err(|_| "the bank is still in use".to_owned())?;
    bank_runtime.block_on(bank.shutdown());

    let report = report::Report {
        main,
        sweep,
        load_before,
        load_after,
        cores: std::thread::available_parallelism().map_or(0, usize::from),
    };
    print!("{}", report.table());
    if let Some(dir) = options.out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let json = serde_json::to_string_pretty(&report.json()).map_err(|e| e.to_string())?;
    std::fs::write(&options.out, json + "\n")
        .map_err(|e| format!("{}: {e}", options.out.display()))?;
    eprintln!("load-bench: wrote {}", options.out.display());
    if report.main.passed() {
        Ok(())
    } else {
        Err("the bank failed the audit (see the table)".into())
    }
}

/// One run: the first `count` phones for `seconds`, then reconciliation and the audit.
async fn measure(
    bank: &Arc<RunningSandbox>,
    phones: &Arc<Vec<Phone>>,
    count: u32,
    seconds: u64,
    server_errors: &ServerErrors,
) -> Result<RunReport, String> {
    let count = usize::try_from(count)
        .map_err(|e| e.to_string())?
        .min(phones.len());
    let before = audit::check(bank)?;
    let errors_before = server_errors.count();
    let cpu_before = CpuSplit::now();
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let mut tasks = tokio::task::JoinSet::new();
    for me in 0..count {
        let phones = Arc::clone(phones);
        tasks.spawn(workload::run(me, phones, count, deadline));
    }
    let mut tallies = Vec::with_capacity(count);
    while let Some(tally) = tasks.join_next().await {
        tallies.push(tally.map_err(|e| format!("a phone's task failed: {e}"))?);
    }
    let elapsed = started.elapsed();
    let cpu = CpuSplit::now().since(cpu_before);
    let errors_5xx = server_errors.count() - errors_before;

    let mut total = Tally::default();
    for tally in tallies {
        total.logins += tally.logins;
        total.syncs += tally.syncs;
        total.accepted.extend(tally.accepted);
        total.rejected += tally.rejected;
        total.outcome_unknown += tally.outcome_unknown;
        total.errors.extend(tally.errors);
        total.transfer_latency.extend(tally.transfer_latency);
        total.login_latency.extend(tally.login_latency);
    }
    let answered_accepted = total.accepted.len();
    let reconciled = reconcile::settle(&phones[..count], &mut total).await?;
    let after = audit::check(bank)?;
    let audit = audit::audit(bank, &before, &after, &total.accepted);
    Ok(RunReport::new(
        count,
        elapsed,
        cpu,
        errors_5xx,
        total,
        answered_accepted,
        reconciled,
        audit,
    ))
}
