//! Between the bank's wire form (decimal amounts, instants in ms), the store's compact form
//! (minor units, day numbers) and what the app sees (decimals, ISO dates).

use mobank_protocol::messages::Transaction as WireTransaction;
use mobank_store::{CategoryTotal, Transaction as StoredTransaction};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use time::{Date, Month};

use super::model::{CategorySpending, Transaction};

const DAY_MS: i64 = 86_400_000;
/// The bank books in China Standard Time (UTC+8, no daylight saving): a transaction at 23:30 in
/// Beijing belongs to that day's statement, not the next one's by UTC.
const BANK_UTC_OFFSET_MS: i64 = 8 * 3_600_000;
const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;
/// Days outside four-digit years would not print as `yyyy-mm-dd`.
const FIRST_DAY: i32 = -719_528; // 0000-01-01
const LAST_DAY: i32 = 2_932_896; // 9999-12-31
const MAX_TEXT_CHARS: usize = 500;

/// Why a transaction from the bank cannot be kept. The whole page is refused: storing part of
/// it would move the cursor past what was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unacceptable;

/// Digits after the decimal point of an ISO 4217 currency.
fn minor_digits(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        "CLF" | "UYW" => 4,
        _ => 2,
    }
}

fn to_minor(amount: Decimal, currency: &str) -> Option<i64> {
    let scaled = amount.checked_mul(Decimal::from(10i64.pow(minor_digits(currency))))?;
    if !scaled.fract().is_zero() {
        return None;
    }
    scaled.to_i64()
}

fn from_minor(minor: i64, currency: &str) -> Decimal {
    Decimal::new(minor, minor_digits(currency))
}

fn text_ok(text: &str) -> bool {
    text.chars().count() <= MAX_TEXT_CHARS && !text.chars().any(char::is_control)
}

/// The bank's transaction as the store keeps it.
pub(crate) fn to_stored(tx: WireTransaction) -> Result<StoredTransaction, Unacceptable> {
    let currency_ok = tx.currency.len() == 3 && tx.currency.bytes().all(|b| b.is_ascii_uppercase());
    let ids_ok = [&tx.transaction_id, &tx.account_id]
        .iter()
        .all(|id| !id.is_empty() && id.len() <= 128 && text_ok(id));
    if !currency_ok
        || !ids_ok
        || !text_ok(&tx.counterparty)
        || !text_ok(&tx.memo)
        || tx.category.is_empty()
        || !text_ok(&tx.category)
    {
        return Err(Unacceptable);
    }
    let account_ok = |account: &String| {
        (1..=34).contains(&account.len()) && account.bytes().all(|b| b.is_ascii_alphanumeric())
    };
    if tx
        .counterparty_account
        .as_ref()
        .is_some_and(|a| !account_ok(a))
    {
        return Err(Unacceptable);
    }
    let amount_minor = to_minor(tx.amount, &tx.currency).ok_or(Unacceptable)?;
    let booking_day = booking_day(tx.booked_at_ms).ok_or(Unacceptable)?;
    Ok(StoredTransaction {
        id: tx.transaction_id,
        account_id: tx.account_id,
        booking_day,
        amount_minor,
        currency: tx.currency,
        counterparty: tx.counterparty,
        memo: tx.memo,
        category: tx.category,
        booked_at_ms: Some(tx.booked_at_ms),
        counterparty_account: tx.counterparty_account,
    })
}

/// The bank's calendar day of an instant, as days since 1970-01-01.
pub(crate) fn booking_day(at_ms: i64) -> Option<i32> {
    let day = at_ms.checked_add(BANK_UTC_OFFSET_MS)?.div_euclid(DAY_MS);
    i32::try_from(day)
        .ok()
        .filter(|day| (FIRST_DAY..=LAST_DAY).contains(day))
}

/// The first bank time (ms) of the bank day after the one of `at_ms`.
pub(crate) fn next_bank_day_ms(at_ms: i64) -> i64 {
    let day = at_ms.saturating_add(BANK_UTC_OFFSET_MS).div_euclid(DAY_MS);
    day.saturating_add(1)
        .saturating_mul(DAY_MS)
        .saturating_sub(BANK_UTC_OFFSET_MS)
}

pub(crate) fn from_stored(tx: StoredTransaction) -> Transaction {
    Transaction {
        transaction_id: tx.id,
        account_id: tx.account_id,
        booking_date: iso_date(tx.booking_day),
        amount: from_minor(tx.amount_minor, &tx.currency),
        currency: tx.currency,
        counterparty: tx.counterparty,
        memo: tx.memo,
        category: tx.category,
    }
}

