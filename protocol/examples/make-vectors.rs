//! Writes `vectors/assertions.json`, `vectors/knowledge.json` and `vectors/messages.json`.
//!
//! ECDSA signatures are randomised, so a fresh run would give every vector a new signature over
//! the same bytes. To keep committed vectors (and the examples quoted in docs/protocol.md)
//! stable, the generator reads the existing `assertions.json` and keeps the signature of every
//! vector whose name and signed content are unchanged; only new or changed vectors are signed
//! afresh. Delete the file to re-sign everything. HMAC (the knowledge factor) is deterministic.
//! `tests/vectors.rs` checks the committed files against the code.
//!
//! `cargo run -p mobank-protocol --example make-vectors`

#[path = "../tests/support/vector_file.rs"]
mod vector_file;

use std::collections::BTreeMap;
use std::error::Error;
use std::path::Path;
use std::str::FromStr;

use mobank_protocol::assertion::{
    knowledge_signature, operations, rp_id_hash, verify, verify_knowledge, KNOWLEDGE_KEY_LEN,
    PUBLIC_KEY_LEN,
};
use mobank_protocol::messages::{
    paths, Account, AccountsResponse, AppendTransactionRequest, ChallengePurpose, ChallengeRequest,
    ChallengeResponse, CompleteActivationRequest, CompleteActivationResponse, DeviceDescription,
    DeviceInfo, DeviceStatus, DevicesResponse, IntegritySignals, IssueActivationRequest,
    IssueActivationResponse, LimitReason, Limits, LoginChallengeRequest, LoginRequest,
    LoginResponse, Notice, NoticeKind, Notification, NotificationOutbox, PinChangeBeginRequest,
    PinChangeCommitRequest, PinChangeResponse, PinChangeTicket, ProductKind, RevokeDeviceRequest,
    RevokeDeviceResponse, SmsMessage, SmsOutbox, StartActivationRequest, StartActivationResponse,
    StepUpRequest, StepUpResponse, Transaction, TransactionsPage, UnbindDeviceRequest,
};
use mobank_protocol::{
    b64, signed_bytes, ApiError, Assertion, AuthenticatorData, Ceremony, ClientData, ErrorBody,
    ErrorCode, Factor, VerifyError, FLAG_USER_PRESENT, FLAG_USER_VERIFIED,
};
use ring::digest::{digest, SHA256};
use ring::rand::SystemRandom;
use ring::signature::{
    EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING, ECDSA_P256_SHA256_FIXED_SIGNING,
};
use rust_decimal::Decimal;
use serde::Serialize;
use vector_file::{
    AnyMessage, AssertionVectors, Direction, ExpectationJson, Inputs, InvalidKnowledgeVector,
    InvalidVector, KnowledgeTestKey, KnowledgeVectors, MessageExample, MessageExamples, TestKey,
    ValidKnowledgeVector, ValidVector, Verified,
};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

// Generated once with `EcdsaKeyPair::generate_pkcs8` and fixed here so that regenerating the
// file changes only the signatures. Public test keys: worthless outside tests.
const POSSESSION_PKCS8: &str = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg5mUrbigYLr9euMNkvUuLTuH2sisIPH7_BZK5aYOd5jGhRANCAATmTlKVbMwFL6_TscBfDhBt_Q6GkchBpWT9fL2-sutl3VKV5B6o7N4wFJ97pN1K7S5MyQZ07d56mn_ZWL4z2apn";
const USER_VERIFIED_PKCS8: &str = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgeuR6PI6tgrhQufgxT4pHThWOCQdBnlu56EJuzbo_0tuhRANCAASOTwI58HFyPZROc18ohrus5okibXHhK0L4dfXvp0JPSS8HXr4S7WuRmloFc1nw0lBOEHtvwBERIML2qKiMkMw7";
const OTHER_DEVICE_PKCS8: &str = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg60wAd3coFRmxX0JtZmwq8Pt-9wYvJdSdeDfL3tRMEAqhRANCAARWO7-IEAipyiDV3-E8QwfnTjPtc4hU9SlqAHsxDLhcIkSqlVQ1Pf3HMhLqZok3DBGRAAdJNatK87tvxoh1pBI5";

const RP_ID: &str = "sandbox.mobank.local";
const PHISHING_RP_ID: &str = "sandbox.mobank.example";

/// The device of the examples, the other device it revokes, and the PIN-change ticket.
const THIS_DEVICE_ID: &str = "dev_8a1d6f3e0b7c4295";
const OTHER_DEVICE_ID: &str = "dev_5c2e91a7d4f03b68";
const TICKET_ID: &str = "pct_0e4b7a91c2d35f68";

/// The signatures of the committed `assertions.json`, by vector name.
struct Kept(BTreeMap<String, Assertion>);

impl Kept {
    fn load(path: &Path) -> Result<Self> {
        if !path.exists() {
            return Ok(Self(BTreeMap::new()));
        }
        let existing: AssertionVectors = serde_json::from_str(&std::fs::read_to_string(path)?)?;
        let valid = existing.valid.into_iter().map(|v| (v.name, v.assertion));
        let invalid = existing.invalid.into_iter().map(|v| (v.name, v.assertion));
        Ok(Self(valid.chain(invalid).collect()))
    }

    /// `assertion` with the committed signature of the vector `name`, if that vector signed
    /// the same content; unchanged otherwise. The callers verify the result either way.
    fn signature_for(&self, name: &str, mut assertion: Assertion) -> Assertion {
        if let Some(kept) = self.0.get(name) {
            if kept.factor == assertion.factor
                && kept.authenticator_data == assertion.authenticator_data
                && kept.client_data_json == assertion.client_data_json
            {
                assertion.signature = kept.signature.clone();
            }
        }
        assertion
    }
}

/// DER prefix of a P-256 SubjectPublicKeyInfo; followed by the 65-byte point it is what Java's
/// `PublicKey.getEncoded()` returns.
const P256_SPKI_PREFIX: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];

struct Key {
    name: &'static str,
    description: &'static str,
    pkcs8: Vec<u8>,
    pair: EcdsaKeyPair,
}

