//! The bank's signed receipts: one accepted, one rejected, and copies that must not verify.

use mobank_protocol::b64;
use mobank_protocol::money::{Amount, Currency};
use mobank_protocol::transfer::{Outcome, Receipt, ReceiptError, ReceiptKey, RejectReason};
use mobank_protocol::vectors::hex;

use super::encode;
use super::file::{InvalidReceipt, ReceiptTestKey, ReceiptVector, ValidTransfer};
use super::kept::KeptSignatures;
use crate::der;
use crate::fixtures::{Key, Result};

const MAGIC: &[u8] = b"MOBANK-RECEIPT";
const VERSION: u8 = 1;

pub(crate) fn test_key(key: &Key) -> ReceiptTestKey {
    let public_key = key.public_key();
    let key_id = ReceiptKey::from_public_key(&public_key)
        .map(|k| k.key_id)
        .unwrap_or_default();
    ReceiptTestKey {
        name: key.name.to_owned(),
        description: key.description.to_owned(),
        pkcs8_der: key.pkcs8.clone(),
        public_key_hex: hex(&public_key),
        public_key,
        key_id,
    }
}

/// The thirteen field texts of a receipt, in encoding order.
pub(crate) fn field_texts(r: &Receipt) -> Vec<String> {
    let outcome = match r.outcome {
        Outcome::Accepted => "accepted",
        Outcome::Rejected => "rejected",
    };
    vec![
        r.receipt_id.clone(),
        r.idempotency_key.to_hex(),
        b64::encode(&r.transfer_hash),
        outcome.to_owned(),
        r.reason
            .map(|reason| reason.code().to_owned())
            .unwrap_or_default(),
        r.payer_account_id.clone(),
        r.amount.to_wire(),
        r.amount.currency().code().to_owned(),
        r.fee.clone(),
        r.execution_date.clone(),
        r.decided_at_ms.to_string(),
        r.booked_at_ms.map(|ms| ms.to_string()).unwrap_or_default(),
        r.key_id.clone(),
    ]
}

fn for_transfer<'a>(valid: &'a [ValidTransfer], name: &str) -> Result<&'a ValidTransfer> {
    valid
        .iter()
        .find(|v| v.name == name)
        .ok_or_else(|| format!("no valid vector {name}").into())
}

fn unsigned(v: &ValidTransfer, receipt_id: &str, key_id: &str) -> Result<Receipt> {
    let t = &v.transfer;
    let decided = t.quoted_at_ms + 45_000;
    Ok(Receipt {
        receipt_id: receipt_id.to_owned(),
        idempotency_key: t.idempotency_key,
        transfer_hash: t.hash()?.to_vec(),
        outcome: Outcome::Accepted,
        reason: None,
        payer_account_id: t.payer_account_id.clone(),
        amount: t.amount,
        fee: t.fee.clone(),
        execution_date: t.execution_date.clone(),
        decided_at_ms: decided,
        booked_at_ms: Some(decided),
        key_id: key_id.to_owned(),
        signature: Vec::new(),
    })
}

pub(crate) fn vectors(
    valid: &[ValidTransfer],
    key: &Key,
    kept: &KeptSignatures,
) -> Result<(Vec<ReceiptVector>, Vec<InvalidReceipt>)> {
    let trusted = test_key(key);
    let trusted = [ReceiptKey {
        key_id: trusted.key_id,
        public_key: trusted.public_key,
    }];
    let key_id = trusted[0].key_id.as_str();

    let accepted_for = for_transfer(valid, "cny_other_bank_with_fee")?;
    let accepted = unsigned(accepted_for, "rcpt_20261203_000042", key_id)?;
    let rejected_for = for_transfer(valid, "two_acknowledged_warnings")?;
    let mut rejected = unsigned(rejected_for, "rcpt_20261203_000043", key_id)?;
    rejected.outcome = Outcome::Rejected;
    rejected.reason = Some(RejectReason::InsufficientFunds);
    rejected.booked_at_ms = None;

    let mut receipts = Vec::new();
    for (name, description, for_name, mut receipt) in [
        (
            "accepted_other_bank",
            "The bank accepted cny_other_bank_with_fee and booked it at once: outcome \
             accepted, reason empty, booked_at_ms set.",
            accepted_for.name.as_str(),
            accepted,
        ),
        (
            "rejected_insufficient_funds",
            "The bank refused two_acknowledged_warnings for insufficient funds: reason set, \
             booked_at_ms absent (its field text is empty). The same idempotency key always \
             gets this receipt.",
            rejected_for.name.as_str(),
            rejected,
        ),
    ] {
        let bytes = receipt.signed_bytes()?;
        let texts = field_texts(&receipt);
        let fields: Vec<&[u8]> = texts.iter().map(|t| t.as_bytes()).collect();
        if encode(MAGIC, VERSION, &fields) != bytes {
            return Err(
                format!("{name}: the field texts do not encode to the signed bytes").into(),
            );
        }
        receipt.signature = kept.sign(key, &bytes)?;
        receipt.verify(&trusted)?;
        receipts.push(ReceiptVector {
            name: name.to_owned(),
            description: description.to_owned(),
            for_transfer: for_name.to_owned(),
            field_texts: texts,
            signed_bytes_hex: hex(&bytes),
            signature_hex: hex(&receipt.signature),
            high_s: der::is_high_s(&receipt.signature)?,
            receipt,
        });
    }

    let accepted = &receipts[0].receipt;
    let mut amount_changed = accepted.clone();
    amount_changed.amount = Amount::parse_wire("32000.00", Currency::Cny)?;
    let mut other_key = accepted.clone();
    other_key.key_id = "0000000000000000".to_owned();
    let mut booked_rejection = receipts[1].receipt.clone();
    booked_rejection.booked_at_ms = Some(booked_rejection.decided_at_ms);
    let invalid = [
        (
            "tampered_amount",
            "accepted_other_bank with the amount changed after signing.",
            "accepted_other_bank with amount 32000.00; signature kept",
            amount_changed,
            ReceiptError::BadSignature,
        ),
        (
            "unknown_key_id",
            "A receipt naming a key the phone was not configured with.",
            "accepted_other_bank with key_id 0000000000000000; signature kept",
            other_key,
            ReceiptError::UnknownKey,
        ),
        (
            "rejected_but_booked",
            "A rejection with a booking time: no money moves for a rejected transfer, so the \
             fields contradict each other before any signature is checked.",
            "rejected_insufficient_funds with booked_at_ms set; signature kept",
            booked_rejection,
            ReceiptError::Malformed,
        ),
    ];
    let mut out = Vec::new();
    for (name, description, mutation, receipt, expected) in invalid {
        if receipt.verify(&trusted) != Err(expected) {
            return Err(format!("{name}: expected {expected:?}").into());
        }
        out.push(InvalidReceipt {
            name: name.to_owned(),
            description: description.to_owned(),
            mutation: mutation.to_owned(),
            receipt,
            expected_error: format!("{expected:?}"),
        });
    }
    Ok((receipts, out))
}
