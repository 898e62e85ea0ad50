//! Checks the code against the committed `vectors/*.json`: the bytes the code builds from the
//! inputs, what `verify` and `verify_knowledge` accept and reject, and the JSON of every message.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use mobank_protocol::assertion::operations;
use mobank_protocol::assertion::{rp_id_hash, verify, verify_knowledge, KNOWLEDGE_KEY_LEN};
use mobank_protocol::messages::{
    ChallengeResponse, LoginRequest, ReenrolBiometricRequest, SmsOutbox, StartActivationResponse,
    TransactionsPage,
};
use mobank_protocol::vectors::{
    self, error_name, hex, AnyMessage, AssertionVectors, Direction, Inputs, KnowledgeVectors,
    MessageExample, MessageExamples, TestKey, ASSERTIONS_JSON, KNOWLEDGE_JSON, MESSAGES_JSON,
};
use mobank_protocol::{
    b64, signed_bytes, Assertion, AuthenticatorData, Ceremony, ClientData, Factor,
    VerifiedAssertion, VerifyError,
};
use ring::digest::{digest, SHA256};
use ring::hmac;
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};
use serde_json::Value;

fn assertion_vectors() -> &'static AssertionVectors {
    vectors::assertions()
}

fn knowledge_vectors() -> &'static KnowledgeVectors {
    vectors::knowledge()
}

fn knowledge_key(vectors: &KnowledgeVectors, name: &str) -> [u8; KNOWLEDGE_KEY_LEN] {
    vectors
        .key(name)
        .unwrap_or_else(|| panic!("no knowledge key {name}"))
}

/// The client data JSON a device builds from vector inputs.
fn client_data_json(inputs: &Inputs) -> Vec<u8> {
    ClientData {
        ceremony: inputs.ceremony,
        challenge: inputs.challenge.clone(),
        rp_id: inputs.rp_id.clone(),
        operation: inputs.operation.clone(),
    }
    .to_json()
}

/// Owned, because some tests take the examples apart.
fn message_examples() -> MessageExamples {
    serde_json::from_str(MESSAGES_JSON).unwrap()
}

fn key<'a>(vectors: &'a AssertionVectors, name: &str) -> &'a TestKey {
    vectors.key(name).unwrap_or_else(|| panic!("no key {name}"))
}

/// Every variant: through `invalid_vectors_cover_every_verify_error`, a new `VerifyError`
/// variant needs a vector as soon as it is added here (and `error_name` makes it be added).
const ALL_ERRORS: [VerifyError; 11] = [
    VerifyError::MalformedAuthenticatorData,
    VerifyError::MalformedClientData,
    VerifyError::MalformedPublicKey,
    VerifyError::RpIdMismatch,
    VerifyError::CeremonyMismatch,
    VerifyError::ChallengeMismatch,
    VerifyError::OperationMismatch,
    VerifyError::UserNotPresent,
    VerifyError::UserNotVerified,
    VerifyError::BadSignature,
    VerifyError::CounterNotIncreasing {
        stored: 0,
        received: 0,
    },
];

/// An invalid vector's outcome must be the error it names.
fn assert_fails_as_named(
    name: &str,
    expected_error: &str,
    outcome: Result<VerifiedAssertion, VerifyError>,
) {
    match outcome {
        Err(error) => assert_eq!(error_name(&error), expected_error, "{name}"),
        Ok(verified) => panic!("{name} verified ({verified:?}), expected {expected_error}"),
    }
}

/// Catches hand edits: a committed file must be the generator's output, byte for byte.
fn assert_is_generator_output(generated: &impl serde::Serialize, committed: &str, file: &str) {
    let text = serde_json::to_string_pretty(generated).unwrap() + "\n";
    assert!(
        text == committed,
        "vectors/{file} differs from its canonical form"
    );
}

#[test]
fn assertion_file_is_exactly_what_the_generator_writes() {
    assert_is_generator_output(&assertion_vectors(), ASSERTIONS_JSON, "assertions.json");
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
        text == MESSAGES_JSON,
        "vectors/messages.json differs from what serde produces"
    );
}

