//! The confirmation, rendered from the canonical transfer the device will sign (and from the
//! two display names the quote carries beside it), so that what the customer reads is what
//! the bank executes.

use mobank_protocol::transfer::account_number::masked;
use mobank_protocol::transfer::messages::Schedule;
use mobank_protocol::transfer::CanonicalTransfer;

use super::model::Confirmation;
use crate::money::{capital_numerals, format_amount, format_minor_units, Locale};
use crate::risk::TransferWarning;

/// What the confirmation shows beside the canonical transfer.
pub(super) struct Shown<'a> {
    pub token: String,
    pub payer_masked_number: &'a str,
    pub payee_bank_name: &'a str,
    pub expires_at_ms: u64,
    pub warnings: &'a [TransferWarning],
    pub schedule: Option<Schedule>,
}

pub(super) fn render(transfer: &CanonicalTransfer, shown: Shown<'_>) -> Confirmation {
    let amount = &transfer.amount;
    let currency = amount.currency();
    // The quote was checked: its fee is a valid sum of this currency.
    let fee = transfer.fee_minor_units().unwrap_or(0);
    let total = amount.minor_units().saturating_add(fee);
    let amount_zh = format_amount(amount, Locale::ZhCn);
    let payee_masked_number = masked(&transfer.payee.account_number);
    let prompt = prompt(transfer);
    Confirmation {
        token: shown.token,
        transfer_id: transfer.idempotency_key.to_hex(),
        payer_account_id: transfer.payer_account_id.clone(),
        payer_masked_number: shown.payer_masked_number.to_owned(),
        payee_name: transfer.payee.name.clone(),
        payee_masked_number,
        payee_bank_name: shown.payee_bank_name.to_owned(),
        amount_en: format_amount(amount, Locale::En),
        amount_capitals: capital_numerals(amount),
        amount_zh,
        currency: currency.code().to_owned(),
        fee_zh: format_minor_units(fee, currency, Locale::ZhCn),
        fee_en: format_minor_units(fee, currency, Locale::En),
        total_zh: format_minor_units(total, currency, Locale::ZhCn),
        total_en: format_minor_units(total, currency, Locale::En),
        memo: transfer.memo.clone(),
        execution_date: transfer.execution_date.clone(),
        warnings: shown
            .warnings
            .iter()
            .map(|warning| TransferWarning {
                acknowledged: transfer.acknowledged_warnings.contains(&warning.code),
                ..warning.clone()
            })
            .collect(),
        prompt,
        expires_at_ms: shown.expires_at_ms,
        runs_at_ms: shown.schedule.map(|schedule| schedule.runs_at_ms),
        schedule_reason: shown.schedule.map(|schedule| schedule.reason),
    }
}

/// The text the biometric prompt shows: `向 王芳 (**** 7899) 转账 ¥500.00`.
pub(super) fn prompt(transfer: &CanonicalTransfer) -> String {
    format!(
        "向 {} ({}) 转账 {}",
        transfer.payee.name,
        masked(&transfer.payee.account_number),
        format_amount(&transfer.amount, Locale::ZhCn)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transfers::draft::tests::transfer;

    #[test]
    fn the_confirmation_shows_the_canonical_transfer_in_figures_and_capitals() {
        let mut quoted = transfer(50_000);
        quoted.fee = "2.50".to_owned();
        let confirmation = render(
            &quoted,
            Shown {
                token: "t".to_owned(),
                payer_masked_number: "6222 **** **** 1234",
                payee_bank_name: "Mobank Sandbox Bank",
                expires_at_ms: 9,
                warnings: &[],
                schedule: None,
            },
        );
        assert_eq!(confirmation.payee_name, "王芳");
        assert_eq!(confirmation.payee_masked_number, "**** 1111");
        assert_eq!(confirmation.amount_zh, "¥500.00");
        assert_eq!(confirmation.amount_en, "500.00 CNY");
        assert_eq!(
            confirmation.amount_capitals,
            capital_numerals(&quoted.amount)
        );
        assert!(confirmation.amount_capitals.contains("伍佰"));
        assert_eq!(confirmation.fee_zh, "¥2.50");
        assert_eq!(confirmation.total_zh, "¥502.50");
        assert_eq!(confirmation.total_en, "502.50 CNY");
        assert_eq!(confirmation.prompt, "向 王芳 (**** 1111) 转账 ¥500.00");
        assert_eq!(confirmation.transfer_id, quoted.idempotency_key.to_hex());
        assert!(confirmation.warnings.is_empty());
    }

    #[test]
    fn a_free_transfer_shows_a_zero_fee_and_the_amount_as_total() {
        let confirmation = render(
            &transfer(12_345_600),
            Shown {
                token: "t".to_owned(),
                payer_masked_number: "6222 **** **** 1234",
                payee_bank_name: "Mobank Sandbox Bank",
                expires_at_ms: 9,
                warnings: &[],
                schedule: None,
            },
        );
        assert_eq!(confirmation.fee_zh, "¥0.00");
        assert_eq!(confirmation.fee_en, "0.00 CNY");
        assert_eq!(confirmation.total_zh, "¥123,456.00");
    }
}
