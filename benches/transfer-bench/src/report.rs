//! The floor, the table on stdout and `transfer.json`.

use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::floor::BARE_PROBE;
use crate::latency_cli::Options;
use crate::stats::{cpus, micros_json, millis_json, round3, Summary};
use crate::{Measured, AMOUNT, CRYPTO_REPEATS};

const FLOOR_FORMULA: &str =
    "2 × commit_p50_ms + sign_us + verify_us + 2 × round_trip_p50_ms (p50 of each part)";

pub struct Report {
    iterations: usize,
    warmup: usize,
    http_version: String,
    record_len: usize,
    canonical_len: usize,
    transfer: Summary,
    draft: Summary,
    submit: Summary,
    commit: Summary,
    sign: Summary,
    verify: Summary,
    round_trip: Summary,
    canonical_encode: Summary,
    sign_transfer: Summary,
    verify_transfer: Summary,
}

impl Report {
    pub fn new(options: &Options, measured: Measured) -> Self {
        Self {
            iterations: options.iterations,
            warmup: options.warmup,
            http_version: measured.http_version,
            record_len: measured.record_len,
            canonical_len: measured.canonical_len,
            transfer: measured.transfer.summary(),
            draft: measured.draft.summary(),
            submit: measured.submit.summary(),
            commit: measured.commit.summary(),
            sign: measured.sign.summary(),
            verify: measured.verify.summary(),
            round_trip: measured.round_trip.summary(),
            canonical_encode: measured.canonical_encode.summary(),
            sign_transfer: measured.sign_transfer.summary(),
            verify_transfer: measured.verify_transfer.summary(),
        }
    }

    /// Two durable commits (the outbox entry before the send, the receipt after), one device
    /// signature, the bank's verification, two requests (quote, submit).
    fn floor_ms(&self) -> f64 {
        (2.0 * self.commit.p50_us
            + self.sign.p50_us
            + self.verify.p50_us
            + 2.0 * self.round_trip.p50_us)
            / 1e3
    }

    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "\ntransfer-bench: {} transfers after {} warm-up, interleaved; loopback HTTPS ({}), \
             bank in-process, {} CPUs",
            self.iterations,
            self.warmup,
            self.http_version,
            cpus()
        );
        let _ = writeln!(
            out,
            "\n{:<48} {:>10} {:>10} {:>10}",
            "", "p50", "p99", "mean"
        );
        let commit_label = format!("durable commit ({} B record, FULL)", self.record_len);
        let canonical_label = format!("canonical_encode ({} B)", self.canonical_len);
        let rows: [(&str, &Summary, bool); 10] = [
            (
                "transfer (draft + sign_and_submit_biometric)",
                &self.transfer,
                true,
            ),
            ("  of which draft", &self.draft, true),
            ("  of which sign_and_submit_biometric", &self.submit, true),
            (&commit_label, &self.commit, true),
            ("sign (ECDSA P-256, 69-byte message)", &self.sign, false),
            ("verify (transfer assertion)", &self.verify, false),
            ("round trip (bare, open connection)", &self.round_trip, true),
            (&canonical_label, &self.canonical_encode, false),
            (
                "sign_transfer (bytes, hash, client data, sign)",
                &self.sign_transfer,
                false,
            ),
            (
                "verify_transfer (bytes, hash, verify)",
                &self.verify_transfer,
                false,
            ),
        ];
        for (name, summary, in_ms) in rows {
            let (unit, scale) = if in_ms { ("ms", 1e3) } else { ("us", 1.0) };
            let _ = writeln!(
                out,
                "{name:<48} {:>7.3} {unit} {:>7.3} {unit} {:>7.3} {unit}",
                summary.p50_us / scale,
                summary.p99_us / scale,
                summary.mean_us / scale
            );
        }
        let _ = writeln!(
            out,
            "\nfloor = 2×commit + sign + verify + 2×round trip = {:.3} ms   transfer p50 / floor = {:.2}\n",
            self.floor_ms(),
            self.transfer.p50_ms() / self.floor_ms()
        );
        out
    }

    pub fn json(&self) -> Value {
        json!({
            "workload": {
                "transfers": self.iterations,
                "warmup_iterations": self.warmup,
                "transfer": format!("¥{AMOUNT} (one fen more each time) from the demo customer's current account to the landlord at the same bank: TransfersClient::draft then sign_and_submit_biometric, settled with a verified receipt"),
                "interleaving": "every iteration runs each probe once (crypto parts repeated), the order rotating by one each iteration",
                "crypto_repeats_per_iteration": CRYPTO_REPEATS,
                "transport": format!("loopback HTTPS, rustls (ring) with core's pinned_tls_config, {}, one kept-alive connection per client", self.http_version),
                "bank": "mobank-sandbox in the same process and tokio runtime, data in a temporary directory, clock moved past the cooling-off period, account funded through the developer API's credit",
                "phone": "mobank-core Mobank with InsecureSoftwareKeyStore, one bound device, logged in with the biometric key",
                "cpus": cpus(),
                "commit": format!("one INSERT of a {}-byte record (the phone's largest sealed outbox record) into a SQLite file with the vault's settings: WAL, synchronous = FULL", self.record_len),
                "sign": "ring ECDSA_P256_SHA256_ASN1_SIGNING, parsed key, 69-byte message (authData ‖ SHA-256(clientDataJSON))",
                "verify": "mobank_protocol::assertion::verify of a transfer assertion (ceremony mobank.transfer, operation text given)",
                "round_trip": BARE_PROBE,
                "canonical_bytes": self.canonical_len,
                "percentiles": "nearest rank",
            },
            "results": {
                "transfer": {
                    "p50_ms": round3(self.transfer.p50_ms()),
                    "p99_ms": round3(self.transfer.p99_ms()),
                    "mean_ms": round3(self.transfer.mean_ms()),
                },
                "floor": {
                    "commit_p50_ms": round3(self.commit.p50_ms()),
                    "sign_us": round3(self.sign.p50_us),
                    "verify_us": round3(self.verify.p50_us),
                    "round_trip_p50_ms": round3(self.round_trip.p50_ms()),
                    "floor_ms": round3(self.floor_ms()),
                    "formula": FLOOR_FORMULA,
                },
                "ratio_p50": round3(self.transfer.p50_ms() / self.floor_ms()),
                "phases": {
                    "draft": millis_json(&self.draft),
                    "sign_and_submit": millis_json(&self.submit),
                },
                "sign_transfer_us": round3(self.sign_transfer.p50_us),
                "verify_transfer_us": round3(self.verify_transfer.p50_us),
                "canonical_encode_us": round3(self.canonical_encode.p50_us),
                "parts": {
                    "commit": millis_json(&self.commit),
                    "sign": micros_json(&self.sign),
                    "verify": micros_json(&self.verify),
                    "round_trip": millis_json(&self.round_trip),
                    "canonical_encode": micros_json(&self.canonical_encode),
                    "sign_transfer": micros_json(&self.sign_transfer),
                    "verify_transfer": micros_json(&self.verify_transfer),
                },
            },
        })
    }
}