#[test]
fn test_keys_hold_the_published_public_keys() {
    let vectors = assertion_vectors();
    assert_eq!(vectors.keys.len(), 4);
    for key in &vectors.keys {
        let pkcs8 = &key.pkcs8_der;
        let pair =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8, &SystemRandom::new())
                .unwrap();
        let public_key = pair.public_key().as_ref();
        assert_eq!(public_key.len(), 65, "{}", key.name);
        assert_eq!(key.public_key, public_key, "{}", key.name);
        assert_eq!(key.public_key_hex, hex(public_key), "{}", key.name);
    }
}

#[test]
fn valid_vectors_are_the_bytes_the_code_builds_from_their_inputs() {
    let vectors = assertion_vectors();
    assert!(vectors.valid.len() >= 4);
    for v in &vectors.valid {
        let inputs = &v.inputs;
        let challenge = &inputs.challenge;
        assert_eq!(
            challenge.len(),
            mobank_protocol::CHALLENGE_LEN,
            "{}",
            v.name
        );

        let auth =
            AuthenticatorData::new(&inputs.rp_id, inputs.flags, inputs.sign_count).to_bytes();
        let client = client_data_json(inputs);
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
            &ClientData::parse(&client).unwrap().challenge,
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
        let public_key = &key(vectors, &v.key).public_key;

        let verified = verify(&v.assertion, public_key, &v.expectation.borrow())
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
        for other in vectors.keys.iter().filter(|k| k.name != v.key) {
            let outcome = verify(&v.assertion, &other.public_key, &v.expectation.borrow());
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
        let outcome = verify(&v.assertion, &v.public_key, &v.expectation.borrow());

        assert_fails_as_named(&v.name, &v.expected_error, outcome);
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
fn vector_names_are_unique_across_both_files() {
    let names: Vec<&str> = vectors::all_assertions().map(|(name, _)| name).collect();
    let unique: BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len());
    let vectors = assertion_vectors();
    let knowledge = knowledge_vectors();
    let parts = [
        vectors.valid.len(),
        vectors.invalid.len(),
        vectors.tolerated.len(),
        knowledge.valid.len(),
        knowledge.invalid.len(),
    ];
    assert_eq!(names.len(), parts.iter().sum::<usize>());
}

#[test]
fn vector_assertions_are_wire_json_that_round_trips() {
    let raw: Value = serde_json::from_str(ASSERTIONS_JSON).unwrap();
    let vectors = assertion_vectors();
    let valid = raw["valid"].as_array().unwrap();
    let invalid = raw["invalid"].as_array().unwrap();
    let tolerated = raw["tolerated"].as_array().unwrap();
    let typed = vectors
        .valid
        .iter()
        .map(|v| &v.assertion)
        .chain(vectors.invalid.iter().map(|v| &v.assertion))
        .chain(vectors.tolerated.iter().map(|v| &v.assertion));
    let wire = valid.iter().chain(invalid).chain(tolerated);
    let wire: Vec<&Value> = wire.map(|v| &v["assertion"]).collect();
    assert_eq!(wire.len(), typed.clone().count());
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
        "TransactionsPage",
        "Transaction",
        "AppendTransactionRequest",
        "ChallengeRequest",
        "StepUpRequest",
        "StepUpResponse",
        "DevicesResponse",
        "RevokeDeviceRequest",
        "UnbindDeviceRequest",
        "RevokeDeviceResponse",
        "PinChangeBeginRequest",
        "PinChangeTicket",
        "PinChangeCommitRequest",
        "PinChangeResponse",
        "NotificationOutbox",
        "ReenrolBiometricRequest",
        "ReenrolBiometricResponse",
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
        let public_key = &key(vectors, &v.key).public_key;
        let mut expect = v.expectation.borrow();
        expect.challenge = &challenge.challenge;
        assert!(verify(assertion, public_key, &expect).is_ok(), "{}", v.name);
    }
}

#[test]
fn possession_test_key_has_the_fingerprint_in_the_docs() {
    let vectors = assertion_vectors();
    let public_key = &key(vectors, "possession").public_key;
    assert_eq!(
        mobank_protocol::assertion::key_fingerprint(public_key),
        "353a 5931 bad0 f881"
    );
}

#[test]
fn first_version_entries_keep_their_place_and_bytes() {
    // Regenerating must not re-sign what banks already checked their code against, and the
    // example in docs/protocol.md section 3 quotes this exact signature.
    let vectors = assertion_vectors();
    let names: Vec<&str> = vectors.valid.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        &names[..5],
        [
            "bind_possession",
            "bind_user_verified",
            "login_possession",
            "login_user_verified",
            "login_counter_byte_order"
        ]
    );
    let login = &vectors.valid[2];
    assert_eq!(
        b64::encode(&login.assertion.signature),
        "MEUCIHObYDKKRBAiM4Egd23gCV66dXqyfW2gJUP1OR8m0nkwAiEAhnowHq7Bs9O99KXTUJa4KHcQY4ShCnQBvZ--df1gaJo"
    );
    let examples = message_examples();
    assert_eq!(examples.messages[0].type_name, "IssueActivationRequest");
    assert_eq!(examples.messages[13].type_name, "ErrorBody");
}

