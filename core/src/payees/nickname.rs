//! The customer's name for a payee: the shared display-text rule, and letters of one
//! look-alike script, so no entry in the list can pass for another.

use mobank_protocol::messages::MAX_NICKNAME_CHARS;
use mobank_protocol::text::{single_script_name, TextError};

use crate::input::InputError;

/// The nickname trimmed and in NFC, or why it was refused (never the text itself).
pub(super) fn nickname(typed: &str) -> Result<String, InputError> {
    single_script_name(typed, MAX_NICKNAME_CHARS).map_err(|error| InputError {
        what: match error {
            TextError::Empty | TextError::TooLong { .. } => "a nickname has 1 to 32 characters",
            TextError::Control => "a nickname must not contain control characters or line breaks",
            TextError::Bidi => "a nickname must not contain bidirectional control characters",
            TextError::Invisible => "a nickname must not contain invisible characters",
            TextError::MixedScript => {
                "a nickname must not mix Latin, Greek or Cyrillic letters that look alike"
            }
        },
    })
}

/// A payee id as the bank issued it: short, printable ASCII. Anything else is no payee of
/// this customer's, and is not sent.
pub(super) fn payee_id(id: &str) -> Result<&str, InputError> {
    if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_graphic()) {
        Err(InputError {
            what: "a payee id is 1 to 64 printable ASCII characters",
        })
    } else {
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nickname_is_trimmed_and_kept_in_any_single_script() {
        assert_eq!(nickname("  房东 Zhang ").unwrap(), "房东 Zhang");
        assert_eq!(nickname("Хозяин").unwrap(), "Хозяин");
    }

    #[test]
    fn a_nickname_with_hidden_or_look_alike_characters_is_refused() {
        for refused in [
            "房东\u{202E}",
            "房\u{200B}东",
            "L\u{430}ndlord",
            "",
            &"房".repeat(MAX_NICKNAME_CHARS + 1),
        ] {
            assert!(nickname(refused).is_err(), "{refused:?}");
        }
    }

    #[test]
    fn a_payee_id_with_spaces_or_of_any_length_is_refused() {
        assert!(payee_id("pye_abc").is_ok());
        assert!(payee_id("").is_err());
        assert!(payee_id("pye abc").is_err());
        assert!(payee_id(&"p".repeat(65)).is_err());
    }
}