impl Key {
    fn load(name: &'static str, description: &'static str, pkcs8_b64: &str) -> Result<Self> {
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

    fn public_key(&self) -> Vec<u8> {
        self.pair.public_key().as_ref().to_vec()
    }

    fn sign_der(&self, message: &[u8]) -> Result<Vec<u8>> {
        Ok(self
            .pair
            .sign(&SystemRandom::new(), message)
            .map_err(|e| format!("signing failed: {e}"))?
            .as_ref()
            .to_vec())
    }

    /// The same key, signing in the fixed-width `r ‖ s` form (WebCrypto's, and a common mistake).
    fn sign_fixed(&self, message: &[u8]) -> Result<Vec<u8>> {
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

    fn test_key(&self) -> TestKey {
        TestKey {
            name: self.name.to_owned(),
            description: self.description.to_owned(),
            pkcs8_der: b64::encode(&self.pkcs8),
            public_key: b64::encode(self.public_key()),
            public_key_hex: hex(&self.public_key()),
        }
    }
}

struct Keys {
    possession: Key,
    user_verified: Key,
    other_device: Key,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn challenge(label: &str) -> Vec<u8> {
    digest(&SHA256, label.as_bytes()).as_ref().to_vec()
}

fn inputs(ceremony: Ceremony, challenge: &[u8], flags: u8, sign_count: u32) -> Inputs {
    Inputs {
        rp_id: RP_ID.to_owned(),
        ceremony,
        challenge: b64::encode(challenge),
        flags,
        sign_count,
        operation: None,
    }
}

fn operation_inputs(challenge: &[u8], flags: u8, sign_count: u32, operation: &str) -> Inputs {
    Inputs {
        operation: Some(operation.to_owned()),
        ..inputs(Ceremony::Operation, challenge, flags, sign_count)
    }
}

fn expectation(inputs: &Inputs, require_user_verified: bool, previous: u32) -> ExpectationJson {
    ExpectationJson {
        rp_id: inputs.rp_id.clone(),
        ceremony: inputs.ceremony,
        challenge: inputs.challenge.clone(),
        require_user_verified,
        previous_sign_count: previous,
        operation: inputs.operation.clone(),
    }
}

/// The two byte strings a device builds from its inputs.
fn build(inputs: &Inputs) -> Result<(Vec<u8>, Vec<u8>)> {
    let auth = AuthenticatorData::new(&inputs.rp_id, inputs.flags, inputs.sign_count);
    let client = ClientData {
        ceremony: inputs.ceremony,
        challenge: b64::decode(&inputs.challenge)?,
        rp_id: inputs.rp_id.clone(),
        operation: inputs.operation.clone(),
    };
    Ok((auth.to_bytes().to_vec(), client.to_json()))
}

fn signed_assertion(
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

fn error_name(error: &VerifyError) -> &'static str {
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

fn valid_vector(
    kept: &Kept,
    name: &str,
    description: &str,
    key: &Key,
    factor: Factor,
    inputs: Inputs,
    expect: ExpectationJson,
) -> Result<ValidVector> {
    let (authenticator_data, client_data_json) = build(&inputs)?;
    let assertion = kept.signature_for(
        name,
        signed_assertion(
            key,
            factor,
            authenticator_data.clone(),
            client_data_json.clone(),
        )?,
    );
    let expect_challenge = b64::decode(&expect.challenge)?;
    let verified = verify(
        &assertion,
        &key.public_key(),
        &expect.borrow(&expect_challenge),
    )
    .map_err(|e| format!("{name}: valid vector does not verify: {e}"))?;
    Ok(ValidVector {
        name: name.to_owned(),
        description: description.to_owned(),
        key: key.name.to_owned(),
        factor,
        rp_id_hash_hex: hex(&rp_id_hash(&inputs.rp_id)),
        authenticator_data_hex: hex(&authenticator_data),
        client_data_json_text: String::from_utf8(client_data_json.clone())?,
        client_data_hash_hex: hex(digest(&SHA256, &client_data_json).as_ref()),
        signed_bytes_hex: hex(&signed_bytes(&authenticator_data, &client_data_json)),
        signature_der_hex: hex(&assertion.signature),
        inputs,
        assertion,
        expectation: expect,
        expected: Verified {
            sign_count: verified.sign_count,
            user_verified: verified.user_verified,
        },
    })
}

struct Invalid<'a> {
    name: &'a str,
    description: &'a str,
    mutation: &'a str,
    public_key: Vec<u8>,
    assertion: Assertion,
    expectation: ExpectationJson,
    expected_error: &'a str,
}

impl Invalid<'_> {
    /// Refuses to write a vector that does not fail the way it claims.
    fn checked(mut self, kept: &Kept) -> Result<InvalidVector> {
        self.assertion = kept.signature_for(self.name, self.assertion);
        let challenge = b64::decode(&self.expectation.challenge)?;
        let outcome = verify(
            &self.assertion,
            &self.public_key,
            &self.expectation.borrow(&challenge),
        );
        match outcome {
            Err(error) if error_name(&error) == self.expected_error => Ok(InvalidVector {
                name: self.name.to_owned(),
                description: self.description.to_owned(),
                mutation: self.mutation.to_owned(),
                public_key: b64::encode(&self.public_key),
                assertion: self.assertion,
                expectation: self.expectation,
                expected_error: self.expected_error.to_owned(),
            }),
            other => Err(format!(
                "{}: expected {}, verify returned {other:?}",
                self.name, self.expected_error
            )
            .into()),
        }
    }
}

/// The challenges of the step-up, operation and PIN-change examples, shared with the knowledge
/// vectors so that one request can carry an ECDSA and an HMAC assertion over the same bytes.
struct LaterChallenges {
    step_up: Vec<u8>,
    revoke: Vec<u8>,
    pin_begin: Vec<u8>,
    pin_ticket: Vec<u8>,
    unbind: Vec<u8>,
}

impl LaterChallenges {
    fn new() -> Self {
        Self {
            step_up: challenge("mobank vectors: step-up challenge"),
            revoke: challenge("mobank vectors: revoke operation challenge"),
            pin_begin: challenge("mobank vectors: PIN change begin challenge"),
            pin_ticket: challenge("mobank vectors: PIN change ticket challenge"),
            unbind: challenge("mobank vectors: unbind operation challenge"),
        }
    }
}

fn assertion_vectors(keys: &Keys, kept: &Kept) -> Result<AssertionVectors> {
    let bind_challenge = challenge("mobank vectors: activation challenge");
    let login_challenge = challenge("mobank vectors: login challenge");
    let earlier_challenge = challenge("mobank vectors: an earlier login challenge");
    let up = FLAG_USER_PRESENT;
    let up_uv = FLAG_USER_PRESENT | FLAG_USER_VERIFIED;

    let bind_possession = inputs(Ceremony::Bind, &bind_challenge, up, 1);
    let bind_user_verified = inputs(Ceremony::Bind, &bind_challenge, up_uv, 1);
    let login_possession = inputs(Ceremony::Login, &login_challenge, up, 2);
    let login_user_verified = inputs(Ceremony::Login, &login_challenge, up_uv, 2);
    let byte_order = inputs(Ceremony::Login, &login_challenge, up, 0x0102_0304);
    let later = LaterChallenges::new();
    let step_up_possession = inputs(Ceremony::StepUp, &later.step_up, up, 3);
    let step_up_user_verified = inputs(Ceremony::StepUp, &later.step_up, up_uv, 3);
    let revoke = operation_inputs(
        &later.revoke,
        up,
        4,
        &operations::revoke_device(OTHER_DEVICE_ID),
    );
    let pin_begin = operation_inputs(&later.pin_begin, up, 5, operations::PIN_CHANGE_BEGIN);
    let pin_commit = operation_inputs(
        &later.pin_ticket,
        up,
        6,
        &operations::pin_change_commit(TICKET_ID),
    );
    let unbind = operation_inputs(&later.unbind, up, 7, &operations::unbind(THIS_DEVICE_ID));

    let valid = vec![
        valid_vector(
            kept,
            "bind_possession",
            "Activation proof of the possession key: the first signature this key ever makes, so \
             its counter is 1. The bank has nothing stored yet (previous_sign_count 0).",
            &keys.possession,
            Factor::Possession,
            bind_possession.clone(),
            expectation(&bind_possession, false, 0),
        )?,
        valid_vector(
            kept,
            "bind_user_verified",
            "Activation proof of the user-verified (biometric) key over the same activation \
             challenge. UP and UV set: the OS released the key only after verifying the user.",
            &keys.user_verified,
            Factor::UserVerified,
            bind_user_verified.clone(),
            expectation(&bind_user_verified, true, 0),
        )?,
        valid_vector(
            kept,
            "login_possession",
            "Login with the possession key, its second signature (counter 2, bank stored 1).",
            &keys.possession,
            Factor::Possession,
            login_possession.clone(),
            expectation(&login_possession, false, 1),
        )?,
        valid_vector(
            kept,
            "login_user_verified",
            "Login with the user-verified key over the same login challenge; the bank requires \
             UV for this factor.",
            &keys.user_verified,
            Factor::UserVerified,
            login_user_verified.clone(),
            expectation(&login_user_verified, true, 1),
        )?,
        valid_vector(
            kept,
            "login_counter_byte_order",
            "Counter 0x01020304 (16909060): the last four bytes of the authenticator data are \
             01 02 03 04, i.e. big-endian.",
            &keys.possession,
            Factor::Possession,
            byte_order.clone(),
            expectation(&byte_order, false, 0x0102_0303),
        )?,
        valid_vector(
            kept,
            "step_up_possession",
            "Step-up inside a session (ceremony mobank.step_up) with the possession key, its \
             third signature.",
            &keys.possession,
            Factor::Possession,
            step_up_possession.clone(),
            expectation(&step_up_possession, false, 2),
        )?,
        valid_vector(
            kept,
            "step_up_user_verified",
            "The user-verified key's half of the same step-up; UV required.",
            &keys.user_verified,
            Factor::UserVerified,
            step_up_user_verified.clone(),
            expectation(&step_up_user_verified, true, 2),
        )?,
        valid_vector(
            kept,
            "operation_revoke_device",
            "Revoking another device (ceremony mobank.operation): the client data carries the \
             operation text revoke_device:<device_id> after rp_id, and the bank expects exactly \
             that text.",
            &keys.possession,
            Factor::Possession,
            revoke.clone(),
            expectation(&revoke, false, 3),
        )?,
        valid_vector(
            kept,
            "pin_change_begin_possession",
            "The possession half of a PIN change's first step (operation pin_change:begin); \
             the knowledge half, with the old PIN's key, is pin_change_begin_knowledge in \
             knowledge.json.",
            &keys.possession,
            Factor::Possession,
            pin_begin.clone(),
            expectation(&pin_begin, false, 4),
        )?,
        valid_vector(
            kept,
            "pin_change_commit_possession",
            "The possession half of a PIN change's second step, over the ticket's challenge \
             (operation pin_change:commit:<ticket_id>).",
            &keys.possession,
            Factor::Possession,
            pin_commit.clone(),
            expectation(&pin_commit, false, 5),
        )?,
        valid_vector(
            kept,
            "operation_unbind",
            "Unbinding the signing device itself (operation unbind:<its own device_id>).",
            &keys.possession,
            Factor::Possession,
            unbind.clone(),
            expectation(&unbind, false, 6),
        )?,
    ];

    let mut invalid = invalid_vectors(
        keys,
        &login_possession,
        &login_user_verified,
        &earlier_challenge,
    )?;
    invalid.extend(operation_invalid_vectors(keys, &revoke, &login_possession)?);
    let invalid = invalid
        .into_iter()
        .map(|case| case.checked(kept))
        .collect::<Result<Vec<_>>>()?;

    Ok(AssertionVectors {
        description: "Mobank assertion test vectors: fixed P-256 test keys, the exact bytes a \
                      device builds and signs, and assertions a bank must accept (valid) or \
                      reject with the named error (invalid). Generated by \
                      protocol/examples/make-vectors.rs, checked by protocol/tests/vectors.rs; \
                      see docs/protocol.md."
            .to_owned(),
        notes: vec![
            "Fields ending in _hex are lowercase hex; every other binary field (keys, challenge, \
             and the fields of `assertion`) is unpadded base64url (RFC 4648 section 5), as on \
             the wire."
                .to_owned(),
            "authenticator_data = SHA-256(rp_id) (32) || flags (1) || sign_count (4, \
             big-endian): 37 bytes."
                .to_owned(),
            "client_data_json is compact JSON {\"type\",\"challenge\",\"rp_id\"} in that order, \
             followed by \"operation\" for the mobank.operation ceremony only; a verifier \
             hashes the bytes it received and never re-serialises them."
                .to_owned(),
            "signed_bytes = authenticator_data || SHA-256(client_data_json); the signature is \
             ECDSA P-256 with SHA-256 over signed_bytes (the signer hashes signed_bytes once \
             more), DER-encoded."
                .to_owned(),
            "Signatures are randomised: your own signature over the same signed_bytes will \
             differ; check that yours verify, and that these verify in your code."
                .to_owned(),
            "Each invalid vector has exactly one defect and is otherwise correctly signed, so \
             any order of checks reports the same error; the one exception \
             (bad_signature_and_counter_equal) says so."
                .to_owned(),
            "expected_error names a variant of mobank_protocol::VerifyError.".to_owned(),
        ],
        keys: vec![
            keys.possession.test_key(),
            keys.user_verified.test_key(),
            keys.other_device.test_key(),
        ],
        valid,
        invalid,
    })
}

fn invalid_vectors(
    keys: &Keys,
    login_possession: &Inputs,
    login_user_verified: &Inputs,
    earlier_challenge: &[u8],
) -> Result<Vec<Invalid<'static>>> {
    let possession_key = keys.possession.public_key();
    let uv_key = keys.user_verified.public_key();
    let login = expectation(login_possession, false, 1);
    let login_uv = expectation(login_user_verified, true, 1);
    let (auth, client) = build(login_possession)?;
    let sign = |auth: Vec<u8>, client: Vec<u8>| {
        signed_assertion(&keys.possession, Factor::Possession, auth, client)
    };
    let client_text = String::from_utf8(client.clone())?;
    let mut cases = Vec::new();

    let mut short = auth.clone();
    short.pop();
    cases.push(Invalid {
        name: "authenticator_data_36_bytes",
        description: "Authenticator data one byte short (the counter has only 3 bytes).",
        mutation: "login_possession authenticator data without its last byte; re-signed",
        public_key: possession_key.clone(),
        assertion: sign(short, client.clone())?,
        expectation: login.clone(),
        expected_error: "MalformedAuthenticatorData",
    });

    let mut long = auth.clone();
    long.push(0xa0);
    cases.push(Invalid {
        name: "authenticator_data_38_bytes",
        description: "Authenticator data with a trailing byte (as if extensions followed). \
                      Mobank authenticator data is always exactly 37 bytes.",
        mutation: "login_possession authenticator data with 0xa0 appended; re-signed",
        public_key: possession_key.clone(),
        assertion: sign(long, client.clone())?,
        expectation: login.clone(),
        expected_error: "MalformedAuthenticatorData",
    });

    let with_origin = client_text.replacen('}', ",\"origin\":\"https://sandbox.mobank.local\"}", 1);
    cases.push(Invalid {
        name: "client_data_unknown_field",
        description: "Client data with a field Mobank does not define. Unknown fields are \
                      rejected, not ignored, so nothing unverified can ride along in signed data.",
        mutation: "login_possession client data with \"origin\" added; re-signed",
        public_key: possession_key.clone(),
        assertion: sign(auth.clone(), with_origin.into_bytes())?,
        expectation: login.clone(),
        expected_error: "MalformedClientData",
    });

    let webauthn_type = client_text.replacen("mobank.login", "webauthn.get", 1);
    cases.push(Invalid {
        name: "client_data_unknown_type",
        description: "Client data whose type is not a Mobank ceremony (a browser WebAuthn \
                      assertion). Only \"mobank.bind\" and \"mobank.login\" exist.",
        mutation: "login_possession client data with type \"webauthn.get\"; re-signed",
        public_key: possession_key.clone(),
        assertion: sign(auth.clone(), webauthn_type.into_bytes())?,
        expectation: login.clone(),
        expected_error: "MalformedClientData",
    });

    let padded = client_text.replacen(
        &login_possession.challenge,
        &format!("{}=", login_possession.challenge),
        1,
    );
    cases.push(Invalid {
        name: "client_data_challenge_padded",
        description: "Challenge in padded base64url (a trailing '='; java.util.Base64's URL \
                      encoder pads unless .withoutPadding()). Only unpadded base64url is valid.",
        mutation: "login_possession client data with '=' appended to the challenge; re-signed",
        public_key: possession_key.clone(),
        assertion: sign(auth.clone(), padded.into_bytes())?,
        expectation: login.clone(),
        expected_error: "MalformedClientData",
    });

    let no_rp = client_text.replacen(&format!(",\"rp_id\":\"{RP_ID}\""), "", 1);
    cases.push(Invalid {
        name: "client_data_missing_rp_id",
        description: "Client data without its rp_id field.",
        mutation: "login_possession client data without \"rp_id\"; re-signed",
        public_key: possession_key.clone(),
        assertion: sign(auth.clone(), no_rp.into_bytes())?,
        expectation: login.clone(),
        expected_error: "MalformedClientData",
    });

    cases.push(Invalid {
        name: "client_data_not_json",
        description: "Client data that is not JSON at all.",
        mutation: "client data replaced by the text 'mobank.login'; re-signed",
        public_key: possession_key.clone(),
        assertion: sign(auth.clone(), b"mobank.login".to_vec())?,
        expectation: login.clone(),
        expected_error: "MalformedClientData",
    });

    let mut compressed = vec![0x02 | (possession_key[PUBLIC_KEY_LEN - 1] & 1)];
    compressed.extend_from_slice(&possession_key[1..33]);
    cases.push(Invalid {
        name: "public_key_compressed",
        description: "The bank stored the key as a 33-byte compressed point. Keys are always \
                      the 65-byte uncompressed point 0x04 || X || Y.",
        mutation: "login_possession unchanged; public key compressed",
        public_key: compressed,
        assertion: sign(auth.clone(), client.clone())?,
        expectation: login.clone(),
        expected_error: "MalformedPublicKey",
    });

    let mut spki = P256_SPKI_PREFIX.to_vec();
    spki.extend_from_slice(&possession_key);
    cases.push(Invalid {
        name: "public_key_spki_der",
        description: "The bank stored the 91-byte SubjectPublicKeyInfo DER (Java's \
                      PublicKey.getEncoded()) instead of the raw point. Its last 65 bytes are \
                      the point.",
        mutation: "login_possession unchanged; public key wrapped in SubjectPublicKeyInfo DER",
        public_key: spki,
        assertion: sign(auth.clone(), client.clone())?,
        expectation: login.clone(),
        expected_error: "MalformedPublicKey",
    });

    let phishing = Inputs {
        rp_id: PHISHING_RP_ID.to_owned(),
        ..login_possession.clone()
    };
    let (phish_auth, phish_client) = build(&phishing)?;
    cases.push(Invalid {
        name: "rp_id_other_relying_party",
        description: "A consistent assertion for another relying party (a look-alike bank): \
                      both the client data rp_id and the rpIdHash name it.",
        mutation: "login_possession built for rp_id sandbox.mobank.example; signed",
        public_key: possession_key.clone(),
        assertion: sign(phish_auth.clone(), phish_client)?,
        expectation: login.clone(),
        expected_error: "RpIdMismatch",
    });
    cases.push(Invalid {
        name: "rp_id_hash_mismatch",
        description: "The client data names the right bank but the rpIdHash in the \
                      authenticator data is another relying party's. Both must match.",
        mutation: "login_possession with authenticator data of rp_id sandbox.mobank.example; \
                   re-signed",
        public_key: possession_key.clone(),
        assertion: sign(phish_auth, client.clone())?,
        expectation: login.clone(),
        expected_error: "RpIdMismatch",
    });

    let (bind_auth, bind_client) = build(&Inputs {
        ceremony: Ceremony::Bind,
        ..login_possession.clone()
    })?;
    cases.push(Invalid {
        name: "ceremony_bind_at_login",
        description: "An activation (mobank.bind) assertion presented at login over the right \
                      challenge.",
        mutation: "login_possession with client data type mobank.bind; signed",
        public_key: possession_key.clone(),
        assertion: sign(bind_auth, bind_client)?,
        expectation: login.clone(),
        expected_error: "CeremonyMismatch",
    });

    let replay = Inputs {
        challenge: b64::encode(earlier_challenge),
        ..login_possession.clone()
    };
    let (replay_auth, replay_client) = build(&replay)?;
    cases.push(Invalid {
        name: "challenge_other",
        description: "An assertion over an earlier challenge (a replay): well signed, counter \
                      higher than stored, but not over the challenge issued now.",
        mutation: "login_possession over another challenge; signed",
        public_key: possession_key.clone(),
        assertion: sign(replay_auth, replay_client)?,
        expectation: login.clone(),
        expected_error: "ChallengeMismatch",
    });

    let (no_flags, _) = build(&Inputs {
        flags: 0,
        ..login_possession.clone()
    })?;
    cases.push(Invalid {
        name: "user_not_present",
        description: "Flags 0x00: user-present bit clear.",
        mutation: "login_possession with flags 0x00; re-signed",
        public_key: possession_key.clone(),
        assertion: sign(no_flags, client.clone())?,
        expectation: login.clone(),
        expected_error: "UserNotPresent",
    });

    let (uv_only, _) = build(&Inputs {
        flags: FLAG_USER_VERIFIED,
        ..login_possession.clone()
    })?;
    cases.push(Invalid {
        name: "user_verified_without_present",
        description: "Flags 0x04: UV set but UP clear. UP is required on every assertion.",
        mutation: "login_possession with flags 0x04; re-signed",
        public_key: possession_key.clone(),
        assertion: sign(uv_only, client.clone())?,
        expectation: login.clone(),
        expected_error: "UserNotPresent",
    });

    let (_, uv_client) = build(login_user_verified)?;
    let (up_only, _) = build(&Inputs {
        flags: FLAG_USER_PRESENT,
        ..login_user_verified.clone()
    })?;
    cases.push(Invalid {
        name: "user_not_verified",
        description: "The user-verified factor signed with flags 0x01 (the OS did not verify \
                      the user) where the bank requires UV.",
        mutation: "login_user_verified with flags 0x01; re-signed",
        public_key: uv_key.clone(),
        assertion: signed_assertion(
            &keys.user_verified,
            Factor::UserVerified,
            up_only,
            uv_client.clone(),
        )?,
        expectation: login_uv.clone(),
        expected_error: "UserNotVerified",
    });

    cases.push(Invalid {
        name: "bad_signature_other_key",
        description: "Everything right, but signed by another device's key.",
        mutation: "login_possession signed by other_device",
        public_key: possession_key.clone(),
        assertion: signed_assertion(
            &keys.other_device,
            Factor::Possession,
            auth.clone(),
            client.clone(),
        )?,
        expectation: login.clone(),
        expected_error: "BadSignature",
    });

    let mut forged_uv = sign(auth.clone(), client.clone())?;
    forged_uv.authenticator_data[32] |= FLAG_USER_VERIFIED;
    cases.push(Invalid {
        name: "bad_signature_uv_flag_added",
        description: "The UV bit set after signing, to pass a possession-only signature off as \
                      user-verified.",
        mutation:
            "login_possession signed with flags 0x01, then flags changed to 0x05; not re-signed",
        public_key: possession_key.clone(),
        assertion: forged_uv,
        expectation: expectation(login_possession, true, 1),
        expected_error: "BadSignature",
    });

    let mut raised = sign(auth.clone(), client.clone())?;
    raised.authenticator_data[36] = 0x09;
    cases.push(Invalid {
        name: "bad_signature_counter_edited",
        description: "The counter changed after signing (from 2 to 9).",
        mutation: "login_possession, last authenticator data byte changed to 0x09; not re-signed",
        public_key: possession_key.clone(),
        assertion: raised,
        expectation: login.clone(),
        expected_error: "BadSignature",
    });

    let mut reformatted = sign(auth.clone(), client.clone())?;
    reformatted.client_data_json = client_text
        .replace("\":", "\": ")
        .replace(",\"", ", \"")
        .into_bytes();
    cases.push(Invalid {
        name: "bad_signature_client_data_reserialized",
        description: "The same client data re-serialised with spaces: same JSON meaning, other \
                      bytes. The signature covers the hash of the exact bytes received.",
        mutation: "login_possession, client data re-serialised with spaces; not re-signed",
        public_key: possession_key.clone(),
        assertion: reformatted,
        expectation: login.clone(),
        expected_error: "BadSignature",
    });

    let mut fixed_width = sign(auth.clone(), client.clone())?;
    fixed_width.signature = keys.possession.sign_fixed(&signed_bytes(&auth, &client))?;
    cases.push(Invalid {
        name: "bad_signature_raw_r_s",
        description: "A correct signature in the 64-byte r || s form (WebCrypto, JOSE) instead \
                      of DER. Signatures must be DER.",
        mutation: "login_possession signed in fixed-width form",
        public_key: possession_key.clone(),
        assertion: fixed_width,
        expectation: login.clone(),
        expected_error: "BadSignature",
    });

    let mut over_raw = sign(auth.clone(), client.clone())?;
    let mut raw_message = auth.clone();
    raw_message.extend_from_slice(&client);
    over_raw.signature = keys.possession.sign_der(&raw_message)?;
    cases.push(Invalid {
        name: "bad_signature_client_data_not_hashed",
        description: "Signed over authenticator_data || client_data_json, forgetting to hash \
                      the client data first.",
        mutation: "login_possession with the signature over authData || clientDataJSON",
        public_key: possession_key.clone(),
        assertion: over_raw,
        expectation: login.clone(),
        expected_error: "BadSignature",
    });

    let mut double_hashed = sign(auth.clone(), client.clone())?;
    let prehash = digest(&SHA256, &signed_bytes(&auth, &client));
    double_hashed.signature = keys.possession.sign_der(prehash.as_ref())?;
    cases.push(Invalid {
        name: "bad_signature_prehashed",
        description: "Signed over SHA-256(signed_bytes) with ECDSA-SHA256, i.e. hashed twice \
                      (a common mistake with platform APIs that hash themselves).",
        mutation: "login_possession with the signature over SHA-256(signed_bytes)",
        public_key: possession_key.clone(),
        assertion: double_hashed,
        expectation: login.clone(),
        expected_error: "BadSignature",
    });

    cases.push(Invalid {
        name: "counter_equal",
        description: "Correctly signed, counter 2 where the bank stored 2: the key signed with \
                      a counter it had used before. A clone or restored copy: block the device.",
        mutation: "login_possession unchanged; the bank's previous_sign_count is 2",
        public_key: possession_key.clone(),
        assertion: sign(auth.clone(), client.clone())?,
        expectation: expectation(login_possession, false, 2),
        expected_error: "CounterNotIncreasing",
    });

    cases.push(Invalid {
        name: "counter_lower",
        description: "Correctly signed, counter 2 where the bank stored 7 (an old copy of the \
                      device state). Block the device.",
        mutation: "login_possession unchanged; the bank's previous_sign_count is 7",
        public_key: possession_key.clone(),
        assertion: sign(auth.clone(), client.clone())?,
        expectation: expectation(login_possession, false, 7),
        expected_error: "CounterNotIncreasing",
    });

    let (zero_auth, _) = build(&Inputs {
        sign_count: 0,
        ..login_possession.clone()
    })?;
    cases.push(Invalid {
        name: "counter_zero",
        description: "Counter 0 on a new key: the device must increment before signing, so the \
                      first signature carries 1 and 0 never verifies.",
        mutation: "login_possession with counter 0; re-signed; the bank's previous_sign_count is 0",
        public_key: possession_key.clone(),
        assertion: sign(zero_auth, client.clone())?,
        expectation: expectation(login_possession, false, 0),
        expected_error: "CounterNotIncreasing",
    });

    cases.push(Invalid {
        name: "bad_signature_and_counter_equal",
        description: "Two defects on purpose: another key's signature and a counter equal to \
                      the stored one. The signature is checked first: a counter is a clone \
                      signal only on an assertion the device key really signed, so this must \
                      not block the device.",
        mutation: "login_possession signed by other_device; the bank's previous_sign_count is 2",
        public_key: possession_key,
        assertion: signed_assertion(&keys.other_device, Factor::Possession, auth, client)?,
        expectation: expectation(login_possession, false, 2),
        expected_error: "BadSignature",
    });

    Ok(cases)
}

fn operation_invalid_vectors(
    keys: &Keys,
    revoke: &Inputs,
    login_possession: &Inputs,
) -> Result<Vec<Invalid<'static>>> {
    let possession_key = keys.possession.public_key();
    let sign = |inputs: &Inputs| -> Result<Assertion> {
        let (auth, client) = build(inputs)?;
        signed_assertion(&keys.possession, Factor::Possession, auth, client)
    };
    let mut other_target = expectation(revoke, false, 3);
    other_target.operation = Some(operations::revoke_device(THIS_DEVICE_ID));
    let without_operation = Inputs {
        operation: None,
        ..revoke.clone()
    };
    let login_with_operation = Inputs {
        operation: Some(operations::revoke_device(OTHER_DEVICE_ID)),
        ..login_possession.clone()
    };
    Ok(vec![
        Invalid {
            name: "operation_other_target",
            description: "A correctly signed revocation of one device presented to revoke \
                          another: the operation text names the device, so the signature \
                          cannot be moved to another target.",
            mutation: "operation_revoke_device unchanged; the bank expects \
                       revoke_device:dev_8a1d6f3e0b7c4295",
            public_key: possession_key.clone(),
            assertion: sign(revoke)?,
            expectation: other_target,
            expected_error: "OperationMismatch",
        },
        Invalid {
            name: "operation_missing",
            description: "A mobank.operation assertion whose client data names no operation.",
            mutation: "operation_revoke_device without \"operation\" in the client data; \
                       re-signed",
            public_key: possession_key.clone(),
            assertion: sign(&without_operation)?,
            expectation: expectation(revoke, false, 3),
            expected_error: "OperationMismatch",
        },
        Invalid {
            name: "operation_at_login",
            description: "A login assertion whose client data carries an operation: only \
                          mobank.operation assertions may, so nothing unexpected rides along \
                          in a login.",
            mutation: "login_possession with \"operation\" added to the client data; re-signed",
            public_key: possession_key,
            assertion: sign(&login_with_operation)?,
            expectation: expectation(login_possession, false, 1),
            expected_error: "OperationMismatch",
        },
    ])
}

