//! The committed `protocol/vectors/*.json`, as `mobank_protocol::vectors` reads them (at compile
//! time, so every target and every seed follows the wire contract as it stands), with the key
//! lookups the targets make.

use mobank_protocol::assertion::KNOWLEDGE_KEY_LEN;
pub use mobank_protocol::vectors::{
    all_assertions, assertions, knowledge, messages, Expected, OwnedExpectation,
};

// A vector naming a key its file does not have is a broken file; the fuzzers cannot run.

/// The public key named `name` in `assertions.json`.
#[allow(clippy::expect_used)]
pub fn public_key(name: &str) -> &'static [u8] {
    assertions()
        .public_key(name)
        .expect("assertions.json names only its own keys")
}

/// The knowledge key named `name` in `knowledge.json`.
#[allow(clippy::expect_used)]
pub fn knowledge_key(name: &str) -> [u8; KNOWLEDGE_KEY_LEN] {
    knowledge()
        .key(name)
        .expect("knowledge.json names only its own 32-byte keys")
}
