//! The confirmation's capital numerals (大写) of any amount from one fen to the maximum, in
//! every currency: no panic, only numerals, ending in 整 or 分, and read back to the amount.
//! The oracle is `mobank_fuzz::money::check_capitals`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mobank_fuzz::money::{amount_from_bytes, check_capitals};

fuzz_target!(|data: &[u8]| {
    if let Some(amount) = amount_from_bytes(data) {
        check_capitals(&amount);
    }
});
