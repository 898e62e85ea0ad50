//! The fuzz oracles are only worth something if genuine inputs reach them: each case's seed
//! gets past every check (and, where it is genuinely signed, is accepted), and the input layout
//! reads back what was written.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mobank_fuzz::vectors;
use mobank_fuzz::verify_input::{cases, known_signed, Verifier, VerifyInput};
use mobank_protocol::{Ceremony, VerifyError};

#[test]
fn every_seeded_case_reaches_the_signature_check() {
    let mut accepted = 0;
    for (index, case) in cases().iter().enumerate() {
        let seed = case.seed.as_ref().expect("every case has a seed");
        let result = case.verify(seed);
        let unsigned_operation = matches!(case.verifier, Verifier::Ecdsa(_))
            && case.expectation.ceremony == Ceremony::Operation;
        if unsigned_operation {
            assert_eq!(result, Err(VerifyError::BadSignature), "case {index}");
            assert!(!case.genuinely_signed(seed), "case {index}");
        } else {
            assert!(result.is_ok(), "case {index}: {result:?}");
            assert!(case.genuinely_signed(seed), "case {index}");
            accepted += 1;
        }
    }
    let valid = vectors::assertions().valid.len();
    // Every valid vector, its knowledge twin, and the knowledge operation case.
    assert_eq!(accepted, 2 * valid + 1);
}

#[test]
fn a_changed_signature_is_not_genuine() {
    for case in cases() {
        let mut assertion = case.seed.clone().unwrap();
        assertion.authenticator_data[36] ^= 1;
        assert!(!case.genuinely_signed(&assertion));
        assert_eq!(case.verify(&assertion), Err(VerifyError::BadSignature));
    }
}

#[test]
fn known_signatures_include_every_valid_vector() {
    assert!(known_signed().len() >= vectors::assertions().valid.len());
}

#[test]
fn verify_input_reads_back_what_it_wrote() {
    for (index, case) in cases().iter().enumerate() {
        let input = VerifyInput {
            case: u8::try_from(index).unwrap(),
            assertion: case.seed.clone().unwrap(),
        };
        let bytes = input.to_bytes().unwrap();
        assert_eq!(VerifyInput::from_bytes(&bytes), input);
        assert!(std::ptr::eq(VerifyInput::from_bytes(&bytes).case(), case));
    }
}

#[test]
fn short_inputs_still_decode() {
    for len in 0..8 {
        let input = VerifyInput::from_bytes(&[0xff; 8][..len]);
        assert!(input.assertion.authenticator_data.len() <= len);
    }
}

#[test]
fn seeds_are_written_for_every_target() {
    let dir = std::env::temp_dir().join(format!("mobank-fuzz-seeds-{}", std::process::id()));
    let written = mobank_fuzz::seeds::write_all(&dir).unwrap();
    for target in ["authenticator_data", "client_data", "messages", "verify"] {
        let count = std::fs::read_dir(dir.join(target)).unwrap().count();
        assert!(count > 0, "{target}");
    }
    let on_disk: usize = std::fs::read_dir(&dir)
        .unwrap()
        .map(|d| std::fs::read_dir(d.unwrap().path()).unwrap().count())
        .sum();
    assert_eq!(on_disk, written);
    std::fs::remove_dir_all(&dir).unwrap();
}
