//! The `bank_responses` target reads what the core's client reads: every response type the core
//! asks for is listed, the vectors' responses parse under a success status, and an error body
//! is read only under an error status.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::{Path, PathBuf};

use mobank_fuzz::bank_responses::{check_body, selector, RESPONSES};
use mobank_fuzz::vectors;

fn input(status: u16, json: &serde_json::Value) -> Vec<u8> {
    let mut bytes = vec![selector(status)];
    bytes.extend(serde_json::to_vec(json).unwrap());
    bytes
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

#[test]
fn every_response_type_the_core_asks_the_bank_for_is_listed() {
    let core = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/src");
    let mut files = Vec::new();
    rust_files(&core, &mut files);
    let mut asked = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        // `post::<_, LoginResponse>(`, `get_authorized::<AccountsResponse>(`, possibly split
        // over lines by rustfmt.
        let text: String = text.split_whitespace().collect();
        for (at, _) in text.match_indices("::<") {
            let before = &text[..at];
            let call = before.rsplit('.').next().unwrap_or("");
            if !(call.starts_with("post") || call.starts_with("get")) {
                continue;
            }
            let inside = &text[at + 3..];
            let Some(end) = inside.find('>') else {
                continue;
            };
            let name = inside[..end].rsplit(',').next().unwrap().to_owned();
            if name != "_" && !asked.contains(&name) {
                asked.push(name);
            }
        }
    }
    assert!(asked.len() >= 10, "found only {asked:?}");
    for name in &asked {
        assert!(
            RESPONSES.iter().any(|(listed, _)| listed == name),
            "the core reads {name}, which the target does not"
        );
    }
}

#[test]
fn the_vectors_responses_parse_under_a_success_status_and_not_under_an_error_status() {
    let mut parsed = 0;
    for example in &vectors::messages().messages {
        if RESPONSES.iter().any(|(name, _)| *name == example.type_name) {
            assert!(
                check_body(&input(200, &example.json)) >= 1,
                "{}",
                example.type_name
            );
            parsed += 1;
        }
        if example.type_name == "ErrorBody" {
            assert_eq!(check_body(&input(409, &example.json)), 1);
        } else {
            assert_eq!(
                check_body(&input(401, &example.json)),
                0,
                "{}",
                example.type_name
            );
        }
    }
    assert!(parsed > 0);
    let with_examples: Vec<&str> = vectors::messages()
        .messages
        .iter()
        .map(|example| example.type_name.as_str())
        .collect();
    for (name, _) in RESPONSES {
        assert_eq!(
            with_examples.contains(name),
            !WITHOUT_MESSAGE_EXAMPLES.contains(name),
            "{name}: has a message example in messages.json exactly when it is not listed \
             as having none"
        );
    }
}

/// Responses messages.json has no example of yet: the fuzzer starts from the seeds of
/// `seeds.rs` for them alone. A type given an example must leave this list (the test says so).
const WITHOUT_MESSAGE_EXAMPLES: [&str; 6] = [
    "ChannelsResponse",
    "QuoteResponse",
    "TransferResponse",
    "PayeeCheckResponse",
    "PayeesResponse",
    "PayeeView",
];

#[test]
fn no_cut_of_a_vector_response_panics() {
    for example in &vectors::messages().messages {
        let bytes = input(200, &example.json);
        for end in 0..=bytes.len() {
            check_body(&bytes[..end]);
        }
    }
}
