//! Every body the phone reads from the bank, under a success or an error status, read as the
//! core's client reads it; what parses survives a round trip. The oracle is
//! `mobank_fuzz::bank_responses::check_body`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mobank_fuzz::bank_responses::check_body;

fuzz_target!(|data: &[u8]| {
    check_body(data);
});
