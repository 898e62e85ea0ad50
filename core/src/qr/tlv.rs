//! Reading a list of data objects: a two-digit ID, a two-digit length counted in characters
//! (not bytes: a name in Chinese counts one per character), then the value.

use super::error::{QrError, Tag, Within};

/// A data object as read, its value borrowed from the payload.
pub(super) struct RawObject<'a> {
    pub id: u8,
    pub value: &'a str,
}

/// Reads `input` as a list of data objects, to its last character. `within` is the template
/// whose value `input` is, for the errors.
pub(super) fn read(input: &str, within: Option<Tag>) -> Result<Vec<RawObject<'_>>, QrError> {
    let within = Within(within);
    let mut objects = Vec::new();
    let mut position = 0;
    while position < input.len() {
        let header = input
            .as_bytes()
            .get(position..position + 4)
            .ok_or(QrError::Truncated { within })?;
        if !header.iter().all(u8::is_ascii_digit) {
            return Err(QrError::NotDigits { within });
        }
        let digit = |index: usize| header[index] - b'0';
        let id = digit(0) * 10 + digit(1);
        let length = usize::from(digit(2) * 10 + digit(3));
        if length == 0 {
            let tag = match within.0 {
                Some(template) => Tag::nested(template.id, id),
                None => Tag::root(id),
            };
            return Err(QrError::EmptyValue(tag));
        }
        // The header is ASCII, so the value starts on a character boundary.
        let start = position + 4;
        let rest = &input[start..];
        let end = match rest.char_indices().nth(length) {
            Some((offset, _)) => start + offset,
            None if rest.chars().count() == length => input.len(),
            None => return Err(QrError::Truncated { within }),
        };
        objects.push(RawObject {
            id,
            value: &input[start..end],
        });
        position = end;
    }
    Ok(objects)
}

/// The value of the data object `id`, if present (IDs are checked unique before this is used).
pub(super) fn find<'a>(objects: &[RawObject<'a>], id: u8) -> Option<&'a str> {
    objects
        .iter()
        .find(|object| object.id == id)
        .map(|object| object.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids_and_values(input: &str) -> Vec<(u8, &str)> {
        read(input, None)
            .unwrap()
            .into_iter()
            .map(|object| (object.id, object.value))
            .collect()
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        assert_eq!(
            ids_and_values("0104最佳运输0202北京"),
            [(1, "最佳运输"), (2, "北京")]
        );
    }

    #[test]
    fn a_value_shorter_than_its_length_is_truncated() {
        assert!(matches!(
            read("0105abcd", None),
            Err(QrError::Truncated { .. })
        ));
        assert!(matches!(read("010", None), Err(QrError::Truncated { .. })));
    }

    #[test]
    fn a_header_with_a_non_digit_is_refused() {
        for input in ["0A02ab", "01x2ab", "01 2ab", "０１02ab"] {
            assert!(
                matches!(read(input, None), Err(QrError::NotDigits { .. })),
                "{input}"
            );
        }
    }
}
