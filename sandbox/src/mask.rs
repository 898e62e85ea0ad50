//! Masked forms of personal numbers: the API never sends a full phone or account number.

/// `+8613800138000` → `+86 138****8000`; other numbers keep their first three and last four
/// characters.
pub(crate) fn phone(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    if let Some(national) = number.strip_prefix("+86") {
        let digits: Vec<char> = national.chars().collect();
        if digits.len() == 11 {
            let head: String = digits[..3].iter().collect();
            let tail: String = digits[7..].iter().collect();
            return format!("+86 {head}****{tail}");
        }
    }
    if chars.len() < 9 {
        return "****".to_owned();
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

/// The last four characters of an account number: all a notice or a label ever shows of it.
pub(crate) fn last_four(number: &str) -> &str {
    number
        .char_indices()
        .rev()
        .nth(3)
        .map_or(number, |(index, _)| &number[index..])
}

/// `6222021234567890` → `6222 **** **** 7890`.
pub(crate) fn account_number(number: &str) -> String {
    let chars: Vec<char> = number.chars().filter(|c| !c.is_whitespace()).collect();
    if chars.len() < 12 {
        return "**** ****".to_owned();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head} **** **** {tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_mobile_numbers_keep_prefix_and_last_four() {
        assert_eq!(phone("+8613800138000"), "+86 138****8000");
    }

    #[test]
    fn other_numbers_keep_three_and_four() {
        assert_eq!(phone("+4915112345678"), "+49****5678");
        assert_eq!(phone("12345"), "****");
    }

    #[test]
    fn account_numbers_show_only_first_and_last_four() {
        assert_eq!(account_number("6222021234567890"), "6222 **** **** 7890");
        assert_eq!(
            account_number("6222 0212 3456 7890 123"),
            "6222 **** **** 0123"
        );
        assert_eq!(account_number("123"), "**** ****");
    }

    #[test]
    fn the_last_four_of_a_number_are_its_tail_or_all_of_a_short_one() {
        assert_eq!(last_four("6222021234567890"), "7890");
        assert_eq!(last_four("123"), "123");
    }
}
