//! Latency samples and their summary. Percentiles are nearest-rank: p99 of 500 samples is the
//! 495th smallest, a value that was really measured.

use std::time::Duration;

/// The timings of one probe, in microseconds.
#[derive(Default)]
pub struct Samples(Vec<f64>);

/// p50, p99 and mean of one probe, in microseconds.
#[derive(Clone, Copy)]
pub struct Summary {
    pub count: usize,
    pub p50_us: f64,
    pub p99_us: f64,
    pub mean_us: f64,
}

impl Samples {
    pub fn push(&mut self, elapsed: Duration) {
        self.0.push(elapsed.as_secs_f64() * 1e6);
    }

    pub fn summary(&self) -> Summary {
        let mut sorted = self.0.clone();
        sorted.sort_by(f64::total_cmp);
        let mean_us = if sorted.is_empty() {
            f64::NAN
        } else {
            sorted.iter().sum::<f64>() / sorted.len() as f64
        };
        Summary {
            count: sorted.len(),
            p50_us: nearest_rank(&sorted, 0.50),
            p99_us: nearest_rank(&sorted, 0.99),
            mean_us,
        }
    }
}

fn nearest_rank(sorted: &[f64], quantile: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (quantile * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

impl Summary {
    pub fn p50_ms(&self) -> f64 {
        self.p50_us / 1e3
    }

    pub fn p99_ms(&self) -> f64 {
        self.p99_us / 1e3
    }

    pub fn mean_ms(&self) -> f64 {
        self.mean_us / 1e3
    }
}

/// Rounds for the JSON file: three decimals are far below the noise of every figure here.
pub fn round3(value: f64) -> f64 {
    (value * 1e3).round() / 1e3
}

/// The CPUs this process may run on, for the report.
pub fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// A summary in microseconds, as the reports write the parts.
pub fn micros_json(summary: &Summary) -> serde_json::Value {
    serde_json::json!({
        "p50_us": round3(summary.p50_us),
        "p99_us": round3(summary.p99_us),
        "mean_us": round3(summary.mean_us),
        "samples": summary.count,
    })
}

/// A summary in milliseconds, as the reports write whole operations.
pub fn millis_json(summary: &Summary) -> serde_json::Value {
    serde_json::json!({
        "p50_ms": round3(summary.p50_ms()),
        "p99_ms": round3(summary.p99_ms()),
        "mean_ms": round3(summary.mean_ms()),
        "samples": summary.count,
    })
}
