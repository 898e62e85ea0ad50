//! An amount's wire text as the bank sends it: `Amount::parse_wire` never panics, and what it
//! accepts is written back as exactly the text read. The oracle is
//! `mobank_fuzz::money::check_wire`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mobank_fuzz::money::check_wire;

fuzz_target!(|data: &[u8]| {
    check_wire(data);
});
