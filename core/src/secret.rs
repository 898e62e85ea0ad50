//! Secrets the customer types or the bank hands out (activation codes, OTPs, session tokens).

use std::fmt;

use zeroize::Zeroizing;

/// A string that is wiped from memory when dropped and never shows up in `Debug` output.
///
/// It has no `Display` and no `Clone` on purpose: every copy of a secret is one more place
/// that has to be wiped, so reading it takes an explicit [`SecretString::expose_secret`].
pub struct SecretString(Zeroizing<String>);

impl SecretString {
    pub fn new(value: String) -> Self {
        Self(Zeroizing::new(value))
    }

    /// The secret itself. Keep the borrow short and do not copy it into a plain `String`.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        Self::new(value.to_owned())
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let secret = SecretString::from("483920");
        assert_eq!(format!("{secret:?}"), "***");
        assert_eq!(format!("{:?}", Some(&secret)), "Some(***)");
        assert_eq!(secret.expose_secret(), "483920");
    }
}
