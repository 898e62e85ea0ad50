#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

//! The canonical transfer and the receipt, through the crate's public API.

use mobank_protocol::money::{Amount, Currency};
use mobank_protocol::transfer::{
    account_number, operation_text, CanonicalError, CanonicalTransfer, Channel, IdempotencyKey,
    Outcome, Payee, Receipt, ReceiptError, ReceiptKey, RejectReason,
};
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};

fn transfer() -> CanonicalTransfer {
    CanonicalTransfer {
        payer_account_id: "acct_current_01".to_owned(),
        payee: Payee {
            account_number: "6222021234567899".to_owned(),
            bank_code: "MOBANK".to_owned(),
            name: "王芳".to_owned(),
        },
        amount: Amount::parse_wire("500.00", Currency::Cny).unwrap(),
        fee: "0.00".to_owned(),
        memo: "十二月房租 December rent".to_owned(),
        channel: Channel::MobileTransfer,
        execution_date: "2026-12-03".to_owned(),
        idempotency_key: IdempotencyKey::from_bytes([7; 16]),
        challenge: vec![9; 32],
        quoted_at_ms: 1_796_284_800_000,
        acknowledged_warnings: Vec::new(),
    }
}

fn valid_payee_number() -> String {
    let body = "622202123456789";
    format!("{body}{}", account_number::check_digit(body).unwrap())
}

fn with_valid_payee() -> CanonicalTransfer {
    let mut t = transfer();
    t.payee.account_number = valid_payee_number();
    t
}

#[test]
fn canonical_bytes_read_back_to_the_same_transfer() {
    let mut t = with_valid_payee();
    t.acknowledged_warnings = vec!["first_payment_to_payee".into(), "large_amount".into()];
    let bytes = t.to_bytes().unwrap();
    assert!(bytes.starts_with(b"MOBANK-TRANSFER\x01"));
    assert_eq!(CanonicalTransfer::from_bytes(&bytes).unwrap(), t);
}

#[test]
fn one_changed_field_changes_the_hash() {
    let base = with_valid_payee();
    let hash = base.hash().unwrap();
    let mut changed = Vec::new();
    let mut t = base.clone();
    t.amount = Amount::parse_wire("5000.00", Currency::Cny).unwrap();
    changed.push(t);
    let mut t = base.clone();
    t.payee.name = "王芬".to_owned();
    changed.push(t);
    let mut t = base.clone();
    t.memo.push('.');
    changed.push(t);
    let mut t = base.clone();
    t.challenge[0] ^= 1;
    changed.push(t);
    let mut t = base.clone();
    t.fee = "0.01".to_owned();
    changed.push(t);
    for t in changed {
        assert_ne!(t.hash().unwrap(), hash);
    }
}

#[test]
fn field_boundaries_cannot_be_shifted() {
    // "ab" + "c" and "a" + "bc" must encode differently: every field carries its length.
    let mut one = with_valid_payee();
    one.payer_account_id = "acct_1".to_owned();
    one.memo = "x".to_owned();
    let mut two = one.clone();
    two.payer_account_id = "acct_".to_owned();
    assert_ne!(one.to_bytes().unwrap(), two.to_bytes().unwrap());
}

type Change = Box<dyn Fn(&mut CanonicalTransfer)>;

#[test]
fn invalid_fields_are_refused_before_encoding() {
    let cases: Vec<(&str, Change)> = vec![
        (
            "payee.account_number",
            Box::new(|t| t.payee.account_number = "6222021234567898".into()),
        ),
        (
            "payee.name",
            Box::new(|t| t.payee.name = "Wang\u{202E}Fang".into()),
        ),
        ("memo", Box::new(|t| t.memo = "rent\u{200B}".into())),
        ("memo", Box::new(|t| t.memo = "x".repeat(141))),
        ("fee", Box::new(|t| t.fee = "0.0".into())),
        (
            "execution_date",
            Box::new(|t| t.execution_date = "2026-02-30".into()),
        ),
        ("challenge", Box::new(|t| t.challenge.truncate(16))),
        (
            "acknowledged_warnings",
            Box::new(|t| t.acknowledged_warnings = vec!["b".into(), "a".into()]),
        ),
        (
            "payee.bank_code",
            Box::new(|t| t.payee.bank_code = "mobank".into()),
        ),
    ];
    for (field, change) in cases {
        let mut t = with_valid_payee();
        change(&mut t);
        assert_eq!(t.to_bytes(), Err(CanonicalError::Field(field)), "{field}");
    }
}

