//! The rule for text that one party writes and another party reads: device names today, payee
//! names, memos and counterparty names next.
//!
//! Such text is shown on someone else's screen, so it must display as what it is. A right-to-left
//! override turns `Pixel\u{202E}gnp.exe` into something that reads "Pixelexe.png"; a zero-width
//! space makes two names that look the same compare different. The phone applies this rule before
//! it sends anything, and the bank applies it again to what it receives; both refuse rather than
//! silently strip, so what the writer typed and what the reader sees never differ.
//!
//! Accepted text is trimmed and NFC-normalised: the same visible name always has the same bytes.

use unicode_normalization::UnicodeNormalization;

/// Why a text was refused. The reason names the rule, never the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("the text is empty")]
    Empty,
    #[error("the text is longer than {max_chars} characters")]
    TooLong { max_chars: usize },
    /// A control character (C0, C1, DEL) or a line or paragraph separator.
    #[error("the text contains a control character or line break")]
    Control,
    /// U+202A–202E, U+2066–2069, U+200E/200F, U+061C: they reorder what is displayed.
    #[error("the text contains a bidirectional control character")]
    Bidi,
    /// Zero-width and other invisible format characters (U+200B–200D, U+2060–2064, U+FEFF,
    /// U+00AD, tag characters, …): they make different texts look the same.
    #[error("the text contains an invisible character")]
    Invisible,
    /// Letters of more than one of the Latin, Greek and Cyrillic scripts: `Аlice` with a
    /// Cyrillic `А` looks like `Alice` and is not. Only [`single_script_name`] checks this.
    #[error("the text mixes letters of look-alike scripts")]
    MixedScript,
}

/// Checks `text` against the rule and returns it trimmed and in NFC. `max_chars` counts
/// Unicode scalar values (code points) of the normalised text, not bytes.
pub fn display_text(text: &str, max_chars: usize) -> Result<String, TextError> {
    for c in text.chars() {
        if let Some(error) = refused(c) {
            return Err(error);
        }
    }
    let normalised: String = text.trim().nfc().collect();
    if normalised.is_empty() {
        return Err(TextError::Empty);
    }
    if normalised.chars().count() > max_chars {
        return Err(TextError::TooLong { max_chars });
    }
    Ok(normalised)
}

/// Whether `text` already satisfies the rule as is (trimmed, NFC, no refused character): what
/// a reader checks on text that a writer should have normalised.
pub fn is_display_text(text: &str, max_chars: usize) -> bool {
    display_text(text, max_chars).is_ok_and(|normalised| normalised == text)
}

