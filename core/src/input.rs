//! Local checks of what the customer typed, before anything goes to the bank.
//!
//! A malformed code or OTP is refused here so it never costs the customer one of the bank's
//! attempts, and the error describes the rule without echoing what was typed. Shared by the
//! features that take the customer's input (activation, auth, devices) and by opening Mobank.

use mobank_protocol::b64;
use mobank_protocol::text::{display_text, TextError};
use mobank_protocol::transfer::ReceiptKey;

/// Why an input was refused. `what` states the rule; it never contains the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct InputError {
    pub what: &'static str,
}

const ACTIVATION_CODE_MIN: usize = 8;
const ACTIVATION_CODE_MAX: usize = 32;
pub(crate) const OTP_DIGITS: usize = 6;

/// Returns the code without surrounding whitespace (what people paste often has some).
/// Spaces and dashes may separate groups, as on a printed letter; the bank ignores them.
pub(crate) fn activation_code(code: &str) -> Result<&str, InputError> {
    let code = code.trim();
    let significant = code.bytes().filter(u8::is_ascii_alphanumeric).count();
    let well_formed = (ACTIVATION_CODE_MIN..=ACTIVATION_CODE_MAX).contains(&significant)
        && code.len() <= 2 * ACTIVATION_CODE_MAX
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b' ');
    if well_formed {
        Ok(code)
    } else {
        Err(InputError {
            what: "activation code must be 8 to 32 letters or digits, optionally grouped by spaces or dashes",
        })
    }
}

/// Returns the OTP without surrounding whitespace.
pub(crate) fn otp(otp: &str) -> Result<&str, InputError> {
    let otp = otp.trim();
    if otp.len() == OTP_DIGITS && otp.bytes().all(|b| b.is_ascii_digit()) {
        Ok(otp)
    } else {
        Err(InputError {
            what: "one-time password must be exactly 6 digits",
        })
    }
}

/// The text the OS shows in the biometric prompt: the customer must be told what they approve.
pub(crate) fn prompt(prompt: &str) -> Result<&str, InputError> {
    let prompt = prompt.trim();
    if prompt.is_empty() || prompt.chars().count() > 200 {
        Err(InputError {
            what: "prompt must be 1 to 200 characters",
        })
    } else {
        Ok(prompt)
    }
}

const DEVICE_NAME_MAX_CHARS: usize = 64;

/// The name shown in the customer's device list, on other devices too: it must display as what
/// it is (the shared rule for such text, `mobank_protocol::text`). Returned trimmed and in NFC.
pub(crate) fn device_name(name: &str) -> Result<String, InputError> {
    display_text(name, DEVICE_NAME_MAX_CHARS).map_err(|error| InputError {
        what: match error {
            TextError::Empty | TextError::TooLong { .. } => {
                "device name must be 1 to 64 characters"
            }
            TextError::Control => "device name must not contain control characters or line breaks",
            TextError::Bidi => "device name must not contain bidirectional control characters",
            TextError::Invisible => "device name must not contain invisible characters",
            // Not checked for device names.
            TextError::MixedScript => "device name mixes letters of look-alike scripts",
        },
    })
}

/// A device id as the bank issued it: short, printable ASCII.
pub(crate) fn device_id(id: &str) -> Result<&str, InputError> {
    if id.is_empty() || id.len() > 128 || !id.bytes().all(|b| b.is_ascii_graphic()) {
        Err(InputError {
            what: "device id must be 1 to 128 printable ASCII characters",
        })
    } else {
        Ok(id)
    }
}

pub(crate) fn platform(platform: &str) -> Result<&str, InputError> {
    match platform {
        "android" | "ios" | "other" => Ok(platform),
        _ => Err(InputError {
            what: "platform must be \"android\", \"ios\" or \"other\"",
        }),
    }
}

/// The bank's receipt keys from the configuration: at least one, each base64url (unpadded) of
/// an uncompressed P-256 point.
pub(crate) fn receipt_keys(keys: &[String]) -> Result<Vec<ReceiptKey>, InputError> {
    const BAD_KEY: InputError = InputError {
        what: "a receipt key must be base64url of a 65-byte uncompressed P-256 point",
    };
    if keys.is_empty() {
        return Err(InputError {
            what: "at least one receipt key is required",
        });
    }
    keys.iter()
        .map(|key| {
            b64::decode(key.trim())
                .ok()
                .and_then(|point| ReceiptKey::from_public_key(&point))
                .ok_or(BAD_KEY)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activation_codes_are_checked_for_length_and_alphabet() {
        assert_eq!(activation_code("  K7QF-93XZ-M2PA \n"), Ok("K7QF-93XZ-M2PA"));
        assert_eq!(activation_code("ABCDEFGH"), Ok("ABCDEFGH"));
        assert_eq!(activation_code("k7qf 93xz m2pa"), Ok("k7qf 93xz m2pa"));
        assert!(activation_code("ABCDEFG").is_err());
        assert!(activation_code("ABC-DEF-G").is_err());
        assert!(activation_code(&"A".repeat(33)).is_err());
        assert!(activation_code(&"-".repeat(70)).is_err());
        assert!(activation_code("ABCD_EFGH").is_err());
        assert!(activation_code("ABCD\tEFGH").is_err());
        assert!(activation_code("验证码验证码验证码").is_err());
    }

    #[test]
    fn otp_must_be_six_ascii_digits() {
        assert_eq!(otp(" 123456 "), Ok("123456"));
        assert!(otp("12345").is_err());
        assert!(otp("1234567").is_err());
        assert!(otp("12345a").is_err());
        // Full-width digits are digits to Unicode but not to the bank.
        assert!(otp("１２３４５６").is_err());
    }

    #[test]
    fn errors_never_contain_the_input() {
        let typed = "SECRET-CODE-WITH_UNDERSCORE";
        let error = activation_code(typed).unwrap_err();
        assert!(!error.what.contains(typed));
        assert!(!otp("98765").unwrap_err().what.contains("98765"));
    }

    #[test]
    fn prompt_device_name_and_platform_are_bounded() {
        assert!(prompt("   ").is_err());
        assert_eq!(prompt(" Log in to Mobank "), Ok("Log in to Mobank"));
        assert!(device_name("").is_err());
        assert!(device_name("Pixel\n8").is_err());
        assert_eq!(device_name(" Pixel 8 "), Ok("Pixel 8".to_owned()));
        assert!(device_name(&"字".repeat(64)).is_ok());
        assert!(device_name(&"字".repeat(65)).is_err());
        assert!(platform("windows").is_err());
        assert_eq!(device_id("dev_7f3a"), Ok("dev_7f3a"));
        assert!(device_id("").is_err());
        assert!(device_id("dev 1").is_err());
        assert!(device_id(&"d".repeat(129)).is_err());
        assert_eq!(platform("ios"), Ok("ios"));
    }
}
