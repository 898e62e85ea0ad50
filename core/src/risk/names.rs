//! Whether the payee name the customer typed is the name the bank registered. Spaces, case and
//! full-width Latin letters are how people type a name, not a different name; anything else is.

/// The name as compared: NFC is already applied to both sides (the display-text rule).
fn folded(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            // Full-width ASCII (！ to ～) typed by Chinese input methods.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

pub(super) fn same_name(typed: &str, registered: &str) -> bool {
    folded(typed) == folded(registered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacing_case_and_full_width_letters_do_not_make_another_name() {
        assert!(same_name("王 芳", "王芳"));
        assert!(same_name("zhang wei", "Zhang Wei"));
        assert!(same_name("ＺＨＡＮＧ　Ｗｅｉ", "Zhang Wei"));
    }

    #[test]
    fn another_character_is_another_name() {
        assert!(!same_name("王方", "王芳"));
        assert!(!same_name("张伟", "张玮"));
        assert!(!same_name("王芳芳", "王芳"));
    }
}
