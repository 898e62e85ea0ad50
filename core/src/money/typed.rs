//! What a person types into an amount field, read into an [`Amount`] or refused with a reason
//! the app can show.
//!
//! Accepted: ASCII or full-width digits (`５００`), one decimal point (`.` or `．`), commas
//! (`,` or `，`) grouping the integer part by thousands, at most the currency's decimal
//! digits, surrounding spaces (full-width too), and one currency marker before and/or after
//! the number (`¥500`, `500元`, `RMB 500`, `1,234.50 CNY`, `US$12`), which must agree with the
//! account's currency. Everything else is refused, never guessed: a comma is never a decimal
//! point (`500,50` is refused, not read as 500.50 or 50,050), `5.` and `.5` are refused as
//! unfinished, and `1.230` is refused rather than rounded. The reasons never contain the text.

use mobank_protocol::money::{Amount, Currency, MAX_INTEGER_DIGITS};

use super::markers::{self, Marker};

/// Why a typed amount was refused. Each reason is something the customer can fix; none of
/// them repeats what was typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum AmountInputError {
    /// Nothing but spaces, or a currency sign without a number.
    #[error("enter an amount")]
    Empty,
    #[error("the amount must be above zero")]
    Zero,
    /// A plus or minus sign, anywhere: an amount to send has no sign.
    #[error("enter the amount without a sign")]
    Signed,
    #[error("the currency has at most {allowed} decimal digits")]
    TooManyDecimals { allowed: u32 },
    /// `5e3`: scientific notation hides how many zeros were meant.
    #[error("write the amount out in digits, without an exponent")]
    Exponent,
    /// Commas that do not group the integer part by thousands (`1,23,4`, `500,50`).
    #[error("commas may only separate thousands")]
    Grouping,
    /// Letters (Latin, Chinese numerals, look-alikes such as `5OO`) that are not a currency.
    #[error("the amount contains letters")]
    Letters,
    /// Digits of another script (`٥٠٠`, `〇`, `Ⅴ`): only 0–9 are read.
    #[error("use the digits 0 to 9")]
    UnsupportedDigits,
    /// A symbol, punctuation mark or invisible character that has no place in an amount.
    #[error("the amount contains a character that is not allowed")]
    UnexpectedCharacter,
    /// `NaN`, `inf`, `∞`: not an amount of money.
    #[error("the amount is not a number")]
    NotANumber,
    /// A currency sign or code other than the account's (`$500` for a yuan account).
    #[error("the currency does not match the account's")]
    CurrencyMismatch,
    #[error("an amount has at most {max_integer_digits} digits before the decimal point")]
    TooLarge { max_integer_digits: u32 },
    /// Two decimal points, a space inside the number, a point without digits on both sides.
    #[error("the amount is not well formed")]
    Malformed,
}

/// Reads what the customer typed as an amount of `currency`.
pub fn parse_typed_amount(text: &str, currency: Currency) -> Result<Amount, AmountInputError> {
    let text = fold_full_width(text);
    let text = text.trim();
    if text.is_empty() {
        return Err(AmountInputError::Empty);
    }
    let outer = peel(text);
    let agrees = |marker: Option<&Marker>| marker.is_none_or(|m| m.means.contains(&currency));
    if !agrees(outer.prefix) || !agrees(outer.suffix) {
        return Err(AmountInputError::CurrencyMismatch);
    }
    let number = outer.number;
    if number.is_empty() {
        return Err(if outer.signed {
            AmountInputError::Signed
        } else {
            AmountInputError::Empty
        });
    }
    if is_not_a_number(number) {
        return Err(AmountInputError::NotANumber);
    }
    if outer.signed {
        return Err(AmountInputError::Signed);
    }
    if is_exponent(number) {
        return Err(AmountInputError::Exponent);
    }
    // The most telling reason wins: "500 dollars" has letters, not just a stray space.
    if let Some(refusal) = number.chars().filter_map(refusal_of).min_by_key(rank) {
        return Err(refusal);
    }
    read_number(number, currency)
}

