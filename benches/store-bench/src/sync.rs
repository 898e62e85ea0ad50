//! `sync_100k_ms`: a full history sync of 100,000 transactions from the sandbox bank, in this
//! process, over loopback HTTPS with the bank's key pinned, into a fresh Mobank store.
//!
//! The bank's data directory is seeded once and reused by every round (seeding is not measured);
//! each round binds a new phone with the software key store, logs in, opens its empty store and
//! times `Mobank::sync_history` alone.

use std::path::Path;
use std::time::Instant;

use mobank_sandbox::SandboxConfig;

use crate::{phone, workload};

/// The history the bank is seeded with.
pub const SEEDED: u32 = 100_000;

/// One measurement: prints `{"store":"sync","sync_100k_ms":..,"transactions":..}`.
pub fn run(phone_dir: &Path, bank_dir: &Path) -> Result<String, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let (ms, stored, cpu_ms) = runtime.block_on(measure(phone_dir, bank_dir))?;
    Ok(format!(
        "{{\"store\":\"sync\",\"sync_100k_ms\":{ms:.4},\"sync_process_cpu_ms\":{cpu_ms:.4},\"transactions\":{stored}}}"
    ))
}

async fn measure(phone_dir: &Path, bank_dir: &Path) -> Result<(f64, u64, f64), String> {
    let err = |e: mobank_core::MobankError| e.to_string();
    let mut config = SandboxConfig::new(bank_dir);
    config.seed_history = SEEDED;
    let bank = mobank_sandbox::start(config)
        .await
        .map_err(|e| e.to_string())?;

    let (mobank, _device_id) = phone::bind(&bank, phone_dir).await?;
    mobank.auth().login_pin(phone::pin()?).await.map_err(err)?;
    // Creates the empty store, so the clock measures the sync alone.
    let account = "acct_current_01";
    if !mobank
        .history()
        .recent(account, 1)
        .await
        .map_err(err)?
        .is_empty()
    {
        return Err("the fresh store is not empty".into());
    }

    let cpu = process_cpu_ms();
    let started = Instant::now();
    let report = mobank.history().sync(None).await.map_err(err)?;
    let elapsed = workload::ms(started.elapsed());
    let cpu_ms = process_cpu_ms() - cpu;
    if report.stored < u64::from(SEEDED) || report.fetched != report.stored {
        return Err(format!("incomplete sync: {report:?}"));
    }
    bank.shutdown().await;
    Ok((elapsed, report.stored, cpu_ms))
}

/// CPU time of the whole process (every thread: the bank and the phone share it), in ms.
fn process_cpu_ms() -> f64 {
    // Fields 14 and 15 of /proc/self/stat: user and system time in clock ticks (100 Hz here).
    const TICKS_PER_SECOND: f64 = 100.0;
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            let after_name = stat.rsplit_once(')')?.1;
            let fields: Vec<&str> = after_name.split_whitespace().collect();
            let user: f64 = fields.get(11)?.parse().ok()?;
            let system: f64 = fields.get(12)?.parse().ok()?;
            Some((user + system) * 1e3 / TICKS_PER_SECOND)
        })
        .unwrap_or(f64::NAN)
}
