//! A scanned QR payload, as the camera hands it to the core: never a panic, and every payment
//! that parses survives writing and parsing again unchanged. See `mobank_fuzz::qr_payload`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    mobank_fuzz::qr_payload::check(data);
});