/// Full-width ASCII (what a Chinese input method gives: `５００．５０`, `，`, `＄`, `ｅ`) and
/// the full-width yen sign as their ordinary forms, so one grammar covers both.
fn fold_full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            '\u{FFE5}' => '¥',
            '\u{FFE0}' => '¢',
            '\u{FFE1}' => '£',
            '\u{FFE6}' => '₩',
            other => other,
        })
        .collect()
}

fn is_sign(c: char) -> bool {
    // ASCII plus and hyphen-minus, the minus sign, and the small and hyphen look-alikes.
    matches!(
        c,
        '+' | '-'
            | '\u{2212}'
            | '\u{FE62}'
            | '\u{FE63}'
            | '\u{2010}'
            | '\u{2011}'
            | '\u{2012}'
            | '\u{2013}'
            | '\u{2014}'
    )
}

/// The text split into its markers, the signs found around the number, and the number.
struct Outer<'a> {
    prefix: Option<&'static Marker>,
    suffix: Option<&'static Marker>,
    signed: bool,
    number: &'a str,
}

/// Takes spaces, signs and at most one currency marker off each end: `- ¥ 500 元`.
fn peel(text: &str) -> Outer<'_> {
    let mut outer = Outer {
        prefix: None,
        suffix: None,
        signed: false,
        number: text,
    };
    loop {
        let rest = outer.number.trim_start();
        if let Some(after) = rest.strip_prefix(is_sign) {
            outer.signed = true;
            outer.number = after;
        } else if let Some((marker, after)) =
            markers::strip_prefix(rest).filter(|_| outer.prefix.is_none())
        {
            outer.prefix = Some(marker);
            outer.number = after;
        } else {
            outer.number = rest;
            break;
        }
    }
    loop {
        let rest = outer.number.trim_end();
        if let Some(before) = rest.strip_suffix(is_sign) {
            outer.signed = true;
            outer.number = before;
        } else if let Some((marker, before)) =
            markers::strip_suffix(rest).filter(|_| outer.suffix.is_none())
        {
            outer.suffix = Some(marker);
            outer.number = before;
        } else {
            outer.number = rest;
            break;
        }
    }
    outer
}

fn is_not_a_number(number: &str) -> bool {
    number.contains('∞')
        || ["nan", "inf", "infinity"]
            .iter()
            .any(|word| number.eq_ignore_ascii_case(word))
}

/// Digits (with points or commas), `e` or `E`, an optional sign, digits: `5e3`, `1.5E-2`.
fn is_exponent(number: &str) -> bool {
    let Some((mantissa, exponent)) = number.split_once(['e', 'E']) else {
        return false;
    };
    let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    mantissa.starts_with(|c: char| c.is_ascii_digit())
        && mantissa
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        && !exponent.is_empty()
        && exponent.chars().all(|c| c.is_ascii_digit())
}

/// Why `c` cannot be part of a number, if it cannot.
fn refusal_of(c: char) -> Option<AmountInputError> {
    Some(match c {
        '0'..='9' | '.' | ',' => return None,
        c if is_sign(c) => AmountInputError::Signed,
        c if c.is_whitespace() => AmountInputError::Malformed,
        c if c.is_numeric() => AmountInputError::UnsupportedDigits,
        c if c.is_alphabetic() => AmountInputError::Letters,
        _ => AmountInputError::UnexpectedCharacter,
    })
}

fn rank(refusal: &AmountInputError) -> u8 {
    match refusal {
        AmountInputError::Letters => 0,
        AmountInputError::UnsupportedDigits => 1,
        AmountInputError::UnexpectedCharacter => 2,
        AmountInputError::Signed => 3,
        _ => 4,
    }
}

