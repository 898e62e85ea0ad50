//! The payee's account number and bank code as the customer typed them, made into their wire
//! form and checked before anything is sent.
//!
//! People copy numbers printed in groups (`6222 0212 3456 7899`) and Chinese input methods
//! type full-width digits (`６２２２…`). Both are read: spaces (ASCII and the ideographic
//! space) are removed and full-width digits become ASCII ones, since neither can change which
//! account is meant. Anything else (dashes, letters, other scripts' digits) is refused, never
//! guessed, and the check digit catches a mistyped digit.

use mobank_protocol::transfer::account_number::{self, AccountNumberError};

use crate::input::InputError;

/// The wire form of a typed account number, check digit verified.
pub(crate) fn payee_account_number(typed: &str) -> Result<String, AccountNumberError> {
    let number: String = typed
        .chars()
        .filter(|c| *c != ' ' && *c != '\u{3000}')
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            other => other,
        })
        .collect();
    account_number::check(&number)?;
    Ok(number)
}

/// A bank code: 2 to 16 upper-case ASCII letters and digits, surrounding spaces ignored.
pub(crate) fn bank_code(typed: &str) -> Result<String, InputError> {
    let code = typed.trim();
    let valid = (2..=16).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if valid {
        Ok(code.to_owned())
    } else {
        Err(InputError {
            what: "a bank code has 2 to 16 upper-case letters and digits",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_and_full_width_numbers_read_as_their_digits() {
        assert_eq!(
            payee_account_number("4111 1111 1111 1111").unwrap(),
            "4111111111111111"
        );
        assert_eq!(
            payee_account_number("４１１１\u{3000}１１１１１１１１１１１１").unwrap(),
            "4111111111111111"
        );
    }

    #[test]
    fn a_wrong_check_digit_or_stray_character_is_refused_by_kind() {
        assert_eq!(
            payee_account_number("4111 1111 1111 1112"),
            Err(AccountNumberError::CheckDigit)
        );
        assert_eq!(
            payee_account_number("4111-1111-1111-1111"),
            Err(AccountNumberError::NotDigits)
        );
        assert_eq!(
            payee_account_number("٤١١١١١١١١١١١١١١١"),
            Err(AccountNumberError::NotDigits)
        );
        assert_eq!(payee_account_number("   "), Err(AccountNumberError::Length));
    }

    #[test]
    fn bank_codes_are_upper_case_letters_and_digits() {
        assert_eq!(bank_code(" MOBANK ").unwrap(), "MOBANK");
        assert!(bank_code("mobank").is_err());
        assert!(bank_code("M").is_err());
        assert!(bank_code("MO BANK").is_err());
    }
}
