//! The signatures of the committed `transfers.json`, so that regenerating keeps every signature
//! whose signer and signed bytes did not change.

use std::collections::BTreeMap;
use std::path::Path;

use mobank_protocol::vectors::hex;
use mobank_protocol::{b64, signed_bytes};
use ring::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_ASN1};
use serde_json::Value;

use crate::fixtures::{Key, Result};

/// Signatures by (signer name, signed bytes in hex).
pub(crate) struct KeptSignatures(BTreeMap<(String, String), Vec<u8>>);

impl KeptSignatures {
    pub(crate) fn load(path: &Path) -> Result<Self> {
        let mut kept = BTreeMap::new();
        if !path.exists() {
            return Ok(Self(kept));
        }
        // Read loosely: the file may have been written before the layout gained a field.
        let existing: Value = serde_json::from_str(&std::fs::read_to_string(path)?)?;
        let text = |value: &Value, field: &str| value.get(field)?.as_str().map(str::to_owned);
        let entries = |part: &str| {
            existing
                .get(part)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        for vector in entries("valid") {
            let Some(assertions) = vector.get("assertions").and_then(Value::as_array) else {
                continue;
            };
            for signed in assertions {
                if let (Some(key), Some(bytes), Some(signature)) = (
                    text(signed, "key"),
                    text(signed, "signed_bytes_hex"),
                    text(signed, "signature_hex"),
                ) {
                    kept.insert((key, bytes), from_hex(&signature)?);
                }
            }
        }
        for receipt in entries("receipts") {
            if let (Some(bytes), Some(signature)) = (
                text(&receipt, "signed_bytes_hex"),
                text(&receipt, "signature_hex"),
            ) {
                kept.insert(("receipt".to_owned(), bytes), from_hex(&signature)?);
            }
        }
        for vector in entries("invalid_signatures") {
            let assertion = vector.get("assertion");
            let field = |name: &str| assertion.and_then(|a| text(a, name));
            if let (Some(key), Some(auth), Some(client), Some(signature)) = (
                text(&vector, "key"),
                field("authenticator_data"),
                field("client_data_json"),
                field("signature"),
            ) {
                // Some of these carry another message's signature on purpose: the valid
                // vectors' signatures, read first, win.
                let bytes = signed_bytes(&b64::decode(&auth)?, &b64::decode(&client)?);
                kept.entry((key, hex(&bytes)))
                    .or_insert(b64::decode(&signature)?);
            }
        }
        Ok(Self(kept))
    }

    /// The committed signature of `key` over `message` if there is one and it verifies; a fresh
    /// one otherwise.
    pub(crate) fn sign(&self, key: &Key, message: &[u8]) -> Result<Vec<u8>> {
        let public_key = key.public_key();
        let verifier = UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, &public_key);
        match self.0.get(&(key.name.to_owned(), hex(message))) {
            Some(signature) if verifier.verify(message, signature).is_ok() => Ok(signature.clone()),
            _ => key.sign_der(message),
        }
    }
}

fn from_hex(text: &str) -> Result<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return Err("odd hex length".into());
    }
    (0..text.len())
        .step_by(2)
        .map(|i| Ok(u8::from_str_radix(&text[i..i + 2], 16)?))
        .collect()
}
