//! The plain-SQL store of the benchmark: the natural schema an app would use, run unencrypted
//! (plain rusqlite with bundled SQLite) and under SQLCipher (the same code, keyed with a raw
//! 32-byte key). Shared by the main bench binary and the SQLCipher peer through `#[path]`.

use std::path::Path;
use std::time::Instant;

use rusqlite::{params, Connection};

use crate::workload::{self, Checksum, Measured, Tx, MIB};

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS transactions (
        id TEXT PRIMARY KEY NOT NULL,
        account_id TEXT NOT NULL,
        booking_day INTEGER NOT NULL,
        amount_minor INTEGER NOT NULL,
        currency TEXT NOT NULL,
        counterparty TEXT NOT NULL,
        memo TEXT NOT NULL,
        category TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS transactions_by_account_day ON transactions (account_id, booking_day);";

// Upsert by id, as a sync that may see a transaction twice must do (the Mobank store does too).
const INSERT: &str = "INSERT INTO transactions VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
    ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, booking_day = excluded.booking_day,
    amount_minor = excluded.amount_minor, currency = excluded.currency, counterparty = excluded.counterparty,
    memo = excluded.memo, category = excluded.category";
const BY_ID: &str =
    "SELECT id, account_id, booking_day, amount_minor, currency, counterparty, memo, category
    FROM transactions WHERE id = ?1";
const LAST_N: &str =
    "SELECT id, account_id, booking_day, amount_minor, currency, counterparty, memo, category
    FROM transactions WHERE account_id = ?1 ORDER BY booking_day DESC, rowid DESC LIMIT ?2";

/// `key`: SQLCipher's raw-key form `x'<64 hex digits>'`, or `None` for plain SQLite.
fn open(path: &Path, key: Option<&str>) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    if let Some(key) = key {
        conn.pragma_update(None, "key", key)?;
    }
    // The same settings as the Mobank cache database, so the comparison is of storage, not tuning.
    conn.set_prepared_statement_cache_capacity(64);
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA journal_size_limit = 4194304;
         PRAGMA temp_store = MEMORY;",
    )?;
    Ok(conn)
}

fn decode(row: &rusqlite::Row<'_>) -> rusqlite::Result<Tx> {
    Ok(Tx {
        id: row.get(0)?,
        account_id: row.get(1)?,
        booking_day: row.get(2)?,
        amount_minor: row.get(3)?,
        currency: row.get(4)?,
        counterparty: row.get(5)?,
        memo: row.get(6)?,
        category: row.get(7)?,
    })
}

fn last50(conn: &Connection, account: &str, sum: &mut Checksum) -> rusqlite::Result<usize> {
    let mut stmt = conn.prepare_cached(LAST_N)?;
    let rows = stmt.query_map(params![account, 50], decode)?;
    let mut n = 0;
    for tx in rows {
        sum.add_tx(&tx?);
        n += 1;
    }
    Ok(n)
}

/// Runs the whole workload in `dir` and returns the figures. `baseline_kib` is the resident size
/// before the store was touched (the generated workload already in memory).
pub fn run(
    dir: &Path,
    key: Option<&str>,
    txs: &[Tx],
    baseline_kib: u64,
) -> rusqlite::Result<Measured> {
    let path = dir.join("bench.db");
    let mut sum = Checksum::default();
    let mut conn = open(&path, key)?;
    conn.execute_batch(SCHEMA)?;

    let cpu = workload::thread_cpu_ns();
    let started = Instant::now();
    let db = conn.transaction()?;
    {
        let mut insert = db.prepare_cached(INSERT)?;
        for t in txs {
            insert.execute(params![
                t.id,
                t.account_id,
                t.booking_day,
                t.amount_minor,
                t.currency,
                t.counterparty,
                t.memo,
                t.category
            ])?;
        }
    }
    db.commit()?;
    let insert_100k_ms = workload::ms(started.elapsed());
    let insert_cpu_ms = workload::thread_cpu_ns().saturating_sub(cpu) as f64 / 1e6;

    let ids: Vec<&str> = (0..workload::POINT_LOOKUPS)
        .map(|k| txs[workload::lookup_index(k)].id.as_str())
        .collect();
    let started = Instant::now();
    for id in &ids {
        let mut stmt = conn.prepare_cached(BY_ID)?;
        let tx = stmt.query_row([id], decode)?;
        sum.add_tx(&tx);
    }
    let point_lookup_us = workload::ms(started.elapsed()) * 1e3 / workload::POINT_LOOKUPS as f64;

    let started = Instant::now();
    for k in 0..workload::LAST50_QUERIES {
        assert_eq!(last50(&conn, workload::last50_account(k), &mut sum)?, 50);
    }
    let last50_us = workload::ms(started.elapsed()) * 1e3 / workload::LAST50_QUERIES as f64;
    drop(conn);

    let mut opens = Vec::with_capacity(workload::OPEN_REPEATS);
    for _ in 0..workload::OPEN_REPEATS {
        let started = Instant::now();
        let conn = open(&path, key)?;
        let mut first = Checksum::default();
        last50(&conn, workload::ACCOUNTS[0], &mut first)?;
        opens.push(workload::ms(started.elapsed()));
        drop(conn);
        sum.add(&first.hex(), "", 0, 0, "", "", "", "");
    }

    let peak = workload::proc_status_kib("VmHWM");
    Ok(Measured {
        insert_100k_ms,
        insert_cpu_ms,
        point_lookup_us,
        last50_us,
        open_ms: workload::median(&mut opens),
        file_mib: workload::dir_bytes(dir) as f64 / MIB,
        peak_rss_mib: peak.saturating_sub(baseline_kib) as f64 / 1024.0,
        process_peak_rss_mib: peak as f64 / 1024.0,
        checksum: sum.hex(),
        extra: Vec::new(),
    })
}
