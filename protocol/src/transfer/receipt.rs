//! The bank's signed answer to a transfer: evidence the customer keeps for a dispute.
//!
//! ```text
//! receipt bytes = "MOBANK-RECEIPT" 0x01 field{13}
//! field         = length (u32, big-endian) ‖ UTF-8 bytes
//! ```
//!
//! The fields, in order: receipt id, idempotency key (hex), transfer hash (base64url), outcome
//! (`accepted` / `rejected`), reason (empty when accepted), payer account id, amount (wire form),
//! currency, fee (wire form), execution date, decided at (ms, decimal), booked at (ms, decimal;
//! empty when not booked), key id. The signature is ECDSA P-256 / SHA-256 (ASN.1 DER) by the
//! bank's receipt key, which is not its TLS key: a phone trusts the receipt keys it was
//! configured with, and a receipt stays verifiable after the TLS certificate changes.

use ring::digest::{digest, SHA256};
use ring::rand::SecureRandom;
use ring::signature::{EcdsaKeyPair, KeyPair, UnparsedPublicKey, ECDSA_P256_SHA256_ASN1};
use serde::{Deserialize, Serialize};

use super::canonical::IdempotencyKey;
use super::fields;
use crate::assertion::PUBLIC_KEY_LEN;
use crate::b64;
use crate::money::Amount;

const MAGIC: &[u8] = b"MOBANK-RECEIPT";
const VERSION: u8 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The bank took the transfer; `booked_at_ms` says whether the money already moved.
    Accepted,
    /// The bank refused it for the `reason` given; no money moved, and the same idempotency key
    /// will always get this answer.
    Rejected,
}

/// Why a bank refused a transfer whose signature was good. Each is final for its idempotency key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    InsufficientFunds,
    /// A per-transaction, daily or monthly limit of the channel (or a cooling-off limit).
    LimitExceeded,
    /// The payee's bank or account refused the money.
    PayeeRefused,
    /// The customer's e-banking is suspended.
    Suspended,
    /// The channel is off for this customer.
    ChannelClosed,
    /// The customer cancelled the scheduled transfer (a signed cancel) before it ran.
    Cancelled,
}

impl RejectReason {
    pub const fn code(self) -> &'static str {
        match self {
            RejectReason::InsufficientFunds => "insufficient_funds",
            RejectReason::LimitExceeded => "limit_exceeded",
            RejectReason::PayeeRefused => "payee_refused",
            RejectReason::Suspended => "suspended",
            RejectReason::ChannelClosed => "channel_closed",
            RejectReason::Cancelled => "cancelled",
        }
    }
}

/// A receipt public key the phone trusts, and the id receipts name it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptKey {
    pub key_id: String,
    /// Uncompressed SEC1 P-256 point (65 bytes).
    pub public_key: Vec<u8>,
}

impl ReceiptKey {
    /// The key id is the hex of the first 8 bytes of SHA-256 over the public key.
    pub fn from_public_key(public_key: &[u8]) -> Option<Self> {
        if public_key.len() != PUBLIC_KEY_LEN || public_key[0] != 0x04 {
            return None;
        }
        Some(Self {
            key_id: key_id(public_key),
            public_key: public_key.to_vec(),
        })
    }
}

fn key_id(public_key: &[u8]) -> String {
    digest(&SHA256, public_key).as_ref()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    pub receipt_id: String,
    pub idempotency_key: IdempotencyKey,
    /// SHA-256 of the canonical transfer the bank verified, base64url.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::sha256))]
    #[serde(with = "b64")]
    pub transfer_hash: Vec<u8>,
    pub outcome: Outcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<RejectReason>,
    pub payer_account_id: String,
    pub amount: Amount,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::fee))]
    pub fee: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::date))]
    pub execution_date: String,
    pub decided_at_ms: u64,
    /// When the money moved; absent for a rejection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booked_at_ms: Option<u64>,
    pub key_id: String,
    /// ECDSA P-256 / SHA-256, DER, over [`Receipt::signed_bytes`].
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::base64url))]
    #[serde(with = "b64")]
    pub signature: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    #[error("the receipt's fields are not consistent")]
    Malformed,
    #[error("the receipt is signed by a key this phone does not trust")]
    UnknownKey,
    #[error("the receipt's signature does not verify")]
    BadSignature,
}

impl Receipt {
    /// The exact bytes the receipt key signs.
    pub fn signed_bytes(&self) -> Result<Vec<u8>, ReceiptError> {
        self.check_fields()?;
        let outcome = match self.outcome {
            Outcome::Accepted => "accepted",
            Outcome::Rejected => "rejected",
        };
        let fields: [String; 13] = [
            self.receipt_id.clone(),
            self.idempotency_key.to_hex(),
            b64::encode(&self.transfer_hash),
            outcome.to_owned(),
            self.reason.map(|r| r.code().to_owned()).unwrap_or_default(),
            self.payer_account_id.clone(),
            self.amount.to_wire(),
            self.amount.currency().code().to_owned(),
            self.fee.clone(),
            self.execution_date.clone(),
            self.decided_at_ms.to_string(),
            self.booked_at_ms
                .map(|ms| ms.to_string())
                .unwrap_or_default(),
            self.key_id.clone(),
        ];
        let mut out =
            Vec::with_capacity(MAGIC.len() + 1 + fields.iter().map(|f| 4 + f.len()).sum::<usize>());
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        for field in &fields {
            out.extend_from_slice(&(field.len() as u32).to_be_bytes());
            out.extend_from_slice(field.as_bytes());
        }
        Ok(out)
    }

    /// Signs the receipt with the bank's receipt key, setting `key_id` and `signature`.
    pub fn sign(
        &mut self,
        key: &EcdsaKeyPair,
        random: &dyn SecureRandom,
    ) -> Result<(), ReceiptError> {
        self.key_id = key_id(key.public_key().as_ref());
        let bytes = self.signed_bytes()?;
        let signature = key
            .sign(random, &bytes)
            .map_err(|_| ReceiptError::Malformed)?;
        self.signature = signature.as_ref().to_vec();
        Ok(())
    }

    /// Checks the signature against the keys the phone trusts.
    pub fn verify(&self, trusted: &[ReceiptKey]) -> Result<(), ReceiptError> {
        let key = trusted
            .iter()
            .find(|key| key.key_id == self.key_id)
            .ok_or(ReceiptError::UnknownKey)?;
        let bytes = self.signed_bytes()?;
        UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, &key.public_key)
            .verify(&bytes, &self.signature)
            .map_err(|_| ReceiptError::BadSignature)
    }

    fn check_fields(&self) -> Result<(), ReceiptError> {
        let consistent = fields::is_identifier(&self.receipt_id)
            && self.transfer_hash.len() == 32
            && fields::is_identifier(&self.payer_account_id)
            && fields::is_date(&self.execution_date)
            && fields::is_identifier(&self.key_id)
            && super::canonical::parse_fee(&self.fee, self.amount.currency()).is_some()
            && match self.outcome {
                Outcome::Accepted => self.reason.is_none(),
                Outcome::Rejected => self.reason.is_some() && self.booked_at_ms.is_none(),
            };
        if consistent {
            Ok(())
        } else {
            Err(ReceiptError::Malformed)
        }
    }
}
