//! `vectors/messages.json`: one example of every request and response body.

mod first_version;
mod later;

use mobank_protocol::vectors::{
    AnyMessage, AssertionVectors, Direction, KnowledgeVectors, MessageExample, MessageExamples,
    ValidKnowledgeVector, ValidVector,
};

use mobank_protocol::messages::{CompleteActivationRequest, DeviceDescription};

use crate::fixtures::{KnowledgeKeys, Result};

/// 2026-01-01T00:00:00Z: the examples' bank clock starts here.
const NOW_MS: i64 = 1_767_225_600_000;

pub(crate) fn examples(
    vectors: &AssertionVectors,
    knowledge: &KnowledgeVectors,
    knowledge_keys: &KnowledgeKeys,
) -> Result<MessageExamples<AnyMessage>> {
    let mut out = first_version::examples(vectors, NOW_MS)?;
    out.extend(later::examples(vectors, knowledge, knowledge_keys, NOW_MS)?);

    Ok(MessageExamples {
        description: "One example of every Mobank request and response body, exactly as \
                      mobank_protocol serialises it. Checked by protocol/tests/vectors.rs; see \
                      docs/protocol.md."
            .to_owned(),
        notes: vec![
            "Binary fields are unpadded base64url; times are Unix milliseconds of the bank's \
             clock; money is a decimal string with an ISO 4217 currency."
                .to_owned(),
            "Every object rejects unknown fields; optional fields are omitted when absent, never \
             null."
                .to_owned(),
            "The assertions are those of assertions.json and knowledge.json, so they verify \
             with their keys."
                .to_owned(),
            "Identifiers, codes and tokens are opaque strings; their shapes here are examples."
                .to_owned(),
        ],
        messages: out,
    })
}

fn example(
    message: AnyMessage,
    endpoint: String,
    direction: Direction,
    description: &str,
) -> Result<MessageExample<AnyMessage>> {
    Ok(MessageExample {
        type_name: message.type_name().to_owned(),
        endpoint,
        direction,
        description: description.to_owned(),
        json: message,
    })
}

/// The binding of the examples' device with the bind_* vectors, with or without a PIN.
fn activation_request(
    vectors: &AssertionVectors,
    knowledge_key: Option<Vec<u8>>,
) -> Result<CompleteActivationRequest> {
    Ok(CompleteActivationRequest {
        activation_id: "act_5f0c2e8b9d4a4c17".to_owned(),
        otp: "483920".to_owned(),
        device: DeviceDescription {
            name: "Pixel 8".to_owned(),
            platform: "android".to_owned(),
        },
        possession_public_key: public_key(vectors, "possession")?,
        user_verified_public_key: public_key(vectors, "user_verified")?,
        proofs: vec![
            valid(vectors, "bind_possession")?.assertion.clone(),
            valid(vectors, "bind_user_verified")?.assertion.clone(),
        ],
        knowledge_key,
    })
}

fn public_key(vectors: &AssertionVectors, name: &str) -> Result<Vec<u8>> {
    let found = vectors.public_key(name).map(<[u8]>::to_vec);
    found.ok_or_else(|| format!("no key {name}").into())
}

fn valid<'a>(vectors: &'a AssertionVectors, name: &str) -> Result<&'a ValidVector> {
    let found = vectors.valid.iter().find(|v| v.name == name);
    found.ok_or_else(|| format!("no valid vector {name}").into())
}

fn valid_knowledge<'a>(
    knowledge: &'a KnowledgeVectors,
    name: &str,
) -> Result<&'a ValidKnowledgeVector> {
    let found = knowledge.valid.iter().find(|v| v.name == name);
    found.ok_or_else(|| format!("no knowledge vector {name}").into())
}
