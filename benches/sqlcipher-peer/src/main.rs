//! `sqlcipher-peer DIR`: runs the store benchmark's workload once on SQLCipher keyed with a raw
//! 32-byte key and prints one JSON line (the same line `store-bench child` prints).

#[path = "../../workload/workload.rs"]
#[allow(dead_code)]
mod workload;

#[path = "../../workload/sql_store.rs"]
mod sql_store;

use std::path::Path;

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: sqlcipher-peer DIR");
        std::process::exit(2);
    };
    let dir = Path::new(&dir);
    if let Err(err) = std::fs::create_dir_all(dir) {
        eprintln!("sqlcipher-peer: {err}");
        std::process::exit(1);
    }
    // A fixed raw key: the benchmark measures the cipher, not key management. The `x'..'` form
    // skips SQLCipher's PBKDF2 (256,000 iterations per open otherwise).
    let key = format!("x'{}'", "2b".repeat(32));
    let txs = workload::generate(workload::TRANSACTIONS);
    let baseline = workload::proc_status_kib("VmRSS");
    match sql_store::run(dir, Some(&key), &txs, baseline) {
        Ok(measured) => println!("{}", measured.to_json_line("sqlcipher")),
        Err(err) => {
            eprintln!("sqlcipher-peer: {err}");
            std::process::exit(1);
        }
    }
}
