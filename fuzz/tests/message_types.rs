//! The `messages` target is only complete if it checks every type the protocol crate can parse
//! from JSON; these tests fail when a type is added there and not to `CHECKS`, and when an
//! example of `messages.json` does not parse as the type it names.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use mobank_fuzz::message_types::{check_of, CHECKS};
use mobank_fuzz::vectors;

/// The protocol sources whose types travel as JSON.
const SOURCES: [(&str, &str); 3] = [
    (
        "messages.rs",
        include_str!("../../protocol/src/messages.rs"),
    ),
    ("error.rs", include_str!("../../protocol/src/error.rs")),
    (
        "assertion.rs",
        include_str!("../../protocol/src/assertion.rs"),
    ),
];

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
    let found = deserialisable_types(SOURCES[0].1);
    for name in ["LoginRequest", "NoticeKind", "CompleteActivationRequest"] {
        assert!(found.contains(name), "{name} not found in messages.rs");
    }
    assert!(!deserialisable_types(SOURCES[2].1).contains("AuthenticatorData"));
}

#[test]
fn every_deserialisable_protocol_type_is_checked() {
    let listed: BTreeSet<String> = CHECKS.iter().map(|(n, _)| (*n).to_owned()).collect();
    assert_eq!(listed.len(), CHECKS.len(), "a type is listed twice");
    let mut in_sources = BTreeSet::new();
    for (file, source) in SOURCES {
        let types = deserialisable_types(source);
        assert!(!types.is_empty(), "no types found in {file}");
        in_sources.extend(types);
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
