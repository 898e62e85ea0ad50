//! The committed `protocol/vectors/*.json`, read at compile time so every target and every seed
//! follows the wire contract as it stands. Only the fields the fuzzers use are read.

use std::sync::OnceLock;

use mobank_protocol::{b64, Assertion, Ceremony, Expectation};
use serde::Deserialize;
use serde_json::Value;

const ASSERTIONS: &str = include_str!("../../protocol/vectors/assertions.json");
const MESSAGES: &str = include_str!("../../protocol/vectors/messages.json");

#[derive(Debug, Deserialize)]
pub struct AssertionVectors {
    pub keys: Vec<TestKey>,
    pub valid: Vec<ValidVector>,
    pub invalid: Vec<InvalidVector>,
}

#[derive(Debug, Deserialize)]
pub struct TestKey {
    pub name: String,
    /// Empty for a key without one (only P-256 keys are used as verification cases).
    #[serde(default, with = "b64")]
    pub public_key: Vec<u8>,
}

#[derive(Debug, Deserialize)]
pub struct ValidVector {
    pub name: String,
    pub key: String,
    pub assertion: Assertion,
    pub expectation: OwnedExpectation,
}

#[derive(Debug, Deserialize)]
pub struct InvalidVector {
    pub name: String,
    #[serde(with = "b64")]
    pub public_key: Vec<u8>,
    pub assertion: Assertion,
    pub expectation: OwnedExpectation,
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
    /// Every assertion in the file, valid or not, with its vector name.
    pub fn all_assertions(&self) -> impl Iterator<Item = (&str, &Assertion)> {
        let valid = self.valid.iter().map(|v| (v.name.as_str(), &v.assertion));
        let invalid = self.invalid.iter().map(|v| (v.name.as_str(), &v.assertion));
        valid.chain(invalid)
    }

    pub fn key(&self, name: &str) -> Option<&TestKey> {
        self.keys.iter().find(|k| k.name == name)
    }
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
pub fn messages() -> &'static MessageVectors {
    static PARSED: OnceLock<MessageVectors> = OnceLock::new();
    PARSED.get_or_init(|| {
        serde_json::from_str(MESSAGES).expect("protocol/vectors/messages.json parses")
    })
}
