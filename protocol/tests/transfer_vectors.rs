//! Checks the code against the committed `vectors/transfers.json`: every valid transfer rebuilds
//! byte for byte from its fields and its assertions verify; every invalid one is refused for the
//! reason it states; receipts verify under the receipt key and their tampered copies do not.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../examples/make-vectors/transfers/file.rs"]
mod file;

use std::collections::BTreeSet;

use file::{TransferAssertion, TransferVectors};
use mobank_protocol::assertion::{verify, verify_knowledge};
use mobank_protocol::transfer::{
    operation_text, CanonicalError, CanonicalTransfer, ReceiptError, ReceiptKey,
};
use mobank_protocol::vectors::{self, error_name, hex, Inputs};
use mobank_protocol::{
    b64, signed_bytes, AuthenticatorData, Ceremony, ClientData, Factor, VerifiedAssertion,
    VerifyError,
};
use ring::digest::{digest, SHA256};
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};

const TRANSFERS_JSON: &str = include_str!("../vectors/transfers.json");

fn file() -> TransferVectors {
    serde_json::from_str(TRANSFERS_JSON).unwrap()
}

fn unhex(text: &str) -> Vec<u8> {
    assert!(text.len().is_multiple_of(2), "odd hex length");
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// The encoding as docs/protocol.md states it, written here apart from the crate's encoder:
/// magic, version 1, then each field as a u32 big-endian byte count and its UTF-8 bytes.
fn encode(magic: &[u8], texts: &[String]) -> Vec<u8> {
    let mut out = magic.to_vec();
    out.push(1);
    for text in texts {
        out.extend_from_slice(&u32::try_from(text.len()).unwrap().to_be_bytes());
        out.extend_from_slice(text.as_bytes());
    }
    out
}

fn canonical_error_name(error: CanonicalError) -> (&'static str, Option<&'static str>) {
    match error {
        CanonicalError::Magic => ("Magic", None),
        CanonicalError::Version(_) => ("Version", None),
        CanonicalError::Truncated => ("Truncated", None),
        CanonicalError::TrailingBytes => ("TrailingBytes", None),
        CanonicalError::NotUtf8 => ("NotUtf8", None),
        CanonicalError::Field(field) => ("Field", Some(field)),
    }
}

fn receipt_error_name(error: ReceiptError) -> &'static str {
    match error {
        ReceiptError::Malformed => "Malformed",
        ReceiptError::UnknownKey => "UnknownKey",
        ReceiptError::BadSignature => "BadSignature",
    }
}

fn verify_with_named_key(signed: &TransferAssertion) -> Result<VerifiedAssertion, VerifyError> {
    let expectation = signed.expectation.borrow();
    match signed.factor {
        Factor::Knowledge => {
            let key = vectors::knowledge().key(&signed.key).unwrap();
            verify_knowledge(&signed.assertion, &key, &expectation)
        }
        Factor::Possession | Factor::UserVerified => {
            let key = vectors::assertions().public_key(&signed.key).unwrap();
            verify(&signed.assertion, key, &expectation)
        }
    }
}

#[test]
fn the_transfer_file_is_exactly_what_the_generator_writes() {
    let text = serde_json::to_string_pretty(&file()).unwrap() + "\n";
    assert!(
        text == TRANSFERS_JSON,
        "vectors/transfers.json differs from its canonical form"
    );
}

#[test]
fn the_file_covers_the_cases_a_bank_team_needs() {
    let vectors = file();
    let names = |list: Vec<&str>| list.into_iter().map(str::to_owned).collect::<BTreeSet<_>>();
    let valid = names(vectors.valid.iter().map(|v| v.name.as_str()).collect());
    for name in [
        "cny_own_account",
        "cny_other_bank_with_fee",
        "jpy_scale_0",
        "memo_chinese_and_emoji",
        "two_acknowledged_warnings",
        "empty_memo",
        "pin_signed",
    ] {
        assert!(valid.contains(name), "no valid vector {name}");
    }
    let invalid = names(
        vectors
            .invalid_canonical
            .iter()
            .map(|v| v.name.as_str())
            .collect(),
    );
    for name in [
        "payee_account_check_digit",
        "payee_name_not_nfc",
        "memo_bidi_control",
        "fee_zero_one_decimal",
        "amount_one_decimal",
        "idempotency_key_upper_case",
        "warnings_unsorted",
        "trailing_byte",
        "truncated",
        "wrong_magic",
        "wrong_version",
    ] {
        assert!(invalid.contains(name), "no invalid vector {name}");
    }
    let errors: BTreeSet<&str> = vectors
        .invalid_canonical
        .iter()
        .map(|v| v.expected_error.as_str())
        .collect();
    let every: BTreeSet<&str> = [
        "Field",
        "Magic",
        "NotUtf8",
        "TrailingBytes",
        "Truncated",
        "Version",
    ]
    .into_iter()
    .collect();
    assert_eq!(errors, every);
    let factors: BTreeSet<String> = vectors
        .valid
        .iter()
        .flat_map(|v| v.assertions.iter().map(|a| format!("{:?}", a.factor)))
        .collect();
    assert_eq!(
        factors.len(),
        3,
        "possession, user-verified and knowledge all sign"
    );
    assert_eq!(vectors.receipts.len(), 2);
}