#[test]
fn damaged_bytes_are_refused_with_a_reason() {
    let bytes = with_valid_payee().to_bytes().unwrap();
    assert_eq!(
        CanonicalTransfer::from_bytes(&bytes[..bytes.len() - 1]),
        Err(CanonicalError::Truncated)
    );
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(
        CanonicalTransfer::from_bytes(&longer),
        Err(CanonicalError::TrailingBytes)
    );
    let mut version = bytes.clone();
    version[15] = 2;
    assert_eq!(
        CanonicalTransfer::from_bytes(&version),
        Err(CanonicalError::Version(2))
    );
    assert_eq!(
        CanonicalTransfer::from_bytes(b"MOBANK-TRANSFEX\x01"),
        Err(CanonicalError::Magic)
    );
}

#[test]
fn the_operation_text_names_the_encoding_and_the_hash() {
    let hash = with_valid_payee().hash().unwrap();
    let text = operation_text(&hash);
    assert!(text.starts_with("transfer:v1:"));
    assert_eq!(text.len(), "transfer:v1:".len() + 43);
}

fn receipt_key() -> (EcdsaKeyPair, ReceiptKey) {
    let rng = SystemRandom::new();
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).unwrap();
    let pair =
        EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &rng).unwrap();
    let key = ReceiptKey::from_public_key(pair.public_key().as_ref()).unwrap();
    (pair, key)
}

fn receipt() -> Receipt {
    let t = with_valid_payee();
    Receipt {
        receipt_id: "rcpt_1".to_owned(),
        idempotency_key: t.idempotency_key,
        transfer_hash: t.hash().unwrap().to_vec(),
        outcome: Outcome::Accepted,
        reason: None,
        payer_account_id: t.payer_account_id.clone(),
        amount: t.amount,
        fee: t.fee.clone(),
        execution_date: t.execution_date.clone(),
        decided_at_ms: 1_796_284_801_000,
        booked_at_ms: Some(1_796_284_801_000),
        key_id: String::new(),
        signature: Vec::new(),
    }
}

#[test]
fn a_signed_receipt_verifies_and_one_changed_byte_does_not() {
    let (pair, key) = receipt_key();
    let mut r = receipt();
    r.sign(&pair, &SystemRandom::new()).unwrap();
    assert_eq!(r.verify(std::slice::from_ref(&key)), Ok(()));

    let mut tampered = r.clone();
    tampered.amount = Amount::parse_wire("5.00", Currency::Cny).unwrap();
    assert_eq!(
        tampered.verify(std::slice::from_ref(&key)),
        Err(ReceiptError::BadSignature)
    );
    let mut tampered = r.clone();
    tampered.signature[10] ^= 1;
    assert_eq!(
        tampered.verify(std::slice::from_ref(&key)),
        Err(ReceiptError::BadSignature)
    );

    let (_, other) = receipt_key();
    assert_eq!(r.verify(&[other]), Err(ReceiptError::UnknownKey));
}

#[test]
fn a_rejection_carries_a_reason_and_no_booking() {
    let (pair, key) = receipt_key();
    let mut r = receipt();
    r.outcome = Outcome::Rejected;
    r.reason = Some(RejectReason::InsufficientFunds);
    r.booked_at_ms = None;
    r.sign(&pair, &SystemRandom::new()).unwrap();
    assert_eq!(r.verify(&[key]), Ok(()));

    let mut booked = r.clone();
    booked.booked_at_ms = Some(1);
    assert_eq!(booked.signed_bytes(), Err(ReceiptError::Malformed));
}

#[test]
fn idempotency_keys_are_lower_case_hex_only() {
    let key = IdempotencyKey::from_bytes([0xab; 16]);
    assert_eq!(IdempotencyKey::parse(&key.to_hex()), Some(key));
    assert_eq!(IdempotencyKey::parse(&key.to_hex().to_uppercase()), None);
    assert_eq!(IdempotencyKey::parse("ab"), None);
}

#[test]
fn a_receipt_with_a_fee_that_is_not_a_wire_amount_is_malformed() {
    let (pair, _) = receipt_key();
    for fee in ["0.0", "abc", "-1.00", "2"] {
        let mut r = receipt();
        r.fee = fee.to_owned();
        assert_eq!(
            r.sign(&pair, &SystemRandom::new()),
            Err(ReceiptError::Malformed),
            "{fee}"
        );
    }
}
