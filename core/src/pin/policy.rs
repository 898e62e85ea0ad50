//! Which new PINs are refused, and why (docs/decisions/0011-pin-blocklist.md).
//!
//! A thief holding the phone gets five guesses at the bank before the binding is blocked, so
//! the PINs that matter are the ones people pick first: one digit repeated, runs, short
//! patterns, dates (a thief with the wallet has the ID card and its birth date), keypad shapes
//! and numbers with a meaning. The rules apply only when a PIN is *set* (binding, PIN change);
//! logging in with an existing PIN never runs them, so tightening them later locks nobody out.

use std::fmt;

use super::{Pin, PinError, PIN_LEN};

/// Why a new PIN was refused. The text is for the customer and contains no digits at all, so it
/// can never echo the PIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum PinRejection {
    /// Not exactly six ASCII digits.
    NotSixDigits,
    /// One digit six times: 000000, 777777.
    SameDigit,
    /// Digits that go up or down by the same step: 123456, 654321, 890123, 246802.
    Sequence,
    /// A short block repeated or mirrored, or doubled digits: 121212, 123123, 123321, 112233,
    /// 111222.
    Pattern,
    /// Reads as a date: YYMMDD, DDMMYY, MMDDYY or YYYYMM (years 1900 to 2099).
    Date,
    /// A keypad shape or a number with a meaning, from a fixed list: 147258, 159753, 201314.
    Common,
}

impl fmt::Display for PinRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotSixDigits => "a PIN is exactly six digits",
            Self::SameDigit => "a PIN must not repeat one digit",
            Self::Sequence => "a PIN must not be a run of digits going up or down",
            Self::Pattern => "a PIN must not repeat or mirror a short pattern",
            Self::Date => "a PIN must not be a date",
            Self::Common => "this PIN is too common",
        })
    }
}

/// Keypad shapes (rows, columns, diagonals, crosses on a 3×3 pad with 1 at the top left) and
/// numbers with a meaning (Chinese homophones of love and luck, famous constants) that the
/// patterns below do not already catch.
const COMMON: [&[u8; PIN_LEN]; 36] = [
    // Keypad columns, diagonals and turns.
    b"147258", b"258369", b"369258", b"147852", b"741852", b"852963", b"963852", b"159753",
    b"159357", b"357159", b"753951", b"951753", b"357951", b"123654", b"789456", b"456123",
    b"789123", b"123789", b"147369", b"369147", b"258147", b"741963", b"963741", b"321654",
    // 我爱你 (520/521), 一生一世 (1314), 要发 (168), 我要发 (518).
    b"520131", b"201314", b"131420", b"521314", b"131452", b"888168", b"168888", b"518888",
    // Constants and a classic.
    b"314159", b"271828", b"112358", b"102030",
];

/// Refuses PINs that are guessed first. Rules in order; the first that matches names the reason.
pub(crate) fn check_new_pin(pin: &Pin) -> Result<(), PinError> {
    rule_broken(pin).map_or(Ok(()), |reason| Err(PinError { reason }))
}

fn rule_broken(pin: &Pin) -> Option<PinRejection> {
    let digits = digits(pin.digits());
    if digits.iter().all(|&d| d == digits[0]) {
        return Some(PinRejection::SameDigit);
    }
    if is_sequence(&digits) {
        return Some(PinRejection::Sequence);
    }
    if is_pattern(&digits) {
        return Some(PinRejection::Pattern);
    }
    if is_date(&digits) {
        return Some(PinRejection::Date);
    }
    if COMMON.iter().any(|common| *common == pin.digits()) {
        return Some(PinRejection::Common);
    }
    None
}

fn digits(ascii: &[u8; PIN_LEN]) -> [u8; PIN_LEN] {
    ascii.map(|b| b.wrapping_sub(b'0'))
}

/// The same step, modulo 10, from each digit to the next (wrapping: 890123, 321098).
fn is_sequence(d: &[u8; PIN_LEN]) -> bool {
    let step = |a: u8, b: u8| (b + 10 - a) % 10;
    let first = step(d[0], d[1]);
    d.windows(2).all(|pair| step(pair[0], pair[1]) == first)
}

