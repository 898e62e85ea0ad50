//! The figures of each run, the table on stdout and `target/bench/load.json`.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::time::Duration;

use serde_json::{json, Value};

use crate::audit::Audit;
use crate::cpu::CpuSplit;
use crate::stats::{round3, Samples};
use crate::workload::Tally;

/// One run's figures.
#[derive(Clone)]
pub struct RunReport {
    pub phones: usize,
    pub seconds: f64,
    pub transfers_accepted: u64,
    pub transfers_per_s: f64,
    /// Accepted transfers whose answer was lost and which reconciling found.
    pub reconciled_accepted: u64,
    pub transfers_rejected: u64,
    pub outcome_unknown: u64,
    pub errors_5xx: u64,
    /// Other failures by error name.
    pub errors: BTreeMap<String, u64>,
    pub logins: u64,
    pub syncs: u64,
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub login_p50_ms: Option<f64>,
    pub login_p99_ms: Option<f64>,
    pub ledger_balanced: bool,
    pub one_entry_per_transfer: bool,
    pub journal_entries_added: u64,
    pub receipts_verified: u64,
    pub receipts_failed: u64,
    pub findings: Vec<String>,
    pub cpu_bank_s: f64,
    pub cpu_phones_s: f64,
}

impl RunReport {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        phones: usize,
        elapsed: Duration,
        cpu: CpuSplit,
        errors_5xx: u64,
        tally: Tally,
        answered_accepted: usize,
        reconciled: u64,
        audit: Audit,
    ) -> Self {
        let seconds = elapsed.as_secs_f64();
        let mut errors = BTreeMap::new();
        for name in tally.errors {
            *errors.entry(name).or_insert(0) += 1;
        }
        let latency: &Samples = &tally.transfer_latency;
        Self {
            phones,
            seconds: round3(seconds),
            transfers_accepted: tally.accepted.len() as u64,
            // Throughput counts the answers received in the run, not those found afterwards.
            transfers_per_s: round3(answered_accepted as f64 / seconds),
            reconciled_accepted: reconciled,
            transfers_rejected: tally.rejected,
            outcome_unknown: tally.outcome_unknown,
            errors_5xx,
            errors,
            logins: tally.logins,
            syncs: tally.syncs,
            p50_ms: latency.percentile(0.50),
            p99_ms: latency.percentile(0.99),
            login_p50_ms: tally.login_latency.percentile(0.50),
            login_p99_ms: tally.login_latency.percentile(0.99),
            ledger_balanced: audit.ledger_balanced,
            one_entry_per_transfer: audit.one_entry_per_transfer,
            journal_entries_added: audit.entries_added,
            receipts_verified: audit.receipts_verified,
            receipts_failed: audit.receipts_failed,
            findings: audit.findings,
            cpu_bank_s: round3(cpu.bank_s),
            cpu_phones_s: round3(cpu.phones_s),
        }
    }

    /// No 5xx, the books add up, one entry and a verifying receipt per accepted transfer.
    pub fn passed(&self) -> bool {
        self.errors_5xx == 0
            && self.ledger_balanced
            && self.one_entry_per_transfer
            && self.receipts_failed == 0
            && self.receipts_verified == self.transfers_accepted
    }

    pub fn line(&self) -> String {
        format!(
            "{} phones, {:.0} s: {} accepted ({:.1}/s), p50 {} ms, p99 {} ms, 5xx {}, unknown {}, other errors {}, ledger {}, CPU bank {:.1} s phones {:.1} s",
            self.phones,
            self.seconds,
            self.transfers_accepted,
            self.transfers_per_s,
            show(self.p50_ms),
            show(self.p99_ms),
            self.errors_5xx,
            self.outcome_unknown,
            self.errors.values().sum::<u64>(),
            if self.passed() { "ok" } else { "FAILED" },
            self.cpu_bank_s,
            self.cpu_phones_s,
        )
    }

    fn json(&self) -> Value {
        json!({
            "phones": self.phones,
            "seconds": self.seconds,
            "transfers_accepted": self.transfers_accepted,
            "transfers_per_s": self.transfers_per_s,
            "errors_5xx": self.errors_5xx,
            "ledger_balanced": self.ledger_balanced,
            "p50_ms": self.p50_ms,
            "p99_ms": self.p99_ms,
            "reconciled_accepted": self.reconciled_accepted,
            "transfers_rejected": self.transfers_rejected,
            "outcome_unknown": self.outcome_unknown,
            "other_errors": self.errors,
            "logins": self.logins,
            "history_syncs": self.syncs,
            "login_p50_ms": self.login_p50_ms,
            "login_p99_ms": self.login_p99_ms,
            "one_journal_entry_per_transfer": self.one_entry_per_transfer,
            "journal_entries_added": self.journal_entries_added,
            "receipts_verified": self.receipts_verified,
            "receipts_failed": self.receipts_failed,
            "findings": self.findings,
            "cpu_seconds": { "bank": self.cpu_bank_s, "phones": self.cpu_phones_s },
        })
    }
}