#[test]
fn vector_names_are_unique_in_the_file() {
    let v = file();
    let all: Vec<&str> = v
        .valid
        .iter()
        .map(|x| x.name.as_str())
        .chain(v.invalid_canonical.iter().map(|x| x.name.as_str()))
        .chain(v.invalid_signatures.iter().map(|x| x.name.as_str()))
        .chain(v.receipts.iter().map(|x| x.name.as_str()))
        .chain(v.invalid_receipts.iter().map(|x| x.name.as_str()))
        .collect();
    let unique: BTreeSet<&str> = all.iter().copied().collect();
    assert_eq!(unique.len(), all.len());
}

#[test]
fn every_valid_transfer_rebuilds_byte_for_byte_from_its_fields() {
    for v in file().valid {
        let bytes = v.transfer.to_bytes().unwrap();
        assert_eq!(hex(&bytes), v.canonical_hex, "{}", v.name);
        assert_eq!(v.field_texts.len(), 14, "{}", v.name);
        assert_eq!(
            encode(b"MOBANK-TRANSFER", &v.field_texts),
            bytes,
            "{}",
            v.name
        );
        assert_eq!(
            CanonicalTransfer::from_bytes(&bytes).unwrap(),
            v.transfer,
            "{}",
            v.name
        );
        let hash = v.transfer.hash().unwrap();
        assert_eq!(hex(&hash), v.sha256_hex, "{}", v.name);
        assert_eq!(
            hex(digest(&SHA256, &bytes).as_ref()),
            v.sha256_hex,
            "{}",
            v.name
        );
        assert_eq!(operation_text(&hash), v.operation, "{}", v.name);
        assert_eq!(
            v.operation,
            format!("transfer:v1:{}", b64::encode(hash)),
            "{}",
            v.name
        );
    }
}

#[test]
fn every_valid_transfer_reads_from_its_wire_json_and_writes_it_back() {
    for v in file().valid {
        let json = serde_json::to_value(&v.transfer).unwrap();
        let again: CanonicalTransfer = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(again, v.transfer, "{}", v.name);
        assert_eq!(json["challenge"], v.field_texts[11], "{}", v.name);
        assert_eq!(json["idempotency_key"], v.field_texts[10], "{}", v.name);
        assert_eq!(json["amount"]["value"], v.field_texts[4], "{}", v.name);
        assert_eq!(v.request.transfer, v.transfer, "{}", v.name);
        let sent: Vec<_> = v.assertions.iter().map(|a| a.assertion.clone()).collect();
        assert_eq!(v.request.assertions, sent, "{}", v.name);
    }
}

#[test]
fn every_valid_assertion_is_the_bytes_a_device_builds_and_verifies() {
    let rp_id = file().rp_id;
    for v in file().valid {
        assert_eq!(v.assertions.len(), 2, "{}", v.name);
        assert_eq!(v.assertions[0].factor, Factor::Possession, "{}", v.name);
        for signed in &v.assertions {
            let inputs = Inputs {
                rp_id: rp_id.clone(),
                ceremony: Ceremony::Transfer,
                challenge: v.transfer.challenge.clone(),
                flags: signed.flags,
                sign_count: signed.sign_count,
                operation: Some(v.operation.clone()),
            };
            let auth =
                AuthenticatorData::new(&inputs.rp_id, inputs.flags, inputs.sign_count).to_bytes();
            let client = ClientData {
                ceremony: inputs.ceremony,
                challenge: inputs.challenge.clone(),
                rp_id: inputs.rp_id.clone(),
                operation: inputs.operation.clone(),
            }
            .to_json();
            let what = format!("{} {}", v.name, signed.key);
            assert_eq!(signed.authenticator_data_hex, hex(&auth), "{what}");
            assert_eq!(signed.assertion.authenticator_data, auth, "{what}");
            assert_eq!(signed.client_data_json_text.as_bytes(), client, "{what}");
            assert_eq!(signed.assertion.client_data_json, client, "{what}");
            assert_eq!(
                signed.signed_bytes_hex,
                hex(&signed_bytes(&auth, &client)),
                "{what}"
            );
            assert_eq!(
                signed.signature_hex,
                hex(&signed.assertion.signature),
                "{what}"
            );

            // What the bank expects comes from the transfer it executes, not from the phone.
            let expectation = &signed.expectation;
            assert_eq!(expectation.ceremony, Ceremony::Transfer, "{what}");
            assert_eq!(expectation.challenge, v.transfer.challenge, "{what}");
            assert_eq!(
                expectation.operation.as_deref(),
                Some(v.operation.as_str()),
                "{what}"
            );
            assert_eq!(
                expectation.require_user_verified,
                signed.factor != Factor::Possession,
                "{what}"
            );
            let verified = verify_with_named_key(signed).unwrap();
            assert_eq!(verified.sign_count, signed.expected.sign_count, "{what}");
            assert_eq!(
                verified.user_verified, signed.expected.user_verified,
                "{what}"
            );
        }
    }
}

