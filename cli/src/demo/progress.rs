//! The history sync's progress: a bar redrawn in place on a terminal, a few milestone lines
//! when the output goes to a file or a pipe.

use std::io::{IsTerminal, Write};
use std::sync::{Mutex, PoisonError};

use mobank_core::{SyncProgress, SyncProgressListener};

use super::format::count;
use super::narrate::INDENT;

const BAR_COLUMNS: usize = 30;
/// Milestones in percent, for output that is not a terminal.
const MILESTONES: [u64; 4] = [25, 50, 75, 100];

pub struct SyncBar {
    live: bool,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    milestones_shown: usize,
    /// Every event, for the demo to check what the core reported.
    seen: Vec<SyncProgress>,
}

impl SyncBar {
    pub fn new() -> Self {
        Self {
            live: std::io::stdout().is_terminal(),
            state: Mutex::new(State::default()),
        }
    }

    pub fn events(&self) -> Vec<SyncProgress> {
        self.lock().seen.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl SyncProgressListener for SyncBar {
    fn on_progress(&self, progress: SyncProgress) {
        let mut state = self.lock();
        state.seen.push(progress);
        let mut out = std::io::stdout().lock();
        // A failed write to the terminal is no reason to stop the sync.
        if self.live {
            let _ = write!(out, "\r{INDENT}{}", render(progress));
            if progress.done {
                let _ = writeln!(out);
            }
            let _ = out.flush();
            return;
        }
        let percent = percent(progress);
        let reached = if progress.done {
            MILESTONES.len()
        } else {
            MILESTONES
                .iter()
                .take_while(|milestone| percent >= Some(**milestone))
                .count()
        };
        if reached > state.milestones_shown {
            state.milestones_shown = reached;
            let _ = writeln!(out, "{INDENT}{}", render(progress));
        }
    }
}

fn percent(progress: SyncProgress) -> Option<u64> {
    progress
        .total_estimate
        .filter(|total| *total > 0)
        .map(|total| (progress.fetched.min(total) * 100) / total)
}

/// `[██████████░░░░░░░░░░]  12,000 / 20,000   60%`, or the count alone when the total is unknown.
pub fn render(progress: SyncProgress) -> String {
    let Some(total) = progress.total_estimate.filter(|total| *total > 0) else {
        return format!("{} transactions", count(progress.fetched));
    };
    let done = progress.fetched.min(total);
    let filled = usize::try_from(done * BAR_COLUMNS as u64 / total).unwrap_or(BAR_COLUMNS);
    let total_text = count(total);
    format!(
        "[{}{}] {:>width$} / {total_text} {:>4}",
        "█".repeat(filled),
        "░".repeat(BAR_COLUMNS - filled),
        count(done),
        format!("{}%", done * 100 / total),
        width = total_text.len(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(fetched: u64, total: Option<u64>) -> SyncProgress {
        SyncProgress {
            fetched,
            total_estimate: total,
            done: false,
        }
    }

    #[test]
    fn the_bar_fills_in_proportion() {
        let half = render(at(10_000, Some(20_000)));
        assert_eq!(
            half,
            format!(
                "[{}{}] 10,000 / 20,000  50%",
                "█".repeat(15),
                "░".repeat(15)
            )
        );
        let empty = render(at(0, Some(20_000)));
        assert!(empty.starts_with(&format!("[{}]", "░".repeat(30))));
        assert!(empty.ends_with("     0 / 20,000   0%"));
        let full = render(at(20_000, Some(20_000)));
        assert!(full.contains(&"█".repeat(30)) && full.ends_with("100%"));
        // Every line of a sync has the same width, so `\r` overwrites cleanly.
        assert_eq!(empty.chars().count(), full.chars().count());
    }

    #[test]
    fn an_unknown_total_shows_the_count() {
        assert_eq!(render(at(1_500, None)), "1,500 transactions");
        assert_eq!(percent(at(1_500, None)), None);
        assert_eq!(percent(at(5_000, Some(20_000))), Some(25));
    }
}
