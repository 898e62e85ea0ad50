//! Seed corpora from the committed vectors, written to `<corpus>/<target>/seed-<name>` so a run
//! starts from inputs that reach deep into each parser (a valid signature, every message).
//! Earlier seeds are removed first, so the seeds are exactly those of the vectors as they
//! stand; inputs the fuzzer found (never named `seed-*`) stay next to them.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::Path;

use mobank_protocol::Assertion;
use serde_json::Value;

use crate::cases::{cases, Verifier};
use crate::qr_payload;
use crate::store_records;
use crate::transfers;
use crate::vectors::{self, OwnedExpectation};
use crate::verify_input::VerifyInput;
use crate::{bank_responses, money};

const SEED_PREFIX: &str = "seed-";

/// Every target that has seeds.
pub const TARGETS: [&str; 12] = [
    "authenticator_data",
    "client_data",
    "messages",
    "qr_payload",
    "verify",
    "transfer_bytes",
    "receipts",
    "money_typed",
    "money_wire",
    "capitals",
    "bank_responses",
    "store_records",
];

/// Writes every target's seeds; returns how many files were written.
pub fn write_all(corpus: &Path) -> io::Result<usize> {
    for target in TARGETS {
        remove_seeds(&corpus.join(target))?;
    }
    let mut written = 0;
    let mut write = |target: &str, name: &str, bytes: &[u8]| -> io::Result<()> {
        let dir = corpus.join(target);
        fs::create_dir_all(&dir)?;
        fs::write(dir.join(format!("{SEED_PREFIX}{name}")), bytes)?;
        written += 1;
        Ok(())
    };

    for (name, assertion) in vectors::all_assertions() {
        write("authenticator_data", name, &assertion.authenticator_data)?;
        write("client_data", name, &assertion.client_data_json)?;
        write(
            "messages",
            &format!("assertion-{name}"),
            &to_json(assertion)?,
        )?;
    }

    // Each example, and every object and array inside it, which the target also parses alone
    // (an `Account` out of an `AccountsResponse`).
    let mut seen = HashSet::new();
    for (index, example) in vectors::messages().messages.iter().enumerate() {
        let mut parts = Vec::new();
        collect_parts(&example.json, &mut parts);
        for (part_index, part) in parts.into_iter().enumerate() {
            let bytes = to_json(part)?;
            if seen.insert(bytes.clone()) {
                let name = format!("{index:02}-{}-{part_index:02}", example.type_name);
                write("messages", &name, &bytes)?;
            }
        }
        if bank_responses::RESPONSES
            .iter()
            .any(|(type_name, _)| *type_name == example.type_name)
        {
            let mut input = vec![bank_responses::selector(200)];
            input.extend_from_slice(&to_json(&example.json)?);
            write(
                "bank_responses",
                &format!("{index:02}-{}", example.type_name),
                &input,
            )?;
        }
        if example.type_name == "ErrorBody" {
            for status in [400, 401, 409] {
                let mut input = vec![bank_responses::selector(status)];
                input.extend_from_slice(&to_json(&example.json)?);
                write(
                    "bank_responses",
                    &format!("{index:02}-ErrorBody-{status}"),
                    &input,
                )?;
            }
        }
    }

    for (name, currency, text) in money::TYPED_SEEDS {
        write("money_typed", name, &money::text_input(currency, text))?;
    }
    for (index, amount) in money::vector_amounts().iter().enumerate() {
        let name = format!("vector-{index:02}-{}", amount.currency().code());
        write(
            "money_wire",
            &name,
            &money::text_input(amount.currency(), &amount.to_wire()),
        )?;
        write(
            "money_typed",
            &name,
            &money::text_input(amount.currency(), &amount.to_wire()),
        )?;
        write("capitals", &name, &money::capitals_input(amount))?;
    }

    for (name, bytes) in store_records::seeds()? {
        write("store_records", &name, &bytes)?;
    }
    for (name, bytes) in qr_payload::seeds()? {
        write("qr_payload", &name, &bytes)?;
    }
    for (name, bytes, _) in transfers::canonical_seeds() {
        write("transfer_bytes", &name, &bytes)?;
    }
    for (name, json, _) in transfers::receipt_seeds() {
        write("receipts", &name, &json)?;
        write("messages", &format!("receipt-{name}"), &json)?;
    }

    for (index, case) in cases().iter().enumerate() {
        let case_byte = u8::try_from(index).map_err(io::Error::other)?;
        let name = format!("case-{index:02}-{}", case.name);
        write_verify(&mut write, &name, case_byte, &case.seed)?;
    }
    let ecdsa = &vectors::assertions().invalid;
    let ecdsa = ecdsa.iter().map(|v| {
        let verifier = Verifier::Ecdsa(v.public_key.clone());
        (&v.name, verifier, &v.expectation, &v.assertion)
    });
    let knowledge = vectors::knowledge();
    let knowledge = knowledge.invalid.iter().map(|v| {
        let verifier = Verifier::Knowledge(vectors::knowledge_key(&v.key));
        (&v.name, verifier, &v.expectation, &v.assertion)
    });
    for (name, verifier, expectation, assertion) in ecdsa.chain(knowledge) {
        let case = closest_case(&verifier, expectation);
        write_verify(&mut write, name, case, assertion)?;
    }
    Ok(written)
}

/// The case an invalid vector was made against (same key and expectation), or the nearest
/// one, so the seed fails only on its one defect where it can.
pub fn closest_case(verifier: &Verifier, expectation: &OwnedExpectation) -> u8 {
    let score = |index: usize| {
        let case = &cases()[index];
        let e = &case.expectation;
        let x = expectation;
        u8::from(case.verifier == *verifier)
            + u8::from(e.rp_id == x.rp_id)
            + u8::from(e.challenge == x.challenge)
            + u8::from(e.ceremony == x.ceremony)
            + u8::from(e.operation == x.operation)
            + u8::from(e.require_user_verified == x.require_user_verified)
            + u8::from(e.previous_sign_count == x.previous_sign_count)
    };
    // The first of the best, so the choice does not depend on what follows in the list.
    let best = (0..cases().len()).rev().max_by_key(|&index| score(index));
    best.and_then(|index| u8::try_from(index).ok()).unwrap_or(0)
}

fn write_verify(
    write: &mut impl FnMut(&str, &str, &[u8]) -> io::Result<()>,
    name: &str,
    case: u8,
    assertion: &Assertion,
) -> io::Result<()> {
    let input = VerifyInput {
        case,
        assertion: assertion.clone(),
    };
    match input.to_bytes() {
        Some(bytes) => write("verify", name, &bytes),
        // A field too long for the layout: no seed, the other targets still get its bytes.
        None => Ok(()),
    }
}

fn collect_parts<'a>(value: &'a Value, parts: &mut Vec<&'a Value>) {
    match value {
        Value::Object(map) => {
            parts.push(value);
            map.values().for_each(|v| collect_parts(v, parts));
        }
        Value::Array(items) => {
            parts.push(value);
            items.iter().for_each(|v| collect_parts(v, parts));
        }
        _ => {}
    }
}

fn remove_seeds(dir: &Path) -> io::Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error),
    };
    for entry in entries {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with(SEED_PREFIX) {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

fn to_json(value: &impl serde::Serialize) -> io::Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(io::Error::other)
}
