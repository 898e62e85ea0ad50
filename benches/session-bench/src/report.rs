//! The floors, the table on stdout and `session.json`.

use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::latency_cli::Options;
use crate::probes::{BARE_PROBE, CORE_PBKDF2_ITERATIONS};
use crate::stats::{cpus, micros_json, millis_json, round3, Summary};
use crate::{Measured, CRYPTO_REPEATS};

const FLOOR_FORMULA: &str =
    "commit_p50_ms + 2 × sign_us + 2 × verify_us + 2 × round_trip_p50_ms (p50 of each part)";
const NO_COMMIT_FLOOR_FORMULA: &str =
    "2 × sign_us + 2 × verify_us + 2 × round_trip_p50_ms (p50 of each part)";
const ISSUE_FLOOR_FORMULA: &str = "sign_us + verify_us + 2 × round_trip_p50_ms (p50 of each part)";
const PIN_FLOOR_FORMULA: &str =
    "commit_p50_ms + sign_us + verify_us + pbkdf2_ms + knowledge_tag_us + knowledge_verify_us + 2 × round_trip_p50_ms (p50 of each part)";

pub struct Report {
    iterations: usize,
    warmup: usize,
    http_version: String,
    signed_message_len: usize,
    record_len: usize,
    login_biometric: Summary,
    login_pin: Summary,
    sign: Summary,
    verify: Summary,
    round_trip: Summary,
    pbkdf2: Summary,
    knowledge_tag: Summary,
    knowledge_verify: Summary,
    key_store_sign: Summary,
    challenge_round_trip: Summary,
    durable_replace: Summary,
    commit: Summary,
}

impl Report {
    pub fn new(options: &Options, measured: Measured) -> Self {
        Self {
            iterations: options.iterations,
            warmup: options.warmup,
            http_version: measured.http_version,
            signed_message_len: measured.signed_message_len,
            record_len: measured.record_len,
            login_biometric: measured.login_biometric.summary(),
            login_pin: measured.login_pin.summary(),
            sign: measured.sign.summary(),
            verify: measured.verify.summary(),
            round_trip: measured.round_trip.summary(),
            pbkdf2: measured.pbkdf2.summary(),
            knowledge_tag: measured.knowledge_tag.summary(),
            knowledge_verify: measured.knowledge_verify.summary(),
            key_store_sign: measured.key_store_sign.summary(),
            challenge_round_trip: measured.challenge_round_trip.summary(),
            durable_replace: measured.durable_replace.summary(),
            commit: measured.commit.summary(),
        }
    }

    /// The counters' durable commit, two device signatures, two bank verifications, two
    /// requests.
    fn floor_ms(&self) -> f64 {
        self.commit.p50_ms() + self.no_commit_floor_ms()
    }

    /// The floor before counters were committed durably on the phone.
    fn no_commit_floor_ms(&self) -> f64 {
        (2.0 * self.sign.p50_us + 2.0 * self.verify.p50_us + 2.0 * self.round_trip.p50_us) / 1e3
    }

    /// The issue's "one sign, one verify, two round trips".
    fn issue_floor_ms(&self) -> f64 {
        (self.sign.p50_us + self.verify.p50_us + 2.0 * self.round_trip.p50_us) / 1e3
    }

    /// A PIN login: the counters' commit, one device signature, the PIN pad, the HMAC tag, both checks, two requests.
    fn pin_floor_ms(&self) -> f64 {
        (self.commit.p50_us
            + self.sign.p50_us
            + self.verify.p50_us
            + self.pbkdf2.p50_us
            + self.knowledge_tag.p50_us
            + self.knowledge_verify.p50_us
            + 2.0 * self.round_trip.p50_us)
            / 1e3
    }

    pub fn table(&self) -> String {
        let cpus = cpus();
        let mut out = String::new();
        let _ = writeln!(
            out,
            "\nsession-bench: {} iterations after {} warm-up, interleaved; loopback HTTPS ({}), \
             bank in-process, {cpus} CPUs",
            self.iterations, self.warmup, self.http_version
        );
        let _ = writeln!(
            out,
            "\n{:<44} {:>10} {:>10} {:>10}",
            "", "p50", "p99", "mean"
        );
        let commit_label = format!("durable commit ({} B record, FULL)", self.record_len);
        let rows: [(&str, &Summary, bool); 12] = [
            ("login_biometric", &self.login_biometric, true),
            ("login_pin", &self.login_pin, true),
            ("sign (ECDSA P-256, 69-byte message)", &self.sign, false),
            ("verify (assertion::verify)", &self.verify, false),
            ("round trip (bare, open connection)", &self.round_trip, true),
            (&commit_label, &self.commit, true),
            ("PBKDF2-HMAC-SHA256 ×100k (PIN pad)", &self.pbkdf2, true),
            ("knowledge tag (HMAC-SHA256)", &self.knowledge_tag, false),
            ("knowledge verify", &self.knowledge_verify, false),
            ("ref: software key store sign", &self.key_store_sign, false),
            (
                "ref: login-challenge round trip",
                &self.challenge_round_trip,
                true,
            ),
            (
                "ref: durable 1 KiB file replace",
                &self.durable_replace,
                true,
            ),
        ];
        for (name, summary, in_ms) in rows {
            let (unit, scale) = if in_ms { ("ms", 1e3) } else { ("us", 1.0) };
            let _ = writeln!(
                out,
                "{name:<44} {:>7.3} {unit} {:>7.3} {unit} {:>7.3} {unit}",
                summary.p50_us / scale,
                summary.p99_us / scale,
                summary.mean_us / scale
            );
        }
        let floors = [
            (
                "floor     = commit + 2×sign + 2×verify + 2×round trip",
                self.floor_ms(),
                "login_biometric p50 / floor",
                self.login_biometric.p50_ms(),
            ),
            (
                "floor     = 2×sign + 2×verify + 2×round trip (no commit)",
                self.no_commit_floor_ms(),
                "login_biometric p50 / floor",
                self.login_biometric.p50_ms(),
            ),
            (
                "floor     = sign + verify + 2×round trip (issue)",
                self.issue_floor_ms(),
                "login_biometric p50 / floor",
                self.login_biometric.p50_ms(),
            ),
            (
                "PIN floor = commit + sign + verify + PBKDF2 + tag + check + 2×rt",
                self.pin_floor_ms(),
                "login_pin p50 / PIN floor",
                self.login_pin.p50_ms(),
            ),
        ];
        out.push('\n');
        for (label, floor, ratio_label, p50) in floors {
            let _ = writeln!(
                out,
                "{label:<58} = {floor:>7.3} ms   {ratio_label:<28} = {:.2}",
                p50 / floor
            );
        }
        out.push('\n');
        out
    }

