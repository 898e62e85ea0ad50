//! The layout of `vectors/transfers.json`, field by field: written by the generator and read by
//! `tests/transfer_vectors.rs` (which includes this file), so a typo in either fails the other.

use mobank_protocol::transfer::messages::SubmitTransferRequest;
use mobank_protocol::transfer::{CanonicalTransfer, Receipt};
use mobank_protocol::vectors::{Expected, OwnedExpectation};
use mobank_protocol::{b64, Assertion, Factor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferVectors {
    pub description: String,
    /// How to read the fields; one sentence per line.
    pub notes: Vec<String>,
    pub rp_id: String,
    pub receipt_key: ReceiptTestKey,
    pub valid: Vec<ValidTransfer>,
    /// Bytes (and, where JSON can carry the defect, wire fields) that are not a canonical
    /// transfer.
    pub invalid_canonical: Vec<InvalidCanonical>,
    /// Submissions with good fields whose assertion does not authorise them.
    pub invalid_signatures: Vec<InvalidSignature>,
    pub receipts: Vec<ReceiptVector>,
    pub invalid_receipts: Vec<InvalidReceipt>,
}

/// The bank's receipt key, published on purpose: never use it for anything but tests.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiptTestKey {
    pub name: String,
    pub description: String,
    #[serde(with = "b64")]
    pub pkcs8_der: Vec<u8>,
    #[serde(with = "b64")]
    pub public_key: Vec<u8>,
    pub public_key_hex: String,
    /// Hex of the first 8 bytes of SHA-256 over `public_key`.
    pub key_id: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidTransfer {
    pub name: String,
    pub description: String,
    /// The canonical transfer as JSON on the wire (in `QuoteResponse` and `SubmitTransferRequest`).
    pub transfer: CanonicalTransfer,
    /// The fourteen field texts, in encoding order.
    pub field_texts: Vec<String>,
    pub canonical_hex: String,
    /// SHA-256 of the canonical bytes.
    pub sha256_hex: String,
    /// `transfer:v1:<base64url(SHA-256)>`: the client data's `operation`.
    pub operation: String,
    pub assertions: Vec<TransferAssertion>,
    /// The submit body exactly as a phone sends it: `transfer` and the first two `assertions`.
    pub request: SubmitTransferRequest,
}

/// One device key's signature over a transfer.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferAssertion {
    /// The key's name in assertions.json (ECDSA) or knowledge.json (knowledge).
    pub key: String,
    pub factor: Factor,
    pub flags: u8,
    pub sign_count: u32,
    pub authenticator_data_hex: String,
    /// The client data exactly as signed.
    pub client_data_json_text: String,
    pub signed_bytes_hex: String,
    /// DER ECDSA, or the 32-byte HMAC tag for `knowledge`.
    pub signature_hex: String,
    /// Only for ECDSA: whether `s` is above (n − 1)/2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_s: Option<bool>,
    pub assertion: Assertion,
    /// What the bank builds from the transfer it is about to execute.
    pub expectation: OwnedExpectation,
    pub expected: Expected,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvalidCanonical {
    pub name: String,
    pub description: String,
    /// What differs from which valid vector.
    pub mutation: String,
    pub canonical_hex: String,
    /// The same defect in the wire JSON, where JSON can carry it; a bank refuses it when reading
    /// the request or when checking the fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_json: Option<Value>,
    /// A `CanonicalError` variant: `Magic`, `Version`, `Truncated`, `TrailingBytes`, `NotUtf8`,
    /// `Field`.
    pub expected_error: String,
    /// For `Field`: the field whose rule is broken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvalidSignature {
    pub name: String,
    pub description: String,
    pub mutation: String,
    /// The key the bank has on file, by name in assertions.json.
    pub key: String,
    /// The fields submitted: what the bank would execute.
    pub transfer: CanonicalTransfer,
    pub assertion: Assertion,
    /// Built by the bank from `transfer`.
    pub expectation: OwnedExpectation,
    /// A `VerifyError` variant name.
    pub expected_error: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiptVector {
    pub name: String,
    pub description: String,
    /// The valid vector whose transfer the receipt answers.
    pub for_transfer: String,
    /// The receipt as JSON on the wire (`TransferResponse.receipt`).
    pub receipt: Receipt,
    /// The thirteen field texts, in encoding order.
    pub field_texts: Vec<String>,
    pub signed_bytes_hex: String,
    pub signature_hex: String,
    pub high_s: bool,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvalidReceipt {
    pub name: String,
    pub description: String,
    pub mutation: String,
    pub receipt: Receipt,
    /// A `ReceiptError` variant name.
    pub expected_error: String,
}
