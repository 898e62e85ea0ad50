//! The bank's clock. Every expiry and every `server_time_ms` reads it, so tests can move time
//! forward instead of sleeping.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Wall-clock time plus an offset that only ever grows.
#[derive(Debug, Clone, Default)]
pub(crate) struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    pub(crate) fn now_ms(&self) -> i64 {
        let wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| {
                i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
            });
        wall.saturating_add(self.offset_ms.load(Ordering::SeqCst))
    }

    pub(crate) fn advance(&self, by: Duration) {
        self.offset_ms.fetch_add(duration_ms(by), Ordering::SeqCst);
    }
}

/// A duration in whole milliseconds, saturating instead of wrapping for absurd values.
pub(crate) fn duration_ms(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}
