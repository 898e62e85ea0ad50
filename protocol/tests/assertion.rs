//! Authenticator data, client data, signed bytes and `verify`, through the public API, with
//! fresh ring P-256 keys standing in for the device keys.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mobank_protocol::assertion::{
    key_fingerprint, knowledge_signature, operations, rp_id_hash, verify, verify_knowledge,
    AUTHENTICATOR_DATA_LEN, KNOWLEDGE_KEY_LEN, PUBLIC_KEY_LEN,
};
use mobank_protocol::{
    b64, signed_bytes, Assertion, AuthenticatorData, Ceremony, ClientData, Expectation, Factor,
    VerifiedAssertion, VerifyError, FLAG_USER_PRESENT, FLAG_USER_VERIFIED,
};
use ring::digest::{digest, SHA256};
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};

const RP_ID: &str = "sandbox.mobank.local";
const UP: u8 = FLAG_USER_PRESENT;
const UP_UV: u8 = FLAG_USER_PRESENT | FLAG_USER_VERIFIED;

/// A device key that, like the real device, increments its counter before every signature.
struct DeviceKey {
    pair: EcdsaKeyPair,
    counter: u32,
}

impl DeviceKey {
    fn new() -> Self {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &rng)
            .unwrap();
        Self { pair, counter: 0 }
    }

    fn public_key(&self) -> Vec<u8> {
        self.pair.public_key().as_ref().to_vec()
    }

    fn sign(&self, message: &[u8]) -> Vec<u8> {
        self.pair
            .sign(&SystemRandom::new(), message)
            .unwrap()
            .as_ref()
            .to_vec()
    }

    /// Signs exactly the given bytes, whatever they contain.
    fn sign_raw(&self, authenticator_data: Vec<u8>, client_data_json: Vec<u8>) -> Assertion {
        let signature = self.sign(&signed_bytes(&authenticator_data, &client_data_json));
        Assertion {
            factor: Factor::Possession,
            authenticator_data,
            client_data_json,
            signature,
        }
    }

    /// The device's normal path: next counter, authenticator data, client data, signature.
    fn assert(
        &mut self,
        rp_id: &str,
        ceremony: Ceremony,
        challenge: &[u8],
        flags: u8,
    ) -> Assertion {
        self.counter += 1;
        self.assert_with_counter(rp_id, ceremony, challenge, flags, self.counter)
    }

    fn assert_with_counter(
        &self,
        rp_id: &str,
        ceremony: Ceremony,
        challenge: &[u8],
        flags: u8,
        sign_count: u32,
    ) -> Assertion {
        let auth = AuthenticatorData::new(rp_id, flags, sign_count)
            .to_bytes()
            .to_vec();
        let client = ClientData {
            ceremony,
            challenge: challenge.to_vec(),
            rp_id: rp_id.to_owned(),
            operation: None,
        }
        .to_json();
        self.sign_raw(auth, client)
    }
}

fn challenge() -> Vec<u8> {
    let mut bytes = vec![0u8; mobank_protocol::CHALLENGE_LEN];
    ring::rand::SecureRandom::fill(&SystemRandom::new(), &mut bytes).unwrap();
    bytes
}

fn login<'a>(challenge: &'a [u8], previous_sign_count: u32) -> Expectation<'a> {
    Expectation {
        rp_id: RP_ID,
        ceremony: Ceremony::Login,
        challenge,
        require_user_verified: false,
        previous_sign_count,
        operation: None,
    }
}

/// A copy of `assertion` with `edit` applied after signing.
fn edited(assertion: &Assertion, edit: impl FnOnce(&mut Assertion)) -> Assertion {
    let mut copy = assertion.clone();
    edit(&mut copy);
    copy
}

/// A fresh device's login signed with `sign_count`, verified against a stored `stored`.
fn login_signed_at(sign_count: u32, stored: u32) -> Result<VerifiedAssertion, VerifyError> {
    let device = DeviceKey::new();
    let challenge = challenge();
    let assertion = device.assert_with_counter(RP_ID, Ceremony::Login, &challenge, UP, sign_count);
    verify(&assertion, &device.public_key(), &login(&challenge, stored))
}

/// A properly signed login whose authenticator data hashes `hashed_rp_id` and whose client
/// data names `client_rp_id`, verified against `RP_ID`.
fn login_naming_parties(
    hashed_rp_id: &str,
    client_rp_id: &str,
) -> Result<VerifiedAssertion, VerifyError> {
    let device = DeviceKey::new();
    let challenge = challenge();
    let auth = AuthenticatorData::new(hashed_rp_id, UP, 1)
        .to_bytes()
        .to_vec();
    let client = ClientData {
        ceremony: Ceremony::Login,
        challenge: challenge.clone(),
        rp_id: client_rp_id.to_owned(),
        operation: None,
    }
    .to_json();
    let assertion = device.sign_raw(auth, client);
    verify(&assertion, &device.public_key(), &login(&challenge, 0))
}

