//! The bank's times (Unix milliseconds on the wire) as the `SystemTime`s the app sees, which
//! cross the FFI as `java.time.Instant` / `Foundation.Date`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A bank time in Unix milliseconds; one before 1970 (never sent by a bank) is clamped to it.
pub(crate) fn from_unix_ms(ms: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(u64::try_from(ms).unwrap_or(0))
}

/// Unix milliseconds of a time, for comparing with the bank's own clock; 0 before 1970.
pub fn unix_ms(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |since| {
        i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bank_milliseconds_round_trip_and_negative_ones_clamp_to_the_epoch() {
        assert_eq!(unix_ms(from_unix_ms(1_711_902_600_123)), 1_711_902_600_123);
        assert_eq!(from_unix_ms(-5), UNIX_EPOCH);
    }
}
