//! The `messages` target is only complete if it checks every type the protocol crate can parse
//! from JSON; these tests fail when a type is added there and not to `CHECKS`, and when an
//! example of `messages.json` does not parse as the type it names.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use mobank_fuzz::message_types::{check_of, CHECKS};
use mobank_fuzz::vectors;

/// Every source file of the protocol crate, read at run time so a new module is scanned without
/// being listed here: (path below `protocol/src`, text). The vector-file layout is left out: it
/// describes test files, not messages.
fn protocol_sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../protocol/src");
    let mut pending = vec![root.clone()];
    let mut sources = Vec::new();
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let relative = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if relative == "vectors" || relative == "vectors.rs" {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else if relative.ends_with(".rs") {
                sources.push((relative, fs::read_to_string(&path).unwrap()));
            }
        }
    }
    sources.sort();
    sources
}

fn source(relative: &str) -> String {
    let sources = protocol_sources();
    let found = sources.into_iter().find(|(path, _)| path == relative);
    found
        .unwrap_or_else(|| panic!("no protocol/src/{relative}"))
        .1
}

/// Names of the `pub struct`/`pub enum` items whose attributes derive `Deserialize`.
fn deserialisable_types(source: &str) -> BTreeSet<String> {
    let lines: Vec<&str> = source.lines().map(str::trim).collect();
    let mut names = BTreeSet::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(rest) = line
            .strip_prefix("pub struct ")
            .or_else(|| line.strip_prefix("pub enum "))
        else {
            continue;
        };
        let attributes = lines[..index]
            .iter()
            .rev()
            .take_while(|l| l.starts_with("#[") || l.starts_with("///") || l.starts_with(')'));
        if attributes.clone().any(|l| l.contains("Deserialize")) {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            names.insert(name);
        }
    }
    names
}

#[test]
fn the_source_scan_finds_known_types() {
    // Guards the scan itself: if it found nothing, the next test could not fail.
    let found = deserialisable_types(&source("messages/login.rs"));
    for name in ["LoginRequest", "IntegritySignals", "LoginResponse"] {
        assert!(
            found.contains(name),
            "{name} not found in messages/login.rs"
        );
    }
    assert!(deserialisable_types(&source("messages/notices.rs")).contains("NoticeKind"));
    assert!(!deserialisable_types(&source("assertion.rs")).contains("AuthenticatorData"));
}

#[test]
fn every_deserialisable_protocol_type_is_checked() {
    let listed: BTreeSet<String> = CHECKS.iter().map(|(n, _)| (*n).to_owned()).collect();
    assert_eq!(listed.len(), CHECKS.len(), "a type is listed twice");
    let mut in_sources = BTreeSet::new();
    for (_, source) in protocol_sources() {
        in_sources.extend(deserialisable_types(&source));
    }
    let missing: Vec<_> = in_sources.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&in_sources).collect();
    assert!(
        missing.is_empty(),
        "not in message_types::CHECKS: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "in CHECKS but not in the protocol: {stale:?}"
    );
}

#[test]
fn every_message_example_parses_as_the_type_it_names() {
    let examples = &vectors::messages().messages;
    assert!(!examples.is_empty());
    for example in examples {
        let check = check_of(&example.type_name)
            .unwrap_or_else(|| panic!("{} is not in CHECKS", example.type_name));
        let bytes = serde_json::to_vec(&example.json).unwrap();
        assert!(
            check(&bytes),
            "{} example does not parse",
            example.type_name
        );
    }
}

#[test]
fn every_vector_assertion_parses_as_an_assertion() {
    let check = check_of("Assertion").unwrap();
    for (name, assertion) in vectors::all_assertions() {
        assert!(check(&serde_json::to_vec(assertion).unwrap()), "{name}");
    }
}

#[test]
fn a_check_refuses_another_types_json() {
    let check = check_of("LoginChallengeRequest").unwrap();
    assert!(!check(br#"{"activation_code":"x"}"#));
    assert!(check(br#"{"device_id":"dev_1"}"#));
}