#[test]
fn operation_vectors_carry_the_operation_after_rp_id() {
    let vectors = assertion_vectors();
    let revoke = vectors
        .valid
        .iter()
        .find(|v| v.name == "operation_revoke_device")
        .unwrap();
    assert_eq!(revoke.inputs.ceremony, Ceremony::Operation);
    assert!(revoke.client_data_json_text.ends_with(
        r#","rp_id":"sandbox.mobank.local","operation":"revoke_device:dev_5c2e91a7d4f03b68"}"#
    ));
    for v in vectors
        .valid
        .iter()
        .filter(|v| v.inputs.operation.is_none())
    {
        assert!(!v.client_data_json_text.contains("operation"), "{}", v.name);
    }
}

#[test]
fn operation_vectors_sign_the_texts_the_operations_module_builds() {
    let vectors = assertion_vectors();
    let cases = [
        (
            "operation_enable_channel",
            operations::enable_channel("qr_payment"),
            "enable_channel:qr_payment",
        ),
        (
            "operation_set_limits_raise",
            operations::set_limits("qr_payment", "2000", "5000", "20000"),
            "set_limits:qr_payment:2000:5000:20000",
        ),
        (
            "operation_cancel_transfer",
            operations::cancel_transfer("5f3a9c0e7b214d68a1c2e3f405162738"),
            "cancel_transfer:5f3a9c0e7b214d68a1c2e3f405162738",
        ),
        (
            "operation_add_payee",
            operations::add_payee("MOBANK", "**** 6509", "王芳"),
            "add_payee:MOBANK:**** 6509:王芳",
        ),
    ];
    for (name, built, written) in cases {
        assert_eq!(built, written, "{name}");
        let vector = vectors.valid.iter().find(|v| v.name == name).unwrap();
        assert_eq!(vector.inputs.ceremony, Ceremony::Operation, "{name}");
        assert_eq!(vector.inputs.operation.as_deref(), Some(written), "{name}");
        assert!(
            vector
                .client_data_json_text
                .ends_with(&format!(r#","operation":"{written}"}}"#)),
            "{name}"
        );
        let expect = vector.expectation.borrow();
        assert_eq!(expect.operation, Some(written), "{name}");
        // The same assertion for any other operation text is refused.
        let other = mobank_protocol::assertion::Expectation {
            operation: Some("enable_channel:quick_pay"),
            ..expect
        };
        let key = key(vectors, &vector.key);
        assert!(
            verify(&vector.assertion, &key.public_key, &other).is_err(),
            "{name}"
        );
    }
    // The payee's name is signed as UTF-8, byte for byte as docs/protocol.md section 2.9 shows.
    assert_eq!(
        operations::add_payee("MOBANK", "**** 6509", "王芳").as_bytes()[27..],
        [0xe7, 0x8e, 0x8b, 0xe8, 0x8a, 0xb3]
    );
}

#[test]
fn knowledge_file_is_exactly_what_the_generator_writes() {
    assert_is_generator_output(&knowledge_vectors(), KNOWLEDGE_JSON, "knowledge.json");
}

#[test]
fn knowledge_keys_are_the_sha256_of_their_labels_and_32_bytes() {
    let vectors = knowledge_vectors();
    assert_eq!(vectors.keys.len(), 3);
    for key in &vectors.keys {
        let bytes = &key.key;
        assert_eq!(bytes.len(), KNOWLEDGE_KEY_LEN, "{}", key.name);
        assert_eq!(key.key_hex, hex(bytes), "{}", key.name);
        let label = key.description.split('"').nth(1).unwrap();
        assert_eq!(
            bytes,
            digest(&SHA256, label.as_bytes()).as_ref(),
            "{}",
            key.name
        );
    }
}

#[test]
fn valid_knowledge_vectors_are_hmac_sha256_over_the_signed_bytes() {
    let vectors = knowledge_vectors();
    assert!(vectors.valid.len() >= 4);
    for v in &vectors.valid {
        let inputs = &v.inputs;
        let auth =
            AuthenticatorData::new(&inputs.rp_id, inputs.flags, inputs.sign_count).to_bytes();
        let client = client_data_json(inputs);
        let signed = signed_bytes(&auth, &client);
        // Computed here with ring's HMAC directly, not through the crate's helper.
        let key = knowledge_key(vectors, &v.key);
        let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &key), &signed);

        assert_eq!(v.factor, Factor::Knowledge, "{}", v.name);
        assert_eq!(v.assertion.factor, Factor::Knowledge, "{}", v.name);
        assert_eq!(v.authenticator_data_hex, hex(&auth), "{}", v.name);
        assert_eq!(v.assertion.authenticator_data, auth, "{}", v.name);
        assert_eq!(v.client_data_json_text.as_bytes(), client, "{}", v.name);
        assert_eq!(v.signed_bytes_hex, hex(&signed), "{}", v.name);
        assert_eq!(v.signature_hex, hex(tag.as_ref()), "{}", v.name);
        assert_eq!(v.assertion.signature, tag.as_ref(), "{}", v.name);
        assert_eq!(
            mobank_protocol::assertion::knowledge_signature(&key, &auth, &client),
            tag.as_ref(),
            "{}",
            v.name
        );
    }
}

