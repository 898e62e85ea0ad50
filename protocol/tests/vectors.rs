//! Checks the code against the committed `vectors/*.json`: the bytes the code builds from the
//! inputs, what `verify` accepts and rejects, and the JSON of every message.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/vector_file.rs"]
mod vector_file;

use std::collections::BTreeSet;

use mobank_protocol::assertion::{rp_id_hash, verify};
use mobank_protocol::messages::{ChallengeResponse, LoginRequest};
use mobank_protocol::{b64, signed_bytes, Assertion, AuthenticatorData, ClientData, VerifyError};
use ring::digest::{digest, SHA256};
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};
use serde_json::Value;
use vector_file::{
    AnyMessage, AssertionVectors, Direction, MessageExample, MessageExamples, TestKey,
};

const ASSERTIONS: &str = include_str!("../vectors/assertions.json");
const MESSAGES: &str = include_str!("../vectors/messages.json");

fn assertion_vectors() -> AssertionVectors {
    serde_json::from_str(ASSERTIONS).unwrap()
}

fn message_examples() -> MessageExamples {
    serde_json::from_str(MESSAGES).unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn key<'a>(vectors: &'a AssertionVectors, name: &str) -> &'a TestKey {
    vectors
        .keys
        .iter()
        .find(|k| k.name == name)
        .unwrap_or_else(|| panic!("no key {name}"))
}

/// Exhaustive on purpose: a new `VerifyError` variant does not compile until it has a name here
/// and, through `invalid_vectors_cover_every_verify_error`, a vector.
fn error_name(error: &VerifyError) -> &'static str {
    match error {
        VerifyError::MalformedAuthenticatorData => "MalformedAuthenticatorData",
        VerifyError::MalformedClientData => "MalformedClientData",
        VerifyError::MalformedPublicKey => "MalformedPublicKey",
        VerifyError::RpIdMismatch => "RpIdMismatch",
        VerifyError::CeremonyMismatch => "CeremonyMismatch",
        VerifyError::ChallengeMismatch => "ChallengeMismatch",
        VerifyError::UserNotPresent => "UserNotPresent",
        VerifyError::UserNotVerified => "UserNotVerified",
        VerifyError::BadSignature => "BadSignature",
        VerifyError::CounterNotIncreasing { .. } => "CounterNotIncreasing",
    }
}

const ALL_ERRORS: [VerifyError; 10] = [
    VerifyError::MalformedAuthenticatorData,
    VerifyError::MalformedClientData,
    VerifyError::MalformedPublicKey,
    VerifyError::RpIdMismatch,
    VerifyError::CeremonyMismatch,
    VerifyError::ChallengeMismatch,
    VerifyError::UserNotPresent,
    VerifyError::UserNotVerified,
    VerifyError::BadSignature,
    VerifyError::CounterNotIncreasing {
        stored: 0,
        received: 0,
    },
];

#[test]
fn assertion_file_is_exactly_what_the_generator_writes() {
    // Catches hand edits: the file must be the generator's output, byte for byte.
    let text = serde_json::to_string_pretty(&assertion_vectors()).unwrap() + "\n";
    assert!(
        text == ASSERTIONS,
        "vectors/assertions.json differs from its canonical form"
    );
}

#[test]
fn message_file_is_exactly_serde_output_in_declared_field_order() {
    let examples = message_examples();
    let typed = MessageExamples {
        description: examples.description,
        notes: examples.notes,
        messages: examples
            .messages
            .into_iter()
            .map(|m| MessageExample {
                json: AnyMessage::parse(&m.type_name, m.json).unwrap(),
                type_name: m.type_name,
                endpoint: m.endpoint,
                direction: m.direction,
                description: m.description,
            })
            .collect(),
    };
    let text = serde_json::to_string_pretty(&typed).unwrap() + "\n";
    assert!(
        text == MESSAGES,
        "vectors/messages.json differs from what serde produces"
    );
}

#[test]
fn test_keys_hold_the_published_public_keys() {
    let vectors = assertion_vectors();
    assert_eq!(vectors.keys.len(), 3);
    for key in &vectors.keys {
        let pkcs8 = b64::decode(&key.pkcs8_der).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(
            &ECDSA_P256_SHA256_ASN1_SIGNING,
            &pkcs8,
            &SystemRandom::new(),
        )
        .unwrap();
        let public_key = pair.public_key().as_ref();
        assert_eq!(public_key.len(), 65, "{}", key.name);
        assert_eq!(
            b64::decode(&key.public_key).unwrap(),
            public_key,
            "{}",
            key.name
        );
        assert_eq!(key.public_key_hex, hex(public_key), "{}", key.name);
    }
}

