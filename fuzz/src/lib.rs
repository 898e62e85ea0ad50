//! Shared parts of the fuzz targets: the committed protocol vectors (seeds and the known
//! signatures), the verification cases and their oracle, the input layout of the `verify`
//! target, the JSON round-trip check of every wire type, and the transfer vectors with the
//! oracles of the canonical-bytes and receipt targets, the money and capital-numeral oracles,
//! the bank-response reading, and the reading of the records the phone keeps in its store.
//!
//! A new target is one file in `fuzz_targets/` and one `[[bin]]` in `Cargo.toml`; if it has
//! seeds, a branch in `seeds::write_all`.

pub mod bank_responses;
pub mod cases;
pub mod message_types;
pub mod money;
pub mod qr_payload;
pub mod round_trip;
pub mod seeds;
pub mod store_records;
pub mod transfers;
pub mod vectors;
pub mod verify_input;
