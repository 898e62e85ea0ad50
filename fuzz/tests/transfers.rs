//! The transfer oracles are only worth something if genuine inputs reach them: every valid
//! canonical transfer of the vectors decodes and round-trips through the oracle, every invalid
//! one is refused, and every receipt reaches verification with the vector's outcome.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mobank_fuzz::transfers::{
    canonical_seeds, check_canonical, check_receipt, receipt_key, receipt_seeds,
};
use mobank_protocol::transfer::ReceiptError;

#[test]
fn every_valid_canonical_vector_decodes_and_round_trips_and_every_invalid_one_is_refused() {
    let seeds = canonical_seeds();
    assert!(seeds.iter().filter(|(_, _, valid)| *valid).count() >= 6);
    assert!(seeds.iter().filter(|(_, _, valid)| !*valid).count() >= 11);
    for (name, bytes, valid) in seeds {
        assert_eq!(check_canonical(&bytes), valid, "{name}");
    }
}

#[test]
fn a_one_byte_change_to_a_valid_transfer_is_refused_or_decodes_to_its_own_bytes() {
    let (_, bytes, _) = canonical_seeds().into_iter().find(|s| s.2).unwrap();
    let mut decoded = 0;
    for index in 0..bytes.len() {
        let mut changed = bytes.clone();
        changed[index] ^= 0x01;
        // The oracle panics if a changed input decodes to a transfer with other bytes.
        decoded += usize::from(check_canonical(&changed));
    }
    // Some flips stay inside a field's rules (a digit of the amount); many do not.
    assert!(decoded > 0 && decoded < bytes.len());
}

fn error_name(error: ReceiptError) -> &'static str {
    match error {
        ReceiptError::Malformed => "Malformed",
        ReceiptError::UnknownKey => "UnknownKey",
        ReceiptError::BadSignature => "BadSignature",
    }
}

#[test]
fn every_receipt_vector_reaches_verification_with_its_outcome() {
    assert!(receipt_key().is_some());
    let seeds = receipt_seeds();
    assert!(seeds.len() >= 4);
    for (name, json, expected_error) in seeds {
        let outcome = check_receipt(&json).unwrap_or_else(|| panic!("{name} does not parse"));
        match outcome {
            Ok(()) => assert_eq!(expected_error, "", "{name} verified"),
            Err(error) => assert_eq!(error_name(error), expected_error, "{name}"),
        }
    }
}

#[test]
fn json_that_is_not_a_receipt_is_not_checked() {
    assert_eq!(check_receipt(b"{}"), None);
    assert_eq!(check_receipt(b"\xff"), None);
}