#[test]
fn valid_vectors_are_the_bytes_the_code_builds_from_their_inputs() {
    let vectors = assertion_vectors();
    assert!(vectors.valid.len() >= 4);
    for v in &vectors.valid {
        let inputs = &v.inputs;
        let challenge = b64::decode(&inputs.challenge).unwrap();
        assert_eq!(
            challenge.len(),
            mobank_protocol::CHALLENGE_LEN,
            "{}",
            v.name
        );

        let auth =
            AuthenticatorData::new(&inputs.rp_id, inputs.flags, inputs.sign_count).to_bytes();
        let client = ClientData {
            ceremony: inputs.ceremony,
            challenge: challenge.clone(),
            rp_id: inputs.rp_id.clone(),
        }
        .to_json();
        let signed = signed_bytes(&auth, &client);

        assert_eq!(
            v.rp_id_hash_hex,
            hex(&rp_id_hash(&inputs.rp_id)),
            "{}",
            v.name
        );
        assert_eq!(v.authenticator_data_hex, hex(&auth), "{}", v.name);
        assert_eq!(v.assertion.authenticator_data, auth, "{}", v.name);
        assert_eq!(
            v.client_data_json_text.as_bytes(),
            client.as_slice(),
            "{}",
            v.name
        );
        assert_eq!(v.assertion.client_data_json, client, "{}", v.name);
        assert_eq!(
            v.client_data_hash_hex,
            hex(digest(&SHA256, &client).as_ref()),
            "{}",
            v.name
        );
        assert_eq!(v.signed_bytes_hex, hex(&signed), "{}", v.name);
        assert_eq!(
            v.signature_der_hex,
            hex(&v.assertion.signature),
            "{}",
            v.name
        );

        let parsed = AuthenticatorData::parse(&v.assertion.authenticator_data).unwrap();
        assert_eq!(parsed.flags, inputs.flags, "{}", v.name);
        assert_eq!(parsed.sign_count, inputs.sign_count, "{}", v.name);
        assert_eq!(
            ClientData::parse(&client).unwrap().challenge,
            challenge,
            "{}",
            v.name
        );
    }
}

#[test]
fn counter_byte_order_vector_ends_in_01_02_03_04() {
    let vectors = assertion_vectors();
    let v = vectors
        .valid
        .iter()
        .find(|v| v.name == "login_counter_byte_order")
        .unwrap();
    assert_eq!(v.inputs.sign_count, 0x0102_0304);
    assert!(v.authenticator_data_hex.ends_with("01020304"));
}

#[test]
fn valid_vectors_verify() {
    let vectors = assertion_vectors();
    for v in &vectors.valid {
        let public_key = b64::decode(&key(&vectors, &v.key).public_key).unwrap();
        let challenge = b64::decode(&v.expectation.challenge).unwrap();

        let verified = verify(&v.assertion, &public_key, &v.expectation.borrow(&challenge))
            .unwrap_or_else(|e| panic!("{}: {e}", v.name));

        assert_eq!(verified.sign_count, v.expected.sign_count, "{}", v.name);
        assert_eq!(
            verified.user_verified, v.expected.user_verified,
            "{}",
            v.name
        );
        assert_eq!(v.assertion.factor, v.factor, "{}", v.name);
    }
}

#[test]
fn valid_vectors_fail_for_any_other_key() {
    // Proves the keys in the file are the ones that signed, not just any valid signatures.
    let vectors = assertion_vectors();
    for v in &vectors.valid {
        let challenge = b64::decode(&v.expectation.challenge).unwrap();
        for other in vectors.keys.iter().filter(|k| k.name != v.key) {
            let public_key = b64::decode(&other.public_key).unwrap();
            let outcome = verify(&v.assertion, &public_key, &v.expectation.borrow(&challenge));
            assert_eq!(
                outcome,
                Err(VerifyError::BadSignature),
                "{} with {}",
                v.name,
                other.name
            );
        }
    }
}

#[test]
fn invalid_vectors_fail_with_the_named_error() {
    let vectors = assertion_vectors();
    assert!(vectors.invalid.len() >= ALL_ERRORS.len());
    for v in &vectors.invalid {
        let public_key = b64::decode(&v.public_key).unwrap();
        let challenge = b64::decode(&v.expectation.challenge).unwrap();

        let outcome = verify(&v.assertion, &public_key, &v.expectation.borrow(&challenge));

        match outcome {
            Err(error) => assert_eq!(error_name(&error), v.expected_error, "{}", v.name),
            Ok(verified) => panic!(
                "{} verified ({verified:?}), expected {}",
                v.name, v.expected_error
            ),
        }
    }
}

#[test]
fn invalid_vectors_cover_every_verify_error() {
    let vectors = assertion_vectors();
    let named: BTreeSet<&str> = vectors
        .invalid
        .iter()
        .map(|v| v.expected_error.as_str())
        .collect();
    let all: BTreeSet<&str> = ALL_ERRORS.iter().map(error_name).collect();
    assert_eq!(named, all);
}