pub(crate) fn from_total(total: CategoryTotal) -> CategorySpending {
    CategorySpending {
        spent: from_minor(total.spent_minor, &total.currency),
        received: from_minor(total.received_minor, &total.currency),
        category: total.category,
        currency: total.currency,
        transactions: total.transactions,
    }
}

/// `yyyy-mm-dd` of a day number (only days that passed [`booking_day`] are stored).
pub(crate) fn iso_date(day: i32) -> String {
    match Date::from_julian_day(day.saturating_add(UNIX_EPOCH_JULIAN_DAY)) {
        Ok(date) => format!(
            "{:04}-{:02}-{:02}",
            date.year(),
            u8::from(date.month()),
            date.day()
        ),
        Err(_) => String::new(),
    }
}

/// The day number of a `yyyy-mm-dd` date, or `None` if it is not one.
pub(crate) fn parse_iso_date(text: &str) -> Option<i32> {
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape_ok {
        return None;
    }
    let year: i32 = text.get(0..4)?.parse().ok()?;
    let month: u8 = text.get(5..7)?.parse().ok()?;
    let day: u8 = text.get(8..10)?.parse().ok()?;
    let date = Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()?;
    Some(date.to_julian_day() - UNIX_EPOCH_JULIAN_DAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire(amount: &str, currency: &str, booked_at_ms: i64) -> WireTransaction {
        WireTransaction {
            transaction_id: "txn_1".to_owned(),
            account_id: "acct".to_owned(),
            booked_at_ms,
            amount: amount.parse().unwrap(),
            currency: currency.to_owned(),
            counterparty: "盒马鲜生 Hema".to_owned(),
            counterparty_account: None,
            memo: "午饭 lunch".to_owned(),
            category: "groceries".to_owned(),
        }
    }

    #[test]
    fn amounts_become_minor_units_of_their_currency_and_back() {
        let stored = to_stored(wire("-36.50", "CNY", 0)).unwrap();
        assert_eq!(stored.amount_minor, -3650);
        assert_eq!(
            from_stored(stored).amount,
            "-36.5".parse::<Decimal>().unwrap()
        );
        assert_eq!(
            to_stored(wire("1200", "JPY", 0)).unwrap().amount_minor,
            1200
        );
        assert_eq!(
            to_stored(wire("1.234", "KWD", 0)).unwrap().amount_minor,
            1234
        );
        assert_eq!(to_stored(wire("0.001", "CNY", 0)), Err(Unacceptable));
        assert_eq!(to_stored(wire("1.5", "JPY", 0)), Err(Unacceptable));
        assert_eq!(
            to_stored(wire("99999999999999999999", "CNY", 0)),
            Err(Unacceptable)
        );
    }

    #[test]
    fn the_booking_day_is_the_banks_calendar_day() {
        // 2024-03-31 23:30 in Beijing is 15:30 UTC the same day; 00:30 on 04-01 in Beijing is
        // still 03-31 in UTC.
        let late = 1_711_899_000_000; // 2024-03-31T15:30:00Z
        let early = 1_711_902_600_000; // 2024-03-31T16:30:00Z = 2024-04-01 00:30 +08:00
        assert_eq!(iso_date(booking_day(late).unwrap()), "2024-03-31");
        assert_eq!(iso_date(booking_day(early).unwrap()), "2024-04-01");
        assert_eq!(booking_day(i64::MAX), None);
        assert_eq!(iso_date(0), "1970-01-01");
    }

    #[test]
    fn iso_dates_parse_strictly() {
        assert_eq!(parse_iso_date("1970-01-01"), Some(0));
        assert_eq!(parse_iso_date("2024-02-29"), Some(19_782));
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-1-01",
            "24-01-01",
            "2024/01/01",
            "+024-01-01",
            "2024-01-01 ",
            "",
        ] {
            assert_eq!(parse_iso_date(bad), None, "{bad}");
        }
        assert_eq!(
            iso_date(parse_iso_date("2031-12-05").unwrap()),
            "2031-12-05"
        );
    }

    #[test]
    fn malformed_rows_are_refused_not_stored_half() {
        let mut control = wire("1", "CNY", 0);
        control.memo = "line\nbreak".to_owned();
        assert_eq!(to_stored(control), Err(Unacceptable));
        let mut no_id = wire("1", "CNY", 0);
        no_id.transaction_id.clear();
        assert_eq!(to_stored(no_id), Err(Unacceptable));
        assert_eq!(to_stored(wire("1", "cny", 0)), Err(Unacceptable));
    }
}
