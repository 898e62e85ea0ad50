//! Transfers: the quote (who the payee really is, the fee, the day, a single-use challenge),
//! the signed submission checked against that quote, the business decision booked in the ledger
//! with a signed receipt, and the outcome kept under the transfer's idempotency key.

pub(crate) mod cancel;
pub(crate) mod decide;
pub(crate) mod faults;
pub(crate) mod payee;
pub(crate) mod quote;
pub(crate) mod schedule;
pub(crate) mod status;
pub(crate) mod submit;

use mobank_protocol::money::Currency as WireCurrency;
use mobank_protocol::transfer::Receipt;
use mobank_protocol::ErrorCode;
use time::{OffsetDateTime, UtcOffset};

use crate::error::ApiFailure;
use crate::ledger::Currency;

/// How the bank names itself in a transfer's `payee.bank_code`.
pub(crate) const BANK_CODE: &str = "MOBANK";
/// And for display.
pub(crate) const BANK_NAME: &str = "Mobank Sandbox Bank";
/// How long a quote's challenge may be answered.
pub(crate) const QUOTE_TTL_MS: i64 = 5 * 60 * 1000;
/// The fee for a transfer to another bank in CNY (2.00); other currencies and transfers inside
/// this bank are free.
pub(crate) const OTHER_BANK_FEE_CNY_MINOR: i64 = 200;

/// The bank's calendar is Beijing time.
const BANK_OFFSET_SECS: i32 = 8 * 3600;

/// Today on the bank's calendar (`YYYY-MM-DD`) and the Unix millisecond that day began.
pub(crate) fn bank_day(now_ms: i64) -> Result<(String, i64), ApiFailure> {
    let offset = UtcOffset::from_whole_seconds(BANK_OFFSET_SECS)
        .map_err(|error| ApiFailure::internal("the bank's time zone", &error))?;
    let now = OffsetDateTime::from_unix_timestamp(now_ms.div_euclid(1000))
        .map_err(|error| ApiFailure::internal("the bank's clock is out of range", &error))?
        .to_offset(offset);
    let date = now.date();
    let start_ms = date.midnight().assume_offset(offset).unix_timestamp() * 1000;
    let text = format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    );
    Ok((text, start_ms))
}

/// The Unix millisecond a bank day begins (00:00 Beijing).
pub(crate) fn bank_day_start(date: time::Date) -> Result<i64, ApiFailure> {
    let offset = UtcOffset::from_whole_seconds(BANK_OFFSET_SECS)
        .map_err(|error| ApiFailure::internal("the bank's time zone", &error))?;
    Ok(date.midnight().assume_offset(offset).unix_timestamp() * 1000)
}

/// The Unix millisecond the current month began on the bank's calendar.
pub(crate) fn bank_month_start(now_ms: i64) -> Result<i64, ApiFailure> {
    let offset = UtcOffset::from_whole_seconds(BANK_OFFSET_SECS)
        .map_err(|error| ApiFailure::internal("the bank's time zone", &error))?;
    let now = OffsetDateTime::from_unix_timestamp(now_ms.div_euclid(1000))
        .map_err(|error| ApiFailure::internal("the bank's clock is out of range", &error))?
        .to_offset(offset);
    let first = now
        .date()
        .replace_day(1)
        .map_err(|error| ApiFailure::internal("the first of the month", &error))?;
    Ok(first.midnight().assume_offset(offset).unix_timestamp() * 1000)
}

/// The ledger's currency for a wire currency (the same five).
pub(crate) fn ledger_currency(currency: WireCurrency) -> Result<Currency, ApiFailure> {
    Currency::parse(currency.code()).ok_or_else(|| {
        ApiFailure::new(
            ErrorCode::CurrencyMismatch,
            "the amount's currency is not the payer account's",
        )
    })
}

/// The wire form of a fee: an amount, or the currency's zero (`0.00`, `0` for JPY).
pub(crate) fn fee_wire(minor: i64, currency: WireCurrency) -> Result<String, ApiFailure> {
    mobank_protocol::transfer::fee_to_wire(minor, currency)
        .ok_or_else(|| ApiFailure::internal("a fee the wire cannot carry", &"out of range"))
}

/// The receipt as stored, read back.
pub(crate) fn stored_receipt(json: &str) -> Result<Receipt, ApiFailure> {
    serde_json::from_str(json)
        .map_err(|error| ApiFailure::internal("a stored receipt does not parse", &error))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bank_day_turns_at_midnight_in_beijing() {
        // 2024-05-03 15:59:59 UTC is 23:59:59 in Beijing; a second later it is the 4th.
        let before = 1_714_751_999_000;
        assert_eq!(bank_day(before).unwrap().0, "2024-05-03");
        let (day, start) = bank_day(before + 1_000).unwrap();
        assert_eq!(day, "2024-05-04");
        assert_eq!(start, before + 1_000);
    }

    #[test]
    fn the_bank_month_starts_at_midnight_of_the_first_in_beijing() {
        // 2024-05-31 16:00:00 UTC is 2024-06-01 00:00 in Beijing.
        let june_first = 1_717_171_200_000;
        assert_eq!(bank_month_start(june_first).unwrap(), june_first);
        assert_eq!(
            bank_month_start(june_first + 86_400_000).unwrap(),
            june_first
        );
        assert!(bank_month_start(june_first - 1).unwrap() < june_first);
    }

    #[test]
    fn fees_are_written_at_the_currencys_scale() {
        assert_eq!(fee_wire(0, WireCurrency::Cny).unwrap(), "0.00");
        assert_eq!(fee_wire(0, WireCurrency::Jpy).unwrap(), "0");
        assert_eq!(fee_wire(200, WireCurrency::Cny).unwrap(), "2.00");
    }
}
