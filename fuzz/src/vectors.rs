//! The committed `protocol/vectors/*.json`, read at compile time so every target and every seed
//! follows the wire contract as it stands. Only the fields the fuzzers and their tests use are
//! read.

use std::sync::OnceLock;

use mobank_protocol::assertion::KNOWLEDGE_KEY_LEN;
use mobank_protocol::{b64, Assertion, Ceremony, Expectation};
use serde::Deserialize;
use serde_json::Value;

const ASSERTIONS: &str = include_str!("../../protocol/vectors/assertions.json");
const KNOWLEDGE: &str = include_str!("../../protocol/vectors/knowledge.json");
const MESSAGES: &str = include_str!("../../protocol/vectors/messages.json");

/// `assertions.json`: the ECDSA (P-256) factors.
#[derive(Debug, Deserialize)]
pub struct AssertionVectors {
    pub keys: Vec<TestKey>,
    pub valid: Vec<ValidVector>,
    pub invalid: Vec<InvalidVector>,
}

#[derive(Debug, Deserialize)]
pub struct TestKey {
    pub name: String,
    /// An uncompressed P-256 point.
    #[serde(with = "b64")]
    pub public_key: Vec<u8>,
}

/// `knowledge.json`: the knowledge (PIN) factor, an HMAC key the bank holds.
#[derive(Debug, Deserialize)]
pub struct KnowledgeVectors {
    pub keys: Vec<KnowledgeKey>,
    pub valid: Vec<ValidVector>,
    pub invalid: Vec<InvalidKnowledgeVector>,
}

#[derive(Debug, Deserialize)]
pub struct KnowledgeKey {
    pub name: String,
    #[serde(with = "b64")]
    pub key: Vec<u8>,
}

/// A valid vector of either file: `key` names a key of the same file.
#[derive(Debug, Deserialize)]
pub struct ValidVector {
    pub name: String,
    pub key: String,
    /// `authData ‖ SHA-256(clientDataJSON)`, what the key signed or tagged.
    pub signed_bytes_hex: String,
    pub assertion: Assertion,
    pub expectation: OwnedExpectation,
    pub expected: Expected,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Expected {
    pub sign_count: u32,
    pub user_verified: bool,
}

#[derive(Debug, Deserialize)]
pub struct InvalidVector {
    pub name: String,
    /// The key the bank has on file, which may itself be the defect.
    #[serde(with = "b64")]
    pub public_key: Vec<u8>,
    pub assertion: Assertion,
    pub expectation: OwnedExpectation,
    /// A `mobank_protocol::VerifyError` variant name.
    pub expected_error: String,
}

#[derive(Debug, Deserialize)]
pub struct InvalidKnowledgeVector {
    pub name: String,
    /// Names the key the bank has on file.
    pub key: String,
    pub assertion: Assertion,
    pub expectation: OwnedExpectation,
    /// A `mobank_protocol::VerifyError` variant name.
    pub expected_error: String,
}

/// `mobank_protocol::Expectation` with owned fields.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OwnedExpectation {
    pub rp_id: String,
    pub ceremony: Ceremony,
    #[serde(with = "b64")]
    pub challenge: Vec<u8>,
    pub require_user_verified: bool,
    pub previous_sign_count: u32,
    /// Only for `mobank.operation`.
    #[serde(default)]
    pub operation: Option<String>,
}

impl OwnedExpectation {
    pub fn borrow(&self) -> Expectation<'_> {
        Expectation {
            rp_id: &self.rp_id,
            ceremony: self.ceremony,
            challenge: &self.challenge,
            require_user_verified: self.require_user_verified,
            previous_sign_count: self.previous_sign_count,
            operation: self.operation.as_deref(),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct MessageVectors {
    pub messages: Vec<MessageExample>,
}

#[derive(Debug, Deserialize)]
pub struct MessageExample {
    #[serde(rename = "type")]
    pub type_name: String,
    pub json: Value,
}

impl AssertionVectors {
    // A vector naming a key its file does not have is a broken file; the fuzzers cannot run.
    #[allow(clippy::expect_used)]
    pub fn public_key(&self, name: &str) -> &[u8] {
        &self
            .keys
            .iter()
            .find(|k| k.name == name)
            .expect("assertions.json names only its own keys")
            .public_key
    }
}

impl KnowledgeVectors {
    #[allow(clippy::expect_used)]
    pub fn key(&self, name: &str) -> [u8; KNOWLEDGE_KEY_LEN] {
        self.keys
            .iter()
            .find(|k| k.name == name)
            .expect("knowledge.json names only its own keys")
            .key
            .as_slice()
            .try_into()
            .expect("knowledge keys are 32 bytes")
    }
}

/// Every assertion of both files, valid or not, with its vector name (unique across files).
pub fn all_assertions() -> impl Iterator<Item = (&'static str, &'static Assertion)> {
    let (ecdsa, knowledge) = (assertions(), knowledge());
    let valid = ecdsa.valid.iter().chain(&knowledge.valid);
    let valid = valid.map(|v| (v.name.as_str(), &v.assertion));
    let invalid = ecdsa
        .invalid
        .iter()
        .map(|v| (v.name.as_str(), &v.assertion));
    let invalid_knowledge = knowledge.invalid.iter();
    let invalid_knowledge = invalid_knowledge.map(|v| (v.name.as_str(), &v.assertion));
    valid.chain(invalid).chain(invalid_knowledge)
}

// A fuzz target cannot run without its oracle; failing loudly at start-up is the right outcome.
#[allow(clippy::expect_used)]
pub fn assertions() -> &'static AssertionVectors {
    static PARSED: OnceLock<AssertionVectors> = OnceLock::new();
    PARSED.get_or_init(|| {
        serde_json::from_str(ASSERTIONS).expect("protocol/vectors/assertions.json parses")
    })
}

#[allow(clippy::expect_used)]
pub fn knowledge() -> &'static KnowledgeVectors {
    static PARSED: OnceLock<KnowledgeVectors> = OnceLock::new();
    PARSED.get_or_init(|| {
        serde_json::from_str(KNOWLEDGE).expect("protocol/vectors/knowledge.json parses")
    })
}

#[allow(clippy::expect_used)]
pub fn messages() -> &'static MessageVectors {
    static PARSED: OnceLock<MessageVectors> = OnceLock::new();
    PARSED.get_or_init(|| {
        serde_json::from_str(MESSAGES).expect("protocol/vectors/messages.json parses")
    })
}