// ---- authenticator data ----

#[test]
fn authenticator_data_is_rp_id_hash_then_flags_then_big_endian_counter() {
    let bytes = AuthenticatorData::new(RP_ID, 0x05, 0x0a0b_0c0d).to_bytes();

    assert_eq!(bytes.len(), AUTHENTICATOR_DATA_LEN);
    assert_eq!(AUTHENTICATOR_DATA_LEN, 37);
    assert_eq!(&bytes[..32], digest(&SHA256, RP_ID.as_bytes()).as_ref());
    assert_eq!(bytes[32], 0x05);
    assert_eq!(&bytes[33..], &[0x0a, 0x0b, 0x0c, 0x0d]);
}

#[test]
fn rp_id_hash_is_sha256_of_the_rp_id_text() {
    // SHA-256("sandbox.mobank.local"), also in vectors/assertions.json.
    let expected = "ca956cae89b582d058a296f7ec48178b0da46f17db252e6e2355c80d949497b2";
    let hex: String = rp_id_hash(RP_ID)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(hex, expected);
}

#[test]
fn authenticator_data_round_trips() {
    for (flags, count) in [
        (0x00, 0),
        (UP, 1),
        (UP_UV, 2),
        (0xff, 0x0102_0304),
        (UP, u32::MAX),
    ] {
        let original = AuthenticatorData::new(RP_ID, flags, count);
        let parsed = AuthenticatorData::parse(&original.to_bytes()).unwrap();
        assert_eq!(parsed, original);
        assert_eq!(parsed.sign_count, count);
        assert_eq!(parsed.flags, flags);
        assert_eq!(parsed.rp_id_hash, rp_id_hash(RP_ID));
    }
}

#[test]
fn authenticator_data_parse_rejects_every_other_length() {
    let good = AuthenticatorData::new(RP_ID, UP, 1).to_bytes();
    for len in [0, 1, 32, 33, 36, 38, 69, 100] {
        let mut bytes = good.to_vec();
        bytes.resize(len, 0);
        assert_eq!(
            AuthenticatorData::parse(&bytes),
            Err(VerifyError::MalformedAuthenticatorData),
            "length {len}"
        );
    }
}

#[test]
fn flag_accessors_read_bit_0_and_bit_2_only() {
    let cases = [
        (0x00, false, false),
        (0x01, true, false),
        (0x04, false, true),
        (0x05, true, true),
        (0xfa, false, false), // every bit except UP and UV
        (0xff, true, true),
    ];
    for (flags, present, verified) in cases {
        let data = AuthenticatorData::new(RP_ID, flags, 1);
        assert_eq!(data.user_present(), present, "flags {flags:#04x}");
        assert_eq!(data.user_verified(), verified, "flags {flags:#04x}");
    }
}

// ---- client data ----

