//! The committed vector files, read at compile time so their users follow the wire contract as
//! it stands, and parsed once.

use std::sync::OnceLock;

use super::files::{AssertionVectors, KnowledgeVectors, MessageExamples};
use crate::Assertion;

pub const ASSERTIONS_JSON: &str = include_str!("../../vectors/assertions.json");
pub const KNOWLEDGE_JSON: &str = include_str!("../../vectors/knowledge.json");
pub const MESSAGES_JSON: &str = include_str!("../../vectors/messages.json");

// The files are part of this crate and its tests parse them; one that does not parse leaves
// nothing for a caller to do but stop, so these fail loudly instead of returning an error.

#[allow(clippy::expect_used)]
pub fn assertions() -> &'static AssertionVectors {
    static PARSED: OnceLock<AssertionVectors> = OnceLock::new();
    PARSED.get_or_init(|| {
        serde_json::from_str(ASSERTIONS_JSON).expect("protocol/vectors/assertions.json parses")
    })
}

#[allow(clippy::expect_used)]
pub fn knowledge() -> &'static KnowledgeVectors {
    static PARSED: OnceLock<KnowledgeVectors> = OnceLock::new();
    PARSED.get_or_init(|| {
        serde_json::from_str(KNOWLEDGE_JSON).expect("protocol/vectors/knowledge.json parses")
    })
}

#[allow(clippy::expect_used)]
pub fn messages() -> &'static MessageExamples {
    static PARSED: OnceLock<MessageExamples> = OnceLock::new();
    PARSED.get_or_init(|| {
        serde_json::from_str(MESSAGES_JSON).expect("protocol/vectors/messages.json parses")
    })
}

/// Every assertion of both files, valid, tolerated or invalid, with its vector name (unique
/// across files).
pub fn all_assertions() -> impl Iterator<Item = (&'static str, &'static Assertion)> {
    let (ecdsa, knowledge) = (assertions(), knowledge());
    let valid = ecdsa.valid.iter().map(|v| (v.name.as_str(), &v.assertion));
    let tolerated = ecdsa.tolerated.iter();
    let tolerated = tolerated.map(|v| (v.name.as_str(), &v.assertion));
    let invalid = ecdsa
        .invalid
        .iter()
        .map(|v| (v.name.as_str(), &v.assertion));
    let knowledge_valid = knowledge.valid.iter();
    let knowledge_valid = knowledge_valid.map(|v| (v.name.as_str(), &v.assertion));
    let knowledge_invalid = knowledge.invalid.iter();
    let knowledge_invalid = knowledge_invalid.map(|v| (v.name.as_str(), &v.assertion));
    valid
        .chain(knowledge_valid)
        .chain(tolerated)
        .chain(invalid)
        .chain(knowledge_invalid)
}
