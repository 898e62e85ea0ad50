//! A receipt's wire JSON as the phone reads it from the bank: `Receipt::signed_bytes` and
//! `Receipt::verify` under the vectors' receipt key never panic, and a receipt whose fields are
//! refused neither has signed bytes nor verifies. The oracle is
//! `mobank_fuzz::transfers::check_receipt`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mobank_fuzz::transfers::check_receipt;

fuzz_target!(|data: &[u8]| {
    check_receipt(data);
});