#[test]
fn client_data_json_is_compact_in_declared_field_order() {
    let client = ClientData {
        ceremony: Ceremony::Login,
        challenge: vec![0xfb, 0xff, 0x00],
        rp_id: RP_ID.to_owned(),
        operation: None,
    };
    assert_eq!(
        String::from_utf8(client.to_json()).unwrap(),
        r#"{"type":"mobank.login","challenge":"-_8A","rp_id":"sandbox.mobank.local"}"#
    );
    let bind = ClientData {
        ceremony: Ceremony::Bind,
        ..client
    };
    assert!(String::from_utf8(bind.to_json())
        .unwrap()
        .starts_with(r#"{"type":"mobank.bind","#));
}

#[test]
fn client_data_round_trips() {
    let original = ClientData {
        ceremony: Ceremony::Bind,
        challenge: challenge(),
        rp_id: RP_ID.to_owned(),
        operation: None,
    };
    assert_eq!(ClientData::parse(&original.to_json()).unwrap(), original);
}

#[test]
fn client_data_accepts_any_field_order_and_whitespace() {
    let text =
        br#" { "rp_id" : "sandbox.mobank.local", "challenge": "AAEC", "type": "mobank.login" } "#;
    let parsed = ClientData::parse(text).unwrap();
    assert_eq!(parsed.challenge, vec![0, 1, 2]);
    assert_eq!(parsed.ceremony, Ceremony::Login);
}

#[test]
fn client_data_rejects_malformed_json() {
    let cases: [(&str, &[u8]); 10] = [
        (
            "unknown field",
            br#"{"type":"mobank.login","challenge":"AAEC","rp_id":"a","origin":"https://a"}"#,
        ),
        (
            "webauthn type",
            br#"{"type":"webauthn.get","challenge":"AAEC","rp_id":"a"}"#,
        ),
        (
            "type in other case",
            br#"{"type":"Mobank.Login","challenge":"AAEC","rp_id":"a"}"#,
        ),
        (
            "type not a string",
            br#"{"type":1,"challenge":"AAEC","rp_id":"a"}"#,
        ),
        (
            "missing rp_id",
            br#"{"type":"mobank.login","challenge":"AAEC"}"#,
        ),
        (
            "missing challenge",
            br#"{"type":"mobank.login","rp_id":"a"}"#,
        ),
        (
            "padded base64url",
            br#"{"type":"mobank.login","challenge":"AAE=","rp_id":"a"}"#,
        ),
        (
            "standard base64 alphabet",
            br#"{"type":"mobank.login","challenge":"+/8A","rp_id":"a"}"#,
        ),
        (
            "duplicate field",
            br#"{"type":"mobank.login","challenge":"AAEC","rp_id":"a","rp_id":"b"}"#,
        ),
        ("not JSON", b"mobank.login"),
    ];
    for (what, bytes) in cases {
        assert_eq!(
            ClientData::parse(bytes),
            Err(VerifyError::MalformedClientData),
            "{what}"
        );
    }
}

// ---- signed bytes ----

#[test]
fn signed_bytes_are_authenticator_data_then_client_data_hash() {
    let auth = AuthenticatorData::new(RP_ID, UP, 7).to_bytes();
    let client = br#"{"type":"mobank.login","challenge":"AAEC","rp_id":"sandbox.mobank.local"}"#;

    let bytes = signed_bytes(&auth, client);

    assert_eq!(bytes.len(), 37 + 32);
    assert_eq!(&bytes[..37], &auth);
    assert_eq!(&bytes[37..], digest(&SHA256, client).as_ref());
}

#[test]
fn key_fingerprint_is_first_8_bytes_of_sha256_in_groups_of_four_hex_digits() {
    let key = DeviceKey::new().public_key();
    let hash = digest(&SHA256, &key);
    let hex: String = hash.as_ref()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let expected = format!(
        "{} {} {} {}",
        &hex[0..4],
        &hex[4..8],
        &hex[8..12],
        &hex[12..16]
    );
    assert_eq!(key_fingerprint(&key), expected);
}

// ---- verify: accepted ----

#[test]
fn verify_accepts_a_well_formed_login() {
    let mut device = DeviceKey::new();
    let challenge = challenge();
    let assertion = device.assert(RP_ID, Ceremony::Login, &challenge, UP);

    let verified = verify(&assertion, &device.public_key(), &login(&challenge, 0)).unwrap();

    assert_eq!(
        verified,
        VerifiedAssertion {
            sign_count: 1,
            user_verified: false
        }
    );
}

#[test]
fn verify_accepts_user_verified_when_required_and_reports_it() {
    let mut device = DeviceKey::new();
    let challenge = challenge();
    let assertion = device.assert(RP_ID, Ceremony::Bind, &challenge, UP_UV);
    let expect = Expectation {
        ceremony: Ceremony::Bind,
        require_user_verified: true,
        ..login(&challenge, 0)
    };

    let verified = verify(&assertion, &device.public_key(), &expect).unwrap();

    assert_eq!(
        verified,
        VerifiedAssertion {
            sign_count: 1,
            user_verified: true
        }
    );
}

#[test]
fn verify_reports_user_verified_even_when_not_required() {
    let mut device = DeviceKey::new();
    let challenge = challenge();
    let assertion = device.assert(RP_ID, Ceremony::Login, &challenge, UP_UV);

    let verified = verify(&assertion, &device.public_key(), &login(&challenge, 0)).unwrap();

    assert!(verified.user_verified);
}

#[test]
fn successive_logins_verify_with_the_stored_counter_advancing() {
    let mut device = DeviceKey::new();
    let mut stored = 0;
    for expected in 1..=5 {
        let challenge = challenge();
        let assertion = device.assert(RP_ID, Ceremony::Login, &challenge, UP);
        let verified =
            verify(&assertion, &device.public_key(), &login(&challenge, stored)).unwrap();
        assert_eq!(verified.sign_count, expected);
        stored = verified.sign_count;
    }
}

#[test]
fn counter_may_jump_forward() {
    // A device may have signed assertions the bank never received (timeouts): gaps are fine.
    let verified = login_signed_at(1_000, 3).unwrap();
    assert_eq!(verified.sign_count, 1_000);
}

// ---- verify: each error ----

#[test]
fn wrong_rp_id_in_client_data_and_hash_is_rp_id_mismatch() {
    let mut device = DeviceKey::new();
    let challenge = challenge();
    let assertion = device.assert("sandbox.mobank.example", Ceremony::Login, &challenge, UP);

    let outcome = verify(&assertion, &device.public_key(), &login(&challenge, 0));

    assert_eq!(outcome, Err(VerifyError::RpIdMismatch));
}

#[test]
fn rp_id_hash_of_another_party_is_rp_id_mismatch_even_with_the_right_client_data() {
    let outcome = login_naming_parties("sandbox.mobank.example", RP_ID);

    assert_eq!(outcome, Err(VerifyError::RpIdMismatch));
}

#[test]
fn right_rp_id_hash_with_another_party_in_client_data_is_rp_id_mismatch() {
    let outcome = login_naming_parties(RP_ID, "sandbox.mobank.example");

    assert_eq!(outcome, Err(VerifyError::RpIdMismatch));
}

#[test]
fn bind_assertion_presented_at_login_is_ceremony_mismatch() {
    let mut device = DeviceKey::new();
    let challenge = challenge();
    let assertion = device.assert(RP_ID, Ceremony::Bind, &challenge, UP);

    let outcome = verify(&assertion, &device.public_key(), &login(&challenge, 0));

    assert_eq!(outcome, Err(VerifyError::CeremonyMismatch));
}

#[test]
fn login_assertion_presented_at_binding_is_ceremony_mismatch() {
    let mut device = DeviceKey::new();
    let challenge = challenge();
    let assertion = device.assert(RP_ID, Ceremony::Login, &challenge, UP);
    let expect = Expectation {
        ceremony: Ceremony::Bind,
        ..login(&challenge, 0)
    };

    assert_eq!(
        verify(&assertion, &device.public_key(), &expect),
        Err(VerifyError::CeremonyMismatch)
    );
}

#[test]
fn assertion_over_another_challenge_is_challenge_mismatch() {
    let mut device = DeviceKey::new();
    let old_challenge = challenge();
    let new_challenge = challenge();
    let assertion = device.assert(RP_ID, Ceremony::Login, &old_challenge, UP);

    let outcome = verify(&assertion, &device.public_key(), &login(&new_challenge, 0));

    assert_eq!(outcome, Err(VerifyError::ChallengeMismatch));
}

#[test]
fn challenge_that_is_a_prefix_is_challenge_mismatch() {
    let mut device = DeviceKey::new();
    let challenge = challenge();
    let assertion = device.assert(RP_ID, Ceremony::Login, &challenge[..16], UP);

    let outcome = verify(&assertion, &device.public_key(), &login(&challenge, 0));

    assert_eq!(outcome, Err(VerifyError::ChallengeMismatch));
}

#[test]
fn missing_user_present_flag_is_user_not_present() {
    let mut device = DeviceKey::new();
    let challenge = challenge();
    for flags in [0x00, FLAG_USER_VERIFIED] {
        let assertion = device.assert(RP_ID, Ceremony::Login, &challenge, flags);
        let outcome = verify(&assertion, &device.public_key(), &login(&challenge, 0));
        assert_eq!(
            outcome,
            Err(VerifyError::UserNotPresent),
            "flags {flags:#04x}"
        );
    }
}

#[test]
fn required_user_verification_missing_is_user_not_verified() {
    let mut device = DeviceKey::new();
    let challenge = challenge();
    let assertion = device.assert(RP_ID, Ceremony::Login, &challenge, UP);
    let expect = Expectation {
        require_user_verified: true,
        ..login(&challenge, 0)
    };

    assert_eq!(
        verify(&assertion, &device.public_key(), &expect),
        Err(VerifyError::UserNotVerified)
    );
}

#[test]
fn signature_by_another_key_is_bad_signature() {
    let mut device = DeviceKey::new();
    let other = DeviceKey::new();
    let challenge = challenge();
    let assertion = device.assert(RP_ID, Ceremony::Login, &challenge, UP);

    let outcome = verify(&assertion, &other.public_key(), &login(&challenge, 0));

    assert_eq!(outcome, Err(VerifyError::BadSignature));
}

#[test]
fn any_byte_changed_after_signing_is_bad_signature() {
    let mut device = DeviceKey::new();
    let challenge = challenge();
    let assertion = device.assert(RP_ID, Ceremony::Login, &challenge, UP);
    let expect = Expectation {
        require_user_verified: true,
        ..login(&challenge, 0)
    };

    let cases = [
        (
            "forged UV flag",
            edited(&assertion, |a| {
                a.authenticator_data[32] |= FLAG_USER_VERIFIED
            }),
            expect,
        ),
        (
            "raised counter",
            edited(&assertion, |a| a.authenticator_data[36] = 0x42),
            login(&challenge, 0),
        ),
        (
            "reformatted client data",
            edited(&assertion, |a| {
                let text = String::from_utf8(a.client_data_json.clone()).unwrap();
                a.client_data_json = text.replace("\":", "\": ").into_bytes();
            }),
            login(&challenge, 0),
        ),
        (
            "flipped signature bit",
            edited(&assertion, |a| {
                let last = a.signature.len() - 1;
                a.signature[last] ^= 0x01;
            }),
            login(&challenge, 0),
        ),
    ];
    for (what, forged, expect) in cases {
        assert_eq!(
            verify(&forged, &device.public_key(), &expect),
            Err(VerifyError::BadSignature),
            "{what}"
        );
    }
}

#[test]
fn signature_that_is_not_der_is_bad_signature() {
    let mut device = DeviceKey::new();
    let challenge = challenge();
    let mut assertion = device.assert(RP_ID, Ceremony::Login, &challenge, UP);
    for signature in [vec![], vec![0u8; 64], vec![0x30, 0x00]] {
        assertion.signature = signature;
        assert_eq!(
            verify(&assertion, &device.public_key(), &login(&challenge, 0)),
            Err(VerifyError::BadSignature)
        );
    }
}

#[test]
fn public_key_that_is_not_65_bytes_starting_0x04_is_malformed_public_key() {
    let mut device = DeviceKey::new();
    let challenge = challenge();
    let assertion = device.assert(RP_ID, Ceremony::Login, &challenge, UP);
    let key = device.public_key();
    assert_eq!(key.len(), PUBLIC_KEY_LEN);

    let mut compressed = vec![0x02 | (key[64] & 1)];
    compressed.extend_from_slice(&key[1..33]);
    let mut wrong_prefix = key.clone();
    wrong_prefix[0] = 0x06;
    let mut spki = vec![
        0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08,
        0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
    ];
    spki.extend_from_slice(&key);
    let cases = [
        ("empty", vec![]),
        ("raw X || Y", key[1..].to_vec()),
        ("compressed", compressed),
        ("wrong prefix", wrong_prefix),
        ("SubjectPublicKeyInfo DER", spki),
    ];
    for (what, public_key) in cases {
        assert_eq!(
            verify(&assertion, &public_key, &login(&challenge, 0)),
            Err(VerifyError::MalformedPublicKey),
            "{what}"
        );
    }
}

#[test]
fn point_off_the_curve_is_bad_signature() {
    // Right length and prefix, so not "malformed"; ring rejects the point while verifying.
    let mut device = DeviceKey::new();
    let challenge = challenge();
    let assertion = device.assert(RP_ID, Ceremony::Login, &challenge, UP);
    let mut off_curve = device.public_key();
    off_curve[64] ^= 0x01;

    let outcome = verify(&assertion, &off_curve, &login(&challenge, 0));

    assert_eq!(outcome, Err(VerifyError::BadSignature));
}

#[test]
fn malformed_parts_are_reported_by_verify() {
    let mut device = DeviceKey::new();
    let challenge = challenge();
    let assertion = device.assert(RP_ID, Ceremony::Login, &challenge, UP);

    let short = edited(&assertion, |a| {
        a.authenticator_data.pop();
    });
    let short = device.sign_raw(short.authenticator_data, short.client_data_json);
    assert_eq!(
        verify(&short, &device.public_key(), &login(&challenge, 0)),
        Err(VerifyError::MalformedAuthenticatorData)
    );

    let not_json = device.sign_raw(assertion.authenticator_data, b"{}".to_vec());
    assert_eq!(
        verify(&not_json, &device.public_key(), &login(&challenge, 0)),
        Err(VerifyError::MalformedClientData)
    );
}

#[test]
fn equal_counter_on_a_valid_signature_is_counter_not_increasing() {
    assert_eq!(
        login_signed_at(5, 5),
        Err(VerifyError::CounterNotIncreasing {
            stored: 5,
            received: 5
        })
    );
}

#[test]
fn lower_counter_on_a_valid_signature_is_counter_not_increasing() {
    assert_eq!(
        login_signed_at(3, 9),
        Err(VerifyError::CounterNotIncreasing {
            stored: 9,
            received: 3
        })
    );
}

#[test]
fn counter_zero_never_verifies() {
    // The device increments before signing: the first signature carries 1.
    assert_eq!(
        login_signed_at(0, 0),
        Err(VerifyError::CounterNotIncreasing {
            stored: 0,
            received: 0
        })
    );
}

#[test]
fn counter_at_u32_max_cannot_be_followed() {
    let outcome = login_signed_at(u32::MAX, u32::MAX);

    assert!(matches!(
        outcome,
        Err(VerifyError::CounterNotIncreasing { .. })
    ));
}

#[test]
fn replaying_an_accepted_assertion_is_counter_not_increasing() {
    // Same challenge reused (a bank that forgot single-use) still cannot accept it twice.
    let mut device = DeviceKey::new();
    let challenge = challenge();
    let assertion = device.assert(RP_ID, Ceremony::Login, &challenge, UP);
    let first = verify(&assertion, &device.public_key(), &login(&challenge, 0)).unwrap();

    let again = verify(
        &assertion,
        &device.public_key(),
        &login(&challenge, first.sign_count),
    );

    assert_eq!(
        again,
        Err(VerifyError::CounterNotIncreasing {
            stored: 1,
            received: 1
        })
    );
}

#[test]
fn counter_is_checked_only_after_the_signature() {
    // A low counter on a forged assertion must not look like a clone of the real device.
    let device = DeviceKey::new();
    let forger = DeviceKey::new();
    let challenge = challenge();
    let forged = forger.assert_with_counter(RP_ID, Ceremony::Login, &challenge, UP, 1);

    let outcome = verify(&forged, &device.public_key(), &login(&challenge, 10));

    assert_eq!(outcome, Err(VerifyError::BadSignature));
}

// ---- the assertion on the wire ----

#[test]
fn assertion_json_uses_unpadded_base64url_and_snake_case_factor() {
    let assertion = Assertion {
        factor: Factor::UserVerified,
        authenticator_data: vec![0xfb, 0xff],
        client_data_json: b"{}".to_vec(),
        signature: vec![0x30],
    };
    let json = serde_json::to_string(&assertion).unwrap();
    assert_eq!(
        json,
        r#"{"factor":"user_verified","authenticator_data":"-_8","client_data_json":"e30","signature":"MA"}"#
    );
    assert_eq!(serde_json::from_str::<Assertion>(&json).unwrap(), assertion);
}

#[test]
fn assertion_json_rejects_unknown_fields_and_padding() {
    let extra = r#"{"factor":"possession","authenticator_data":"AA","client_data_json":"AA","signature":"AA","sig2":"AA"}"#;
    assert!(serde_json::from_str::<Assertion>(extra).is_err());
    let padded = r#"{"factor":"possession","authenticator_data":"AA==","client_data_json":"AA","signature":"AA"}"#;
    assert!(serde_json::from_str::<Assertion>(padded).is_err());
    let unknown_factor =
        r#"{"factor":"pin","authenticator_data":"AA","client_data_json":"AA","signature":"AA"}"#;
    assert!(serde_json::from_str::<Assertion>(unknown_factor).is_err());
}

#[test]
fn binary_fields_deserialize_from_any_json_source() {
    // Not only from a borrowed string: also from a parsed JSON value and from a reader.
    let json = r#"{"factor":"possession","authenticator_data":"AQID","client_data_json":"e30","signature":"MA"}"#;
    let value: serde_json::Value = serde_json::from_str(json).unwrap();

    let from_value: Assertion = serde_json::from_value(value).unwrap();
    let from_reader: Assertion = serde_json::from_reader(json.as_bytes()).unwrap();

    assert_eq!(from_value.authenticator_data, vec![1, 2, 3]);
    assert_eq!(from_reader, from_value);
}

#[test]
fn b64_is_unpadded_url_safe() {
    assert_eq!(b64::encode([0xfb, 0xff, 0xfe]), "-__-");
    assert_eq!(b64::encode([0x00]), "AA");
    assert_eq!(b64::decode("-__-").unwrap(), vec![0xfb, 0xff, 0xfe]);
    assert!(b64::decode("AA==").is_err());
    assert!(b64::decode("+//+").is_err());
    // Non-canonical trailing bits would give two encodings of one value.
    assert!(b64::decode("AB").is_err());
}

// ---- operations ----

fn client_data(ceremony: Ceremony, challenge: &[u8], operation: Option<&str>) -> Vec<u8> {
    ClientData {
        ceremony,
        challenge: challenge.to_vec(),
        rp_id: RP_ID.to_owned(),
        operation: operation.map(str::to_owned),
    }
    .to_json()
}

fn operation<'a>(challenge: &'a [u8], text: &'a str, previous: u32) -> Expectation<'a> {
    Expectation {
        ceremony: Ceremony::Operation,
        operation: Some(text),
        ..login(challenge, previous)
    }
}

#[test]
fn operation_texts_are_the_documented_ones() {
    assert_eq!(operations::revoke_device("dev_1"), "revoke_device:dev_1");
    assert_eq!(operations::unbind("dev_1"), "unbind:dev_1");
    assert_eq!(operations::PIN_CHANGE_BEGIN, "pin_change:begin");
    assert_eq!(
        operations::pin_change_commit("pct_1"),
        "pin_change:commit:pct_1"
    );
}

#[test]
fn client_data_puts_the_operation_last_and_omits_it_when_absent() {
    assert_eq!(
        String::from_utf8(client_data(
            Ceremony::Operation,
            &[0xfb, 0xff, 0x00],
            Some("unbind:dev_1")
        ))
        .unwrap(),
        r#"{"type":"mobank.operation","challenge":"-_8A","rp_id":"sandbox.mobank.local","operation":"unbind:dev_1"}"#
    );
    assert_eq!(
        String::from_utf8(client_data(Ceremony::StepUp, &[0xfb, 0xff, 0x00], None)).unwrap(),
        r#"{"type":"mobank.step_up","challenge":"-_8A","rp_id":"sandbox.mobank.local"}"#
    );
    let null = br#"{"type":"mobank.login","challenge":"AA","rp_id":"x","operation":null}"#;
    assert_eq!(ClientData::parse(null).unwrap().operation, None);
}

#[test]
fn verify_accepts_the_expected_operation() {
    let device = DeviceKey::new();
    let challenge = challenge();
    let text = operations::revoke_device("dev_2");
    let assertion = device.sign_raw(
        AuthenticatorData::new(RP_ID, UP, 1).to_bytes().to_vec(),
        client_data(Ceremony::Operation, &challenge, Some(&text)),
    );

    let verified = verify(
        &assertion,
        &device.public_key(),
        &operation(&challenge, &text, 0),
    );

    assert_eq!(verified.map(|v| v.sign_count), Ok(1));
}

#[test]
fn another_missing_or_unexpected_operation_is_operation_mismatch() {
    let device = DeviceKey::new();
    let challenge = challenge();
    let auth = AuthenticatorData::new(RP_ID, UP, 1).to_bytes().to_vec();
    let signed_for_dev_2 = device.sign_raw(
        auth.clone(),
        client_data(Ceremony::Operation, &challenge, Some("revoke_device:dev_2")),
    );
    let without = device.sign_raw(
        auth.clone(),
        client_data(Ceremony::Operation, &challenge, None),
    );
    let login_with_one = device.sign_raw(
        auth,
        client_data(Ceremony::Login, &challenge, Some("revoke_device:dev_2")),
    );
    let key = device.public_key();

    assert_eq!(
        verify(
            &signed_for_dev_2,
            &key,
            &operation(&challenge, "revoke_device:dev_3", 0)
        ),
        Err(VerifyError::OperationMismatch)
    );
    assert_eq!(
        verify(
            &without,
            &key,
            &operation(&challenge, "revoke_device:dev_2", 0)
        ),
        Err(VerifyError::OperationMismatch)
    );
    assert_eq!(
        verify(&login_with_one, &key, &login(&challenge, 0)),
        Err(VerifyError::OperationMismatch)
    );
}

#[test]
fn a_login_assertion_is_not_a_step_up_or_an_operation() {
    let mut device = DeviceKey::new();
    let challenge = challenge();
    let assertion = device.assert(RP_ID, Ceremony::Login, &challenge, UP);
    let step_up = Expectation {
        ceremony: Ceremony::StepUp,
        ..login(&challenge, 0)
    };
    assert_eq!(
        verify(&assertion, &device.public_key(), &step_up),
        Err(VerifyError::CeremonyMismatch)
    );
    assert_eq!(
        verify(
            &assertion,
            &device.public_key(),
            &operation(&challenge, "unbind:dev_1", 0)
        ),
        Err(VerifyError::CeremonyMismatch)
    );
}

// ---- knowledge factor ----

fn knowledge_key(byte: u8) -> [u8; KNOWLEDGE_KEY_LEN] {
    [byte; KNOWLEDGE_KEY_LEN]
}

fn knowledge_assertion(
    key: &[u8; KNOWLEDGE_KEY_LEN],
    challenge: &[u8],
    flags: u8,
    sign_count: u32,
) -> Assertion {
    let authenticator_data = AuthenticatorData::new(RP_ID, flags, sign_count)
        .to_bytes()
        .to_vec();
    let client_data_json = client_data(Ceremony::Login, challenge, None);
    Assertion {
        factor: Factor::Knowledge,
        signature: knowledge_signature(key, &authenticator_data, &client_data_json),
        authenticator_data,
        client_data_json,
    }
}

fn knowledge_login<'a>(challenge: &'a [u8], previous: u32) -> Expectation<'a> {
    Expectation {
        require_user_verified: true,
        ..login(challenge, previous)
    }
}

