//! The faults the developer API injects into the customer API's transfer answers: an answer
//! lost after the bank stored its outcome, and an answer held back after booking. Each arms the
//! next N answers of its kind and counts down as they go by.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use tokio::sync::watch;

/// A held answer waits at most this long, so a test that never releases it cannot wedge the
/// sandbox.
pub(crate) const MAX_HOLD: Duration = Duration::from_secs(60);

/// The armed faults of one running bank. Not kept across restarts.
pub(crate) struct Faults {
    lost_transfer_answers: AtomicU32,
    lost_status_answers: AtomicU32,
    held_transfer_answers: AtomicU32,
    /// Bumped to let every held answer go.
    released: watch::Sender<u64>,
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            lost_transfer_answers: AtomicU32::new(0),
            lost_status_answers: AtomicU32::new(0),
            held_transfer_answers: AtomicU32::new(0),
            released: watch::Sender::new(0),
        }
    }
}

impl Faults {
    /// Loses the next `count` answers to `POST /v1/transfers`.
    pub(crate) fn lose_transfer_answers(&self, count: u32) {
        self.lost_transfer_answers.store(count, Ordering::SeqCst);
    }

    /// Whether this transfer answer is one to lose; counts it down if so.
    pub(crate) fn take_lost_transfer_answer(&self) -> bool {
        take(&self.lost_transfer_answers)
    }

    /// Loses the next `count` answers to `GET /v1/transfers/{key}` that carry a receipt.
    pub(crate) fn lose_status_answers(&self, count: u32) {
        self.lost_status_answers.store(count, Ordering::SeqCst);
    }

    /// Whether this status answer is one to lose; counts it down if so.
    pub(crate) fn take_lost_status_answer(&self) -> bool {
        take(&self.lost_status_answers)
    }

    /// Holds the next `count` answers to `POST /v1/transfers`; 0 disarms and lets every held
    /// answer go.
    pub(crate) fn hold_transfer_answers(&self, count: u32) {
        self.held_transfer_answers.store(count, Ordering::SeqCst);
        if count == 0 {
            self.released.send_modify(|generation| *generation += 1);
        }
    }

    /// Waits here if this transfer answer is one to hold, until released or [`MAX_HOLD`].
    pub(crate) async fn hold_if_armed(&self) {
        // Subscribed before the count is taken: a release in between is not missed.
        let mut released = self.released.subscribe();
        if !take(&self.held_transfer_answers) {
            return;
        }
        tracing::warn!("holding a transfer answer after its outcome was stored (injected fault)");
        let _ = tokio::time::timeout(MAX_HOLD, released.changed()).await;
    }
}

fn take(armed: &AtomicU32) -> bool {
    armed
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
            left.checked_sub(1)
        })
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_fault_counts_down_on_its_own_answers() {
        let faults = Faults::default();
        faults.lose_transfer_answers(1);
        faults.lose_status_answers(2);
        assert!(faults.take_lost_status_answer());
        assert!(faults.take_lost_transfer_answer());
        assert!(!faults.take_lost_transfer_answer());
        assert!(faults.take_lost_status_answer());
        assert!(!faults.take_lost_status_answer());
    }

    #[tokio::test]
    async fn a_held_answer_goes_when_the_hold_is_disarmed() {
        let faults = std::sync::Arc::new(Faults::default());
        faults.hold_transfer_answers(1);
        let holder = std::sync::Arc::clone(&faults);
        let held = tokio::spawn(async move { holder.hold_if_armed().await });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!held.is_finished());
        faults.hold_transfer_answers(0);
        tokio::time::timeout(Duration::from_secs(5), held)
            .await
            .unwrap()
            .unwrap();
        // Disarmed: the next answer is not held.
        tokio::time::timeout(Duration::from_secs(5), faults.hold_if_armed())
            .await
            .unwrap();
    }
}
