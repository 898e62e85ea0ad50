//! What every vector is made from: the fixed test keys, the ids and challenges the examples
//! share, and the bytes a device builds from its inputs.

use std::error::Error;

use mobank_protocol::assertion::{knowledge_signature, KNOWLEDGE_KEY_LEN};
use mobank_protocol::vectors::{hex, Inputs, KnowledgeTestKey, OwnedExpectation, TestKey};
use mobank_protocol::{
    b64, signed_bytes, Assertion, AuthenticatorData, Ceremony, ClientData, Factor,
};
use ring::digest::{digest, SHA256};
use ring::rand::SystemRandom;
use ring::signature::{
    EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING, ECDSA_P256_SHA256_FIXED_SIGNING,
};

pub(crate) type Result<T> = std::result::Result<T, Box<dyn Error>>;

// Generated once with `EcdsaKeyPair::generate_pkcs8` and fixed here so that regenerating the
// file changes only the signatures. Public test keys: worthless outside tests.
pub(crate) const POSSESSION_PKCS8: &str = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg5mUrbigYLr9euMNkvUuLTuH2sisIPH7_BZK5aYOd5jGhRANCAATmTlKVbMwFL6_TscBfDhBt_Q6GkchBpWT9fL2-sutl3VKV5B6o7N4wFJ97pN1K7S5MyQZ07d56mn_ZWL4z2apn";
pub(crate) const USER_VERIFIED_PKCS8: &str = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgeuR6PI6tgrhQufgxT4pHThWOCQdBnlu56EJuzbo_0tuhRANCAASOTwI58HFyPZROc18ohrus5okibXHhK0L4dfXvp0JPSS8HXr4S7WuRmloFc1nw0lBOEHtvwBERIML2qKiMkMw7";
pub(crate) const OTHER_DEVICE_PKCS8: &str = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg60wAd3coFRmxX0JtZmwq8Pt-9wYvJdSdeDfL3tRMEAqhRANCAARWO7-IEAipyiDV3-E8QwfnTjPtc4hU9SlqAHsxDLhcIkSqlVQ1Pf3HMhLqZok3DBGRAAdJNatK87tvxoh1pBI5";
pub(crate) const USER_VERIFIED_NEW_PKCS8: &str = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgqF_2UO-ZyiUtoK_MYjIta5ptPA5vWCncCtzZ8RFhxwWhRANCAAQxTwunKk-LcuS694r_Xv-8zQ3m8oZwbl2yGS9UslfwRKLjZIBUpuOU9UWCBZRtWILPFBu8Eg3wOdP4h8lh2OWo";

pub(crate) const RP_ID: &str = "sandbox.mobank.local";
pub(crate) const PHISHING_RP_ID: &str = "sandbox.mobank.example";

/// The device of the examples, the other device it revokes, and the PIN-change ticket.
pub(crate) const THIS_DEVICE_ID: &str = "dev_8a1d6f3e0b7c4295";
pub(crate) const OTHER_DEVICE_ID: &str = "dev_5c2e91a7d4f03b68";
pub(crate) const TICKET_ID: &str = "pct_0e4b7a91c2d35f68";

/// DER prefix of a P-256 SubjectPublicKeyInfo; followed by the 65-byte point it is what Java's
/// `PublicKey.getEncoded()` returns.
pub(crate) const P256_SPKI_PREFIX: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];

pub(crate) struct Key {
    pub(crate) name: &'static str,
    pub(crate) description: &'static str,
    pub(crate) pkcs8: Vec<u8>,
    pub(crate) pair: EcdsaKeyPair,
}

impl Key {
    pub(crate) fn load(
        name: &'static str,
        description: &'static str,
        pkcs8_b64: &str,
    ) -> Result<Self> {
        let pkcs8 = b64::decode(pkcs8_b64)?;
        let pair = EcdsaKeyPair::from_pkcs8(
            &ECDSA_P256_SHA256_ASN1_SIGNING,
            &pkcs8,
            &SystemRandom::new(),
        )
        .map_err(|e| format!("test key rejected: {e}"))?;
        Ok(Self {
            name,
            description,
            pkcs8,
            pair,
        })
    }

    pub(crate) fn public_key(&self) -> Vec<u8> {
        self.pair.public_key().as_ref().to_vec()
    }