#[test]
fn vector_names_are_unique() {
    let vectors = assertion_vectors();
    let names: Vec<&str> = vectors
        .valid
        .iter()
        .map(|v| v.name.as_str())
        .chain(vectors.invalid.iter().map(|v| v.name.as_str()))
        .collect();
    let unique: BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len());
}

#[test]
fn vector_assertions_are_wire_json_that_round_trips() {
    let raw: Value = serde_json::from_str(ASSERTIONS).unwrap();
    let vectors = assertion_vectors();
    let valid = raw["valid"].as_array().unwrap();
    let invalid = raw["invalid"].as_array().unwrap();
    let typed = vectors
        .valid
        .iter()
        .map(|v| &v.assertion)
        .chain(vectors.invalid.iter().map(|v| &v.assertion));
    let wire = valid.iter().chain(invalid).map(|v| &v["assertion"]);
    for (typed, wire) in typed.zip(wire) {
        assert_eq!(&serde_json::to_value(typed).unwrap(), wire);
        assert_eq!(
            &serde_json::from_value::<Assertion>(wire.clone()).unwrap(),
            typed
        );
    }
}

/// Parses `json` strictly as the named type, serialises it, and reads that back as `Value`.
fn round_trip(type_name: &str, json: &Value) -> Result<Value, String> {
    let typed = AnyMessage::parse(type_name, json.clone())?;
    // Also through text, as a server reads a request body.
    let text = serde_json::to_string(&typed).map_err(|e| e.to_string())?;
    let reparsed: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let again = AnyMessage::parse(type_name, reparsed)?;
    serde_json::to_value(again).map_err(|e| e.to_string())
}

#[test]
fn every_message_example_deserializes_and_reserializes_to_identical_json() {
    for example in message_examples().messages {
        assert_eq!(
            round_trip(&example.type_name, &example.json).unwrap(),
            example.json,
            "{} ({})",
            example.type_name,
            example.endpoint
        );
    }
}

#[test]
fn message_examples_cover_every_request_and_response_type() {
    let examples = message_examples();
    let types: BTreeSet<&str> = examples
        .messages
        .iter()
        .map(|m| m.type_name.as_str())
        .collect();
    let expected: BTreeSet<&str> = [
        "IssueActivationRequest",
        "IssueActivationResponse",
        "SmsOutbox",
        "StartActivationRequest",
        "StartActivationResponse",
        "CompleteActivationRequest",
        "CompleteActivationResponse",
        "LoginChallengeRequest",
        "ChallengeResponse",
        "LoginRequest",
        "LoginResponse",
        "AccountsResponse",
        "ErrorBody",
    ]
    .into_iter()
    .collect();
    assert_eq!(types, expected);
    assert!(examples
        .messages
        .iter()
        .any(|m| m.direction == Direction::Error));
}

#[test]
fn message_examples_reject_an_added_field() {
    for example in message_examples().messages {
        let mut json = example.json.clone();
        json.as_object_mut()
            .unwrap()
            .insert("unexpected".to_owned(), Value::Bool(true));
        let outcome = round_trip(&example.type_name, &json);
        assert!(
            outcome.is_err(),
            "{} accepted an unknown field",
            example.type_name
        );
    }
}

#[test]
fn login_example_carries_assertions_that_verify_with_the_vector_keys() {
    let vectors = assertion_vectors();
    let examples = message_examples();
    let login = examples
        .messages
        .iter()
        .find(|m| m.type_name == "LoginRequest")
        .unwrap();
    let challenge = examples
        .messages
        .iter()
        .find(|m| m.type_name == "ChallengeResponse")
        .unwrap();
    let login: LoginRequest = serde_json::from_value(login.json.clone()).unwrap();
    let challenge: ChallengeResponse = serde_json::from_value(challenge.json.clone()).unwrap();
    assert_eq!(login.challenge_id, challenge.challenge_id);
    assert_eq!(login.assertions.len(), 2);
    for assertion in &login.assertions {
        let v = vectors
            .valid
            .iter()
            .find(|v| &v.assertion == assertion)
            .unwrap();
        let public_key = b64::decode(&key(&vectors, &v.key).public_key).unwrap();
        let expect = v.expectation.borrow(&challenge.challenge);
        assert!(
            verify(assertion, &public_key, &expect).is_ok(),
            "{}",
            v.name
        );
    }
}

#[test]
fn possession_test_key_has_the_fingerprint_in_the_docs() {
    let vectors = assertion_vectors();
    let public_key = b64::decode(&key(&vectors, "possession").public_key).unwrap();
    assert_eq!(
        mobank_protocol::assertion::key_fingerprint(&public_key),
        "353a 5931 bad0 f881"
    );
}
