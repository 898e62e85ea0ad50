//! The bank's side of the display-text rule (`mobank_protocol::text`): text that one party
//! writes and another reads — a device name another device lists, a payer's name and memo the
//! customer reads in the history — must already be what it will be shown as. The bank refuses
//! rather than normalises, so the writer learns its text was not what it looked like.

use mobank_protocol::text::{display_text, is_display_text, TextError};

use crate::error::{ApiFailure, SandboxError};

/// Longest device name, payer or payee name.
pub(crate) const MAX_NAME_CHARS: usize = 64;
/// Longest memo or counterparty text in a history row.
pub(crate) const MAX_HISTORY_TEXT_CHARS: usize = 200;

/// Which text was refused and by which rule; never the text itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct TextRefused {
    /// The request field, e.g. `device name`, `counterparty_name`, `memo`.
    pub field: &'static str,
    pub reason: Reason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Reason {
    #[error("{0}")]
    Rule(TextError),
    #[error("the text must be trimmed and in Unicode NFC")]
    NotNormalised,
}

/// `Ok` if `text` passes `display_text(text, max_chars)` and is already in the form it
/// returns (trimmed, NFC).
pub(crate) fn require(
    text: &str,
    max_chars: usize,
    field: &'static str,
) -> Result<(), TextRefused> {
    let refused = |reason| TextRefused { field, reason };
    display_text(text, max_chars).map_err(|error| refused(Reason::Rule(error)))?;
    if is_display_text(text, max_chars) {
        Ok(())
    } else {
        Err(refused(Reason::NotNormalised))
    }
}

/// The same, for text that may also be empty (a memo).
pub(crate) fn require_or_empty(
    text: &str,
    max_chars: usize,
    field: &'static str,
) -> Result<(), TextRefused> {
    if text.is_empty() {
        Ok(())
    } else {
        require(text, max_chars, field)
    }
}

impl From<TextRefused> for ApiFailure {
    fn from(refused: TextRefused) -> Self {
        Self::bad_request(refused.to_string())
    }
}

impl From<TextRefused> for SandboxError {
    fn from(refused: TextRefused) -> Self {
        Self::InvalidText(refused)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refusal_names_the_field_and_the_rule_but_never_the_text() {
        let refused = require("Pixel\u{202E}gnp.exe", 64, "device name").unwrap_err();
        let message = refused.to_string();
        assert_eq!(
            message,
            "device name: the text contains a bidirectional control character"
        );
        assert!(!message.contains("Pixel"));
    }

    #[test]
    fn text_that_display_text_would_change_is_refused() {
        for (text, expected) in [
            (" Pixel", Reason::NotNormalised),
            ("Rene\u{301}", Reason::NotNormalised),
            ("", Reason::Rule(TextError::Empty)),
            ("Li\u{200B}Wei", Reason::Rule(TextError::Invisible)),
            ("a\u{7}", Reason::Rule(TextError::Control)),
        ] {
            assert_eq!(
                require(text, 64, "name").map_err(|refused| refused.reason),
                Err(expected),
                "{text:?}"
            );
        }
        assert_eq!(require("Ren\u{e9}", 64, "name"), Ok(()));
        assert_eq!(require_or_empty("", 64, "memo"), Ok(()));
        assert!(require_or_empty(" ", 64, "memo").is_err());
    }
}
