//! The rules every field of a canonical transfer must satisfy, checked the same way when the bank
//! reads a request, when the phone reads a quote, and when either decodes canonical bytes.

use crate::text::is_display_text;

/// The payee's registered name, in code points after NFC.
pub const MAX_PAYEE_NAME_CHARS: usize = 70;
/// A memo, in code points after NFC. An empty memo is allowed.
pub const MAX_MEMO_CHARS: usize = 140;
/// Acknowledged warnings a transfer can carry.
pub const MAX_WARNINGS: usize = 16;
const MAX_ID_LEN: usize = 64;
const MAX_WARNING_LEN: usize = 64;

/// A bank-issued identifier (account id, bank code): 1 to 64 printable ASCII characters.
pub(crate) fn is_identifier(text: &str) -> bool {
    !text.is_empty() && text.len() <= MAX_ID_LEN && text.bytes().all(|b| b.is_ascii_graphic())
}

/// A bank code: 2 to 16 upper-case ASCII letters and digits (`MOBANK`, `OTHERBANK1`).
pub(crate) fn is_bank_code(text: &str) -> bool {
    (2..=16).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

pub(crate) fn is_payee_name(text: &str) -> bool {
    is_display_text(text, MAX_PAYEE_NAME_CHARS)
}

pub(crate) fn is_memo(text: &str) -> bool {
    text.is_empty() || is_display_text(text, MAX_MEMO_CHARS)
}

/// `YYYY-MM-DD`, a real calendar date.
pub(crate) fn is_date(text: &str) -> bool {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    text.len() == 10 && time::Date::parse(text, &format).is_ok()
}

/// A warning code: lower-case ASCII letters, digits and `_`.
pub(crate) fn is_warning_code(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_WARNING_LEN
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Acknowledged warnings: at most [`MAX_WARNINGS`] codes, strictly ascending (sorted, no
/// repeats), so that one set of warnings has one encoding.
pub(crate) fn are_warnings(codes: &[String]) -> bool {
    codes.len() <= MAX_WARNINGS
        && codes.iter().all(|code| is_warning_code(code))
        && codes.windows(2).all(|pair| pair[0] < pair[1])
}
