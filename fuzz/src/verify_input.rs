//! Input of the `verify` target: which fixed verification case to run, and the assertion's
//! fields as raw bytes, so the fuzzer mutates the bytes the bank decodes from base64url rather
//! than fighting JSON and base64 first.
//!
//! Layout: `case (1) ‖ factor (1) ‖ len (1) ‖ authenticator_data ‖ len (2, LE) ‖
//! client_data_json ‖ signature (the rest)`. A short input is read as far as it goes, with the
//! missing fields empty, so every input reaches the verifier.

use std::collections::HashSet;
use std::sync::OnceLock;

use mobank_protocol::assertion::{
    knowledge_signature, operations, verify, verify_knowledge, KNOWLEDGE_KEY_LEN, PUBLIC_KEY_LEN,
};
use mobank_protocol::{signed_bytes, Assertion, Ceremony, ClientData, Factor};
use mobank_protocol::{VerifiedAssertion, VerifyError};
use ring::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_ASN1};

use crate::vectors::{self, OwnedExpectation};

/// The knowledge key of the fuzz cases. Public on purpose: the oracle needs it, the fuzzer
/// does not get it (it only sees bytes).
pub const KNOWLEDGE_KEY: [u8; KNOWLEDGE_KEY_LEN] = [0x6b; KNOWLEDGE_KEY_LEN];

#[derive(Debug)]
pub enum Verifier {
    /// A device key (possession or user-verified): an uncompressed P-256 point.
    Ecdsa(Vec<u8>),
    /// The knowledge (PIN) factor's HMAC key as the bank holds it.
    Knowledge([u8; KNOWLEDGE_KEY_LEN]),
}

/// A genuine verifier, what the bank expects, and a seed: an assertion that passes every check
/// before the signature, with a genuine signature except in the ECDSA `mobank.operation` case
/// (the vectors cannot be signed again here).
#[derive(Debug)]
pub struct Case {
    pub verifier: Verifier,
    pub expectation: OwnedExpectation,
    pub seed: Option<Assertion>,
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
    /// the tag is the one the key gives.
    pub fn genuinely_signed(&self, assertion: &Assertion) -> bool {
        match &self.verifier {
            Verifier::Ecdsa(public_key) => {
                let message =
                    signed_bytes(&assertion.authenticator_data, &assertion.client_data_json);
                known_signed().contains(&(public_key.clone(), message))
            }
            Verifier::Knowledge(key) => {
                assertion.signature
                    == knowledge_signature(
                        key,
                        &assertion.authenticator_data,
                        &assertion.client_data_json,
                    )
            }
        }
    }
}

/// Cases: every valid vector's key and expectation; the same expectations for the knowledge
/// factor; and a `mobank.operation` expectation for both (the vectors have none yet).
#[allow(clippy::expect_used)]
pub fn cases() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        let file = vectors::assertions();
        let mut ecdsa = Vec::new();
        for valid in &file.valid {
            let Some(key) = file.key(&valid.key) else {
                continue;
            };
            if key.public_key.len() == PUBLIC_KEY_LEN {
                ecdsa.push(Case {
                    verifier: Verifier::Ecdsa(key.public_key.clone()),
                    expectation: valid.expectation.clone(),
                    seed: Some(valid.assertion.clone()),
                });
            }
        }
        let first = ecdsa
            .first()
            .expect("assertions.json has a valid P-256 vector");
        let operation = operation_case(first);

        let mut knowledge: Vec<Case> = ecdsa
            .iter()
            .chain([&operation])
            .filter_map(|case| {
                let seed = case.seed.as_ref()?;
                Some(knowledge_case(&case.expectation, seed))
            })
            .collect();
        let mut all = ecdsa;
        all.push(operation);
        all.append(&mut knowledge);
        all
    })
}

