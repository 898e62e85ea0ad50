//! `store-bench`: the encrypted-store benchmark of `make bench`.
//!
//! Runs the same workload (100,000 transactions of about 180 bytes; insert in one transaction;
//! 10,000 decoded point lookups; 1,000 decoded "last 50 of an account"; open plus first query;
//! file size; peak RSS) on plain SQLite, on SQLCipher (a separate binary, `sqlcipher-peer`, since
//! the two SQLite builds cannot link into one program) and on the Mobank store. Every measurement
//! runs in a fresh child process, rounds are interleaved and the order rotates per round; the
//! medians go to a table and to `target/bench/store.json`. Each round also times a full history
//! sync of 100,000 transactions from the sandbox bank over loopback HTTPS into a fresh Mobank
//! store (`sync_100k_ms`, reported under `mobank`).
//!
//! ```text
//! store-bench [--rounds N] [--peer PATH] [--out FILE] [--work DIR]
//! store-bench child plain|mobank DIR        (internal: one measurement)
//! store-bench child sync DIR BANK_DIR       (internal: one sync measurement)
//! ```

#[path = "../../workload/workload.rs"]
mod workload;

#[path = "../../workload/sql_store.rs"]
mod sql_store;

/// The same phone binding as the session benchmark's.
#[path = "../../session-bench/src/phone.rs"]
mod phone;

mod mobank;
mod sync;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

const METRICS: [&str; 6] = [
    "insert_100k_ms",
    "point_lookup_us",
    "last50_us",
    "open_ms",
    "file_mib",
    "peak_rss_mib",
];
const STORES: [&str; 3] = ["plain", "sqlcipher", "mobank"];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("child") => child(&args[1..]),
        _ => orchestrate(&args),
    };
    if let Err(message) = result {
        eprintln!("store-bench: {message}");
        std::process::exit(1);
    }
}

/// One store, one fresh process: prints one JSON line.
fn child(args: &[String]) -> Result<(), String> {
    let (Some(kind), Some(dir)) = (args.first(), args.get(1)) else {
        return Err("usage: store-bench child plain|mobank DIR".into());
    };
    let dir = Path::new(dir);
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    if kind == "sync" {
        let bank_dir = args
            .get(2)
            .ok_or("usage: store-bench child sync DIR BANK_DIR")?;
        println!("{}", sync::run(dir, Path::new(bank_dir))?);
        return Ok(());
    }
    let txs = workload::generate(workload::TRANSACTIONS);
    let baseline = workload::proc_status_kib("VmRSS");
    let measured = match kind.as_str() {
        "plain" => sql_store::run(dir, None, &txs, baseline).map_err(|e| e.to_string())?,
        "mobank" => mobank::run(dir, txs, baseline)?,
        other => return Err(format!("unknown store {other}")),
    };
    println!("{}", measured.to_json_line(kind));
    Ok(())
}

struct Options {
    rounds: usize,
    peer: Option<PathBuf>,
    out: PathBuf,
    work: PathBuf,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        rounds: 5,
        peer: None,
        out: PathBuf::from("target/bench/store.json"),
        work: PathBuf::from("target/bench/store-work"),
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--rounds" => options.rounds = value.parse().map_err(|_| "--rounds takes a number")?,
            "--peer" => options.peer = Some(PathBuf::from(value)),
            "--out" => options.out = PathBuf::from(value),
            "--work" => options.work = PathBuf::from(value),
            other => return Err(format!("unknown option {other}")),
        }
    }
    if options.rounds < 1 {
        return Err("--rounds must be at least 1".into());
    }
    Ok(options)
}

