//! The customer's PIN: six ASCII digits in memory that is wiped on drop, never a `String`, and
//! the rules a new one must pass (`policy.rs`).
//!
//! This folder holds no client: the layers below the clients (the knowledge key, signing, the
//! error mapping) need the PIN itself. Changing the PIN is a signed flow in the session and
//! lives with login and step-up in `auth/pin_change.rs` (`mobank.pin()`).

mod policy;

use std::fmt;

use zeroize::Zeroizing;

use crate::secret::SecretString;

pub(crate) use policy::check_new_pin;
pub use policy::PinRejection;

pub(crate) const PIN_LEN: usize = 6;

/// A PIN as the customer typed it. Construct with [`Pin::from_digits`] or `TryFrom`.
///
/// It has no `Clone`, no `Display`, and `Debug` prints `***`: every copy of a PIN is one more
/// place that has to be wiped. Whether the PIN is *right* is something only the bank can tell.
pub struct Pin(Zeroizing<[u8; PIN_LEN]>);

impl Pin {
    /// Exactly six ASCII digits, nothing around them. Anything else is refused with
    /// [`PinRejection::NotSixDigits`].
    pub fn from_digits(digits: &str) -> Result<Self, PinError> {
        let bytes = digits.as_bytes();
        if bytes.len() != PIN_LEN || !bytes.iter().all(u8::is_ascii_digit) {
            return Err(PinError {
                reason: PinRejection::NotSixDigits,
            });
        }
        let mut pin = Zeroizing::new([0u8; PIN_LEN]);
        pin.copy_from_slice(bytes);
        Ok(Self(pin))
    }

    /// The six ASCII digit bytes.
    pub(crate) fn digits(&self) -> &[u8; PIN_LEN] {
        &self.0
    }
}

impl TryFrom<SecretString> for Pin {
    type Error = PinError;

    fn try_from(digits: SecretString) -> Result<Self, PinError> {
        Self::from_digits(digits.expose_secret())
    }
}

impl TryFrom<&str> for Pin {
    type Error = PinError;

    fn try_from(digits: &str) -> Result<Self, PinError> {
        Self::from_digits(digits)
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// The phone refused a PIN before anything was sent: malformed, or too easy to guess for a new
/// PIN. Becomes `MobankError::PinRejected` with the same reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the PIN was refused: {reason}")]
pub struct PinError {
    pub reason: PinRejection,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_six_ascii_digits_make_a_pin() {
        assert_eq!(Pin::from_digits("482916").unwrap().digits(), b"482916");
        for bad in ["48291", "4829160", " 482916", "48291a", "４８２９１６", ""] {
            assert_eq!(
                Pin::from_digits(bad).unwrap_err(),
                PinError {
                    reason: PinRejection::NotSixDigits
                },
                "{bad:?}"
            );
        }
    }

    #[test]
    fn debug_never_shows_the_digits() {
        let pin = Pin::try_from(SecretString::from("482916")).unwrap();
        assert_eq!(format!("{pin:?}"), "***");
        assert_eq!(format!("{:?}", Some(&pin)), "Some(***)");
    }
}
