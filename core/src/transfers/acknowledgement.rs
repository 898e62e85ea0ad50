//! Acknowledging warnings: the codes go into the canonical transfer (ascending, as the bank
//! expects), so the hash, the token and the signature cover what the customer was told. Only
//! a warning the confirmation showed can be acknowledged.

use std::collections::BTreeSet;

use super::draft::Draft;
use crate::error::MobankError;
use crate::risk::WarningAction;

/// `draft` with `codes` acknowledged on top of those already acknowledged.
pub(super) fn acknowledge(draft: &Draft, codes: &[String]) -> Result<Draft, MobankError> {
    let shown: BTreeSet<&str> = draft.warnings.iter().map(|w| w.code.as_str()).collect();
    if codes.iter().any(|code| !shown.contains(code.as_str())) {
        return Err(MobankError::WarningNotShown);
    }
    let all: BTreeSet<String> = draft
        .transfer
        .acknowledged_warnings
        .iter()
        .chain(codes)
        .cloned()
        .collect();
    let mut transfer = draft.transfer.clone();
    transfer.acknowledged_warnings = all.into_iter().collect();
    let mut next = Draft::new(
        transfer,
        draft.payee_bank_name.clone(),
        draft.deadline_ms,
        draft.wipes,
    )?;
    next.payer_masked_number = draft.payer_masked_number.clone();
    next.warnings = draft.warnings.clone();
    next.expires_at_ms = draft.expires_at_ms;
    next.schedule = draft.schedule;
    Ok(next)
}

/// The codes of the warnings that need acknowledging and are not acknowledged yet.
pub(super) fn missing(draft: &Draft) -> Vec<String> {
    draft
        .warnings
        .iter()
        .filter(|warning| warning.action == WarningAction::Acknowledge)
        .filter(|warning| !draft.transfer.acknowledged_warnings.contains(&warning.code))
        .map(|warning| warning.code.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::{TransferWarning, WarningCode};
    use crate::transfers::draft::tests::transfer;

    fn warning(kind: WarningCode, action: WarningAction) -> TransferWarning {
        TransferWarning {
            code: kind.code().to_owned(),
            kind,
            action,
            reason_zh: String::new(),
            reason_en: String::new(),
            figures: Vec::new(),
            acknowledged: false,
        }
    }

    fn shown() -> Draft {
        let mut draft = Draft::new(transfer(500_000), "Mobank".to_owned(), 10_000, 0).unwrap();
        draft.warnings = vec![
            warning(WarningCode::NewPayee, WarningAction::Inform),
            warning(WarningCode::RepeatPayment, WarningAction::Acknowledge),
            warning(WarningCode::UnusualAmount, WarningAction::Acknowledge),
        ];
        draft
    }

    #[test]
    fn acknowledged_codes_enter_the_transfer_ascending_and_change_its_hash() {
        let draft = shown();
        let once = acknowledge(&draft, &["unusual_amount".to_owned()]).unwrap();
        assert_eq!(once.transfer.acknowledged_warnings, vec!["unusual_amount"]);
        assert_ne!(once.hash, draft.hash);
        assert_eq!(missing(&once), vec!["repeat_payment"]);
        let twice = acknowledge(&once, &["repeat_payment".to_owned()]).unwrap();
        assert_eq!(
            twice.transfer.acknowledged_warnings,
            vec!["repeat_payment", "unusual_amount"]
        );
        assert!(missing(&twice).is_empty());
    }

    #[test]
    fn a_transfer_the_bank_holds_still_shows_when_it_runs_once_acknowledged() {
        use mobank_protocol::transfer::messages::{Schedule, ScheduleReason};
        let mut draft = shown();
        let held = Schedule {
            runs_at_ms: 7_200_000,
            reason: ScheduleReason::NewPayee,
        };
        draft.schedule = Some(held);
        let acknowledged = acknowledge(&draft, &["unusual_amount".to_owned()]).unwrap();
        assert_eq!(acknowledged.schedule, Some(held));
    }

    #[test]
    fn only_warnings_that_need_it_hold_back_signing() {
        let draft = shown();
        assert_eq!(missing(&draft), vec!["repeat_payment", "unusual_amount"]);
    }

    #[test]
    fn a_warning_that_was_not_shown_cannot_be_acknowledged() {
        let draft = shown();
        for code in ["refund_scam", "no_such_warning", ""] {
            assert_eq!(
                acknowledge(&draft, &[code.to_owned()]).unwrap_err(),
                MobankError::WarningNotShown
            );
        }
    }
}
