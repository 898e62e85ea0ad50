//! Moving the bank's clock from outside: only a sandbox started with `--test-clock`
//! (`SandboxConfig::test_clock`) lets the developer API do it, so a demo or an app team's
//! shared sandbox keeps real time.

use std::time::Duration;

use super::Bank;
use crate::dev::{AdvanceClockRequest, ClockReading};
use crate::error::SandboxError;

/// Ten years: far enough for any expiry, near enough to stay clear of overflow.
pub(crate) const MAX_ADVANCE_SECS: u64 = 315_360_000;

pub(crate) fn reading(bank: &Bank) -> ClockReading {
    ClockReading {
        now_ms: bank.clock.now_ms(),
        test_clock: bank.policy.test_clock,
    }
}

pub(crate) fn advance(
    bank: &Bank,
    request: AdvanceClockRequest,
) -> Result<ClockReading, SandboxError> {
    if !bank.policy.test_clock {
        return Err(SandboxError::ClockControlOff);
    }
    if !(1..=MAX_ADVANCE_SECS).contains(&request.seconds) {
        return Err(SandboxError::InvalidRequest(
            "seconds must be 1 to 315360000",
        ));
    }
    bank.clock.advance(Duration::from_secs(request.seconds));
    tracing::info!(seconds = request.seconds, "bank clock moved forward");
    // Scheduled transfers whose time came run now (reading the bank runs them).
    bank.with_db(|_| Ok::<_, SandboxError>(()))?;
    Ok(reading(bank))
}
