//! A record of the phone's encrypted store, from the sealed bytes of a row to the value the
//! core reads: never a panic, anything that does not open is an integrity error, a record
//! with a bit flipped never opens, and what decodes survives being written again. See
//! `mobank_fuzz::store_records`.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mobank_fuzz::store_records::{check_with, keys};
use mobank_store::fuzzing::RecordKeys;

static KEYS: OnceLock<RecordKeys> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    check_with(KEYS.get_or_init(keys), data);
});