fn is_pattern(d: &[u8; PIN_LEN]) -> bool {
    let period_two = d[0] == d[2] && d[2] == d[4] && d[1] == d[3] && d[3] == d[5];
    let period_three = d[..3] == d[3..];
    let mirrored = d[0] == d[5] && d[1] == d[4] && d[2] == d[3];
    let doubled = d[0] == d[1] && d[2] == d[3] && d[4] == d[5];
    let tripled = d[0] == d[1] && d[1] == d[2] && d[3] == d[4] && d[4] == d[5];
    period_two || period_three || mirrored || doubled || tripled
}

fn is_date(d: &[u8; PIN_LEN]) -> bool {
    let two = |i: usize| u32::from(d[i]) * 10 + u32::from(d[i + 1]);
    let (first, middle, last) = (two(0), two(2), two(4));
    let year = two(0) * 100 + two(2);
    is_day_of_month(middle, last) // YYMMDD
        || is_day_of_month(middle, first) // DDMMYY
        || is_day_of_month(first, middle) // MMDDYY
        || ((1900..=2099).contains(&year) && (1..=12).contains(&last)) // YYYYMM
}

/// With a two-digit year the leap year is unknown, so 29 February always counts.
fn is_day_of_month(month: u32, day: u32) -> bool {
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => 29,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(digits: &str) -> Result<(), PinRejection> {
        check_new_pin(&Pin::from_digits(digits).unwrap()).map_err(|error| error.reason)
    }

    #[test]
    fn the_usual_suspects_are_refused_with_their_reason() {
        let cases = [
            ("111111", PinRejection::SameDigit),
            ("000000", PinRejection::SameDigit),
            ("123456", PinRejection::Sequence),
            ("654321", PinRejection::Sequence),
            ("012345", PinRejection::Sequence),
            ("890123", PinRejection::Sequence),
            ("246802", PinRejection::Sequence),
            ("121212", PinRejection::Pattern),
            ("123123", PinRejection::Pattern),
            ("520520", PinRejection::Pattern),
            ("123321", PinRejection::Pattern),
            ("112233", PinRejection::Pattern),
            ("111222", PinRejection::Pattern),
            ("900101", PinRejection::Date),
            ("311299", PinRejection::Date),
            ("122588", PinRejection::Date),
            ("199704", PinRejection::Date),
            ("200912", PinRejection::Date),
            ("147258", PinRejection::Common),
            ("159753", PinRejection::Common),
            ("201314", PinRejection::Common),
            ("314159", PinRejection::Common),
        ];
        for (pin, reason) in cases {
            assert_eq!(check(pin), Err(reason), "{pin}");
        }
    }

    #[test]
    fn reasons_never_contain_a_digit() {
        for reason in [
            PinRejection::NotSixDigits,
            PinRejection::SameDigit,
            PinRejection::Sequence,
            PinRejection::Pattern,
            PinRejection::Date,
            PinRejection::Common,
        ] {
            let text = reason.to_string();
            assert!(!text.bytes().any(|b| b.is_ascii_digit()), "{text}");
        }
    }

    #[test]
    fn ordinary_pins_pass() {
        for pin in ["482916", "305847", "918273", "640259", "273645"] {
            assert_eq!(check(pin), Ok(()), "{pin}");
        }
    }

    #[test]
    fn dates_need_a_real_month_and_day() {
        // 31 April, month 13, day 0, year 1899 are no dates.
        for pin in ["993104", "991301", "990100", "189912"] {
            assert_ne!(check(pin), Err(PinRejection::Date), "{pin}");
        }
        assert_eq!(check("290296"), Err(PinRejection::Date)); // 29 Feb in DDMMYY
    }

    #[test]
    fn the_refused_share_is_pinned() {
        // Pinned so a change of the rules is a conscious one; the figures are in the decision
        // record (docs/decisions/0011-pin-blocklist.md).
        let mut by_reason = std::collections::HashMap::new();
        for n in 0..1_000_000u32 {
            if let Err(reason) = check(&format!("{n:06}")) {
                *by_reason.entry(reason).or_insert(0u32) += 1;
            }
        }
        let total: u32 = by_reason.values().sum();
        assert_eq!(total, 89_200, "{by_reason:?}");
    }
}
