//! Crash safety: a writer process killed with SIGKILL in the middle of syncing loses at most the
//! batch it was writing. The test binary runs itself as that writer (custom main, no harness).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use mobank_store::{Store, Table, Transaction};
use support::TestWrapper;

const WRITER_ENV: &str = "MOBANK_STORE_CRASH_WRITER_DIR";
const BATCH: usize = 2_000;
const KILLS: usize = 3;

fn main() {
    if let Ok(dir) = std::env::var(WRITER_ENV) {
        writer(Path::new(&dir));
        return;
    }
    killed_writer_loses_at_most_the_batch_in_flight();
    println!("test killed_writer_loses_at_most_the_batch_in_flight ... ok");
}

fn batch(number: u64) -> Vec<Transaction> {
    (0..BATCH)
        .map(|i| Transaction {
            id: format!("B{number:06}-{i:05}"),
            account_id: format!("acc-{}", i % 3),
            booking_day: 19_000 + number as i32,
            amount_minor: -(i as i64) - 1,
            currency: "CNY".into(),
            counterparty: "同步测试商户 sync test merchant".into(),
            memo: format!("batch {number} row {i} 备注"),
            category: "groceries".into(),
            booked_at_ms: None,
            counterparty_account: None,
        })
        .collect()
}

fn cursor(store: &Store) -> Option<u64> {
    store
        .get(Table::Sync, "history")
        .unwrap()
        .map(|v| std::str::from_utf8(&v).unwrap().parse().unwrap())
}

/// Syncs batch after batch, each with its cursor, then queues an outbox entry (a vault write),
/// and reports each finished batch on stdout. Runs until killed.
fn writer(dir: &Path) {
    let store = Store::open(dir, TestWrapper::fixture()).unwrap();
    let mut next = cursor(&store).map_or(0, |c| c + 1);
    let stdout = std::io::stdout();
    loop {
        store
            .insert_transactions_with_cursor(batch(next), "history", next.to_string().as_bytes())
            .unwrap();
        store
            .put(Table::Outbox, &format!("idem-{next}"), b"signed")
            .unwrap();
        writeln!(stdout.lock(), "{next}").unwrap();
        next += 1;
    }
}

fn killed_writer_loses_at_most_the_batch_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let mut reported_total = None;
    for round in 0..KILLS {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .env(WRITER_ENV, dir.path())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Let it finish a few batches, then kill it while it is in the middle of the next one.
        let mut last_reported = None;
        for _ in 0..4 {
            last_reported = Some(lines.next().unwrap().unwrap().parse::<u64>().unwrap());
        }
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        assert!(
            !status.success(),
            "round {round}: the writer was killed, not finished"
        );
        let last_reported = last_reported.unwrap();

        let store = Store::open(dir.path(), TestWrapper::fixture()).unwrap();
        let committed = cursor(&store).expect("a cursor after reported batches");
        assert!(
            committed >= last_reported,
            "round {round}: reported batch {last_reported} lost"
        );
        // The cursor and its rows commit together: exactly the batches up to the cursor exist.
        assert_eq!(
            store.transaction_count(None).unwrap(),
            (committed + 1) * BATCH as u64,
            "round {round}"
        );
        for number in [0, last_reported, committed] {
            let rows = batch(number);
            for tx in [&rows[0], &rows[BATCH / 2], &rows[BATCH - 1]] {
                assert_eq!(store.transaction_by_id(&tx.id).unwrap().as_ref(), Some(tx));
            }
        }
        assert!(store
            .transaction_by_id(&batch(committed + 1)[0].id)
            .unwrap()
            .is_none());
        // Each outbox entry is queued after its batch: at most the one for the batch in flight
        // may be missing.
        let outbox = store.count(Table::Outbox).unwrap();
        assert!(
            outbox == committed + 1 || outbox == committed,
            "round {round}: outbox {outbox}"
        );
        assert!(
            outbox > last_reported,
            "round {round}: a reported outbox entry was lost"
        );
        assert!(reported_total.is_none_or(|before| committed > before));
        reported_total = Some(committed);
        store.pause().unwrap();
    }
}