    pub fn json(&self) -> Value {
        let login = |s: &Summary| {
            json!({
                "p50_ms": round3(s.p50_ms()),
                "p99_ms": round3(s.p99_ms()),
                "mean_ms": round3(s.mean_ms()),
            })
        };
        json!({
            "workload": {
                "logins_per_kind": self.iterations,
                "warmup_iterations": self.warmup,
                "interleaving": "every iteration runs each probe once (crypto parts repeated), the order rotating by one each iteration",
                "crypto_repeats_per_iteration": CRYPTO_REPEATS,
                "transport": format!("loopback HTTPS, rustls (ring) with core's pinned_tls_config, {}, one kept-alive connection per client", self.http_version),
                "bank": "mobank-sandbox in the same process and tokio runtime, data in a temporary directory",
                "phone": "mobank-core Mobank with InsecureSoftwareKeyStore, one bound device",
                "cpus": cpus(),
                "sign": format!("ring ECDSA_P256_SHA256_ASN1_SIGNING, parsed key, {}-byte message (authData ‖ SHA-256(clientDataJSON))", self.signed_message_len),
                "verify": "mobank_protocol::assertion::verify of a login assertion built and signed like the phone's",
                "round_trip": BARE_PROBE,
                "commit": format!("one INSERT of a {}-byte record (the phone's sealed device state) into a SQLite file with the vault's settings: WAL, synchronous = FULL", self.record_len),
                "pbkdf2_iterations": CORE_PBKDF2_ITERATIONS,
                "percentiles": "nearest rank",
            },
            "results": {
                "login_biometric": login(&self.login_biometric),
                "login_pin": login(&self.login_pin),
                "floor": {
                    "sign_us": round3(self.sign.p50_us),
                    "verify_us": round3(self.verify.p50_us),
                    "round_trip_p50_ms": round3(self.round_trip.p50_ms()),
                    "commit_p50_ms": round3(self.commit.p50_ms()),
                    "floor_ms": round3(self.floor_ms()),
                    "formula": FLOOR_FORMULA,
                    "no_commit_floor_ms": round3(self.no_commit_floor_ms()),
                    "no_commit_formula": NO_COMMIT_FLOOR_FORMULA,
                    "issue_floor_ms": round3(self.issue_floor_ms()),
                    "issue_formula": ISSUE_FLOOR_FORMULA,
                },
                "ratio_p50_to_floor": round3(self.login_biometric.p50_ms() / self.floor_ms()),
                "ratio_p50_to_no_commit_floor": round3(self.login_biometric.p50_ms() / self.no_commit_floor_ms()),
                "ratio_p50_to_issue_floor": round3(self.login_biometric.p50_ms() / self.issue_floor_ms()),
                "pin_floor": {
                    "pbkdf2_ms": round3(self.pbkdf2.p50_ms()),
                    "knowledge_tag_us": round3(self.knowledge_tag.p50_us),
                    "knowledge_verify_us": round3(self.knowledge_verify.p50_us),
                    "floor_ms": round3(self.pin_floor_ms()),
                    "formula": PIN_FLOOR_FORMULA,
                },
                "ratio_pin_p50_to_pin_floor": round3(self.login_pin.p50_ms() / self.pin_floor_ms()),
                "parts": {
                    "sign": micros_json(&self.sign),
                    "verify": micros_json(&self.verify),
                    "round_trip": millis_json(&self.round_trip),
                    "commit": millis_json(&self.commit),
                    "pbkdf2": millis_json(&self.pbkdf2),
                    "knowledge_tag": micros_json(&self.knowledge_tag),
                    "knowledge_verify": micros_json(&self.knowledge_verify),
                },
                "reference": {
                    "key_store_sign": micros_json(&self.key_store_sign),
                    "login_challenge_round_trip": millis_json(&self.challenge_round_trip),
                    "durable_file_replace": millis_json(&self.durable_replace),
                },
            },
        })
    }
}
