//! Latency samples and their nearest-rank percentiles: p99 of 500 samples is the 495th
//! smallest, a value that was really measured.

use std::time::Duration;

/// Timings in milliseconds.
#[derive(Default, Clone)]
pub struct Samples(Vec<f64>);

impl Samples {
    pub fn push(&mut self, elapsed: Duration) {
        self.0.push(elapsed.as_secs_f64() * 1e3);
    }

    pub fn extend(&mut self, other: Samples) {
        self.0.extend(other.0);
    }

    /// The `quantile` (0 to 1) in milliseconds, rounded to a microsecond; `None` without
    /// samples.
    pub fn percentile(&self, quantile: f64) -> Option<f64> {
        if self.0.is_empty() {
            return None;
        }
        let mut sorted = self.0.clone();
        sorted.sort_by(f64::total_cmp);
        let rank = (quantile * sorted.len() as f64).ceil() as usize;
        Some(round3(sorted[rank.clamp(1, sorted.len()) - 1]))
    }
}

/// Three decimals are far below the noise of every figure here.
pub fn round3(value: f64) -> f64 {
    (value * 1e3).round() / 1e3
}