/// A `mobank.operation` expectation on the first vector's key. Its seed carries the vector's
/// signature over other bytes; `knowledge_case` signs the same bytes properly.
fn operation_case(base: &Case) -> Case {
    let mut expectation = base.expectation.clone();
    expectation.ceremony = Ceremony::Operation;
    expectation.operation = Some(operations::unbind("dev_fuzz"));
    let client_data = ClientData {
        ceremony: Ceremony::Operation,
        challenge: expectation.challenge.clone(),
        rp_id: expectation.rp_id.clone(),
        operation: expectation.operation.clone(),
    };
    let verifier = match &base.verifier {
        Verifier::Ecdsa(key) => Verifier::Ecdsa(key.clone()),
        Verifier::Knowledge(key) => Verifier::Knowledge(*key),
    };
    let seed = base.seed.as_ref().map(|a| Assertion {
        client_data_json: client_data.to_json(),
        ..a.clone()
    });
    Case {
        verifier,
        expectation,
        seed,
    }
}

/// The same bytes signed with the knowledge key.
fn knowledge_case(expectation: &OwnedExpectation, template: &Assertion) -> Case {
    let signature = knowledge_signature(
        &KNOWLEDGE_KEY,
        &template.authenticator_data,
        &template.client_data_json,
    );
    Case {
        verifier: Verifier::Knowledge(KNOWLEDGE_KEY),
        expectation: expectation.clone(),
        seed: Some(Assertion {
            factor: Factor::Knowledge,
            signature,
            ..template.clone()
        }),
    }
}

/// Every (public key, signed bytes) pair the test keys really signed, as far as the committed
/// vectors show.
pub fn known_signed() -> &'static HashSet<(Vec<u8>, Vec<u8>)> {
    static KNOWN: OnceLock<HashSet<(Vec<u8>, Vec<u8>)>> = OnceLock::new();
    KNOWN.get_or_init(|| {
        let file = vectors::assertions();
        let mut known = HashSet::new();
        for (_, assertion) in file.all_assertions() {
            let message = signed_bytes(&assertion.authenticator_data, &assertion.client_data_json);
            for key in &file.keys {
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyInput {
    pub case: u8,
    pub assertion: Assertion,
}

impl VerifyInput {
    pub fn case(&self) -> &'static Case {
        let all = cases();
        &all[usize::from(self.case) % all.len()]
    }

    pub fn from_bytes(mut data: &[u8]) -> Self {
        let case = take(&mut data, 1).first().copied().unwrap_or(0);
        let factor = match take(&mut data, 1).first().copied().unwrap_or(0) % 3 {
            0 => Factor::Possession,
            1 => Factor::UserVerified,
            _ => Factor::Knowledge,
        };
        let ad_len = take(&mut data, 1).first().copied().unwrap_or(0);
        let authenticator_data = take(&mut data, usize::from(ad_len)).to_vec();
        let cdj_len = match take(&mut data, 2) {
            [lo, hi] => u16::from_le_bytes([*lo, *hi]),
            [lo] => u16::from(*lo),
            _ => 0,
        };
        let client_data_json = take(&mut data, usize::from(cdj_len)).to_vec();
        Self {
            case,
            assertion: Assertion {
                factor,
                authenticator_data,
                client_data_json,
                signature: data.to_vec(),
            },
        }
    }

    /// `None` if a field is longer than the layout can say.
    pub fn to_bytes(&self) -> Option<Vec<u8>> {
        let a = &self.assertion;
        let ad_len = u8::try_from(a.authenticator_data.len()).ok()?;
        let cdj_len = u16::try_from(a.client_data_json.len()).ok()?;
        let factor = match a.factor {
            Factor::Possession => 0,
            Factor::UserVerified => 1,
            Factor::Knowledge => 2,
        };
        let mut out = vec![self.case, factor, ad_len];
        out.extend_from_slice(&a.authenticator_data);
        out.extend_from_slice(&cdj_len.to_le_bytes());
        out.extend_from_slice(&a.client_data_json);
        out.extend_from_slice(&a.signature);
        Some(out)
    }
}

fn take<'a>(data: &mut &'a [u8], n: usize) -> &'a [u8] {
    let (head, rest) = data.split_at(n.min(data.len()));
    *data = rest;
    head
}
