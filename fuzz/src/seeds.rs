//! Seed corpora from the committed vectors, written to `<corpus>/<target>/seed-<name>` so a run
//! starts from inputs that reach deep into each parser (a valid signature, every message).
//! Rewriting them is idempotent; inputs the fuzzer found stay next to them.

use std::fs;
use std::io;
use std::path::Path;

use crate::vectors::{self, InvalidVector};
use crate::verify_input::{cases, Verifier, VerifyInput};

/// Writes every target's seeds; returns how many files were written.
pub fn write_all(corpus: &Path) -> io::Result<usize> {
    let assertions = vectors::assertions();
    let mut written = 0;
    let mut write = |target: &str, name: &str, bytes: &[u8]| -> io::Result<()> {
        let dir = corpus.join(target);
        fs::create_dir_all(&dir)?;
        fs::write(dir.join(format!("seed-{name}")), bytes)?;
        written += 1;
        Ok(())
    };

    for (name, assertion) in assertions.all_assertions() {
        write("authenticator_data", name, &assertion.authenticator_data)?;
        write("client_data", name, &assertion.client_data_json)?;
        write(
            "messages",
            &format!("assertion-{name}"),
            &to_json(assertion)?,
        )?;
    }

    for (index, example) in vectors::messages().messages.iter().enumerate() {
        let name = format!("{index:02}-{}", example.type_name);
        write("messages", &name, &to_json(&example.json)?)?;
    }

    for (index, case) in cases().iter().enumerate() {
        let Some(seed) = &case.seed else {
            continue;
        };
        let input = VerifyInput {
            case: u8::try_from(index).map_err(io::Error::other)?,
            assertion: seed.clone(),
        };
        if let Some(bytes) = input.to_bytes() {
            write("verify", &format!("case-{index:02}"), &bytes)?;
        }
        // The operation case's client data is in no vector.
        write(
            "client_data",
            &format!("case-{index:02}"),
            &seed.client_data_json,
        )?;
    }
    for invalid in &assertions.invalid {
        let input = VerifyInput {
            case: closest_case(invalid),
            assertion: invalid.assertion.clone(),
        };
        if let Some(bytes) = input.to_bytes() {
            write("verify", &invalid.name, &bytes)?;
        }
    }
    Ok(written)
}

/// The P-256 case an invalid vector was made against (same key and expectation), or the
/// nearest one, so the seed fails only on its one defect.
fn closest_case(invalid: &InvalidVector) -> u8 {
    let score = |index: usize| {
        let case = &cases()[index];
        let Verifier::Ecdsa(public_key) = &case.verifier else {
            return 0;
        };
        let e = &case.expectation;
        let x = &invalid.expectation;
        1 + u8::from(*public_key == invalid.public_key)
            + u8::from(e.challenge == x.challenge)
            + u8::from(e.ceremony == x.ceremony)
            + u8::from(e.operation == x.operation)
            + u8::from(e.require_user_verified == x.require_user_verified)
    };
    (0..cases().len())
        .max_by_key(|&index| score(index))
        .and_then(|index| u8::try_from(index).ok())
        .unwrap_or(0)
}

fn to_json(value: &impl serde::Serialize) -> io::Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(io::Error::other)
}