#[test]
fn valid_knowledge_vectors_verify_with_their_key_only() {
    let vectors = knowledge_vectors();
    for v in &vectors.valid {
        let expect = v.expectation.borrow();
        let verified = verify_knowledge(&v.assertion, &knowledge_key(vectors, &v.key), &expect)
            .unwrap_or_else(|e| panic!("{}: {e}", v.name));
        assert_eq!(verified.sign_count, v.expected.sign_count, "{}", v.name);
        assert_eq!(
            verified.user_verified, v.expected.user_verified,
            "{}",
            v.name
        );
        for other in vectors.keys.iter().filter(|k| k.name != v.key) {
            let outcome =
                verify_knowledge(&v.assertion, &knowledge_key(vectors, &other.name), &expect);
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
fn invalid_knowledge_vectors_fail_with_the_named_error() {
    let vectors = knowledge_vectors();
    for v in &vectors.invalid {
        let outcome = verify_knowledge(
            &v.assertion,
            &knowledge_key(vectors, &v.key),
            &v.expectation.borrow(),
        );
        assert_fails_as_named(&v.name, &v.expected_error, outcome);
    }
    let named: BTreeSet<&str> = vectors
        .invalid
        .iter()
        .map(|v| v.expected_error.as_str())
        .collect();
    for error in [
        "BadSignature",
        "CounterNotIncreasing",
        "UserNotVerified",
        "CeremonyMismatch",
        "OperationMismatch",
    ] {
        assert!(named.contains(error), "no knowledge vector for {error}");
    }
}

/// Every assertion inside any example message, wherever it sits in the JSON.
fn assertions_in(json: &Value, out: &mut Vec<Assertion>) {
    match json {
        Value::Object(map) => {
            if map.contains_key("factor") && map.contains_key("signature") {
                out.push(serde_json::from_value(json.clone()).unwrap());
            } else {
                map.values().for_each(|v| assertions_in(v, out));
            }
        }
        Value::Array(items) => items.iter().for_each(|v| assertions_in(v, out)),
        _ => {}
    }
}

#[test]
fn every_assertion_in_the_message_examples_is_a_valid_vector() {
    let ecdsa = assertion_vectors();
    let knowledge = knowledge_vectors();
    let mut found = Vec::new();
    for example in message_examples().messages {
        assertions_in(&example.json, &mut found);
    }
    assert!(found.len() >= 16, "{}", found.len());
    for assertion in &found {
        let known = ecdsa.valid.iter().any(|v| &v.assertion == assertion)
            || knowledge.valid.iter().any(|v| &v.assertion == assertion);
        assert!(
            known,
            "an example carries an assertion that is no valid vector"
        );
    }
    assert!(found.iter().any(|a| a.factor == Factor::Knowledge));
}

/// `s` of a DER signature is its last INTEGER; read here without the generator's DER code.
fn s_is_high(der: &[u8]) -> bool {
    // (n - 1) / 2 of P-256.
    const HALF_N: [u8; 32] = [
        0x7f, 0xff, 0xff, 0xff, 0x80, 0x00, 0x00, 0x00, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xde, 0x73, 0x7d, 0x56, 0xd3, 0x8b, 0xcf, 0x42, 0x79, 0xdc, 0xe5, 0x61, 0x7e, 0x31,
        0x92, 0xa8,
    ];
    let r_len = usize::from(der[3]);
    let s_at = 4 + r_len;
    assert_eq!(der[s_at], 0x02, "s is an INTEGER");
    let s = &der[s_at + 2..];
    assert_eq!(s.len(), usize::from(der[s_at + 1]));
    let s = s.strip_prefix(&[0]).unwrap_or(s);
    let mut padded = [0u8; 32];
    padded[32 - s.len()..].copy_from_slice(s);
    padded > HALF_N
}

#[test]
fn high_s_marks_say_whether_s_is_above_half_the_group_order_and_both_forms_occur() {
    let vectors = assertion_vectors();
    let marks = vectors
        .valid
        .iter()
        .map(|v| (&v.name, v.high_s, &v.assertion))
        .chain(
            vectors
                .tolerated
                .iter()
                .map(|v| (&v.name, v.high_s, &v.assertion)),
        );
    let mut seen = BTreeSet::new();
    for (name, high_s, assertion) in marks {
        assert_eq!(high_s, s_is_high(&assertion.signature), "{name}");
        seen.insert(high_s);
    }
    assert_eq!(seen, BTreeSet::from([false, true]));
}

#[test]
fn both_signatures_over_the_same_bytes_verify_whichever_form_s_takes() {
    let vectors = assertion_vectors();
    let named = |name: &str| vectors.valid.iter().find(|v| v.name == name).unwrap();
    let (high, low) = (named("login_possession"), named("login_possession_low_s"));
    assert_eq!(high.signed_bytes_hex, low.signed_bytes_hex);
    assert_ne!(high.assertion.signature, low.assertion.signature);
    assert!(high.high_s && !low.high_s);
    let public_key = &key(vectors, &low.key).public_key;
    for v in [high, low] {
        assert!(verify(&v.assertion, public_key, &v.expectation.borrow()).is_ok());
    }
}

#[test]
fn tolerated_vectors_verify_and_parse_to_what_a_device_writes_differently() {
    let vectors = assertion_vectors();
    assert!(!vectors.tolerated.is_empty());
    for v in &vectors.tolerated {
        let public_key = &key(vectors, &v.key).public_key;
        let verified = verify(&v.assertion, public_key, &v.expectation.borrow())
            .unwrap_or_else(|e| panic!("{}: {e}", v.name));
        assert_eq!(verified.sign_count, v.expected.sign_count, "{}", v.name);
        assert_eq!(v.assertion.factor, v.factor, "{}", v.name);
        let text = v.client_data_json_text.as_bytes();
        assert_eq!(v.assertion.client_data_json, text, "{}", v.name);
        let parsed = ClientData::parse(text).unwrap();
        assert_ne!(parsed.to_json(), text, "{} is what a device writes", v.name);
        assert_eq!(parsed.ceremony, v.expectation.ceremony, "{}", v.name);
        assert_eq!(parsed.challenge, v.expectation.challenge, "{}", v.name);
        assert_eq!(parsed.rp_id, v.expectation.rp_id, "{}", v.name);
        assert_eq!(parsed.operation, v.expectation.operation, "{}", v.name);
    }
}

#[test]
fn tolerated_vectors_cover_field_order_whitespace_escapes_and_a_null_operation() {
    let texts: Vec<&str> = assertion_vectors()
        .tolerated
        .iter()
        .map(|v| v.client_data_json_text.as_str())
        .collect();
    let has = |test: fn(&str) -> bool| texts.iter().any(|text| test(text));
    assert!(has(|t| t.starts_with("{\"rp_id\"")), "fields reordered");
    assert!(
        has(|t| t.contains("\r\n") && t.starts_with('\t')),
        "whitespace"
    );
    assert!(has(|t| t.contains("\\u0074ype")), "an escaped field name");
    assert!(
        has(|t| t.contains("\"operation\":null")),
        "a null operation"
    );
}

#[test]
fn client_data_tolerance_ends_at_a_bom_duplicates_trailing_bytes_and_null_required_fields() {
    let vectors = assertion_vectors();
    let refused = |test: fn(&[u8]) -> bool| {
        let found = vectors
            .invalid
            .iter()
            .find(|v| test(&v.assertion.client_data_json));
        found.map(|v| v.expected_error.as_str())
    };
    let malformed = Some("MalformedClientData");
    assert_eq!(refused(|c| c.starts_with(b"\xef\xbb\xbf")), malformed);
    assert_eq!(refused(|c| c.ends_with(b"}\0")), malformed);
    let twice = |c: &[u8]| String::from_utf8_lossy(c).matches("\"type\"").count() == 2;
    assert_eq!(refused(twice), malformed);
    assert_eq!(refused(|c| c.ends_with(b"\"rp_id\":null}")), malformed);
    let operation_null = |c: &[u8]| c.ends_with(b"\"operation\":null}");
    assert_eq!(refused(operation_null), Some("OperationMismatch"));
}

#[test]
fn the_new_biometric_keys_proof_is_its_first_signature_and_the_example_carries_it() {
    let vectors = assertion_vectors();
    let proof = vectors
        .valid
        .iter()
        .find(|v| {
            v.inputs.operation.as_deref() == Some(operations::REENROL_BIOMETRIC)
                && v.factor == Factor::UserVerified
        })
        .unwrap();
    assert_eq!(proof.inputs.sign_count, 1);
    assert_eq!(proof.expectation.previous_sign_count, 0);
    assert!(proof.expectation.require_user_verified);
    let example = message_examples()
        .messages
        .into_iter()
        .find(|m| m.type_name == "ReenrolBiometricRequest")
        .unwrap();
    let request: ReenrolBiometricRequest = serde_json::from_value(example.json).unwrap();
    assert_eq!(
        request.user_verified_public_key,
        key(vectors, &proof.key).public_key
    );
    assert!(request.assertions.contains(&proof.assertion));
    let possession = request
        .assertions
        .iter()
        .find(|a| a.factor == Factor::Possession)
        .unwrap();
    let client = ClientData::parse(&possession.client_data_json).unwrap();
    assert_eq!(
        client.operation.as_deref(),
        Some(operations::REENROL_BIOMETRIC)
    );
    assert_eq!(client.challenge, proof.expectation.challenge);
}

#[test]
fn history_examples_count_what_remains_and_say_zero_on_the_last_page() {
    let pages: Vec<TransactionsPage> = message_examples()
        .messages
        .into_iter()
        .filter(|m| m.type_name == "TransactionsPage")
        .map(|m| serde_json::from_value(m.json).unwrap())
        .collect();
    assert!(pages.iter().any(|p| p.has_more) && pages.iter().any(|p| !p.has_more));
    for page in pages {
        let remaining = page.remaining.expect("the bank counts what remains");
        assert_eq!(page.has_more, remaining > 0);
    }
}

#[test]
fn the_sms_example_states_the_otp_lifetime_of_the_activation_example() {
    let examples = message_examples().messages;
    let json_of = |name: &str| {
        let found = examples.iter().find(|m| m.type_name == name).unwrap();
        found.json.clone()
    };
    let started: StartActivationResponse =
        serde_json::from_value(json_of("StartActivationResponse")).unwrap();
    let outbox: SmsOutbox = serde_json::from_value(json_of("SmsOutbox")).unwrap();
    let body = &outbox.messages.last().unwrap().body;
    let lifetime_ms = started.otp_expires_at_ms - started.server_time_ms;
    assert!(
        body.contains(&format!("valid {} min", lifetime_ms / 60_000)),
        "{body}"
    );
    let six_digit_runs = body
        .split(|c: char| !c.is_ascii_digit())
        .filter(|run| run.len() == 6)
        .collect::<BTreeSet<_>>();
    assert_eq!(six_digit_runs.len(), 1, "{body}");
}
