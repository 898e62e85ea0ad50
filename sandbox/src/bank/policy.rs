//! The bank's risk policy, in one place: which sensitive operation needs how fresh a strong
//! authentication, and which transfer limits a session gets from the device's age and the
//! integrity signals its app reported. sandbox/README.md documents the same tables.

use mobank_protocol::messages::{IntegritySignals, LimitReason, Limits};
use mobank_protocol::ErrorCode;
use rust_decimal::Decimal;

use crate::error::ApiFailure;

/// Operations that need a recent strong authentication (possession + biometric or PIN).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SensitiveOperation {
    RevokeDevice,
    Unbind,
    PinChange,
    /// A new biometric key after an enrolment change (a PIN login counts).
    ReenrolBiometric,
    /// Turning a payment channel on.
    EnableChannel,
    /// Raising a channel's limit (it then waits for its cooling-off as well).
    RaiseLimit,
    /// Saving a payee.
    AddPayee,
}

struct StepUpRule {
    operation: SensitiveOperation,
    /// The session's last strong authentication may be at most this old.
    max_age_ms: i64,
}

const FIVE_MINUTES_MS: i64 = 5 * 60 * 1000;

/// The whole step-up policy. A login counts as a strong authentication at its time, so right
/// after logging in none of these asks for a step-up.
const STEP_UP_RULES: [StepUpRule; 7] = [
    StepUpRule {
        operation: SensitiveOperation::RevokeDevice,
        max_age_ms: FIVE_MINUTES_MS,
    },
    StepUpRule {
        operation: SensitiveOperation::Unbind,
        max_age_ms: FIVE_MINUTES_MS,
    },
    StepUpRule {
        operation: SensitiveOperation::PinChange,
        max_age_ms: FIVE_MINUTES_MS,
    },
    StepUpRule {
        operation: SensitiveOperation::ReenrolBiometric,
        max_age_ms: FIVE_MINUTES_MS,
    },
    StepUpRule {
        operation: SensitiveOperation::EnableChannel,
        max_age_ms: FIVE_MINUTES_MS,
    },
    StepUpRule {
        operation: SensitiveOperation::RaiseLimit,
        max_age_ms: FIVE_MINUTES_MS,
    },
    StepUpRule {
        operation: SensitiveOperation::AddPayee,
        max_age_ms: FIVE_MINUTES_MS,
    },
];

/// How long the second step of a PIN change may follow the first: time to type the new PIN
/// twice.
pub(crate) const PIN_CHANGE_TICKET_TTL_MS: i64 = FIVE_MINUTES_MS;

/// `Ok` if the session's last strong authentication is fresh enough for `operation`.
pub(crate) fn require_fresh_strong_auth(
    operation: SensitiveOperation,
    strong_auth_at_ms: i64,
    now_ms: i64,
) -> Result<(), ApiFailure> {
    // An operation missing from the table would be a bug; treat it as needing a step-up
    // right now rather than as needing nothing.
    let max_age_ms = STEP_UP_RULES
        .iter()
        .find(|rule| rule.operation == operation)
        .map_or(0, |rule| rule.max_age_ms);
    if now_ms.saturating_sub(strong_auth_at_ms) <= max_age_ms {
        Ok(())
    } else {
        Err(ApiFailure::new(
            ErrorCode::StepUpRequired,
            "this operation needs a recent strong authentication",
        ))
    }
}

/// The integrity signals as stored with a session: one bit each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct IntegrityFlags(pub(crate) i64);

impl IntegrityFlags {
    const ROOTED: i64 = 1;
    const DEBUGGER: i64 = 2;
    const HOOKING: i64 = 4;
    const EMULATOR: i64 = 8;

    /// No report counts as nothing found: apps without integrity checks keep normal limits.
    pub(crate) fn from_signals(signals: Option<IntegritySignals>) -> Self {
        let Some(signals) = signals else {
            return Self::default();
        };
        let bit = |set: bool, flag: i64| if set { flag } else { 0 };
        Self(
            bit(signals.rooted, Self::ROOTED)
                | bit(signals.debugger, Self::DEBUGGER)
                | bit(signals.hooking, Self::HOOKING)
                | bit(signals.emulator, Self::EMULATOR),
        )
    }

    fn has(self, flag: i64) -> bool {
        self.0 & flag != 0
    }

    /// A rooted or hooked phone can forge anything the app shows or signs for the customer;
    /// a debugger or an emulator is suspicious but common among developers and testers.
    fn risk(self) -> Option<LimitReason> {
        if self.has(Self::ROOTED) || self.has(Self::HOOKING) {
            Some(LimitReason::BlockedByIntegrity)
        } else if self.has(Self::DEBUGGER) || self.has(Self::EMULATOR) {
            Some(LimitReason::IntegrityRisk)
        } else {
            None
        }
    }
}

