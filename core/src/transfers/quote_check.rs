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
        && transfer.acknowledged_warnings.is_empty();
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