/// `number` holds only ASCII digits, points and commas.
fn read_number(number: &str, currency: Currency) -> Result<Amount, AmountInputError> {
    let (integer, fraction) = match number.split_once('.') {
        Some((_, fraction)) if fraction.contains('.') => return Err(AmountInputError::Malformed),
        Some((integer, fraction)) => (integer, fraction),
        None => (number, ""),
    };
    if fraction.contains(',') {
        return Err(AmountInputError::Grouping);
    }
    if integer.is_empty() || (number.contains('.') && fraction.is_empty()) {
        return Err(AmountInputError::Malformed);
    }
    let digits = ungrouped(integer)?;
    let allowed = currency.minor_digits();
    if fraction.len() > allowed as usize {
        return Err(AmountInputError::TooManyDecimals { allowed });
    }
    let significant = digits.trim_start_matches('0');
    if significant.len() > MAX_INTEGER_DIGITS as usize {
        return Err(AmountInputError::TooLarge {
            max_integer_digits: MAX_INTEGER_DIGITS,
        });
    }
    // At most 15 + 2 digits: the minor units fit an i64.
    let padding = allowed as usize - fraction.len();
    let minor = significant
        .bytes()
        .chain(fraction.bytes())
        .chain(std::iter::repeat_n(b'0', padding))
        .fold(0_i64, |acc, digit| acc * 10 + i64::from(digit - b'0'));
    if minor == 0 {
        return Err(AmountInputError::Zero);
    }
    Amount::from_minor_units(minor, currency).map_err(|_| AmountInputError::TooLarge {
        max_integer_digits: MAX_INTEGER_DIGITS,
    })
}

/// The integer part without its thousands separators: either none, or every group of three
/// after a first group of one to three digits that does not start with 0.
fn ungrouped(integer: &str) -> Result<String, AmountInputError> {
    if !integer.contains(',') {
        return Ok(integer.to_owned());
    }
    let mut groups = integer.split(',');
    let first = groups.next().unwrap_or_default();
    let first_ok = (1..=3).contains(&first.len()) && !first.starts_with('0');
    if !first_ok || !groups.clone().all(|group| group.len() == 3) {
        return Err(AmountInputError::Grouping);
    }
    Ok(integer.replace(',', ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_forms_fold_to_their_ascii_forms() {
        assert_eq!(
            fold_full_width("１２３４５６７８９０．，＋－ｅＥ＄"),
            "1234567890.,+-eE$"
        );
        assert_eq!(fold_full_width("￥５００"), "¥500");
        // The ideographic space is left to trimming, and other text is untouched.
        assert_eq!(fold_full_width("\u{3000}人民币"), "\u{3000}人民币");
    }

    #[test]
    fn peeling_takes_spaces_signs_and_one_marker_from_each_end() {
        let outer = peel("- ¥ 500 元 ");
        assert!(outer.signed);
        assert_eq!(outer.prefix.map(|m| m.text), Some("¥"));
        assert_eq!(outer.suffix.map(|m| m.text), Some("元"));
        assert_eq!(outer.number, "500");

        let outer = peel("¥¥500");
        assert!(!outer.signed);
        assert_eq!(outer.number, "¥500");
    }

    #[test]
    fn exponent_notation_is_recognised_only_in_its_numeric_shape() {
        for text in ["5e3", "5E3", "1.5e-2", "1,000e+2"] {
            assert!(is_exponent(text), "{text}");
        }
        for text in ["e5", "5e", "5e+", "5ee3", "5e3.0", "500"] {
            assert!(!is_exponent(text), "{text}");
        }
    }

    #[test]
    fn thousands_groups_are_exactly_three_digits_after_a_short_first_group() {
        assert_eq!(ungrouped("1,234,567").unwrap(), "1234567");
        assert_eq!(ungrouped("123,456").unwrap(), "123456");
        assert_eq!(ungrouped("1234567").unwrap(), "1234567");
        for text in [
            "1234,567", "1,23", "1,2345", ",123", "123,", "0,123", "1,,234",
        ] {
            assert_eq!(ungrouped(text), Err(AmountInputError::Grouping), "{text}");
        }
    }
}