const LIMITS_CURRENCY: &str = "CNY";

/// (per transaction, per day) in fen.
fn tier(reason: LimitReason) -> (i64, i64) {
    match reason {
        LimitReason::Normal => (5_000_000, 20_000_000),
        LimitReason::CoolingOff | LimitReason::IntegrityRisk => (50_000, 100_000),
        LimitReason::BlockedByIntegrity => (0, 0),
    }
}

/// The limits of a session: the strictest reason that applies wins; the cooling-off end is
/// reported while it lasts even when another reason is stricter.
pub(crate) fn limits(
    cooling_off_until_ms: Option<i64>,
    integrity: IntegrityFlags,
    now_ms: i64,
) -> Limits {
    let cooling_off_until_ms = cooling_off_until_ms.filter(|until| now_ms < *until);
    let reason = integrity
        .risk()
        .unwrap_or(if cooling_off_until_ms.is_some() {
            LimitReason::CoolingOff
        } else {
            LimitReason::Normal
        });
    let (per_transaction, daily) = tier(reason);
    Limits {
        per_transaction: Decimal::new(per_transaction, 2),
        daily: Decimal::new(daily, 2),
        currency: LIMITS_CURRENCY.to_owned(),
        reason,
        cooling_off_until_ms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signals(rooted: bool, debugger: bool, hooking: bool, emulator: bool) -> IntegritySignals {
        IntegritySignals {
            rooted,
            debugger,
            hooking,
            emulator,
        }
    }

    #[test]
    fn every_sensitive_operation_has_a_rule_of_five_minutes() {
        for operation in [
            SensitiveOperation::RevokeDevice,
            SensitiveOperation::Unbind,
            SensitiveOperation::PinChange,
            SensitiveOperation::ReenrolBiometric,
            SensitiveOperation::EnableChannel,
            SensitiveOperation::RaiseLimit,
        ] {
            assert!(require_fresh_strong_auth(operation, 1_000, 1_000 + FIVE_MINUTES_MS).is_ok());
            let stale = require_fresh_strong_auth(operation, 1_000, 1_001 + FIVE_MINUTES_MS);
            assert!(stale.is_err(), "{operation:?}");
        }
    }

    #[test]
    fn cooling_off_lowers_limits_until_it_ends() {
        let during = limits(Some(10_000), IntegrityFlags::default(), 9_999);
        assert_eq!(during.reason, LimitReason::CoolingOff);
        assert_eq!(during.per_transaction, Decimal::new(50_000, 2));
        assert_eq!(during.cooling_off_until_ms, Some(10_000));
        let after = limits(Some(10_000), IntegrityFlags::default(), 10_000);
        assert_eq!(after.reason, LimitReason::Normal);
        assert_eq!(after.daily, Decimal::new(20_000_000, 2));
        assert_eq!(after.cooling_off_until_ms, None);
    }

    #[test]
    fn integrity_findings_map_to_the_documented_reasons() {
        let reason = |s| limits(None, IntegrityFlags::from_signals(Some(s)), 0).reason;
        assert_eq!(
            reason(signals(false, false, false, false)),
            LimitReason::Normal
        );
        assert_eq!(
            reason(signals(true, false, false, false)),
            LimitReason::BlockedByIntegrity
        );
        assert_eq!(
            reason(signals(false, false, true, false)),
            LimitReason::BlockedByIntegrity
        );
        assert_eq!(
            reason(signals(false, true, false, false)),
            LimitReason::IntegrityRisk
        );
        assert_eq!(
            reason(signals(false, false, false, true)),
            LimitReason::IntegrityRisk
        );
        assert_eq!(
            reason(signals(true, true, false, true)),
            LimitReason::BlockedByIntegrity
        );
        assert_eq!(
            limits(None, IntegrityFlags::from_signals(None), 0).reason,
            LimitReason::Normal
        );
    }

    #[test]
    fn the_stricter_integrity_reason_wins_over_cooling_off_which_stays_reported() {
        let flags = IntegrityFlags::from_signals(Some(signals(false, false, true, false)));
        let both = limits(Some(10_000), flags, 0);
        assert_eq!(both.reason, LimitReason::BlockedByIntegrity);
        assert_eq!(both.per_transaction, Decimal::ZERO);
        assert_eq!(both.cooling_off_until_ms, Some(10_000));
    }
}
