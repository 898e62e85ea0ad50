//! CPU time of this process split by who spent it: the bank's runtime threads (named
//! [`BANK_THREADS`]) against everything else (the phones, their runtime and the driver). Read
//! from `/proc/self/task/*/stat`; both runtimes keep their threads alive for the whole run,
//! so no thread's time leaves the sum before it is read.

use std::fs;

/// The name of every thread of the bank's runtime, its blocking pool included.
pub const BANK_THREADS: &str = "lb-bank";
/// The phones' runtime.
pub const PHONE_THREADS: &str = "lb-phone";

/// Seconds of CPU (user + system) so far.
#[derive(Debug, Clone, Copy, Default)]
pub struct CpuSplit {
    pub bank_s: f64,
    pub phones_s: f64,
}

impl CpuSplit {
    pub fn now() -> Self {
        let mut split = Self::default();
        // The kernel's clock tick is 100 Hz on every Linux this runs on.
        let ticks = 100.0;
        let Ok(tasks) = fs::read_dir("/proc/self/task") else {
            return split;
        };
        for task in tasks.flatten() {
            let Ok(stat) = fs::read_to_string(task.path().join("stat")) else {
                continue;
            };
            let Some((name, seconds)) = parse(&stat, ticks) else {
                continue;
            };
            if name.starts_with(BANK_THREADS) {
                split.bank_s += seconds;
            } else {
                split.phones_s += seconds;
            }
        }
        split
    }

    pub fn since(self, earlier: Self) -> Self {
        Self {
            bank_s: self.bank_s - earlier.bank_s,
            phones_s: self.phones_s - earlier.phones_s,
        }
    }
}

/// The thread's name and its user + system seconds. The name sits in parentheses and may
/// itself contain spaces or parentheses, so the fields are counted from the last `)`.
fn parse(stat: &str, ticks: f64) -> Option<(String, f64)> {
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let name = stat.get(open + 1..close)?.to_owned();
    let fields: Vec<&str> = stat.get(close + 2..)?.split(' ').collect();
    // After the name: state is field 3 of the line, utime 14 and stime 15.
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((name, (utime + stime) / ticks))
}

/// The 1-minute load average, to say how busy the machine was.
pub fn load_average() -> Option<f64> {
    fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stat_line_gives_the_name_and_user_plus_system_time() {
        let line = "4242 (lb-bank (x)) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 4 0 100";
        let (name, seconds) = parse(line, 100.0).unwrap();
        assert_eq!(name, "lb-bank (x)");
        assert!((seconds - 3.0).abs() < 1e-9);
    }
}
