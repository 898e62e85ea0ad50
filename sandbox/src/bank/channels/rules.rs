//! The bank's channel policy, in one table: which channel is on for a new customer, its
//! default limits, the highest limits a customer may set, and how long a raise waits.
//! docs/policy.md documents the same table.

use mobank_protocol::messages::ChannelLimits;
use mobank_protocol::transfer::Channel;
use mobank_protocol::ErrorCode;

use crate::db::channels::LimitsMinor;
use crate::error::ApiFailure;
use crate::ledger::Currency;

/// Channel limits are set in this currency; a transfer in another currency meets only the
/// on/off switch and the device's zero limit (an integrity block).
pub(crate) const LIMIT_CURRENCY: Currency = Currency::CNY;

/// A raised limit applies this long after the customer asked: time for the customer to see the
/// notice and stop a raise they did not make.
pub(crate) const RAISE_COOLING_OFF_MS: i64 = 24 * 60 * 60 * 1000;

pub(crate) struct ChannelRule {
    pub(crate) on_by_default: bool,
    pub(crate) defaults: LimitsMinor,
    pub(crate) ceilings: LimitsMinor,
}

const fn cny(per_transaction: i64, daily: i64, monthly: i64) -> LimitsMinor {
    LimitsMinor {
        per_transaction: per_transaction * 100,
        daily: daily * 100,
        monthly: monthly * 100,
    }
}

/// In the order of `Channel::ALL`.
const RULES: [ChannelRule; 3] = [
    ChannelRule {
        on_by_default: true,
        defaults: cny(20_000, 50_000, 200_000),
        ceilings: cny(50_000, 200_000, 1_000_000),
    },
    ChannelRule {
        on_by_default: false,
        defaults: cny(1_000, 5_000, 20_000),
        ceilings: cny(5_000, 20_000, 100_000),
    },
    ChannelRule {
        on_by_default: false,
        defaults: cny(200, 500, 2_000),
        ceilings: cny(1_000, 2_000, 10_000),
    },
];

pub(crate) fn rule(channel: Channel) -> &'static ChannelRule {
    match channel {
        Channel::MobileTransfer => &RULES[0],
        Channel::QrPayment => &RULES[1],
        Channel::QuickPay => &RULES[2],
    }
}

fn limit_invalid(message: &'static str) -> ApiFailure {
    ApiFailure::new(ErrorCode::LimitInvalid, message)
}

/// The requested limits in minor units, if each is a positive amount at the currency's scale,
/// at most the channel's ceiling, and per transaction ≤ daily ≤ monthly.
pub(crate) fn validate(channel: Channel, asked: &ChannelLimits) -> Result<LimitsMinor, ApiFailure> {
    let minor = |value| {
        LIMIT_CURRENCY
            .positive_minor(value)
            .map_err(|_| limit_invalid("a limit is a positive amount with at most 2 decimals"))
    };
    let limits = LimitsMinor {
        per_transaction: minor(asked.per_transaction)?,
        daily: minor(asked.daily)?,
        monthly: minor(asked.monthly)?,
    };
    let ceilings = rule(channel).ceilings;
    if limits.per_transaction > ceilings.per_transaction
        || limits.daily > ceilings.daily
        || limits.monthly > ceilings.monthly
    {
        return Err(limit_invalid(
            "a limit is above the bank's ceiling for the channel",
        ));
    }
    if limits.per_transaction > limits.daily || limits.daily > limits.monthly {
        return Err(limit_invalid(
            "the limits must be per transaction ≤ daily ≤ monthly",
        ));
    }
    Ok(limits)
}

pub(crate) fn to_wire(limits: LimitsMinor) -> ChannelLimits {
    ChannelLimits {
        per_transaction: LIMIT_CURRENCY.to_decimal(limits.per_transaction),
        daily: LIMIT_CURRENCY.to_decimal(limits.daily),
        monthly: LIMIT_CURRENCY.to_decimal(limits.monthly),
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;

    fn asked(per_transaction: &str, daily: &str, monthly: &str) -> ChannelLimits {
        ChannelLimits {
            per_transaction: per_transaction.parse().unwrap(),
            daily: daily.parse().unwrap(),
            monthly: monthly.parse().unwrap(),
        }
    }

    fn refused(limits: ChannelLimits) -> bool {
        validate(Channel::QrPayment, &limits)
            .is_err_and(|failure| failure.code() == ErrorCode::LimitInvalid)
    }

    #[test]
    fn only_the_mobile_transfer_is_on_by_default_and_defaults_are_within_the_ceilings() {
        for channel in Channel::ALL {
            let rule = rule(channel);
            assert_eq!(rule.on_by_default, channel == Channel::MobileTransfer);
            assert!(validate(channel, &to_wire(rule.defaults)).is_ok());
            assert!(validate(channel, &to_wire(rule.ceilings)).is_ok());
        }
    }

    #[test]
    fn a_limit_at_the_ceiling_is_accepted_and_one_fen_more_is_not() {
        assert!(validate(Channel::QrPayment, &asked("5000", "20000", "100000")).is_ok());
        assert!(refused(asked("5000.01", "20000", "100000")));
        assert!(refused(asked("100", "200", "100000.01")));
    }

    #[test]
    fn negative_zero_over_precise_absurd_and_unordered_limits_are_refused() {
        assert!(refused(asked("-100", "200", "300")));
        assert!(refused(asked("0", "200", "300")));
        assert!(refused(asked("100.001", "200", "300")));
        assert!(refused(ChannelLimits {
            per_transaction: Decimal::MAX,
            daily: Decimal::MAX,
            monthly: Decimal::MAX,
        }));
        assert!(refused(asked("300", "200", "1000")));
        assert!(refused(asked("100", "2000", "1000")));
    }

    #[test]
    fn limits_in_minor_units_are_the_amounts_asked() {
        let limits = validate(Channel::QuickPay, &asked("100", "200.50", "1000")).unwrap();
        assert_eq!(
            limits,
            LimitsMinor {
                per_transaction: 10_000,
                daily: 20_050,
                monthly: 100_000
            }
        );
        assert_eq!(to_wire(limits).daily, Decimal::new(20_050, 2));
    }
}