#[test]
fn a_valid_assertion_does_not_authorise_any_other_valid_transfer() {
    let valid = file().valid;
    for signed_for in &valid {
        for other in valid.iter().filter(|o| o.name != signed_for.name) {
            let possession = &signed_for.assertions[0];
            let mut expectation = possession.expectation.clone();
            expectation.operation = Some(other.operation.clone());
            let key = vectors::assertions().public_key(&possession.key).unwrap();
            assert_eq!(
                verify(&possession.assertion, key, &expectation.borrow()),
                Err(VerifyError::OperationMismatch),
                "{} for {}",
                signed_for.name,
                other.name
            );
        }
    }
}

/// `s` of a DER signature is its last INTEGER; read here without the generator's DER code.
fn s_is_high(der: &[u8]) -> bool {
    // (n - 1) / 2 of P-256.
    const HALF_N: [u8; 32] = [
        0x7f, 0xff, 0xff, 0xff, 0x80, 0x00, 0x00, 0x00, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xde, 0x73, 0x7d, 0x56, 0xd3, 0x8b, 0xcf, 0x42, 0x79, 0xdc, 0xe5, 0x61, 0x7e, 0x31,
        0x92, 0xa8,
    ];
    let s_at = 4 + usize::from(der[3]);
    assert_eq!(der[s_at], 0x02, "s is an INTEGER");
    let s = &der[s_at + 2..];
    assert_eq!(s.len(), usize::from(der[s_at + 1]));
    let s = s.strip_prefix(&[0]).unwrap_or(s);
    let mut padded = [0u8; 32];
    padded[32 - s.len()..].copy_from_slice(s);
    padded > HALF_N
}

#[test]
fn high_s_marks_say_whether_s_is_above_half_the_group_order() {
    let vectors = file();
    for v in &vectors.valid {
        for signed in &v.assertions {
            let what = format!("{} {}", v.name, signed.key);
            match signed.factor {
                Factor::Knowledge => assert_eq!(signed.high_s, None, "{what}"),
                Factor::Possession | Factor::UserVerified => assert_eq!(
                    signed.high_s,
                    Some(s_is_high(&signed.assertion.signature)),
                    "{what}"
                ),
            }
        }
    }
    for r in &vectors.receipts {
        assert_eq!(r.high_s, s_is_high(&r.receipt.signature), "{}", r.name);
    }
}

#[test]
fn every_invalid_canonical_transfer_is_refused_for_its_stated_reason() {
    for v in file().invalid_canonical {
        let error = CanonicalTransfer::from_bytes(&unhex(&v.canonical_hex)).unwrap_err();
        let (name, field) = canonical_error_name(error);
        assert_eq!(name, v.expected_error, "{}", v.name);
        assert_eq!(field, v.field.as_deref(), "{}", v.name);
        assert_eq!(v.field.is_some(), v.expected_error == "Field", "{}", v.name);
    }
}

#[test]
fn the_wire_json_of_an_invalid_transfer_is_refused_when_read_or_checked() {
    let vectors = file();
    let mut carried = 0;
    for v in vectors.invalid_canonical {
        let Some(json) = v.transfer_json else {
            continue;
        };
        carried += 1;
        // Either the JSON reader refuses it (amount, key and challenge texts are typed) or the
        // field rules do, naming the field the vector names.
        if let Ok(transfer) = serde_json::from_value::<CanonicalTransfer>(json) {
            let error = transfer.validate().unwrap_err();
            assert_eq!(
                canonical_error_name(error).1,
                v.field.as_deref(),
                "{}",
                v.name
            );
            assert_eq!(transfer.to_bytes(), Err(error), "{}", v.name);
        }
    }
    assert!(carried >= 7);
}