#[test]
fn knowledge_signature_is_hmac_sha256_of_the_signed_bytes() {
    let key = knowledge_key(7);
    let auth = AuthenticatorData::new(RP_ID, UP_UV, 1).to_bytes();
    let client = client_data(Ceremony::Login, &[1, 2, 3], None);
    let tag = knowledge_signature(&key, &auth, &client);
    let expected = ring::hmac::sign(
        &ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &key),
        &signed_bytes(&auth, &client),
    );
    assert_eq!(tag, expected.as_ref());
    assert_eq!(tag.len(), 32);
}

#[test]
fn verify_knowledge_accepts_the_right_key() {
    let key = knowledge_key(1);
    let challenge = challenge();
    let assertion = knowledge_assertion(&key, &challenge, UP_UV, 3);
    assert_eq!(
        verify_knowledge(&assertion, &key, &knowledge_login(&challenge, 2)),
        Ok(VerifiedAssertion {
            sign_count: 3,
            user_verified: true
        })
    );
}

#[test]
fn a_wrong_key_is_bad_signature_whatever_the_counter() {
    // A wrong PIN yields a wrong key. Its tag fails before the counter is looked at, so a
    // wrong PIN is a counted failure and never a clone signal.
    let challenge = challenge();
    let wrong = knowledge_assertion(&knowledge_key(2), &challenge, UP_UV, 1);
    let right = knowledge_key(1);
    for previous in [0, 1, 5] {
        assert_eq!(
            verify_knowledge(&wrong, &right, &knowledge_login(&challenge, previous)),
            Err(VerifyError::BadSignature)
        );
    }
}