    pub(crate) fn sign_der(&self, message: &[u8]) -> Result<Vec<u8>> {
        Ok(self
            .pair
            .sign(&SystemRandom::new(), message)
            .map_err(|e| format!("signing failed: {e}"))?
            .as_ref()
            .to_vec())
    }

    /// The same key, signing in the fixed-width `r ‖ s` form (WebCrypto's, and a common mistake).
    pub(crate) fn sign_fixed(&self, message: &[u8]) -> Result<Vec<u8>> {
        let pair = EcdsaKeyPair::from_pkcs8(
            &ECDSA_P256_SHA256_FIXED_SIGNING,
            &self.pkcs8,
            &SystemRandom::new(),
        )
        .map_err(|e| format!("test key rejected: {e}"))?;
        let signature = pair
            .sign(&SystemRandom::new(), message)
            .map_err(|e| format!("signing failed: {e}"))?;
        Ok(signature.as_ref().to_vec())
    }

    pub(crate) fn test_key(&self) -> TestKey {
        TestKey {
            name: self.name.to_owned(),
            description: self.description.to_owned(),
            pkcs8_der: self.pkcs8.clone(),
            public_key: self.public_key(),
            public_key_hex: hex(&self.public_key()),
        }
    }
}

pub(crate) struct Keys {
    pub(crate) possession: Key,
    pub(crate) user_verified: Key,
    pub(crate) other_device: Key,
    pub(crate) user_verified_new: Key,
}

impl Keys {
    pub(crate) fn load() -> Result<Self> {
        Ok(Self {
            possession: Key::load(
                "possession",
                "The device's possession key (used without a prompt).",
                POSSESSION_PKCS8,
            )?,
            user_verified: Key::load(
                "user_verified",
                "The device's user-verified key (released by the OS only after biometric \
                 verification).",
                USER_VERIFIED_PKCS8,
            )?,
            other_device: Key::load(
                "other_device",
                "A key of some other device, for signatures the bank must reject.",
                OTHER_DEVICE_PKCS8,
            )?,
            user_verified_new: Key::load(
                "user_verified_new",
                "The device's new user-verified key, made after a biometric enrolment change \
                 invalidated the old one and registered with POST /v1/devices/biometric-key.",
                USER_VERIFIED_NEW_PKCS8,
            )?,
        })
    }
}

pub(crate) fn challenge(label: &str) -> Vec<u8> {
    digest(&SHA256, label.as_bytes()).as_ref().to_vec()
}

pub(crate) fn inputs(ceremony: Ceremony, challenge: &[u8], flags: u8, sign_count: u32) -> Inputs {
    Inputs {
        rp_id: RP_ID.to_owned(),
        ceremony,
        challenge: challenge.to_vec(),
        flags,
        sign_count,
        operation: None,
    }
}

pub(crate) fn operation_inputs(
    challenge: &[u8],
    flags: u8,
    sign_count: u32,
    operation: &str,
) -> Inputs {
    Inputs {
        operation: Some(operation.to_owned()),
        ..inputs(Ceremony::Operation, challenge, flags, sign_count)
    }
}

pub(crate) fn expectation(
    inputs: &Inputs,
    require_user_verified: bool,
    previous: u32,
) -> OwnedExpectation {
    OwnedExpectation {
        rp_id: inputs.rp_id.clone(),
        ceremony: inputs.ceremony,
        challenge: inputs.challenge.clone(),
        require_user_verified,
        previous_sign_count: previous,
        operation: inputs.operation.clone(),
    }
}

/// The two byte strings a device builds from its inputs.
pub(crate) fn build(inputs: &Inputs) -> (Vec<u8>, Vec<u8>) {
    let auth = AuthenticatorData::new(&inputs.rp_id, inputs.flags, inputs.sign_count);
    let client = ClientData {
        ceremony: inputs.ceremony,
        challenge: inputs.challenge.clone(),
        rp_id: inputs.rp_id.clone(),
        operation: inputs.operation.clone(),
    };
    (auth.to_bytes().to_vec(), client.to_json())
}

pub(crate) fn signed_assertion(
    key: &Key,
    factor: Factor,
    authenticator_data: Vec<u8>,
    client_data_json: Vec<u8>,
) -> Result<Assertion> {
    let signature = key.sign_der(&signed_bytes(&authenticator_data, &client_data_json))?;
    Ok(Assertion {
        factor,
        authenticator_data,
        client_data_json,
        signature,
    })
}

