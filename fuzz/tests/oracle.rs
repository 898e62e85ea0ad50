//! The fuzz oracles are only worth something if genuine inputs reach them: every vector the bank
//! must verify up to its signature is a case whose seed gets there with the vector's outcome,
//! the oracle's own signed bytes agree with the vectors, and the input layout reads back what
//! was written.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mobank_fuzz::cases::{cases, knowledge_tag, known_signed, signed_message, Case, Verifier};
use mobank_fuzz::seeds::{self, closest_case};
use mobank_fuzz::vectors::{self, Expected, OwnedExpectation};
use mobank_fuzz::verify_input::VerifyInput;
use mobank_protocol::vectors::hex;
use mobank_protocol::{Assertion, VerifiedAssertion, VerifyError};

fn case_named(name: &str) -> &'static Case {
    let mut found = cases().iter().filter(|c| c.name == name);
    let case = found.next().unwrap_or_else(|| panic!("no case {name}"));
    assert!(found.next().is_none(), "two cases named {name}");
    case
}

fn accepted(expected: Expected) -> Result<VerifiedAssertion, VerifyError> {
    Ok(VerifiedAssertion {
        sign_count: expected.sign_count,
        user_verified: expected.user_verified,
    })
}

/// The variant name of an error, as the vectors' `expected_error` spells it.
fn variant(error: &VerifyError) -> String {
    let debug = format!("{error:?}");
    debug
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap()
        .to_owned()
}

/// Every invalid vector of both files: name, the verifier the bank has on file, what it
/// expects, the assertion and the error it must give.
fn invalid_vectors() -> Vec<(
    &'static str,
    Verifier,
    &'static OwnedExpectation,
    &'static Assertion,
    &'static str,
)> {
    let knowledge = vectors::knowledge();
    let ecdsa = vectors::assertions().invalid.iter().map(|v| {
        let verifier = Verifier::Ecdsa(v.public_key.clone());
        (
            v.name.as_str(),
            verifier,
            &v.expectation,
            &v.assertion,
            v.expected_error.as_str(),
        )
    });
    let tagged = knowledge.invalid.iter().map(|v| {
        let verifier = Verifier::Knowledge(vectors::knowledge_key(&v.key));
        (
            v.name.as_str(),
            verifier,
            &v.expectation,
            &v.assertion,
            v.expected_error.as_str(),
        )
    });
    ecdsa.chain(tagged).collect()
}

#[test]
fn every_accepted_vector_is_a_case_accepted_with_its_own_key() {
    let (ecdsa, knowledge) = (vectors::assertions(), vectors::knowledge());
    let ecdsa_key = |name: &str| Verifier::Ecdsa(vectors::public_key(name).to_vec());
    let valid = ecdsa.valid.iter();
    let valid = valid.map(|v| (&v.name, ecdsa_key(&v.key), &v.expectation, v.expected));
    let tolerated = ecdsa.tolerated.iter();
    let tolerated = tolerated.map(|v| (&v.name, ecdsa_key(&v.key), &v.expectation, v.expected));
    let tagged = knowledge.valid.iter().map(|v| {
        let verifier = Verifier::Knowledge(vectors::knowledge_key(&v.key));
        (&v.name, verifier, &v.expectation, v.expected)
    });
    let mut checked = 0;
    for (name, verifier, expectation, expected) in valid.chain(tolerated).chain(tagged) {
        let case = case_named(name);
        assert_eq!(case.verifier, verifier, "{name}");
        assert_eq!(&case.expectation, expectation, "{name}");
        assert_eq!(case.verify(&case.seed), accepted(expected), "{name}");
        assert!(case.genuinely_signed(&case.seed), "{name}");
        checked += 1;
    }
    assert_eq!(
        checked,
        ecdsa.valid.len() + ecdsa.tolerated.len() + knowledge.valid.len()
    );
}

#[test]
fn every_counter_vector_is_a_case_refused_after_its_signature_checked_out() {
    let mut counter_vectors = 0;
    for (name, verifier, expectation, assertion, error) in invalid_vectors() {
        if error != "CounterNotIncreasing" {
            continue;
        }
        counter_vectors += 1;
        let case = case_named(name);
        assert_eq!(case.verifier, verifier, "{name}");
        assert_eq!(&case.expectation, expectation, "{name}");
        let result = case.verify(&case.seed);
        let Err(VerifyError::CounterNotIncreasing { stored, .. }) = result else {
            panic!("{name}: {result:?}");
        };
        assert_eq!(stored, expectation.previous_sign_count, "{name}");
        assert!(case.genuinely_signed(assertion), "{name}");
    }
    assert!(counter_vectors > 0, "the vectors lost their counter cases");
}

#[test]
fn the_cases_are_exactly_those_vectors() {
    let ecdsa = vectors::assertions();
    let knowledge = vectors::knowledge();
    let counter = invalid_vectors()
        .into_iter()
        .filter(|v| v.4 == "CounterNotIncreasing")
        .count();
    let expected = ecdsa.valid.len() + knowledge.valid.len() + ecdsa.tolerated.len() + counter;
    assert_eq!(cases().len(), expected);
    assert!(
        cases().len() <= usize::from(u8::MAX) + 1,
        "the case byte cannot pick them all"
    );
}

