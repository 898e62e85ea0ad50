//! The `qr_payload` oracle: a scanned QR payload never panics the parser, and whatever parses is
//! written back to a payload that parses to the same payment.
//!
//! Random bytes almost never carry a right CRC, so each input is also tried with its CRC
//! recomputed: that is what lets mutations reach the data objects behind the checksum.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use mobank_core::qr::{crc16_ccitt_false, EncodeError, MerchantPayment};

/// The committed seeds: the specification's example, a payment network's published example,
/// and payloads that use every data object Mobank reads.
pub fn seed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/qr_payload")
}

/// Every committed seed, by file name.
pub fn seeds() -> io::Result<Vec<(String, Vec<u8>)>> {
    let mut seeds = Vec::new();
    for entry in fs::read_dir(seed_dir())? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        seeds.push((name, fs::read(entry.path())?));
    }
    seeds.sort();
    Ok(seeds)
}

/// The whole check for one input.
pub fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        // The scanner hands the core text; bytes that are not UTF-8 never become a payload.
        return;
    };
    round_trip(text);
    round_trip(&resealed(text));
}

/// `text` with its CRC data object replaced (or, if it has none at the end, added) by the one
/// that matches.
pub fn resealed(text: &str) -> String {
    let body = text
        .len()
        .checked_sub(8)
        .filter(|&cut| text.is_char_boundary(cut) && text[cut..].starts_with("6304"))
        .map_or(text, |cut| &text[..cut]);
    let body = format!("{body}6304");
    let crc = crc16_ccitt_false(body.as_bytes());
    format!("{body}{crc:04X}")
}

/// Parses `payload`; if it is a payment, writes it and checks that the result reads the same.
/// Returns the payment, for the tests.
pub fn round_trip(payload: &str) -> Option<MerchantPayment> {
    let payment = MerchantPayment::parse(payload).ok()?;
    match payment.to_payload() {
        Ok(written) => {
            let again = MerchantPayment::parse(&written);
            assert_eq!(again.as_ref(), Ok(&payment), "rewritten as {written:?}");
        }
        // Only NFC can make a value longer than it was read, and only the alternate-language
        // template holds text that is not ASCII; anything else written is never longer.
        Err(EncodeError::TooLong { .. }) => assert!(
            payment.alternate_language.is_some(),
            "a payment without non-ASCII text grew past the limit"
        ),
        Err(error) => panic!("a parsed payment cannot be written: {error}"),
    }
    Some(payment)
}
