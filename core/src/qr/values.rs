//! The rules for single values: amounts and percentages by EMVCo's grammar, codes, and text.

use mobank_protocol::money::{Amount, Currency, WireAmountError};
use mobank_protocol::text::display_text;

use super::error::{QrError, Tag};
use super::model::{CountryCode, MerchantCategoryCode, Percentage};

/// EMVCo's longest amount (data objects 54 and 56), in characters.
pub(super) const MAX_AMOUNT_CHARS: usize = 13;

/// An EMVCo amount: 1 to 13 characters, ASCII digits with at most one `.`, and no more decimals
/// than the currency has (`"98"`, `"98."`, `"98.7"`, `"98.73"` for two). Leading zeros change no
/// value and are accepted; a missing integer part (`".5"`) is refused, as is zero.
///
/// The value is rewritten as the canonical wire string and read by [`Amount::parse_wire`], so
/// every amount in Mobank comes out of the one parser of money.
pub(super) fn amount(text: &str, currency: Currency, tag: Tag) -> Result<Amount, QrError> {
    let minor_digits = currency.minor_digits();
    let (integer, fraction) =
        decimal_parts(text, MAX_AMOUNT_CHARS).ok_or(QrError::NotAnAmount(tag))?;
    if fraction.len() > minor_digits as usize {
        return Err(QrError::TooPrecise { tag, minor_digits });
    }
    let wire = match minor_digits {
        0 => integer.to_owned(),
        digits => format!("{integer}.{fraction:0<width$}", width = digits as usize),
    };
    Amount::parse_wire(&wire, currency).map_err(|error| match error {
        WireAmountError::Zero => QrError::ZeroAmount(tag),
        _ => QrError::NotAnAmount(tag),
    })
}

/// The shortest EMVCo form of `amount`: no trailing decimal zeros, no point without decimals.
pub(super) fn write_amount(amount: &Amount) -> String {
    let wire = amount.to_wire();
    match wire.split_once('.') {
        Some((integer, fraction)) => match fraction.trim_end_matches('0') {
            "" => integer.to_owned(),
            fraction => format!("{integer}.{fraction}"),
        },
        None => wire,
    }
}

/// Data object 57: a percentage from `"0.01"` to `"99.99"`, in at most five characters by the
/// same grammar as amounts.
pub(super) fn percentage(text: &str, tag: Tag) -> Result<Percentage, QrError> {
    let invalid = QrError::InvalidValue(tag);
    let (integer, fraction) = decimal_parts(text, 5).ok_or(invalid)?;
    if integer.len() > 2 || fraction.len() > 2 {
        return Err(invalid);
    }
    let hundredths = format!("{integer}{fraction:0<2}")
        .parse::<u16>()
        .map_err(|_| invalid)?;
    Percentage::from_hundredths(hundredths).ok_or(invalid)
}

/// The shortest form of a percentage: `"5"`, `"5.5"`, `"12.25"`.
pub(super) fn write_percentage(percentage: Percentage) -> String {
    let hundredths = percentage.hundredths();
    let (integer, fraction) = (hundredths / 100, hundredths % 100);
    match (fraction, fraction % 10) {
        (0, _) => integer.to_string(),
        (_, 0) => format!("{integer}.{}", fraction / 10),
        _ => format!("{integer}.{fraction:02}"),
    }
}

/// Splits `text` into integer digits without leading zeros (`"0"` if they were all zeros) and
/// fraction digits, if it is at most `max_chars` of ASCII digits with at most one `.` and at
/// least one digit before it.
fn decimal_parts(text: &str, max_chars: usize) -> Option<(&str, &str)> {
    if text.len() > max_chars || !text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let (integer, fraction) = text.split_once('.').unwrap_or((text, ""));
    if integer.is_empty() || fraction.contains('.') {
        return None;
    }
    let integer = match integer.trim_start_matches('0') {
        "" => "0",
        digits => digits,
    };
    Some((integer, fraction))
}

pub(super) fn mcc(text: &str) -> Result<MerchantCategoryCode, QrError> {
    digits::<4>(text)
        .and_then(MerchantCategoryCode::new)
        .ok_or(QrError::InvalidMcc)
}

pub(super) fn currency(text: &str) -> Result<Currency, QrError> {
    let code = digits::<3>(text).ok_or(QrError::InvalidCurrency)?;
    Currency::from_numeric_code(code).ok_or(QrError::UnknownCurrency)
}

pub(super) fn country(text: &str) -> Result<CountryCode, QrError> {
    CountryCode::new(text).ok_or(QrError::InvalidCountry)
}

/// Exactly `N` ASCII digits.
fn digits<const N: usize>(text: &str) -> Option<u16> {
    if text.len() != N || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// The specification's "ans" format: every character printable ASCII (U+0020 to U+007E).
pub(super) fn ans(text: &str, tag: Tag) -> Result<&str, QrError> {
    if text.bytes().all(|b| (0x20..=0x7E).contains(&b)) {
        Ok(text)
    } else {
        Err(QrError::NotAlphanumericSpecial(tag))
    }
}

/// "ans" text shown to the customer: printable ASCII, trimmed, at most `max_chars`.
pub(super) fn ascii_text(text: &str, tag: Tag, max_chars: usize) -> Result<String, QrError> {
    shown_text(ans(text, tag)?, tag, max_chars)
}

/// Text in any script shown to the customer: Mobank's rule for text one party writes and another
/// reads (no control, bidirectional or invisible character; trimmed; NFC), at most `max_chars`.
pub(super) fn shown_text(text: &str, tag: Tag, max_chars: usize) -> Result<String, QrError> {
    display_text(text, max_chars).map_err(|reason| QrError::Text { tag, reason })
}

/// A value Mobank does not interpret: kept exactly as read, after the same character checks as
/// text that is shown, since a payment system may show it.
pub(super) fn opaque(text: &str, tag: Tag) -> Result<String, QrError> {
    shown_text(text, tag, usize::MAX)?;
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_written_in_their_shortest_form_and_read_back() {
        let tag = Tag::root(57);
        for (hundredths, written) in [
            (1, "0.01"),
            (10, "0.1"),
            (500, "5"),
            (550, "5.5"),
            (1225, "12.25"),
            (9999, "99.99"),
        ] {
            let expected = Percentage::from_hundredths(hundredths).unwrap();
            assert_eq!(write_percentage(expected), written);
            assert_eq!(percentage(written, tag), Ok(expected));
        }
    }

    #[test]
    fn amounts_are_written_without_trailing_decimal_zeros() {
        let tag = Tag::root(54);
        for (wire, written) in [("500.00", "500"), ("500.50", "500.5"), ("0.05", "0.05")] {
            let amount = Amount::parse_wire(wire, Currency::Cny).unwrap();
            assert_eq!(write_amount(&amount), written);
            assert_eq!(super::amount(written, Currency::Cny, tag), Ok(amount));
        }
        let yen = Amount::parse_wire("1200", Currency::Jpy).unwrap();
        assert_eq!(write_amount(&yen), "1200");
    }
}