// ---- knowledge factor (HMAC-SHA256), vectors/knowledge.json ----

struct KnowledgeKey {
    name: &'static str,
    description: &'static str,
    key: [u8; KNOWLEDGE_KEY_LEN],
}

impl KnowledgeKey {
    /// Fixed test keys: SHA-256 of a label, so anyone can re-derive them.
    fn from_label(name: &'static str, description: &'static str, label: &str) -> Self {
        let mut key = [0u8; KNOWLEDGE_KEY_LEN];
        key.copy_from_slice(digest(&SHA256, label.as_bytes()).as_ref());
        Self {
            name,
            description,
            key,
        }
    }

    fn test_key(&self) -> KnowledgeTestKey {
        KnowledgeTestKey {
            name: self.name.to_owned(),
            description: self.description.to_owned(),
            key: b64::encode(self.key),
            key_hex: hex(&self.key),
        }
    }

    fn assertion(&self, inputs: &Inputs) -> Result<Assertion> {
        let (authenticator_data, client_data_json) = build(inputs)?;
        Ok(Assertion {
            factor: Factor::Knowledge,
            signature: knowledge_signature(&self.key, &authenticator_data, &client_data_json),
            authenticator_data,
            client_data_json,
        })
    }
}

struct KnowledgeKeys {
    current: KnowledgeKey,
    wrong_pin: KnowledgeKey,
    after_change: KnowledgeKey,
}

