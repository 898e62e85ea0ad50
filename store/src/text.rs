//! Case-insensitive matching for history search.
//!
//! Both sides are folded the same way: full-width Latin letters and digits (common in Chinese
//! input methods) become their ASCII forms, then Unicode lowercase. Chinese has no case, so a
//! Chinese needle matches as a plain substring.

/// The folded form of a search needle or of one field.
pub(crate) fn fold_into(text: &str, out: &mut String) {
    out.clear();
    for ch in text.chars() {
        let ch = match ch {
            // U+FF01..U+FF5E are the full-width forms of U+0021..U+007E.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(ch as u32 - 0xFEE0).unwrap_or(ch),
            '\u{3000}' => ' ',
            _ => ch,
        };
        if ch.is_ascii() {
            out.push(ch.to_ascii_lowercase());
        } else {
            out.extend(ch.to_lowercase());
        }
    }
}

/// A folded needle, with the scratch space to fold haystacks into without allocating per row.
pub(crate) struct Matcher {
    needle: String,
    ascii: bool,
    folded: String,
}

impl Matcher {
    pub fn new(needle: &str) -> Matcher {
        let mut folded_needle = String::new();
        fold_into(needle.trim(), &mut folded_needle);
        let ascii = folded_needle.is_ascii();
        Matcher {
            needle: folded_needle,
            ascii,
            folded: String::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.needle.is_empty()
    }

    pub fn matches(&mut self, haystack: &str) -> bool {
        if self.ascii && haystack.is_ascii() {
            // Most English fields: compare bytes case-insensitively, no folding copy.
            let (h, n) = (haystack.as_bytes(), self.needle.as_bytes());
            return n.len() <= h.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
        }
        fold_into(haystack, &mut self.folded);
        self.folded.contains(self.needle.as_str())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_full_width_forms() {
        let mut m = Matcher::new("ＡＴＭ");
        assert!(m.matches("atm withdrawal"));
        let mut m = Matcher::new("Starbucks");
        assert!(m.matches("星巴克 STARBUCKS 上海"));
        let mut m = Matcher::new("工资");
        assert!(m.matches("三月工资 Salary"));
        assert!(!m.matches("房租"));
        let mut m = Matcher::new("ÉCOLE");
        assert!(m.matches("frais d'école"));
    }
}
