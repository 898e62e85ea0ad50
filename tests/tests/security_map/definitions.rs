//! Whether a referenced test still exists: the file is there and defines a test function of
//! that name — a Rust `fn` under a `#[test]`-like attribute, a Kotlin `fun` under `@Test`, or
//! a Swift `func` that XCTest or Swift Testing runs.

use std::fmt;
use std::path::Path;

use crate::references::Reference;

/// Why a reference no longer holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    File,
    Function,
    NotATest,
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Missing::File => "no such file",
            Missing::Function => "the file defines no function of that name",
            Missing::NotATest => "the function is not a test",
        })
    }
}

/// Whether the attributes above a definition (and before it on its line) make it a test.
type IsTest = fn(attributes: &str, name: &str) -> bool;

/// Checks one reference against the tree under `root`.
pub fn check(root: &Path, reference: &Reference) -> Result<(), Missing> {
    let source = std::fs::read_to_string(root.join(&reference.path)).map_err(|_| Missing::File)?;
    let name = reference.name.as_str();
    let (heads, is_test): (Vec<String>, IsTest) = match reference
        .path
        .rsplit_once('.')
        .map(|(_, extension)| extension)
    {
        Some("rs") => (vec![format!("fn {name}(")], rust_test),
        Some("kt") => (
            vec![format!("fun `{name}`("), format!("fun {name}(")],
            kotlin_test,
        ),
        Some("swift") => (vec![format!("func {name}(")], swift_test),
        _ => return Err(Missing::File),
    };
    let lines: Vec<&str> = source.lines().collect();
    let mut found = false;
    for (at, line) in lines.iter().enumerate() {
        let Some(column) = heads.iter().find_map(|head| line.find(head.as_str())) else {
            continue;
        };
        let before = &line[..column];
        if !before.is_empty() && !before.ends_with(char::is_whitespace) {
            continue;
        }
        found = true;
        if is_test(&attributes_above(&lines, at, before), name) {
            return Ok(());
        }
    }
    Err(if found {
        Missing::NotATest
    } else {
        Missing::Function
    })
}

/// The attribute and comment lines right above line `at`, and whatever precedes the
/// definition on its own line (`@Test fun …`, `async`, `pub`).
fn attributes_above(lines: &[&str], at: usize, same_line: &str) -> String {
    let mut above: Vec<&str> = lines[..at]
        .iter()
        .rev()
        .map(|line| line.trim())
        .take_while(|line| line.starts_with('#') || line.starts_with('@') || line.starts_with("//"))
        .collect();
    above.push(same_line);
    above.join("\n")
}

fn rust_test(attributes: &str, _name: &str) -> bool {
    attributes
        .lines()
        .any(|line| line.starts_with("#[") && (line.contains("test]") || line.contains("test(")))
}

fn kotlin_test(attributes: &str, _name: &str) -> bool {
    attributes.contains("@Test")
}

fn swift_test(attributes: &str, name: &str) -> bool {
    name.starts_with("test") || attributes.contains("@Test")
}