#[test]
fn a_right_tag_with_an_old_counter_is_counter_not_increasing() {
    let key = knowledge_key(1);
    let challenge = challenge();
    let assertion = knowledge_assertion(&key, &challenge, UP_UV, 4);
    assert_eq!(
        verify_knowledge(&assertion, &key, &knowledge_login(&challenge, 4)),
        Err(VerifyError::CounterNotIncreasing {
            stored: 4,
            received: 4
        })
    );
}

#[test]
fn knowledge_tags_of_other_lengths_or_edited_bytes_are_bad_signature() {
    let key = knowledge_key(1);
    let challenge = challenge();
    let expect = knowledge_login(&challenge, 0);
    let good = knowledge_assertion(&key, &challenge, UP_UV, 1);

    let cases = [
        (
            "short",
            edited(&good, |a| {
                a.signature.pop();
            }),
        ),
        ("long", edited(&good, |a| a.signature.push(0))),
        (
            "edited counter",
            edited(&good, |a| a.authenticator_data[36] = 9),
        ),
        (
            "ecdsa shaped",
            edited(&good, |a| a.signature = vec![0x30; 70]),
        ),
    ];
    for (what, bad) in cases {
        assert_eq!(
            verify_knowledge(&bad, &key, &expect),
            Err(VerifyError::BadSignature),
            "{what}"
        );
    }
    assert!(verify_knowledge(&good, &key, &expect).is_ok());
}

