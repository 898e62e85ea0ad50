//! Every request and response body, every type inside one, the error body and the assertion,
//! each parsed from the same arbitrary bytes: the phone parses what a network hands it and the
//! bank what a phone sends. What parses must survive serialising and parsing again unchanged.
//! The list is `mobank_fuzz::message_types::CHECKS`; a test fails when it misses a type.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mobank_fuzz::message_types::CHECKS;

fuzz_target!(|data: &[u8]| {
    for (_, check) in CHECKS {
        check(data);
    }
});
