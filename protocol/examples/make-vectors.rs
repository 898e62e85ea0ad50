//! Writes `vectors/assertions.json` and `vectors/messages.json`.
//!
//! ECDSA signatures are randomised, so every run produces new signatures over the same bytes:
//! run it only when the contract changes, and commit the output. `tests/vectors.rs` checks the
//! committed files against the code.
//!
//! `cargo run -p mobank-protocol --example make-vectors`

#[path = "../tests/support/vector_file.rs"]
mod vector_file;

use std::error::Error;
use std::path::Path;
use std::str::FromStr;

use mobank_protocol::assertion::{rp_id_hash, verify, PUBLIC_KEY_LEN};
use mobank_protocol::messages::{
    paths, Account, AccountsResponse, ChallengeResponse, CompleteActivationRequest,
    CompleteActivationResponse, DeviceDescription, IssueActivationRequest, IssueActivationResponse,
    LoginChallengeRequest, LoginRequest, LoginResponse, ProductKind, SmsMessage, SmsOutbox,
    StartActivationRequest, StartActivationResponse,
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
    AnyMessage, AssertionVectors, Direction, ExpectationJson, Inputs, InvalidVector,
    MessageExample, MessageExamples, TestKey, ValidVector, Verified,
};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

// Generated once with `EcdsaKeyPair::generate_pkcs8` and fixed here so that regenerating the
// file changes only the signatures. Public test keys: worthless outside tests.
const POSSESSION_PKCS8: &str = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg5mUrbigYLr9euMNkvUuLTuH2sisIPH7_BZK5aYOd5jGhRANCAATmTlKVbMwFL6_TscBfDhBt_Q6GkchBpWT9fL2-sutl3VKV5B6o7N4wFJ97pN1K7S5MyQZ07d56mn_ZWL4z2apn";
const USER_VERIFIED_PKCS8: &str = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgeuR6PI6tgrhQufgxT4pHThWOCQdBnlu56EJuzbo_0tuhRANCAASOTwI58HFyPZROc18ohrus5okibXHhK0L4dfXvp0JPSS8HXr4S7WuRmloFc1nw0lBOEHtvwBERIML2qKiMkMw7";
const OTHER_DEVICE_PKCS8: &str = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg60wAd3coFRmxX0JtZmwq8Pt-9wYvJdSdeDfL3tRMEAqhRANCAARWO7-IEAipyiDV3-E8QwfnTjPtc4hU9SlqAHsxDLhcIkSqlVQ1Pf3HMhLqZok3DBGRAAdJNatK87tvxoh1pBI5";

const RP_ID: &str = "sandbox.mobank.local";
const PHISHING_RP_ID: &str = "sandbox.mobank.example";

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
    }
}

fn expectation(inputs: &Inputs, require_user_verified: bool, previous: u32) -> ExpectationJson {
    ExpectationJson {
        rp_id: inputs.rp_id.clone(),
        ceremony: inputs.ceremony,
        challenge: inputs.challenge.clone(),
        require_user_verified,
        previous_sign_count: previous,
    }
}

/// The two byte strings a device builds from its inputs.
fn build(inputs: &Inputs) -> Result<(Vec<u8>, Vec<u8>)> {
    let auth = AuthenticatorData::new(&inputs.rp_id, inputs.flags, inputs.sign_count);
    let client = ClientData {
        ceremony: inputs.ceremony,
        challenge: b64::decode(&inputs.challenge)?,
        rp_id: inputs.rp_id.clone(),
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
        VerifyError::UserNotPresent => "UserNotPresent",
        VerifyError::UserNotVerified => "UserNotVerified",
        VerifyError::BadSignature => "BadSignature",
        VerifyError::CounterNotIncreasing { .. } => "CounterNotIncreasing",
    }
}

fn valid_vector(
    name: &str,
    description: &str,
    key: &Key,
    factor: Factor,
    inputs: Inputs,
    expect: ExpectationJson,
) -> Result<ValidVector> {
    let (authenticator_data, client_data_json) = build(&inputs)?;
    let assertion = signed_assertion(
        key,
        factor,
        authenticator_data.clone(),
        client_data_json.clone(),
    )?;
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
    fn checked(self) -> Result<InvalidVector> {
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

fn assertion_vectors(keys: &Keys) -> Result<AssertionVectors> {
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

    let valid = vec![
        valid_vector(
            "bind_possession",
            "Activation proof of the possession key: the first signature this key ever makes, so \
             its counter is 1. The bank has nothing stored yet (previous_sign_count 0).",
            &keys.possession,
            Factor::Possession,
            bind_possession.clone(),
            expectation(&bind_possession, false, 0),
        )?,
        valid_vector(
            "bind_user_verified",
            "Activation proof of the user-verified (biometric) key over the same activation \
             challenge. UP and UV set: the OS released the key only after verifying the user.",
            &keys.user_verified,
            Factor::UserVerified,
            bind_user_verified.clone(),
            expectation(&bind_user_verified, true, 0),
        )?,
        valid_vector(
            "login_possession",
            "Login with the possession key, its second signature (counter 2, bank stored 1).",
            &keys.possession,
            Factor::Possession,
            login_possession.clone(),
            expectation(&login_possession, false, 1),
        )?,
        valid_vector(
            "login_user_verified",
            "Login with the user-verified key over the same login challenge; the bank requires \
             UV for this factor.",
            &keys.user_verified,
            Factor::UserVerified,
            login_user_verified.clone(),
            expectation(&login_user_verified, true, 1),
        )?,
        valid_vector(
            "login_counter_byte_order",
            "Counter 0x01020304 (16909060): the last four bytes of the authenticator data are \
             01 02 03 04, i.e. big-endian.",
            &keys.possession,
            Factor::Possession,
            byte_order.clone(),
            expectation(&byte_order, false, 0x0102_0303),
        )?,
    ];

    let invalid = invalid_vectors(
        keys,
        &login_possession,
        &login_user_verified,
        &earlier_challenge,
    )?;

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
            "client_data_json is compact JSON {\"type\",\"challenge\",\"rp_id\"} in that order; \
             a verifier hashes the bytes it received and never re-serialises them."
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
) -> Result<Vec<InvalidVector>> {
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

    cases.into_iter().map(Invalid::checked).collect()
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

fn message_examples(vectors: &AssertionVectors) -> Result<MessageExamples<AnyMessage>> {
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
            "The assertions are those of assertions.json, so they verify with its keys.".to_owned(),
            "Identifiers, codes and tokens are opaque strings; their shapes here are examples."
                .to_owned(),
        ],
        messages: out,
    })
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
    let vectors = assertion_vectors(&keys)?;
    let messages = message_examples(&vectors)?;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors");
    std::fs::create_dir_all(&dir)?;
    write_json(&dir.join("assertions.json"), &vectors)?;
    write_json(&dir.join("messages.json"), &messages)?;
    Ok(())
}