fn show(ms: Option<f64>) -> String {
    ms.map_or("-".to_owned(), |ms| format!("{ms:.1}"))
}

pub struct Report {
    pub main: RunReport,
    /// Every run in order of phones, the main run last.
    pub sweep: Vec<RunReport>,
    pub load_before: Option<f64>,
    pub load_after: Option<f64>,
    pub cores: usize,
}

impl Report {
    pub fn json(&self) -> Value {
        let mut value = self.main.json();
        if let Value::Object(fields) = &mut value {
            fields.insert(
                "sweep".to_owned(),
                Value::Array(
                    self.sweep
                        .iter()
                        .map(|run| {
                            json!({
                                "phones": run.phones,
                                "seconds": run.seconds,
                                "transfers_per_s": run.transfers_per_s,
                                "p50_ms": run.p50_ms,
                                "p99_ms": run.p99_ms,
                                "errors_5xx": run.errors_5xx,
                                "outcome_unknown": run.outcome_unknown,
                                "passed": run.passed(),
                                "cpu_seconds": { "bank": run.cpu_bank_s, "phones": run.cpu_phones_s },
                            })
                        })
                        .collect(),
                ),
            );
            fields.insert(
                "machine".to_owned(),
                json!({
                    "cores": self.cores,
                    "load_average_1m_before": self.load_before,
                    "load_average_1m_after": self.load_after,
                }),
            );
        }
        value
    }

    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:>7} {:>8} {:>10} {:>10} {:>9} {:>9} {:>5} {:>8} {:>10} {:>11}",
            "phones",
            "seconds",
            "accepted",
            "per s",
            "p50 ms",
            "p99 ms",
            "5xx",
            "unknown",
            "bank CPU",
            "phones CPU"
        );
        for run in &self.sweep {
            let _ = writeln!(
                out,
                "{:>7} {:>8.1} {:>10} {:>10.1} {:>9} {:>9} {:>5} {:>8} {:>9.0}% {:>10.0}%",
                run.phones,
                run.seconds,
                run.transfers_accepted,
                run.transfers_per_s,
                show(run.p50_ms),
                show(run.p99_ms),
                run.errors_5xx,
                run.outcome_unknown,
                100.0 * run.cpu_bank_s / run.seconds,
                100.0 * run.cpu_phones_s / run.seconds,
            );
        }
        let main = &self.main;
        let _ = writeln!(
            out,
            "main run: ledger balanced {}, one entry per transfer {} ({} entries), receipts verified {}/{}, reconciled {}, rejected {}, other errors {:?}",
            main.ledger_balanced,
            main.one_entry_per_transfer,
            main.journal_entries_added,
            main.receipts_verified,
            main.transfers_accepted,
            main.reconciled_accepted,
            main.transfers_rejected,
            main.errors,
        );
        for finding in &main.findings {
            let _ = writeln!(out, "  {finding}");
        }
        let _ = writeln!(
            out,
            "{} cores; load average {} before, {} after",
            self.cores,
            self.load_before
                .map_or("?".to_owned(), |l| format!("{l:.2}")),
            self.load_after
                .map_or("?".to_owned(), |l| format!("{l:.2}")),
        );
        out
    }
}