impl KnowledgeKeys {
    fn new() -> Self {
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

    fn named(&self, name: &str) -> Result<&KnowledgeKey> {
        [&self.current, &self.wrong_pin, &self.after_change]
            .into_iter()
            .find(|k| k.name == name)
            .ok_or_else(|| format!("no knowledge key {name}").into())
    }
}

fn valid_knowledge_vector(
    name: &str,
    description: &str,
    key: &KnowledgeKey,
    inputs: Inputs,
    expect: ExpectationJson,
) -> Result<ValidKnowledgeVector> {
    let assertion = key.assertion(&inputs)?;
    let expect_challenge = b64::decode(&expect.challenge)?;
    let verified = verify_knowledge(&assertion, &key.key, &expect.borrow(&expect_challenge))
        .map_err(|e| format!("{name}: valid vector does not verify: {e}"))?;
    Ok(ValidKnowledgeVector {
        name: name.to_owned(),
        description: description.to_owned(),
        key: key.name.to_owned(),
        factor: Factor::Knowledge,
        authenticator_data_hex: hex(&assertion.authenticator_data),
        client_data_json_text: String::from_utf8(assertion.client_data_json.clone())?,
        signed_bytes_hex: hex(&signed_bytes(
            &assertion.authenticator_data,
            &assertion.client_data_json,
        )),
        signature_hex: hex(&assertion.signature),
        inputs,
        assertion,
        expectation: expect,
        expected: Verified {
            sign_count: verified.sign_count,
            user_verified: verified.user_verified,
        },
    })
}

struct InvalidKnowledge {
    name: &'static str,
    description: &'static str,
    mutation: &'static str,
    key: &'static str,
    assertion: Assertion,
    expectation: ExpectationJson,
    expected_error: &'static str,
}

impl InvalidKnowledge {
    fn checked(self, keys: &KnowledgeKeys) -> Result<InvalidKnowledgeVector> {
        let challenge = b64::decode(&self.expectation.challenge)?;
        let on_file = keys.named(self.key)?;
        match verify_knowledge(
            &self.assertion,
            &on_file.key,
            &self.expectation.borrow(&challenge),
        ) {
            Err(error) if error_name(&error) == self.expected_error => Ok(InvalidKnowledgeVector {
                name: self.name.to_owned(),
                description: self.description.to_owned(),
                mutation: self.mutation.to_owned(),
                key: self.key.to_owned(),
                assertion: self.assertion,
                expectation: self.expectation,
                expected_error: self.expected_error.to_owned(),
            }),
            other => Err(format!(
                "{}: expected {}, verify_knowledge returned {other:?}",
                self.name, self.expected_error
            )
            .into()),
        }
    }
}

fn knowledge_vectors(keys: &KnowledgeKeys) -> Result<KnowledgeVectors> {
    let later = LaterChallenges::new();
    let login_challenge = challenge("mobank vectors: login challenge");
    let up_uv = FLAG_USER_PRESENT | FLAG_USER_VERIFIED;
    // The knowledge factor has its own counter: it made no binding proof, so its first
    // signature is the first login's; a PIN change does not restart it.
    let login = inputs(Ceremony::Login, &login_challenge, up_uv, 1);
    let step_up = inputs(Ceremony::StepUp, &later.step_up, up_uv, 2);
    let begin = operation_inputs(&later.pin_begin, up_uv, 3, operations::PIN_CHANGE_BEGIN);
    let commit = operation_inputs(
        &later.pin_ticket,
        up_uv,
        4,
        &operations::pin_change_commit(TICKET_ID),
    );

    let valid = vec![
        valid_knowledge_vector(
            "login_knowledge",
            "PIN login: the knowledge half, over the same login challenge as login_possession \
             in assertions.json. Flags UP and UV; the bank requires UV for this factor. Its \
             first signature, so counter 1 over a stored 0.",
            &keys.current,
            login.clone(),
            expectation(&login, true, 0),
        )?,
        valid_knowledge_vector(
            "step_up_knowledge",
            "Step-up with the PIN (with step_up_possession).",
            &keys.current,
            step_up.clone(),
            expectation(&step_up, true, 1),
        )?,
        valid_knowledge_vector(
            "pin_change_begin_knowledge",
            "A PIN change's first step, made with the OLD PIN's key (with \
             pin_change_begin_possession).",
            &keys.current,
            begin.clone(),
            expectation(&begin, true, 2),
        )?,
        valid_knowledge_vector(
            "pin_change_commit_knowledge",
            "A PIN change's second step, made with the NEW key the request carries; the bank \
             checks it with that key, and the counter continues from the old key's.",
            &keys.after_change,
            commit.clone(),
            expectation(&commit, true, 3),
        )?,
    ];

    let (auth, client) = build(&login)?;
    let mut short = keys.current.assertion(&login)?;
    short.signature.truncate(16);
    let mut unhashed = keys.current.assertion(&login)?;
    let mut raw = auth.clone();
    raw.extend_from_slice(&client);
    unhashed.signature = ring::hmac::sign(
        &ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &keys.current.key),
        &raw,
    )
    .as_ref()
    .to_vec();
    let up_only = Inputs {
        flags: FLAG_USER_PRESENT,
        ..login.clone()
    };
    let login_at_step_up = Inputs {
        challenge: step_up.challenge.clone(),
        ..login.clone()
    };
    let mut begin_as_commit = expectation(&begin, true, 2);
    begin_as_commit.operation = Some(operations::pin_change_commit(TICKET_ID));

