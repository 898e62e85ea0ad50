//! The test references in a Markdown document: inline code spans of the form
//! `path/to/file.rs::test_name` (also `.kt` and `.swift`), outside fenced code blocks.

/// One `path::name` reference and the line of the document it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub path: String,
    pub name: String,
    pub line: usize,
}

/// The source files a reference may point into.
const EXTENSIONS: [&str; 3] = [".rs", ".kt", ".swift"];

/// Every reference in `markdown`, in document order.
pub fn in_markdown(markdown: &str) -> Vec<Reference> {
    let mut references = Vec::new();
    let mut fenced = false;
    for (index, line) in markdown.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        references.extend(
            code_spans(line)
                .filter_map(reference)
                .map(|(path, name)| Reference {
                    path: path.to_owned(),
                    name: name.to_owned(),
                    line: index + 1,
                }),
        );
    }
    references
}

/// The contents of the single-backtick code spans of one line.
fn code_spans(line: &str) -> impl Iterator<Item = &str> {
    line.split('`').skip(1).step_by(2)
}

/// `(path, name)` if the span is a reference: a relative path without spaces ending in a
/// source extension, `::`, and a non-empty name.
fn reference(span: &str) -> Option<(&str, &str)> {
    let (path, name) = span.split_once("::")?;
    let name = name.trim();
    let is_path = !path.is_empty()
        && !path.starts_with('/')
        && !path.split('/').any(|part| part == "..")
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c))
        && EXTENSIONS.iter().any(|extension| path.ends_with(extension));
    (is_path && !name.is_empty()).then_some((path, name))
}