fn orchestrate(args: &[String]) -> Result<(), String> {
    let options = parse(args)?;
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let stores: Vec<&str> = STORES
        .iter()
        .copied()
        .filter(|s| *s != "sqlcipher" || options.peer.is_some())
        .collect();
    if options.peer.is_none() {
        eprintln!("store-bench: no --peer given, SQLCipher is left out");
    }
    let mut runs: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    let mut sync_runs: Vec<Value> = Vec::new();
    for round in 0..options.rounds {
        // Rotate the order so no store always runs first (cold caches) or last.
        for i in 0..stores.len() {
            let store = stores[(i + round) % stores.len()];
            let dir = options.work.join(format!("round{round}-{store}"));
            let _ = std::fs::remove_dir_all(&dir);
            let mut command = match (store, &options.peer) {
                ("sqlcipher", Some(peer)) => Command::new(peer),
                _ => {
                    let mut c = Command::new(&me);
                    c.args(["child", store]);
                    c
                }
            };
            let output = command
                .arg(&dir)
                .output()
                .map_err(|e| format!("{store}: {e}"))?;
            let _ = std::fs::remove_dir_all(&dir);
            if !output.status.success() {
                return Err(format!(
                    "{store} round {round} failed: {}",
                    String::from_utf8_lossy(&output.stderr)
                ));
            }
            let line = String::from_utf8_lossy(&output.stdout);
            let value: Value =
                serde_json::from_str(line.trim()).map_err(|e| format!("{store}: {e}: {line}"))?;
            eprintln!(
                "round {round} {store:>9}: insert {:>8.1} ms (cpu {:>7.1})  lookup {:>6.2} us  last50 {:>7.1} us  open {:>6.3} ms",
                number(&value, "insert_100k_ms"),
                number(&value, "insert_cpu_ms"),
                number(&value, "point_lookup_us"),
                number(&value, "last50_us"),
                number(&value, "open_ms"),
            );
            runs.entry(store).or_default().push(value);
        }
        sync_runs.push(run_sync(&me, &options.work, round)?);
    }
    let _ = std::fs::remove_dir_all(options.work.join("sync-bank"));

    // Every store must have returned the same decoded records.
    let checksums: BTreeMap<&str, Vec<String>> = runs
        .iter()
        .map(|(store, values)| {
            (
                *store,
                values
                    .iter()
                    .map(|v| v["checksum"].as_str().unwrap_or("").to_owned())
                    .collect(),
            )
        })
        .collect();
    let reference = checksums
        .get("plain")
        .and_then(|c| c.first())
        .cloned()
        .unwrap_or_default();
    let checksums_equal = checksums.values().flatten().all(|c| *c == reference);

    let mut results = serde_json::Map::new();
    for (store, values) in &runs {
        let mut medians = serde_json::Map::new();
        for metric in METRICS {
            let mut samples: Vec<f64> = values.iter().map(|v| number(v, metric)).collect();
            medians.insert(metric.into(), json!(round3(workload::median(&mut samples))));
        }
        for extra in [
            "insert_cpu_ms",
            "process_peak_rss_mib",
            "search_all_100k_ms",
            "search_one_account_ms",
            "monthly_summary_ms",
        ] {
            let mut samples: Vec<f64> = values
                .iter()
                .map(|v| number(v, extra))
                .filter(|v| !v.is_nan())
                .collect();
            if !samples.is_empty() {
                medians.insert(extra.into(), json!(round3(workload::median(&mut samples))));
            }
        }
        if *store == "mobank" && !sync_runs.is_empty() {
            for metric in ["sync_100k_ms", "sync_process_cpu_ms"] {
                let mut samples: Vec<f64> = sync_runs.iter().map(|v| number(v, metric)).collect();
                medians.insert(metric.into(), json!(round3(workload::median(&mut samples))));
            }
            medians.insert("sync_rounds".into(), json!(sync_runs));
        }
        medians.insert("checksum".into(), json!(checksums[store].first()));
        medians.insert("rounds".into(), json!(values));
        results.insert((*store).into(), Value::Object(medians));
    }

    let sample = workload::generate(workload::TRANSACTIONS);
    let report = json!({
        "workload": {
            "transactions": workload::TRANSACTIONS,
            "avg_record_bytes": round3(workload::average_record_bytes(&sample)),
            "accounts": workload::ACCOUNTS.len(),
            "insert": "all rows in one database transaction, upsert by id, oldest first",
            "point_lookups": workload::POINT_LOOKUPS,
            "last50_queries": workload::LAST50_QUERIES,
            "open": format!("open + first last-50 query, median of {} per round (mobank: includes the key unwrap through an in-process wrapper)", workload::OPEN_REPEATS),
            "rounds": options.rounds,
            "interleaved": true,
            "medians_of": "rounds",
            "peak_rss_mib": "VmHWM of the fresh child process minus its VmRSS after generating the workload",
            "sqlite_settings": "WAL, synchronous=NORMAL, temp_store=MEMORY, default page and cache size, for all stores",
            "sqlcipher_key": "raw 32-byte key (PRAGMA key = \"x'...'\"), no PBKDF2",
            "checksums_equal": checksums_equal,
            "sync": format!("sync_100k_ms: Mobank::sync_history of the sandbox's seeded history ({} transactions) over loopback HTTPS (pinned) into a fresh, already created store; bank and phone in one process; pages of 1,000, each written with its cursor in one store transaction; one per round, median", sync::SEEDED),
        },
        "results": Value::Object(results),
    });
    if let Some(parent) = options.out.parent() {
        std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
    std::fs::write(&options.out, text + "\n").map_err(|e| e.to_string())?;
    print_table(&report, &options.out);
    if !checksums_equal {
        return Err(format!(
            "decoded results differ between stores: {checksums:?}"
        ));
    }
    Ok(())
}

fn number(value: &Value, metric: &str) -> f64 {
    value[metric].as_f64().unwrap_or(f64::NAN)
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn print_table(report: &Value, out: &Path) {
    let results = &report["results"];
    let plain = &results["plain"];
    let workload = &report["workload"];
    println!();
    println!(
        "Store benchmark: {} transactions (avg {:.0} B), medians of {} interleaved rounds",
        workload["transactions"],
        number(workload, "avg_record_bytes"),
        workload["rounds"]
    );
    println!();
    println!(
        "{:<16} {:>12} {:>12} {:>12} {:>14} {:>12}",
        "metric", "plain", "sqlcipher", "mobank", "mobank/plain", "target"
    );
    let targets = [
        ("insert_100k_ms", "<= 1.30x"),
        ("point_lookup_us", "<= 1.15x"),
        ("last50_us", "<= 1.45x"),
        ("open_ms", "<= 2 ms"),
        ("file_mib", "<= 1.25x"),
        ("peak_rss_mib", "-"),
    ];
    for (metric, target) in targets {
        let cell = |store: &str| {
            let v = number(&results[store], metric);
            if v.is_nan() {
                "-".to_owned()
            } else {
                format!("{v:.3}")
            }
        };
        let ratio = number(&results["mobank"], metric) / number(plain, metric);
        println!(
            "{:<16} {:>12} {:>12} {:>12} {:>13.2}x {:>12}",
            metric,
            cell("plain"),
            cell("sqlcipher"),
            cell("mobank"),
            ratio,
            target
        );
    }
    let sqlcipher = &results["sqlcipher"];
    if !sqlcipher.is_null() {
        for metric in ["insert_100k_ms", "point_lookup_us"] {
            let m = number(&results["mobank"], metric);
            let s = number(sqlcipher, metric);
            println!(
                "mobank vs sqlcipher {metric}: {:.2}x ({})",
                m / s,
                if m < s { "faster" } else { "NOT faster" }
            );
        }
    }
    let mobank = &results["mobank"];
    println!(
        "mobank search over all 100k: {:.1} ms; in one account: {:.1} ms; monthly summary: {:.2} ms",
        number(mobank, "search_all_100k_ms"),
        number(mobank, "search_one_account_ms"),
        number(mobank, "monthly_summary_ms")
    );
    println!(
        "checksums equal across stores: {}",
        workload["checksums_equal"]
    );
    let sync_ms = number(mobank, "sync_100k_ms");
    println!(
        "mobank sync_100k_ms: {sync_ms:.1} ms = {:.2}x plain insert_100k_ms (target <= 6x)",
        sync_ms / number(plain, "insert_100k_ms")
    );
    println!("written: {}", out.display());
}

/// One sync measurement in a fresh process. The bank's directory is seeded by the first round and
/// reused by the later ones.
fn run_sync(me: &Path, work: &Path, round: usize) -> Result<Value, String> {
    let dir = work.join(format!("round{round}-sync-phone"));
    let _ = std::fs::remove_dir_all(&dir);
    let output = Command::new(me)
        .args(["child", "sync"])
        .arg(&dir)
        .arg(work.join("sync-bank"))
        .output()
        .map_err(|e| format!("sync: {e}"))?;
    let _ = std::fs::remove_dir_all(&dir);
    if !output.status.success() {
        return Err(format!(
            "sync round {round} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let line = String::from_utf8_lossy(&output.stdout);
    let value: Value =
        serde_json::from_str(line.trim()).map_err(|e| format!("sync: {e}: {line}"))?;
    eprintln!(
        "round {round}      sync: {:>8.1} ms for {} transactions",
        number(&value, "sync_100k_ms"),
        value["transactions"]
    );
    Ok(value)
}