    let invalid = vec![
        InvalidKnowledge {
            name: "knowledge_wrong_pin",
            description: "The phone decrypted its knowledge key with a wrong PIN and tagged with \
                          the result. Indistinguishable from any other bad signature; it counts \
                          as one failed attempt.",
            mutation: "login_knowledge tagged with knowledge_wrong_pin",
            key: "knowledge",
            assertion: keys.wrong_pin.assertion(&login)?,
            expectation: expectation(&login, true, 0),
            expected_error: "BadSignature",
        },
        InvalidKnowledge {
            name: "knowledge_tag_truncated",
            description: "The first 16 bytes of the right tag. The tag is always the full 32 \
                          bytes.",
            mutation: "login_knowledge with the signature cut to 16 bytes",
            key: "knowledge",
            assertion: short,
            expectation: expectation(&login, true, 0),
            expected_error: "BadSignature",
        },
        InvalidKnowledge {
            name: "knowledge_client_data_not_hashed",
            description: "Tagged over authenticator_data || client_data_json, forgetting to hash \
                          the client data first.",
            mutation: "login_knowledge with the tag over authData || clientDataJSON",
            key: "knowledge",
            assertion: unhashed,
            expectation: expectation(&login, true, 0),
            expected_error: "BadSignature",
        },
        InvalidKnowledge {
            name: "knowledge_commit_with_old_key",
            description: "A PIN change commit tagged with the old key instead of the new one it \
                          carries.",
            mutation: "pin_change_commit_knowledge tagged with knowledge instead of \
                       knowledge_new",
            key: "knowledge_new",
            assertion: keys.current.assertion(&commit)?,
            expectation: expectation(&commit, true, 3),
            expected_error: "BadSignature",
        },
        InvalidKnowledge {
            name: "knowledge_user_not_verified",
            description: "Flags 0x01: a knowledge assertion must say the user was verified \
                          (the PIN was entered).",
            mutation: "login_knowledge with flags 0x01; re-tagged",
            key: "knowledge",
            assertion: keys.current.assertion(&up_only)?,
            expectation: expectation(&login, true, 0),
            expected_error: "UserNotVerified",
        },
        InvalidKnowledge {
            name: "knowledge_login_at_step_up",
            description: "A mobank.login assertion over the step-up challenge presented at \
                          step-up.",
            mutation: "login_knowledge over the step-up challenge; re-tagged; the bank expects \
                       mobank.step_up",
            key: "knowledge",
            assertion: keys.current.assertion(&login_at_step_up)?,
            expectation: expectation(&step_up, true, 1),
            expected_error: "CeremonyMismatch",
        },
        InvalidKnowledge {
            name: "knowledge_operation_mismatch",
            description: "The begin step's assertion presented as the commit over the same \
                          challenge: the operation text differs.",
            mutation: "pin_change_begin_knowledge unchanged; the bank expects operation \
                       pin_change:commit:pct_0e4b7a91c2d35f68",
            key: "knowledge",
            assertion: keys.current.assertion(&begin)?,
            expectation: begin_as_commit,
            expected_error: "OperationMismatch",
        },
        InvalidKnowledge {
            name: "knowledge_counter_equal",
            description: "Correctly tagged with the right key, counter 1 where the bank stored \
                          1: an old copy of the phone's state signing again. A clone: block the \
                          device. (A wrong PIN can never get here: its tag fails first.)",
            mutation: "login_knowledge unchanged; the bank's previous_sign_count is 1",
            key: "knowledge",
            assertion: keys.current.assertion(&login)?,
            expectation: expectation(&login, true, 1),
            expected_error: "CounterNotIncreasing",
        },
    ]
    .into_iter()
    .map(|case| case.checked(keys))
    .collect::<Result<Vec<_>>>()?;