#[test]
fn every_invalid_submission_fails_verification_with_the_named_error() {
    for v in file().invalid_signatures {
        let key = vectors::assertions().public_key(&v.key).unwrap();
        // The bank's expectation is built from the submitted fields.
        let operation = operation_text(&v.transfer.hash().unwrap());
        assert_eq!(
            v.expectation.operation.as_deref(),
            Some(operation.as_str()),
            "{}",
            v.name
        );
        assert_eq!(v.expectation.challenge, v.transfer.challenge, "{}", v.name);
        match verify(&v.assertion, key, &v.expectation.borrow()) {
            Err(error) => assert_eq!(error_name(&error), v.expected_error, "{}", v.name),
            Ok(verified) => panic!("{} verified: {verified:?}", v.name),
        }
    }
}

#[test]
fn the_receipt_key_is_the_published_one_with_its_key_id() {
    let key = file().receipt_key;
    let pair = EcdsaKeyPair::from_pkcs8(
        &ECDSA_P256_SHA256_ASN1_SIGNING,
        &key.pkcs8_der,
        &SystemRandom::new(),
    )
    .unwrap();
    assert_eq!(pair.public_key().as_ref(), key.public_key.as_slice());
    assert_eq!(key.public_key_hex, hex(&key.public_key));
    let hash = digest(&SHA256, &key.public_key);
    assert_eq!(key.key_id, hex(&hash.as_ref()[..8]));
    assert_eq!(
        ReceiptKey::from_public_key(&key.public_key).unwrap().key_id,
        key.key_id
    );
    // Never a device key: a receipt key signs only receipts.
    for device in &vectors::assertions().keys {
        assert_ne!(device.public_key, key.public_key);
    }
}

#[test]
fn receipts_rebuild_byte_for_byte_and_verify_under_the_receipt_key() {
    let vectors = file();
    let trusted = [ReceiptKey::from_public_key(&vectors.receipt_key.public_key).unwrap()];
    for r in &vectors.receipts {
        let bytes = r.receipt.signed_bytes().unwrap();
        assert_eq!(hex(&bytes), r.signed_bytes_hex, "{}", r.name);
        assert_eq!(r.field_texts.len(), 13, "{}", r.name);
        assert_eq!(
            encode(b"MOBANK-RECEIPT", &r.field_texts),
            bytes,
            "{}",
            r.name
        );
        assert_eq!(hex(&r.receipt.signature), r.signature_hex, "{}", r.name);
        assert_eq!(r.receipt.verify(&trusted), Ok(()), "{}", r.name);
        let transfer = &vectors
            .valid
            .iter()
            .find(|v| v.name == r.for_transfer)
            .unwrap()
            .transfer;
        assert_eq!(
            r.receipt.transfer_hash,
            transfer.hash().unwrap(),
            "{}",
            r.name
        );
        assert_eq!(
            r.receipt.idempotency_key, transfer.idempotency_key,
            "{}",
            r.name
        );
        assert_eq!(r.receipt.amount, transfer.amount, "{}", r.name);
        assert_eq!(r.receipt.fee, transfer.fee, "{}", r.name);
    }
    let outcomes: BTreeSet<String> = vectors
        .receipts
        .iter()
        .map(|r| r.field_texts[3].clone())
        .collect();
    assert_eq!(outcomes, ["accepted", "rejected"].map(str::to_owned).into());
}

#[test]
fn tampered_receipts_are_refused_for_their_stated_reason() {
    let vectors = file();
    let trusted = [ReceiptKey::from_public_key(&vectors.receipt_key.public_key).unwrap()];
    assert!(vectors
        .invalid_receipts
        .iter()
        .any(|r| r.expected_error == "BadSignature"));
    for r in &vectors.invalid_receipts {
        let error = r.receipt.verify(&trusted).unwrap_err();
        assert_eq!(receipt_error_name(error), r.expected_error, "{}", r.name);
    }
}

#[test]
fn every_acknowledged_warning_in_the_vectors_is_a_code_the_bank_knows() {
    let vectors = file();
    let acknowledged: Vec<String> = vectors
        .valid
        .iter()
        .flat_map(|v| v.transfer.acknowledged_warnings.clone())
        .collect();
    assert!(!acknowledged.is_empty());
    for code in acknowledged {
        assert!(
            mobank_protocol::transfer::is_known_warning(&code),
            "{code} is not in WARNING_CODES"
        );
    }
}