/// [`display_text`], and letters of at most one of the scripts whose letters look alike
/// (Latin, Greek, Cyrillic): for a name the customer chooses and later picks from a list, where
/// a look-alike is a way to pass one entry off as another. Other scripts (Han, kana, digits,
/// emoji) mix freely with any one of them: `房东 Zhang` is one person's way to write a name.
pub fn single_script_name(text: &str, max_chars: usize) -> Result<String, TextError> {
    let normalised = display_text(text, max_chars)?;
    let mut seen: Option<LookAlikeScript> = None;
    for script in normalised.chars().filter_map(look_alike_script) {
        match seen {
            Some(first) if first != script => return Err(TextError::MixedScript),
            _ => seen = Some(script),
        }
    }
    Ok(normalised)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum LookAlikeScript {
    Latin,
    Greek,
    Cyrillic,
}

fn look_alike_script(c: char) -> Option<LookAlikeScript> {
    if !c.is_alphabetic() {
        return None;
    }
    match u32::from(c) {
        0x0041..=0x005A
        | 0x0061..=0x007A
        | 0x00C0..=0x024F
        | 0x1E00..=0x1EFF
        | 0xFF21..=0xFF3A
        | 0xFF41..=0xFF5A => Some(LookAlikeScript::Latin),
        0x0370..=0x03FF | 0x1F00..=0x1FFF => Some(LookAlikeScript::Greek),
        0x0400..=0x052F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => {
            Some(LookAlikeScript::Cyrillic)
        }
        _ => None,
    }
}

fn refused(c: char) -> Option<TextError> {
    let code = u32::from(c);
    if c.is_control() || matches!(code, 0x2028 | 0x2029) {
        return Some(TextError::Control);
    }
    if matches!(code, 0x202A..=0x202E | 0x2066..=0x2069 | 0x200E | 0x200F | 0x061C) {
        return Some(TextError::Bidi);
    }
    if is_invisible(code) {
        return Some(TextError::Invisible);
    }
    None
}

/// The format characters (Unicode category Cf) that are not bidi controls, and the characters
/// that render as nothing although they are letters or marks (Hangul fillers, the combining
/// grapheme joiner, the Mongolian vowel separator).
fn is_invisible(code: u32) -> bool {
    matches!(
        code,
        0x00AD
            | 0x034F
            | 0x0600..=0x0605
            | 0x06DD
            | 0x070F
            | 0x0890..=0x0891
            | 0x08E2
            | 0x115F..=0x1160
            | 0x17B4..=0x17B5
            | 0x180B..=0x180F
            | 0x200B..=0x200D
            | 0x2060..=0x2065
            | 0x206A..=0x206F
            | 0x3164
            | 0xFEFF
            | 0xFFA0
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_in_any_script_are_accepted_trimmed() {
        assert_eq!(
            display_text("  Li Wei's Pixel 8 ", 64).unwrap(),
            "Li Wei's Pixel 8"
        );
        assert_eq!(display_text("李伟的手机", 64).unwrap(), "李伟的手机");
        assert_eq!(display_text("Zoë 📱", 64).unwrap(), "Zoë 📱");
    }

    #[test]
    fn decomposed_text_is_stored_composed() {
        // "e" + combining acute → "é" (U+00E9): one visible name, one byte string.
        assert_eq!(display_text("Rene\u{301}", 64).unwrap(), "Ren\u{e9}");
        assert!(!is_display_text("Rene\u{301}", 64));
        assert!(is_display_text("Ren\u{e9}", 64));
    }

    #[test]
    fn every_bidi_control_is_refused() {
        for c in (0x202A..=0x202E)
            .chain(0x2066..=0x2069)
            .chain([0x200E, 0x200F, 0x061C])
        {
            let text = format!("Pixel{}gnp.exe", char::from_u32(c).unwrap());
            assert_eq!(display_text(&text, 64), Err(TextError::Bidi), "U+{c:04X}");
        }
    }

    #[test]
    fn zero_width_and_other_invisible_characters_are_refused() {
        for c in [
            0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x034F, 0x180E, 0x3164, 0xE0041,
        ] {
            let text = format!("Li{}Wei", char::from_u32(c).unwrap());
            assert_eq!(
                display_text(&text, 64),
                Err(TextError::Invisible),
                "U+{c:04X}"
            );
        }
    }

    #[test]
    fn control_characters_and_line_breaks_are_refused() {
        for c in [
            '\n', '\r', '\t', '\u{0}', '\u{7f}', '\u{85}', '\u{2028}', '\u{2029}',
        ] {
            let text = format!("Li{c}Wei");
            assert_eq!(display_text(&text, 64), Err(TextError::Control), "{c:?}");
        }
    }

    #[test]
    fn length_counts_code_points_after_normalisation() {
        assert!(display_text(&"伟".repeat(64), 64).is_ok());
        assert_eq!(
            display_text(&"伟".repeat(65), 64),
            Err(TextError::TooLong { max_chars: 64 })
        );
        // 64 decomposed "é" are 128 code points typed but 64 once composed.
        assert!(display_text(&"e\u{301}".repeat(64), 64).is_ok());
    }

    #[test]
    fn a_name_mixing_latin_with_cyrillic_or_greek_letters_is_refused() {
        // Cyrillic А (U+0410), Greek ο (U+03BF).
        assert_eq!(
            single_script_name("\u{410}lice", 32),
            Err(TextError::MixedScript)
        );
        assert_eq!(
            single_script_name("Landl\u{3bf}rd", 32),
            Err(TextError::MixedScript)
        );
        assert_eq!(single_script_name("Алиса", 32).unwrap(), "Алиса");
        assert_eq!(
            single_script_name("房东 Zhang 2", 32).unwrap(),
            "房东 Zhang 2"
        );
        // The display-text rule still applies first.
        assert_eq!(
            single_script_name("房\u{200B}东", 32),
            Err(TextError::Invisible)
        );
    }

    #[test]
    fn blank_text_is_empty() {
        assert_eq!(display_text("   ", 64), Err(TextError::Empty));
        assert_eq!(display_text("", 64), Err(TextError::Empty));
    }
}