#[test]
fn knowledge_checks_the_same_fields_as_ecdsa() {
    let key = knowledge_key(1);
    let challenge = challenge();
    let up_only = knowledge_assertion(&key, &challenge, UP, 1);
    assert_eq!(
        verify_knowledge(&up_only, &key, &knowledge_login(&challenge, 0)),
        Err(VerifyError::UserNotVerified)
    );
    let other_challenge = knowledge_assertion(&key, &[9; 32], UP_UV, 1);
    assert_eq!(
        verify_knowledge(&other_challenge, &key, &knowledge_login(&challenge, 0)),
        Err(VerifyError::ChallengeMismatch)
    );
    let mut short_auth = knowledge_assertion(&key, &challenge, UP_UV, 1);
    short_auth.authenticator_data.pop();
    assert_eq!(
        verify_knowledge(&short_auth, &key, &knowledge_login(&challenge, 0)),
        Err(VerifyError::MalformedAuthenticatorData)
    );
}

#[test]
fn knowledge_factor_is_spelled_knowledge() {
    let json = r#"{"factor":"knowledge","authenticator_data":"AA","client_data_json":"AA","signature":"AA"}"#;
    let parsed: Assertion = serde_json::from_str(json).unwrap();
    assert_eq!(parsed.factor, Factor::Knowledge);
}

#[test]
fn an_operation_assertion_without_operation_text_is_refused_even_if_none_was_expected() {
    let device = DeviceKey::new();
    let challenge = challenge();
    let without = device.sign_raw(
        AuthenticatorData::new(RP_ID, UP, 1).to_bytes().to_vec(),
        client_data(Ceremony::Operation, &challenge, None),
    );
    let mut careless = operation(&challenge, "unused", 0);
    careless.operation = None;

    assert_eq!(
        verify(&without, &device.public_key(), &careless),
        Err(VerifyError::OperationMismatch)
    );
}
