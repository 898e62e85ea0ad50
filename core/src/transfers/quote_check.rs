//! The bank's quote must echo exactly what was asked. A bank or a proxy that changes a field
//! (another payee, another amount) is refused before anything is shown or signed.

use mobank_protocol::text::is_display_text;
use mobank_protocol::transfer::messages::{QuoteRequest, QuoteResponse};

use crate::error::MobankError;

/// The payee bank's display name, at most this many characters.
const MAX_BANK_NAME_CHARS: usize = 70;

pub(super) fn check_quote(asked: &QuoteRequest, quote: &QuoteResponse) -> Result<(), MobankError> {
    let transfer = &quote.transfer;
    let echoed = transfer.payer_account_id == asked.payer_account_id
        && transfer.payee.account_number == asked.payee_account_number
        && transfer.payee.bank_code == asked.payee_bank_code
        && transfer.amount == asked.amount
        && transfer.memo == asked.memo
        && transfer.channel == asked.channel
        && transfer.idempotency_key == asked.idempotency_key
        && transfer.acknowledged_warnings.is_empty()
        // A delay may move the booking day later than asked, never earlier (YYYY-MM-DD
        // compares as text).
        && asked
            .execution_date
            .as_ref()
            .is_none_or(|day| transfer.execution_date >= *day);
    if !echoed {
        return Err(MobankError::QuoteMismatch);
    }
    let well_formed = transfer.validate().is_ok()
        && is_display_text(&quote.payee_bank_name, MAX_BANK_NAME_CHARS)
        && quote.expires_at_ms > transfer.quoted_at_ms;
    if !well_formed {
        return Err(MobankError::QuoteMismatch);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use mobank_protocol::money::{Amount, Currency};
    use mobank_protocol::transfer::Channel;

    use super::*;
    use crate::transfers::draft::tests::transfer;

    fn asked() -> QuoteRequest {
        let echoed = transfer(50_000);
        QuoteRequest {
            payer_account_id: echoed.payer_account_id,
            payee_account_number: echoed.payee.account_number,
            payee_bank_code: echoed.payee.bank_code,
            amount: echoed.amount,
            memo: echoed.memo,
            channel: echoed.channel,
            idempotency_key: echoed.idempotency_key,
            execution_date: None,
        }
    }

    fn quote(change: impl FnOnce(&mut QuoteResponse)) -> QuoteResponse {
        let mut quote = QuoteResponse {
            transfer: transfer(50_000),
            payee_bank_name: "Mobank Sandbox Bank".to_owned(),
            expires_at_ms: 61_000,
            schedule: None,
        };
        change(&mut quote);
        quote
    }

    #[test]
    fn a_quote_that_echoes_the_request_is_taken() {
        assert_eq!(check_quote(&asked(), &quote(|_| {})), Ok(()));
    }

    #[test]
    fn a_quote_that_changes_any_asked_field_is_refused() {
        let changes: [&dyn Fn(&mut QuoteResponse); 9] = [
            &|q| q.transfer.payer_account_id = "acc-margin".to_owned(),
            &|q| q.transfer.payee.account_number = "6011111111111117".to_owned(),
            &|q| q.transfer.payee.bank_code = "OTHERBANK1".to_owned(),
            &|q| q.transfer.amount = Amount::from_minor_units(500_000, Currency::Cny).unwrap(),
            &|q| q.transfer.memo = "房 租".to_owned(),
            &|q| q.transfer.channel = Channel::QuickPay,
            &|q| {
                q.transfer.idempotency_key =
                    mobank_protocol::transfer::IdempotencyKey::from_bytes([1; 16])
            },
            &|q| q.transfer.acknowledged_warnings = vec!["same_payee_recently".to_owned()],
            &|q| q.expires_at_ms = q.transfer.quoted_at_ms,
        ];
        for (index, change) in changes.iter().enumerate() {
            assert_eq!(
                check_quote(&asked(), &quote(change)),
                Err(MobankError::QuoteMismatch),
                "change {index}"
            );
        }
    }

    #[test]
    fn a_quote_may_book_later_than_the_day_asked_but_never_earlier() {
        let day = transfer(50_000).execution_date;
        let mut asked_today = asked();
        asked_today.execution_date = Some(day.clone());
        assert_eq!(check_quote(&asked_today, &quote(|_| {})), Ok(()));
        let mut asked_later = asked();
        asked_later.execution_date = Some("2999-12-31".to_owned());
        assert_eq!(
            check_quote(&asked_later, &quote(|_| {})),
            Err(MobankError::QuoteMismatch)
        );
    }
}