/// The oracle computes signed bytes and tags itself; they must be the vectors'.
#[test]
fn the_oracle_signs_what_the_vectors_sign() {
    let ecdsa = vectors::assertions();
    let knowledge = vectors::knowledge();
    for vector in &knowledge.valid {
        let a = &vector.assertion;
        let message = signed_message(&a.authenticator_data, &a.client_data_json);
        assert_eq!(hex(&message), vector.signed_bytes_hex, "{}", vector.name);
        assert_eq!(
            knowledge_tag(&vectors::knowledge_key(&vector.key), &message),
            a.signature
        );
    }
    for vector in &ecdsa.valid {
        let a = &vector.assertion;
        let message = signed_message(&a.authenticator_data, &a.client_data_json);
        assert_eq!(hex(&message), vector.signed_bytes_hex, "{}", vector.name);
        let public_key = vectors::public_key(&vector.key).to_vec();
        assert!(
            known_signed().contains(&(public_key, message)),
            "{}",
            vector.name
        );
    }
}

/// An ECDSA signature is judged by the message it covers, so a vector whose message the key
/// signed in another vector (only the signature blob is wrong) is exempt.
#[test]
fn no_invalid_vector_refused_for_its_signature_counts_as_genuine() {
    let valid_messages: Vec<Vec<u8>> = vectors::assertions()
        .valid
        .iter()
        .map(|v| {
            signed_message(
                &v.assertion.authenticator_data,
                &v.assertion.client_data_json,
            )
        })
        .collect();
    let mut judged = 0;
    for (name, verifier, expectation, assertion, error) in invalid_vectors() {
        if error != "BadSignature" {
            continue;
        }
        let message = signed_message(&assertion.authenticator_data, &assertion.client_data_json);
        let case = Case {
            name: name.to_owned(),
            verifier,
            expectation: expectation.clone(),
            seed: assertion.clone(),
        };
        assert_eq!(
            case.verify(assertion),
            Err(VerifyError::BadSignature),
            "{name}"
        );
        if matches!(case.verifier, Verifier::Ecdsa(_)) && valid_messages.contains(&message) {
            continue;
        }
        assert!(!case.genuinely_signed(assertion), "{name}");
        judged += 1;
    }
    assert!(judged > 0);
}

fn flip_last(bytes: &mut [u8]) {
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
}

#[test]
fn a_changed_message_is_not_genuine_and_is_refused() {
    for case in cases() {
        let mut counter = case.seed.clone();
        flip_last(&mut counter.authenticator_data);
        assert!(!case.genuinely_signed(&counter), "{}", case.name);
        assert_eq!(
            case.verify(&counter),
            Err(VerifyError::BadSignature),
            "{}",
            case.name
        );

        let mut client_data = case.seed.clone();
        flip_last(&mut client_data.client_data_json);
        assert!(!case.genuinely_signed(&client_data), "{}", case.name);
        assert!(case.verify(&client_data).is_err(), "{}", case.name);
    }
}

#[test]
fn a_changed_signature_is_refused_and_a_changed_tag_is_not_genuine() {
    for case in cases() {
        let mut assertion = case.seed.clone();
        flip_last(&mut assertion.signature);
        assert_eq!(
            case.verify(&assertion),
            Err(VerifyError::BadSignature),
            "{}",
            case.name
        );
        // An ECDSA signature is judged by the message it covers; an HMAC tag by its bytes.
        let judged_by_tag = matches!(case.verifier, Verifier::Knowledge(_));
        assert_eq!(
            case.genuinely_signed(&assertion),
            !judged_by_tag,
            "{}",
            case.name
        );
    }
}

#[test]
fn invalid_seeds_run_against_their_own_case_give_their_error() {
    let mut own_case = 0;
    for (name, verifier, expectation, assertion, error) in invalid_vectors() {
        let case = &cases()[usize::from(closest_case(&verifier, expectation))];
        if case.verifier != verifier || &case.expectation != expectation {
            continue;
        }
        own_case += 1;
        let result = case.verify(assertion);
        assert_eq!(
            result.map_err(|e| variant(&e)),
            Err(error.to_owned()),
            "{name}"
        );
    }
    assert!(own_case > 0);
}

#[test]
fn verify_input_reads_back_what_it_wrote() {
    for (index, case) in cases().iter().enumerate() {
        let input = VerifyInput {
            case: u8::try_from(index).unwrap(),
            assertion: case.seed.clone(),
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
fn seeds_are_written_for_every_target_and_replace_earlier_seeds() {
    let dir = std::env::temp_dir().join(format!("mobank-fuzz-seeds-{}", std::process::id()));
    let stale = dir.join("verify").join("seed-from-an-old-vector");
    let found = dir.join("verify").join("0123abcd");
    std::fs::create_dir_all(dir.join("verify")).unwrap();
    std::fs::write(&stale, b"old").unwrap();
    std::fs::write(&found, b"found").unwrap();

    let written = seeds::write_all(&dir).unwrap();
    assert!(!stale.exists(), "an earlier seed stayed");
    assert!(found.exists(), "a found input was removed");
    for target in seeds::TARGETS {
        let count = std::fs::read_dir(dir.join(target)).unwrap().count();
        assert!(count > 0, "{target}");
    }
    let on_disk: usize = std::fs::read_dir(&dir)
        .unwrap()
        .map(|d| std::fs::read_dir(d.unwrap().path()).unwrap().count())
        .sum();
    assert_eq!(on_disk, written + 1);
    // Every case and every invalid vector of both files is a `verify` seed.
    let verify_seeds = std::fs::read_dir(dir.join("verify")).unwrap().count() - 1;
    assert_eq!(verify_seeds, cases().len() + invalid_vectors().len());
    std::fs::remove_dir_all(&dir).unwrap();
}
