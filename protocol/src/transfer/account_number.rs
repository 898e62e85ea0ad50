//! Account numbers as customers type and banks print them: 12 to 19 ASCII digits whose last digit
//! is a Luhn (mod 10) check digit, as on UnionPay cards and Chinese bank account numbers. The check
//! catches a mistyped digit and most swapped neighbours before anything reaches the bank.

pub const MIN_DIGITS: usize = 12;
pub const MAX_DIGITS: usize = 19;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AccountNumberError {
    #[error("an account number has 12 to 19 digits")]
    Length,
    #[error("an account number has only digits")]
    NotDigits,
    #[error("the account number's check digit is wrong")]
    CheckDigit,
}

/// Checks an account number in its wire form (digits only, no spaces).
pub fn check(number: &str) -> Result<(), AccountNumberError> {
    if !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AccountNumberError::NotDigits);
    }
    if !(MIN_DIGITS..=MAX_DIGITS).contains(&number.len()) {
        return Err(AccountNumberError::Length);
    }
    if !luhn_sum(number.bytes().rev()).is_multiple_of(10) {
        return Err(AccountNumberError::CheckDigit);
    }
    Ok(())
}

/// The check digit that makes `body` (digits only) a valid account number when appended.
pub fn check_digit(body: &str) -> Option<u8> {
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Appending a 0 and completing its sum to a multiple of ten gives the digit.
    let sum = luhn_sum(std::iter::once(b'0').chain(body.bytes().rev()));
    Some(((10 - sum % 10) % 10) as u8)
}

/// Only the last four digits, as every screen and log shows an account: `**** 7890`.
pub fn masked(number: &str) -> String {
    let tail: String = number
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("**** {tail}")
}

/// Luhn's sum over digits given from the rightmost: every second one doubled, 9 subtracted
/// from doubles above 9.
fn luhn_sum(digits_from_right: impl Iterator<Item = u8>) -> u32 {
    digits_from_right
        .enumerate()
        .map(|(position, digit)| {
            let value = u32::from(digit - b'0');
            if position % 2 == 1 {
                let doubled = value * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                value
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_luhn_examples_check() {
        // The standard example numbers of the Luhn algorithm.
        assert_eq!(check("79927398713"), Err(AccountNumberError::Length));
        assert_eq!(check("4111111111111111"), Ok(()));
        assert_eq!(check("6011111111111117"), Ok(()));
        assert_eq!(
            check("4111111111111112"),
            Err(AccountNumberError::CheckDigit)
        );
    }

    #[test]
    fn a_computed_check_digit_makes_a_valid_number() {
        for body in ["622202123456789", "62220298765400", "621700000000000000"] {
            let digit = check_digit(body).unwrap();
            assert_eq!(check(&format!("{body}{digit}")), Ok(()), "{body}");
            let wrong = (digit + 1) % 10;
            assert_eq!(
                check(&format!("{body}{wrong}")),
                Err(AccountNumberError::CheckDigit)
            );
        }
    }

    #[test]
    fn a_swapped_pair_of_neighbours_is_caught() {
        assert_eq!(check("4111111111111111"), Ok(()));
        assert_eq!(
            check("1411111111111111"),
            Err(AccountNumberError::CheckDigit)
        );
    }

    #[test]
    fn malformed_numbers_are_refused_by_kind() {
        assert_eq!(
            check("6222 0212 3456 7890"),
            Err(AccountNumberError::NotDigits)
        );
        assert_eq!(
            check("６２２２０２１２３４５６７８９０"),
            Err(AccountNumberError::NotDigits)
        );
        assert_eq!(check("12345678901"), Err(AccountNumberError::Length));
        assert_eq!(check(&"4".repeat(20)), Err(AccountNumberError::Length));
        assert_eq!(check(""), Err(AccountNumberError::Length));
    }

    #[test]
    fn masking_keeps_the_last_four_digits_only() {
        assert_eq!(masked("6222021234567890"), "**** 7890");
    }
}
