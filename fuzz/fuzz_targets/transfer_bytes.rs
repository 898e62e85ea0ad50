//! `CanonicalTransfer::from_bytes` over arbitrary bytes (the encoding both sides hash and sign):
//! never panics, and whatever decodes encodes back to exactly the same bytes, so one transfer
//! has one encoding. The oracle is `mobank_fuzz::transfers::check_canonical`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mobank_fuzz::transfers::check_canonical;

fuzz_target!(|data: &[u8]| {
    check_canonical(data);
});
