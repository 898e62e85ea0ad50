//! The one policy table: what each warning asks of the customer. docs/policy.md (warnings)
//! states the same table and why each row is what it is.

use super::model::{WarningAction, WarningCode};

pub(crate) const fn action(code: WarningCode) -> WarningAction {
    match code {
        WarningCode::NewPayee | WarningCode::NewDevice => WarningAction::Inform,
        WarningCode::UnusualAmount
        | WarningCode::RepeatPayment
        | WarningCode::RefundScam
        | WarningCode::PayeeNameMismatch
        | WarningCode::DeviceRooted => WarningAction::Acknowledge,
        WarningCode::DeviceTampered => WarningAction::Block,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_payee_and_a_new_phone_only_inform() {
        assert_eq!(action(WarningCode::NewPayee), WarningAction::Inform);
        assert_eq!(action(WarningCode::NewDevice), WarningAction::Inform);
    }

    #[test]
    fn an_unusual_amount_needs_acknowledging() {
        assert_eq!(
            action(WarningCode::UnusualAmount),
            WarningAction::Acknowledge
        );
    }

    #[test]
    fn a_repeated_payment_needs_acknowledging() {
        assert_eq!(
            action(WarningCode::RepeatPayment),
            WarningAction::Acknowledge
        );
    }

    #[test]
    fn money_back_to_a_recent_unexpected_sender_needs_acknowledging() {
        assert_eq!(action(WarningCode::RefundScam), WarningAction::Acknowledge);
    }

    #[test]
    fn a_payee_name_that_differs_from_the_registered_one_needs_acknowledging() {
        assert_eq!(
            action(WarningCode::PayeeNameMismatch),
            WarningAction::Acknowledge
        );
    }

    #[test]
    fn a_rooted_phone_needs_acknowledging_and_a_hooked_one_is_blocked() {
        assert_eq!(
            action(WarningCode::DeviceRooted),
            WarningAction::Acknowledge
        );
        assert_eq!(action(WarningCode::DeviceTampered), WarningAction::Block);
    }
}
