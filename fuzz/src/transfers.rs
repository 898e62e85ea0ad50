//! The committed `protocol/vectors/transfers.json` as seeds, and the oracles of the
//! `transfer_bytes` and `receipts` targets. The tests run the oracles on every vector, so a quiet
//! fuzz run means the genuine inputs reached them.

use std::sync::OnceLock;

use mobank_protocol::b64;
use mobank_protocol::transfer::{CanonicalTransfer, Receipt, ReceiptError, ReceiptKey};
use ring::digest::{digest, SHA256};
use serde_json::Value;

pub const TRANSFERS_JSON: &str = include_str!("../../protocol/vectors/transfers.json");

// The file is part of the protocol crate and its tests parse it; one that does not parse leaves
// the fuzzers nothing to start from.

#[allow(clippy::expect_used)]
fn file() -> &'static Value {
    static PARSED: OnceLock<Value> = OnceLock::new();
    PARSED.get_or_init(|| {
        serde_json::from_str(TRANSFERS_JSON).expect("protocol/vectors/transfers.json parses")
    })
}

fn part(name: &str) -> &'static [Value] {
    file()
        .get(name)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn text<'a>(vector: &'a Value, field: &str) -> &'a str {
    vector
        .get(field)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Every canonical byte string of the file, valid first: (vector name, bytes, valid).
pub fn canonical_seeds() -> Vec<(String, Vec<u8>, bool)> {
    let valid = part("valid").iter().map(|v| (v, true));
    let invalid = part("invalid_canonical").iter().map(|v| (v, false));
    valid
        .chain(invalid)
        .filter_map(|(v, ok)| {
            let bytes = from_hex(text(v, "canonical_hex"))?;
            Some((text(v, "name").to_owned(), bytes, ok))
        })
        .collect()
}

/// Every receipt of the file as wire JSON: (vector name, JSON bytes, expected error name; empty
/// for a receipt that verifies).
pub fn receipt_seeds() -> Vec<(String, Vec<u8>, String)> {
    let valid = part("receipts").iter();
    let invalid = part("invalid_receipts").iter();
    valid
        .chain(invalid)
        .filter_map(|v| {
            let json = serde_json::to_vec(v.get("receipt")?).ok()?;
            let error = text(v, "expected_error").to_owned();
            Some((text(v, "name").to_owned(), json, error))
        })
        .collect()
}

/// The receipt key of the file, as a phone is configured with it.
pub fn receipt_key() -> Option<ReceiptKey> {
    let public_key = b64::decode(text(file().get("receipt_key")?, "public_key")).ok()?;
    ReceiptKey::from_public_key(&public_key)
}

/// Decodes `data` as a canonical transfer; what decodes must encode to exactly `data` again,
/// hash to SHA-256 of `data`, and decode once more to the same transfer. Panics when it does not.
/// Returns whether `data` decoded.
#[allow(clippy::expect_used)]
pub fn check_canonical(data: &[u8]) -> bool {
    let Ok(transfer) = CanonicalTransfer::from_bytes(data) else {
        return false;
    };
    let bytes = transfer
        .to_bytes()
        .expect("a decoded transfer satisfies every rule");
    assert_eq!(bytes, data, "decode then encode changed the bytes");
    let hash = transfer.hash().expect("a decoded transfer hashes");
    assert_eq!(hash.as_slice(), digest(&SHA256, data).as_ref());
    assert_eq!(
        CanonicalTransfer::from_bytes(&bytes).as_ref(),
        Ok(&transfer),
        "encode then decode changed the transfer"
    );
    true
}

/// Reads `data` as a receipt's wire JSON and runs what a phone runs on it: the signed bytes and
/// the verification under the file's receipt key. Neither may panic; a receipt whose fields are
/// refused has no signed bytes and does not verify. `None` when `data` is not a receipt.
pub fn check_receipt(data: &[u8]) -> Option<Result<(), ReceiptError>> {
    let receipt: Receipt = serde_json::from_slice(data).ok()?;
    let trusted: Vec<ReceiptKey> = receipt_key().into_iter().collect();
    let signed = receipt.signed_bytes();
    let verified = receipt.verify(&trusted);
    match &signed {
        Ok(bytes) => assert!(bytes.starts_with(b"MOBANK-RECEIPT\x01")),
        Err(error) => assert_eq!(*error, ReceiptError::Malformed),
    }
    if verified.is_ok() {
        assert!(signed.is_ok(), "a receipt verified without signed bytes");
    }
    Some(verified)
}