    Ok(KnowledgeVectors {
        description: "Mobank knowledge-factor (PIN) test vectors: fixed 32-byte knowledge keys, \
                      the bytes a device builds and tags, and assertions a bank must accept or \
                      reject with the named error. Generated by \
                      protocol/examples/make-vectors.rs, checked by protocol/tests/vectors.rs; \
                      see docs/protocol.md and docs/decisions/0010-knowledge-factor.md."
            .to_owned(),
        notes: vec![
            "authenticator_data, client_data_json and signed_bytes are built exactly as for the \
             ECDSA factors (see assertions.json); factor is \"knowledge\" and flags are UP|UV \
             (0x05)."
                .to_owned(),
            "signature = HMAC-SHA256(knowledge key, signed_bytes): 32 bytes, deterministic, so \
             your tag over the same inputs must equal signature_hex exactly. Compare tags in \
             constant time."
                .to_owned(),
            "The bank holds the knowledge key; the phone recovers it only with the right PIN. A \
             wrong PIN yields another key and so BadSignature, which counts as a failed attempt \
             like any other factor's."
                .to_owned(),
            "The knowledge factor has its own signature counter, checked after the tag exactly \
             like the ECDSA keys' counters; a PIN change keeps counting."
                .to_owned(),
            "In invalid vectors `key` names the key the bank has on file; expected_error names \
             a variant of mobank_protocol::VerifyError."
                .to_owned(),
        ],
        keys: vec![
            keys.current.test_key(),
            keys.wrong_pin.test_key(),
            keys.after_change.test_key(),
        ],
        valid,
        invalid,
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

fn message_examples(
    vectors: &AssertionVectors,
    knowledge: &KnowledgeVectors,
    knowledge_keys: &KnowledgeKeys,
) -> Result<MessageExamples<AnyMessage>> {
    let find = |name: &str| {
        vectors
            .valid
            .iter()
            .find(|v| v.name == name)
            .ok_or_else(|| format!("no valid vector {name}"))
    };
    let bind_possession = find("bind_possession")?;
    let bind_user_verified = find("bind_user_verified")?;
    let login_possession = find("login_possession")?;
    let login_user_verified = find("login_user_verified")?;
    let post = |path: &str| format!("POST {path}");
    let now: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

    let mut out = Vec::new();
    out.push(example(
        AnyMessage::IssueActivationRequest(IssueActivationRequest {
            customer_id: "demo".to_owned(),
        }),
        post(paths::DEV_ACTIVATION_CODES),
        Direction::Request,
        "Developer API (sandbox only, plain HTTP on its own loopback listener): issue an \
         activation code, as a branch or the bank's web portal would.",
    )?);
    out.push(example(
        AnyMessage::IssueActivationResponse(IssueActivationResponse {
            activation_code: "K7QX-M2PD-9WRT".to_owned(),
            phone: "+8613800138000".to_owned(),
            expires_at_ms: now + 24 * 3_600_000,
        }),
        post(paths::DEV_ACTIVATION_CODES),
        Direction::Response,
        "The code the customer types into the app, and the registered phone the OTP will go to.",
    )?);
    out.push(example(
        AnyMessage::SmsOutbox(SmsOutbox {
            messages: vec![SmsMessage {
                to: "+8613800138000".to_owned(),
                body: "【Mobank】验证码 483920，10分钟内有效。Code 483920, valid 10 minutes. \
                       Never share it."
                    .to_owned(),
                sent_at_ms: now + 1_000,
            }],
        }),
        format!("GET {}{{phone}}", paths::DEV_SMS_PREFIX),
        Direction::Response,
        "Developer API: the sandbox's stand-in for SMS, oldest first. The OTP is the only run of \
         six digits in the body.",
    )?);
    out.push(example(
        AnyMessage::StartActivationRequest(StartActivationRequest {
            activation_code: "K7QX-M2PD-9WRT".to_owned(),
        }),
        post(paths::ACTIVATION_START),
        Direction::Request,
        "Step 1 of binding: the activation code. The bank sends an OTP to the registered phone.",
    )?);
    out.push(example(
        AnyMessage::StartActivationResponse(StartActivationResponse {
            activation_id: "act_5f0c2e8b9d4a4c17".to_owned(),
            challenge: b64::decode(&bind_possession.inputs.challenge)?,
            masked_phone: "+86 138****8000".to_owned(),
            otp_expires_at_ms: now + 1_000 + 600_000,
            rp_id: RP_ID.to_owned(),
            server_time_ms: now + 1_000,
        }),
        post(paths::ACTIVATION_START),
        Direction::Response,
        "The activation challenge both new keys sign (ceremony mobank.bind), and where the OTP \
         went. The challenge is the one of the bind_* assertion vectors.",
    )?);
    out.push(example(
        AnyMessage::CompleteActivationRequest(CompleteActivationRequest {
            activation_id: "act_5f0c2e8b9d4a4c17".to_owned(),
            otp: "483920".to_owned(),
            device: DeviceDescription {
                name: "Pixel 8".to_owned(),
                platform: "android".to_owned(),
            },
            possession_public_key: b64::decode(&vectors.keys[0].public_key)?,
            user_verified_public_key: b64::decode(&vectors.keys[1].public_key)?,
            proofs: vec![
                bind_possession.assertion.clone(),
                bind_user_verified.assertion.clone(),
            ],
            knowledge_key: None,
        }),
        post(paths::ACTIVATION_COMPLETE),
        Direction::Request,
        "Step 2 of binding: the OTP, both public keys, and one mobank.bind proof per key (the \
         bind_possession and bind_user_verified vectors).",
    )?);
    out.push(example(
        AnyMessage::CompleteActivationResponse(CompleteActivationResponse {
            device_id: "dev_8a1d6f3e0b7c4295".to_owned(),
            customer_name: "李伟 (Li Wei)".to_owned(),
            bound_at_ms: now + 30_000,
            server_time_ms: now + 30_000,
        }),
        post(paths::ACTIVATION_COMPLETE),
        Direction::Response,
        "The device is bound; device_id identifies it from now on.",
    )?);
    out.push(example(
        AnyMessage::LoginChallengeRequest(LoginChallengeRequest {
            device_id: "dev_8a1d6f3e0b7c4295".to_owned(),
        }),
        post(paths::LOGIN_CHALLENGE),
        Direction::Request,
        "Ask for a login challenge.",
    )?);
    out.push(example(
        AnyMessage::ChallengeResponse(ChallengeResponse {
            challenge_id: "chl_c3b09a7e51f24d68".to_owned(),
            challenge: b64::decode(&login_possession.inputs.challenge)?,
            expires_at_ms: now + 120_000 + 60_000,
            rp_id: RP_ID.to_owned(),
            server_time_ms: now + 120_000,
        }),
        post(paths::LOGIN_CHALLENGE),
        Direction::Response,
        "32 random bytes, single use, valid 60 s. The challenge is the one of the login_* \
         assertion vectors.",
    )?);
    out.push(example(
        AnyMessage::LoginRequest(LoginRequest {
            device_id: "dev_8a1d6f3e0b7c4295".to_owned(),
            challenge_id: "chl_c3b09a7e51f24d68".to_owned(),
            assertions: vec![
                login_possession.assertion.clone(),
                login_user_verified.assertion.clone(),
            ],
            integrity: None,
        }),
        post(paths::LOGIN),
        Direction::Request,
        "Login with possession + user-verified: one mobank.login assertion per factor (the \
         login_possession and login_user_verified vectors).",
    )?);
    out.push(example(
        AnyMessage::LoginResponse(LoginResponse {
            session_token: "stk_9QmT3vX0aLr7Wc2ZpK8eYbN4".to_owned(),
            idle_timeout_secs: 300,
            expires_at_ms: now + 121_000 + 12 * 3_600_000,
            server_time_ms: now + 121_000,
            notices: Vec::new(),
            limits: None,
        }),
        post(paths::LOGIN),
        Direction::Response,
        "The session token, sent as Authorization: Bearer <session_token>.",
    )?);
    out.push(example(
        AnyMessage::AccountsResponse(AccountsResponse {
            accounts: vec![
                Account {
                    account_id: "acc_current_01".to_owned(),
                    product: ProductKind::Current,
                    name: "活期账户 Current account".to_owned(),
                    currency: "CNY".to_owned(),
                    balance: Decimal::from_str("12850.75")?,
                    masked_number: "6222 **** **** 7890".to_owned(),
                    parent_account_id: None,
                },
                Account {
                    account_id: "acc_savings_01".to_owned(),
                    product: ProductKind::Savings,
                    name: "储蓄账户 Savings account".to_owned(),
                    currency: "CNY".to_owned(),
                    balance: Decimal::from_str("86000.00")?,
                    masked_number: "6222 **** **** 4431".to_owned(),
                    parent_account_id: None,
                },
                Account {
                    account_id: "acc_margin_01".to_owned(),
                    product: ProductKind::Margin,
                    name: "贵金属保证金 Precious-metal margin".to_owned(),
                    currency: "CNY".to_owned(),
                    balance: Decimal::from_str("0.00")?,
                    masked_number: "6222 **** **** 0218".to_owned(),
                    parent_account_id: Some("acc_current_01".to_owned()),
                },
            ],
            server_time_ms: now + 122_000,
        }),
        format!("GET {}", paths::ACCOUNTS),
        Direction::Response,
        "Every product of the customer; balances are decimal strings. A sub-account names its \
         parent_account_id; the field is absent otherwise. GET with Authorization: Bearer \
         <session_token>, no body.",
    )?);
    out.push(example(
        AnyMessage::ErrorBody(ErrorBody {
            error: ApiError {
                code: ErrorCode::AuthenticationFailed,
                message: "authentication failed".to_owned(),
                attempts_remaining: Some(4),
            },
        }),
        post(paths::LOGIN),
        Direction::Error,
        "A failed login: never says which factor failed; says how many attempts remain before \
         the binding is blocked.",
    )?);
    out.push(example(
        AnyMessage::ErrorBody(ErrorBody {
            error: ApiError {
                code: ErrorCode::ChallengeInvalid,
                message: "challenge unknown, used or expired".to_owned(),
                attempts_remaining: None,
            },
        }),
        post(paths::LOGIN),
        Direction::Error,
        "A replayed or expired challenge. attempts_remaining is absent where it does not apply.",
    )?);

    out.extend(later_examples(vectors, knowledge, knowledge_keys, now)?);

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

/// Examples of the messages added for history, the PIN, step-up and the device lifecycle,
/// after those of the first version so that those keep their place in the file.
fn later_examples(
    vectors: &AssertionVectors,
    knowledge: &KnowledgeVectors,
    knowledge_keys: &KnowledgeKeys,
    now: i64,
) -> Result<Vec<MessageExample<AnyMessage>>> {
    let ecdsa = |name: &str| -> Result<Assertion> {
        vectors
            .valid
            .iter()
            .find(|v| v.name == name)
            .map(|v| v.assertion.clone())
            .ok_or_else(|| format!("no valid vector {name}").into())
    };
    let hmac = |name: &str| -> Result<Assertion> {
        knowledge
            .valid
            .iter()
            .find(|v| v.name == name)
            .map(|v| v.assertion.clone())
            .ok_or_else(|| format!("no knowledge vector {name}").into())
    };
    let challenge_of = |name: &str| -> Result<Vec<u8>> {
        let v = vectors
            .valid
            .iter()
            .find(|v| v.name == name)
            .ok_or_else(|| format!("no valid vector {name}"))?;
        Ok(b64::decode(&v.inputs.challenge)?)
    };
    let post = |path: &str| format!("POST {path}");
    let get = |path: &str| format!("GET {path}");
    let cny = |text: &str| Decimal::from_str(text);
    let mut out = Vec::new();

    out.push(example(
        AnyMessage::CompleteActivationRequest(CompleteActivationRequest {
            activation_id: "act_5f0c2e8b9d4a4c17".to_owned(),
            otp: "483920".to_owned(),
            device: DeviceDescription {
                name: "Pixel 8".to_owned(),
                platform: "android".to_owned(),
            },
            possession_public_key: b64::decode(&vectors.keys[0].public_key)?,
            user_verified_public_key: b64::decode(&vectors.keys[1].public_key)?,
            proofs: vec![ecdsa("bind_possession")?, ecdsa("bind_user_verified")?],
            knowledge_key: Some(knowledge_keys.current.key.to_vec()),
        }),
        post(paths::ACTIVATION_COMPLETE),
        Direction::Request,
        "Binding with a PIN: the same request with knowledge_key, the 32-byte key the PIN \
         protects on the phone (the knowledge key of knowledge.json). Sent once, here.",
    )?);
    out.push(example(
        AnyMessage::LoginRequest(LoginRequest {
            device_id: THIS_DEVICE_ID.to_owned(),
            challenge_id: "chl_c3b09a7e51f24d68".to_owned(),
            assertions: vec![ecdsa("login_possession")?, hmac("login_knowledge")?],
            integrity: Some(IntegritySignals {
                rooted: false,
                debugger: false,
                hooking: false,
                emulator: true,
            }),
        }),
        post(paths::LOGIN),
        Direction::Request,
        "PIN login: possession + knowledge (login_possession, and login_knowledge of \
         knowledge.json) over the same challenge, with the app's device-integrity findings.",
    )?);
    out.push(example(
        AnyMessage::LoginResponse(LoginResponse {
            session_token: "stk_2HcV8nQe5tWk0yRb7LmX4fZa".to_owned(),
            idle_timeout_secs: 300,
            expires_at_ms: now + 121_000 + 12 * 3_600_000,
            server_time_ms: now + 121_000,
            notices: vec![Notice {
                notice_id: "ntc_7d2f9a0c4e1b8356".to_owned(),
                kind: NoticeKind::NewDeviceBound,
                device_name: Some("iPhone 15".to_owned()),
                at_ms: now - 3_600_000,
            }],
            limits: Some(Limits {
                per_transaction: cny("500.00")?,
                daily: cny("1000.00")?,
                currency: "CNY".to_owned(),
                reason: LimitReason::IntegrityRisk,
                cooling_off_until_ms: Some(now + 20 * 3_600_000),
            }),
        }),
        post(paths::LOGIN),
        Direction::Response,
        "A login with notices not yet shown on this device (delivered once) and the limits of \
         the session: low, because an emulator was reported, and the device is still cooling \
         off after its binding. notices is omitted when empty, limits when the bank sets none.",
    )?);
    out.push(example(
        AnyMessage::TransactionsPage(TransactionsPage {
            transactions: vec![
                Transaction {
                    transaction_id: "txn_4b1e0c9a7f3d2865".to_owned(),
                    account_id: "acc_current_01".to_owned(),
                    booked_at_ms: now - 20 * 86_400_000 + 7_200_000,
                    amount: cny("28500.00")?,
                    currency: "CNY".to_owned(),
                    counterparty: "ACME Ltd 艾克米有限公司".to_owned(),
                    memo: "工资 Salary 2025-12".to_owned(),
                    category: "salary".to_owned(),
                },
                Transaction {
                    transaction_id: "txn_9e3a6d0f2c7b4158".to_owned(),
                    account_id: "acc_current_01".to_owned(),
                    booked_at_ms: now - 19 * 86_400_000 + 41_000_000,
                    amount: cny("-186.40")?,
                    currency: "CNY".to_owned(),
                    counterparty: "盒马鲜生 Hema".to_owned(),
                    memo: "盒马鲜生 生鲜蔬果".to_owned(),
                    category: "groceries".to_owned(),
                },
            ],
            next_cursor: "AQAAAAAAAAAC".to_owned(),
            has_more: true,
            server_time_ms: now + 123_000,
            remaining: None,
        }),
        format!("{}?limit=2", get(paths::TRANSACTIONS)),
        Direction::Response,
        "A page of history in booking order; amounts are signed (negative: money out). Ask \
         again with cursor=next_cursor for the rest, now or at the next sync.",
    )?);
    out.push(example(
        AnyMessage::ChallengeRequest(ChallengeRequest {
            purpose: ChallengePurpose::StepUp,
        }),
        post(paths::CHALLENGES),
        Direction::Request,
        "A challenge inside the session (Authorization: Bearer): step_up for a step-up, \
         operation for revoke, unbind and PIN change. Answered with a ChallengeResponse.",
    )?);
    out.push(example(
        AnyMessage::ChallengeResponse(ChallengeResponse {
            challenge_id: "chl_1f6b0e8d3a9c4527".to_owned(),
            challenge: challenge_of("step_up_possession")?,
            expires_at_ms: now + 200_000 + 60_000,
            rp_id: RP_ID.to_owned(),
            server_time_ms: now + 200_000,
        }),
        post(paths::CHALLENGES),
        Direction::Response,
        "The step-up challenge of the step_up_* vectors.",
    )?);
    out.push(example(
        AnyMessage::StepUpRequest(StepUpRequest {
            challenge_id: "chl_1f6b0e8d3a9c4527".to_owned(),
            assertions: vec![ecdsa("step_up_possession")?, hmac("step_up_knowledge")?],
        }),
        post(paths::STEP_UP),
        Direction::Request,
        "Step-up with possession + PIN (possession + user_verified works the same way).",
    )?);
    out.push(example(
        AnyMessage::StepUpResponse(StepUpResponse {
            strong_auth_at_ms: now + 201_000,
            server_time_ms: now + 201_000,
        }),
        post(paths::STEP_UP),
        Direction::Response,
        "The session's strong authentication is now; sensitive operations accept it for 5 \
         minutes.",
    )?);
    out.push(example(
        AnyMessage::DevicesResponse(DevicesResponse {
            devices: vec![
                DeviceInfo {
                    device_id: THIS_DEVICE_ID.to_owned(),
                    name: "Pixel 8".to_owned(),
                    platform: "android".to_owned(),
                    bound_at_ms: now + 60_000,
                    last_seen_ms: Some(now + 202_000),
                    status: DeviceStatus::Active,
                    this_device: true,
                },
                DeviceInfo {
                    device_id: OTHER_DEVICE_ID.to_owned(),
                    name: "iPhone 15".to_owned(),
                    platform: "ios".to_owned(),
                    bound_at_ms: now - 3_600_000,
                    last_seen_ms: None,
                    status: DeviceStatus::Active,
                    this_device: false,
                },
            ],
            server_time_ms: now + 202_000,
        }),
        get(paths::DEVICES),
        Direction::Response,
        "The customer's devices, oldest binding first; this_device marks the asking one.",
    )?);
    out.push(example(
        AnyMessage::RevokeDeviceRequest(RevokeDeviceRequest {
            device_id: OTHER_DEVICE_ID.to_owned(),
            challenge_id: "chl_6a0d3f9b2e7c1485".to_owned(),
            assertion: ecdsa("operation_revoke_device")?,
        }),
        post(paths::DEVICES_REVOKE),
        Direction::Request,
        "Revoke another device: a possession assertion (mobank.operation, \
         revoke_device:<device_id>) over an operation challenge; needs a strong authentication \
         in the last 5 minutes.",
    )?);
    out.push(example(
        AnyMessage::RevokeDeviceResponse(RevokeDeviceResponse {
            device_id: OTHER_DEVICE_ID.to_owned(),
            revoked_at_ms: now + 203_000,
            server_time_ms: now + 203_000,
        }),
        post(paths::DEVICES_REVOKE),
        Direction::Response,
        "Revoked (also the answer to unbind). Asking again for the same device gives the same \
         answer.",
    )?);
    out.push(example(
        AnyMessage::UnbindDeviceRequest(UnbindDeviceRequest {
            challenge_id: "chl_0c8e2b6f4a9d3571".to_owned(),
            assertion: ecdsa("operation_unbind")?,
        }),
        post(paths::DEVICES_UNBIND),
        Direction::Request,
        "Unbind this device: operation unbind:<its own device_id>.",
    )?);
    out.push(example(
        AnyMessage::PinChangeBeginRequest(PinChangeBeginRequest {
            challenge_id: "chl_8b4f1a7e0d3c6952".to_owned(),
            assertions: vec![
                ecdsa("pin_change_begin_possession")?,
                hmac("pin_change_begin_knowledge")?,
            ],
        }),
        post(paths::PIN_CHANGE_BEGIN),
        Direction::Request,
        "PIN change, step 1: possession + the OLD PIN (operation pin_change:begin) over an \
         operation challenge.",
    )?);
    out.push(example(
        AnyMessage::PinChangeTicket(PinChangeTicket {
            ticket_id: TICKET_ID.to_owned(),
            challenge: challenge_of("pin_change_commit_possession")?,
            expires_at_ms: now + 204_000 + 300_000,
            server_time_ms: now + 204_000,
        }),
        post(paths::PIN_CHANGE_BEGIN),
        Direction::Response,
        "The ticket for step 2 and the challenge its assertions sign.",
    )?);
    out.push(example(
        AnyMessage::PinChangeCommitRequest(PinChangeCommitRequest {
            ticket_id: TICKET_ID.to_owned(),
            new_knowledge_key: knowledge_keys.after_change.key.to_vec(),
            assertions: vec![
                ecdsa("pin_change_commit_possession")?,
                hmac("pin_change_commit_knowledge")?,
            ],
        }),
        post(paths::PIN_CHANGE_COMMIT),
        Direction::Request,
        "PIN change, step 2: the new knowledge key and, over the ticket's challenge \
         (operation pin_change:commit:<ticket_id>), possession + knowledge made with the NEW key.",
    )?);
    out.push(example(
        AnyMessage::PinChangeResponse(PinChangeResponse {
            changed_at_ms: now + 230_000,
            server_time_ms: now + 230_000,
        }),
        post(paths::PIN_CHANGE_COMMIT),
        Direction::Response,
        "From now on only the new PIN works on this device.",
    )?);
    out.push(example(
        AnyMessage::ErrorBody(ErrorBody {
            error: ApiError {
                code: ErrorCode::StepUpRequired,
                message: "this operation needs a recent strong authentication".to_owned(),
                attempts_remaining: None,
            },
        }),
        post(paths::DEVICES_REVOKE),
        Direction::Error,
        "The session's last strong authentication is too old for this operation: step up, \
         then try again with a new challenge.",
    )?);
    out.push(example(
        AnyMessage::AppendTransactionRequest(AppendTransactionRequest {
            account_id: None,
            amount: cny("-36.00")?,
            counterparty: "Starbucks 星巴克".to_owned(),
            memo: "Starbucks latte".to_owned(),
            category: "dining".to_owned(),
        }),
        post(paths::DEV_TRANSACTIONS),
        Direction::Request,
        "Developer API: book a transaction now (account_id absent: the demo current account).",
    )?);
    out.push(example(
        AnyMessage::Transaction(Transaction {
            transaction_id: "txn_2d7c5a1e9f0b3846".to_owned(),
            account_id: "acc_current_01".to_owned(),
            booked_at_ms: now + 240_000,
            amount: cny("-36.00")?,
            currency: "CNY".to_owned(),
            counterparty: "Starbucks 星巴克".to_owned(),
            memo: "Starbucks latte".to_owned(),
            category: "dining".to_owned(),
        }),
        post(paths::DEV_TRANSACTIONS),
        Direction::Response,
        "The booked transaction; the next history sync returns it after everything before.",
    )?);
    out.push(example(
        AnyMessage::NotificationOutbox(NotificationOutbox {
            notifications: vec![Notification {
                customer_id: "demo".to_owned(),
                device_id: THIS_DEVICE_ID.to_owned(),
                kind: NoticeKind::NewDeviceBound,
                device_name: Some("iPhone 15".to_owned()),
                at_ms: now - 3_600_000,
            }],
        }),
        format!("GET {}{{customer_id}}", paths::DEV_NOTIFICATIONS_PREFIX),
        Direction::Response,
        "Developer API: the notifications the bank sent to the customer's devices, oldest \
         first.",
    )?);
    Ok(out)
}

fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    std::fs::write(path, text)?;
    println!("wrote {}", path.display());
    Ok(())
}

fn main() -> Result<()> {
    let keys = Keys {
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
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors");
    let kept = Kept::load(&dir.join("assertions.json"))?;
    let vectors = assertion_vectors(&keys, &kept)?;
    let knowledge_keys = KnowledgeKeys::new();
    let knowledge = knowledge_vectors(&knowledge_keys)?;
    let messages = message_examples(&vectors, &knowledge, &knowledge_keys)?;
    std::fs::create_dir_all(&dir)?;
    write_json(&dir.join("assertions.json"), &vectors)?;
    write_json(&dir.join("knowledge.json"), &knowledge)?;
    write_json(&dir.join("messages.json"), &messages)?;
    Ok(())
}
