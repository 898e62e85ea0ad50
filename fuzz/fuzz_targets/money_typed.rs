//! What a person types into an amount field: `parse_typed_amount` never panics, and what it
//! accepts is a positive amount of the account's currency with at most its decimals. The
//! oracle is `mobank_fuzz::money::check_typed`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mobank_fuzz::money::check_typed;

fuzz_target!(|data: &[u8]| {
    check_typed(data);
});