/// The challenges of the step-up, operation and PIN-change examples, shared with the knowledge
/// vectors so that one request can carry an ECDSA and an HMAC assertion over the same bytes.
pub(crate) struct LaterChallenges {
    pub(crate) step_up: Vec<u8>,
    pub(crate) revoke: Vec<u8>,
    pub(crate) pin_begin: Vec<u8>,
    pub(crate) pin_ticket: Vec<u8>,
    pub(crate) unbind: Vec<u8>,
    pub(crate) reenrol: Vec<u8>,
    pub(crate) enable_channel: Vec<u8>,
    pub(crate) set_limits: Vec<u8>,
    pub(crate) cancel_transfer: Vec<u8>,
    pub(crate) add_payee: Vec<u8>,
}

impl LaterChallenges {
    pub(crate) fn new() -> Self {
        Self {
            step_up: challenge("mobank vectors: step-up challenge"),
            revoke: challenge("mobank vectors: revoke operation challenge"),
            pin_begin: challenge("mobank vectors: PIN change begin challenge"),
            pin_ticket: challenge("mobank vectors: PIN change ticket challenge"),
            unbind: challenge("mobank vectors: unbind operation challenge"),
            reenrol: challenge("mobank vectors: biometric re-enrolment challenge"),
            enable_channel: challenge("mobank vectors: enable channel operation challenge"),
            set_limits: challenge("mobank vectors: raise limits operation challenge"),
            cancel_transfer: challenge("mobank vectors: cancel transfer operation challenge"),
            add_payee: challenge("mobank vectors: add payee check challenge"),
        }
    }
}

pub(crate) struct KnowledgeKey {
    pub(crate) name: &'static str,
    pub(crate) description: &'static str,
    pub(crate) key: [u8; KNOWLEDGE_KEY_LEN],
}

impl KnowledgeKey {
    /// Fixed test keys: SHA-256 of a label, so anyone can re-derive them.
    pub(crate) fn from_label(name: &'static str, description: &'static str, label: &str) -> Self {
        let mut key = [0u8; KNOWLEDGE_KEY_LEN];
        key.copy_from_slice(digest(&SHA256, label.as_bytes()).as_ref());
        Self {
            name,
            description,
            key,
        }
    }

    pub(crate) fn test_key(&self) -> KnowledgeTestKey {
        KnowledgeTestKey {
            name: self.name.to_owned(),
            description: self.description.to_owned(),
            key: self.key.to_vec(),
            key_hex: hex(&self.key),
        }
    }

    pub(crate) fn assertion(&self, inputs: &Inputs) -> Assertion {
        let (authenticator_data, client_data_json) = build(inputs);
        Assertion {
            factor: Factor::Knowledge,
            signature: knowledge_signature(&self.key, &authenticator_data, &client_data_json),
            authenticator_data,
            client_data_json,
        }
    }
}

pub(crate) struct KnowledgeKeys {
    pub(crate) current: KnowledgeKey,
    pub(crate) wrong_pin: KnowledgeKey,
    pub(crate) after_change: KnowledgeKey,
}

impl KnowledgeKeys {
    pub(crate) fn new() -> Self {
        Self {
            current: KnowledgeKey::from_label(
                "knowledge",
                "The device's knowledge key: what the right PIN unlocks on the phone, and what \
                 the bank got at binding. SHA-256 of \"mobank vectors: knowledge key\".",
                "mobank vectors: knowledge key",
            ),
            wrong_pin: KnowledgeKey::from_label(
                "knowledge_wrong_pin",
                "What the phone decrypts with a wrong PIN: just another 32 bytes, which the \
                 phone cannot tell from the right key. SHA-256 of \"mobank vectors: knowledge \
                 key from a wrong PIN\".",
                "mobank vectors: knowledge key from a wrong PIN",
            ),
            after_change: KnowledgeKey::from_label(
                "knowledge_new",
                "The new knowledge key a PIN change commits. SHA-256 of \"mobank vectors: \
                 knowledge key after PIN change\".",
                "mobank vectors: knowledge key after PIN change",
            ),
        }
    }

    pub(crate) fn named(&self, name: &str) -> Result<&KnowledgeKey> {
        [&self.current, &self.wrong_pin, &self.after_change]
            .into_iter()
            .find(|k| k.name == name)
            .ok_or_else(|| format!("no knowledge key {name}").into())
    }
}
