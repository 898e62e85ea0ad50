//! `ClientData::parse` over arbitrary bytes (the bank parses what the phone sent, before any
//! signature check): never panics, and what parses serialises to JSON that parses back equal.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mobank_protocol::{ClientData, VerifyError};

fuzz_target!(|data: &[u8]| {
    match ClientData::parse(data) {
        Ok(parsed) => {
            let json = parsed.to_json();
            assert!(!json.is_empty(), "to_json gave nothing for {parsed:?}");
            assert_eq!(ClientData::parse(&json).as_ref(), Ok(&parsed));
            assert_eq!(parsed.to_json(), json, "to_json is not stable");
        }
        Err(error) => assert_eq!(error, VerifyError::MalformedClientData),
    }
});
