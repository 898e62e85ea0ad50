//! The three vector files, field by field.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::assertion::KNOWLEDGE_KEY_LEN;
use crate::{b64, Assertion, Ceremony, Expectation, Factor};

/// `vectors/assertions.json`: the ECDSA (P-256) factors.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssertionVectors {
    pub description: String,
    /// How to read the fields; one sentence per line.
    pub notes: Vec<String>,
    pub keys: Vec<TestKey>,
    pub valid: Vec<ValidVector>,
    pub invalid: Vec<InvalidVector>,
    /// Client data a device never writes but a bank accepts, because it parses JSON rather than
    /// matching bytes.
    pub tolerated: Vec<ToleratedVector>,
}

impl AssertionVectors {
    pub fn key(&self, name: &str) -> Option<&TestKey> {
        self.keys.iter().find(|k| k.name == name)
    }

    /// The uncompressed point of the key named `name`.
    pub fn public_key(&self, name: &str) -> Option<&[u8]> {
        self.key(name).map(|k| k.public_key.as_slice())
    }
}

/// A fixed P-256 key, published on purpose: never use it for anything but tests.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestKey {
    pub name: String,
    pub description: String,
    /// PKCS#8 v1 DER (RFC 5208) holding an ECPrivateKey with its public key.
    #[serde(with = "b64")]
    pub pkcs8_der: Vec<u8>,
    /// Uncompressed SEC1 point (0x04 ‖ X ‖ Y, 65 bytes).
    #[serde(with = "b64")]
    pub public_key: Vec<u8>,
    pub public_key_hex: String,
}

/// Everything the device puts into one assertion.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inputs {
    pub rp_id: String,
    pub ceremony: Ceremony,
    /// The server challenge.
    #[serde(with = "b64")]
    pub challenge: Vec<u8>,
    pub flags: u8,
    pub sign_count: u32,
    /// For `mobank.operation`: the operation text put into the client data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
}

/// What the bank expects: [`Expectation`] with owned fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OwnedExpectation {
    pub rp_id: String,
    pub ceremony: Ceremony,
    #[serde(with = "b64")]
    pub challenge: Vec<u8>,
    pub require_user_verified: bool,
    pub previous_sign_count: u32,
    /// Only for `mobank.operation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidVector {
    pub name: String,
    pub description: String,
    /// `name` of the entry in `keys` that signed.
    pub key: String,
    pub factor: Factor,
    pub inputs: Inputs,
    pub rp_id_hash_hex: String,
    pub authenticator_data_hex: String,
    /// The client data JSON exactly as signed, as text (it is UTF-8).
    pub client_data_json_text: String,
    pub client_data_hash_hex: String,
    pub signed_bytes_hex: String,
    pub signature_der_hex: String,
    /// Whether the signature's `s` is above n/2. Both forms verify; a verifier that insists on
    /// low-S (as Bitcoin libraries do) refuses these.
    pub high_s: bool,
    /// The assertion exactly as it travels in a request.
    pub assertion: Assertion,
    pub expectation: OwnedExpectation,
    pub expected: Expected,
}

/// A correctly signed assertion whose client data is not the compact text a device writes
/// (fields in another order, whitespace, escapes, a `null` optional field) but means the same.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToleratedVector {
    pub name: String,
    pub description: String,
    /// How the client data differs from what a device writes.
    pub variant: String,
    /// `name` of the entry in `keys` that signed.
    pub key: String,
    pub factor: Factor,
    /// The client data exactly as signed.
    pub client_data_json_text: String,
    pub high_s: bool,
    pub assertion: Assertion,
    pub expectation: OwnedExpectation,
    pub expected: Expected,
}

/// What verification returns for an accepted assertion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    pub sign_count: u32,
    pub user_verified: bool,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvalidVector {
    pub name: String,
    pub description: String,
    /// What was changed relative to a valid assertion, and whether it was re-signed afterwards.
    pub mutation: String,
    /// The public key the bank has on file for this device key (which may itself be the defect).
    #[serde(with = "b64")]
    pub public_key: Vec<u8>,
    pub assertion: Assertion,
    pub expectation: OwnedExpectation,
    /// The [`crate::VerifyError`] variant name.
    pub expected_error: String,
}

/// `vectors/knowledge.json`: the knowledge (PIN) factor, HMAC-SHA256 instead of ECDSA. HMAC is
/// deterministic, so every byte of this file is fixed.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnowledgeVectors {
    pub description: String,
    pub notes: Vec<String>,
    pub keys: Vec<KnowledgeTestKey>,
    pub valid: Vec<ValidKnowledgeVector>,
    pub invalid: Vec<InvalidKnowledgeVector>,
}

impl KnowledgeVectors {
    /// The knowledge key named `name`, if the file has one of the right length.
    pub fn key(&self, name: &str) -> Option<[u8; KNOWLEDGE_KEY_LEN]> {
        let key = self.keys.iter().find(|k| k.name == name)?;
        key.key.as_slice().try_into().ok()
    }
}

/// A fixed 32-byte knowledge key, published on purpose: never use it for anything but tests.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnowledgeTestKey {
    pub name: String,
    pub description: String,
    /// As in `CompleteActivationRequest.knowledge_key`.
    #[serde(with = "b64")]
    pub key: Vec<u8>,
    pub key_hex: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidKnowledgeVector {
    pub name: String,
    pub description: String,
    /// `name` of the entry in `keys` that made the tag.
    pub key: String,
    pub factor: Factor,
    pub inputs: Inputs,
    pub authenticator_data_hex: String,
    pub client_data_json_text: String,
    pub signed_bytes_hex: String,
    /// HMAC-SHA256(key, signed_bytes), 32 bytes.
    pub signature_hex: String,
    pub assertion: Assertion,
    pub expectation: OwnedExpectation,
    pub expected: Expected,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvalidKnowledgeVector {
    pub name: String,
    pub description: String,
    pub mutation: String,
    /// `name` of the entry in `keys` the bank has on file for this device.
    pub key: String,
    pub assertion: Assertion,
    pub expectation: OwnedExpectation,
    pub expected_error: String,
}

/// `vectors/messages.json`. `J` is [`super::AnyMessage`] when writing, so every body keeps the
/// field order serde gives it, and `Value` when reading.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageExamples<J = Value> {
    pub description: String,
    pub notes: Vec<String>,
    pub messages: Vec<MessageExample<J>>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageExample<J = Value> {
    /// The Rust type in `mobank_protocol` (`messages::…` or `error::ErrorBody`).
    #[serde(rename = "type")]
    pub type_name: String,
    /// e.g. `POST /v1/login` (request or response of that endpoint).
    pub endpoint: String,
    pub direction: Direction,
    pub description: String,
    pub json: J,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Request,
    Response,
    Error,
}
