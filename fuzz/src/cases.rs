//! The fixed verification cases of the `verify` target, and its oracle: whether the holder of
//! a key really produced a signature.
//!
//! Every case is a committed vector the bank must verify up to the signature and beyond: each
//! valid vector of `assertions.json` (ECDSA) and `knowledge.json` (HMAC) with its own key and
//! expectation, each tolerated vector (client data a device does not write but a bank accepts),
//! and each invalid vector refused only for its counter, which is a genuine signature the
//! verifier must still refuse.

use std::collections::HashSet;
use std::sync::OnceLock;

use mobank_protocol::assertion::{verify, verify_knowledge, KNOWLEDGE_KEY_LEN};
use mobank_protocol::{Assertion, VerifiedAssertion, VerifyError};
use ring::digest::{digest, SHA256};
use ring::hmac;
use ring::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_ASN1};

use crate::vectors::{self, OwnedExpectation};

/// The `expected_error` of a vector whose signature is genuine but whose counter is not new.
const COUNTER_ERROR: &str = "CounterNotIncreasing";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verifier {
    /// A device key (possession or user-verified): an uncompressed P-256 point.
    Ecdsa(Vec<u8>),
    /// The knowledge (PIN) factor's HMAC key as the bank holds it.
    Knowledge([u8; KNOWLEDGE_KEY_LEN]),
}

/// A genuine verifier, what the bank expects, and a seed: the vector's assertion, genuinely
/// signed and past every check before the signature.
#[derive(Debug)]
pub struct Case {
    /// The vector it comes from.
    pub name: String,
    pub verifier: Verifier,
    pub expectation: OwnedExpectation,
    pub seed: Assertion,
}

impl Case {
    pub fn verify(&self, assertion: &Assertion) -> Result<VerifiedAssertion, VerifyError> {
        let expect = self.expectation.borrow();
        match &self.verifier {
            Verifier::Ecdsa(public_key) => verify(assertion, public_key, &expect),
            Verifier::Knowledge(key) => verify_knowledge(assertion, key, &expect),
        }
    }

    /// Whether the holder of the key really produced this signature over these bytes, as far
    /// as the fuzzer can know: for ECDSA, the message is one the committed vectors show the key
    /// signed (re-encoding that signature is not a forgery, signing new bytes is); for HMAC,
    /// the tag is the one the key gives. Computed here, not with the protocol crate's
    /// `signed_bytes` or `knowledge_signature`, so a mistake there cannot hide itself.
    pub fn genuinely_signed(&self, assertion: &Assertion) -> bool {
        let message = signed_message(&assertion.authenticator_data, &assertion.client_data_json);
        match &self.verifier {
            Verifier::Ecdsa(public_key) => known_signed().contains(&(public_key.clone(), message)),
            Verifier::Knowledge(key) => assertion.signature == knowledge_tag(key, &message),
        }
    }
}

/// Every case, in a fixed order (the `verify` input's first byte picks one).
pub fn cases() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        let (ecdsa, knowledge) = (vectors::assertions(), vectors::knowledge());
        let ecdsa_valid = ecdsa.valid.iter().map(|v| Case {
            name: v.name.clone(),
            verifier: Verifier::Ecdsa(vectors::public_key(&v.key).to_vec()),
            expectation: v.expectation.clone(),
            seed: v.assertion.clone(),
        });
        let knowledge_valid = knowledge.valid.iter().map(|v| Case {
            name: v.name.clone(),
            verifier: Verifier::Knowledge(vectors::knowledge_key(&v.key)),
            expectation: v.expectation.clone(),
            seed: v.assertion.clone(),
        });
        let tolerated = ecdsa.tolerated.iter().map(|v| Case {
            name: v.name.clone(),
            verifier: Verifier::Ecdsa(vectors::public_key(&v.key).to_vec()),
            expectation: v.expectation.clone(),
            seed: v.assertion.clone(),
        });
        let ecdsa_counter = ecdsa
            .invalid
            .iter()
            .filter(|v| v.expected_error == COUNTER_ERROR);
        let ecdsa_counter = ecdsa_counter.map(|v| Case {
            name: v.name.clone(),
            verifier: Verifier::Ecdsa(v.public_key.clone()),
            expectation: v.expectation.clone(),
            seed: v.assertion.clone(),
        });
        let knowledge_counter = knowledge.invalid.iter();
        let knowledge_counter = knowledge_counter.filter(|v| v.expected_error == COUNTER_ERROR);
        let knowledge_counter = knowledge_counter.map(|v| Case {
            name: v.name.clone(),
            verifier: Verifier::Knowledge(vectors::knowledge_key(&v.key)),
            expectation: v.expectation.clone(),
            seed: v.assertion.clone(),
        });
        ecdsa_valid
            .chain(knowledge_valid)
            .chain(tolerated)
            .chain(ecdsa_counter)
            .chain(knowledge_counter)
            .collect()
    })
}

/// Every (public key, signed message) pair the test keys really signed, as far as the committed
/// vectors show.
pub fn known_signed() -> &'static HashSet<(Vec<u8>, Vec<u8>)> {
    static KNOWN: OnceLock<HashSet<(Vec<u8>, Vec<u8>)>> = OnceLock::new();
    KNOWN.get_or_init(|| {
        let keys = &vectors::assertions().keys;
        let mut known = HashSet::new();
        for (_, assertion) in vectors::all_assertions() {
            let message =
                signed_message(&assertion.authenticator_data, &assertion.client_data_json);
            for key in keys {
                let verifies = UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, &key.public_key)
                    .verify(&message, &assertion.signature)
                    .is_ok();
                if verifies {
                    known.insert((key.public_key.clone(), message.clone()));
                }
            }
        }
        known
    })
}

/// `authData ‖ SHA-256(clientDataJSON)`, as docs/protocol.md defines it.
pub fn signed_message(authenticator_data: &[u8], client_data_json: &[u8]) -> Vec<u8> {
    let mut message = authenticator_data.to_vec();
    message.extend_from_slice(digest(&SHA256, client_data_json).as_ref());
    message
}

/// HMAC-SHA256 under the knowledge key over the signed message.
pub fn knowledge_tag(key: &[u8; KNOWLEDGE_KEY_LEN], message: &[u8]) -> Vec<u8> {
    hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), message)
        .as_ref()
        .to_vec()
}
