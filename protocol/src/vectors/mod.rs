//! The layout of the committed test vectors (`protocol/vectors/*.json`) and the files
//! themselves, for the code that writes them (`examples/make-vectors`), the tests that check the
//! code against them, and the fuzz targets that start from them. Behind the `vectors` feature:
//! not part of the wire contract, and not compiled into the phone or the bank.
//!
//! Every struct denies unknown fields, so a typo in a file fails its reader. Fields added after
//! the first version are optional where the files written before them must still read.

mod any_message;
mod committed;
mod files;

pub use any_message::AnyMessage;
pub use committed::{
    all_assertions, assertions, knowledge, messages, ASSERTIONS_JSON, KNOWLEDGE_JSON, MESSAGES_JSON,
};
pub use files::{
    AssertionVectors, Direction, Expected, Inputs, InvalidKnowledgeVector, InvalidVector,
    KnowledgeTestKey, KnowledgeVectors, MessageExample, MessageExamples, OwnedExpectation, TestKey,
    ToleratedVector, ValidKnowledgeVector, ValidVector,
};

use crate::VerifyError;

/// Lowercase hex, as the `*_hex` fields are written.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The name of a [`VerifyError`] variant, as `expected_error` spells it. Exhaustive on purpose:
/// a new variant does not compile until it has a name here.
pub fn error_name(error: &VerifyError) -> &'static str {
    match error {
        VerifyError::MalformedAuthenticatorData => "MalformedAuthenticatorData",
        VerifyError::MalformedClientData => "MalformedClientData",
        VerifyError::MalformedPublicKey => "MalformedPublicKey",
        VerifyError::RpIdMismatch => "RpIdMismatch",
        VerifyError::CeremonyMismatch => "CeremonyMismatch",
        VerifyError::ChallengeMismatch => "ChallengeMismatch",
        VerifyError::OperationMismatch => "OperationMismatch",
        VerifyError::UserNotPresent => "UserNotPresent",
        VerifyError::UserNotVerified => "UserNotVerified",
        VerifyError::BadSignature => "BadSignature",
        VerifyError::CounterNotIncreasing { .. } => "CounterNotIncreasing",
    }
}
