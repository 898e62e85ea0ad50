//! The `qr_payload` target is only worth something if its seeds reach deep into the parser and
//! its oracle holds on them: every committed seed is a payment (or is refused only for its
//! currency), survives the round trip, and neither it nor any one-byte change of it panics.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mobank_core::qr::{MerchantPayment, QrError};
use mobank_fuzz::qr_payload::{check, resealed, round_trip, seeds};

/// Seeds that are refused on purpose, with the refusal.
const REFUSED: [(&str, QrError); 1] = [("pix-manual-example", QrError::UnknownCurrency)];

#[test]
fn every_seed_parses_and_survives_the_round_trip_or_is_refused_only_for_its_currency() {
    let seeds = seeds().unwrap();
    assert!(seeds.len() >= 5, "{} seeds", seeds.len());
    for (name, bytes) in seeds {
        let text = std::str::from_utf8(&bytes).unwrap();
        match REFUSED.iter().find(|(refused, _)| *refused == name) {
            Some((_, error)) => assert_eq!(MerchantPayment::parse(text).err(), Some(*error)),
            None => assert!(round_trip(text).is_some(), "{name} does not parse"),
        }
    }
}

#[test]
fn the_seeds_reach_every_optional_part_of_a_payment() {
    let payments: Vec<MerchantPayment> = seeds()
        .unwrap()
        .iter()
        .filter_map(|(_, bytes)| MerchantPayment::parse(std::str::from_utf8(bytes).ok()?).ok())
        .collect();
    let any = |test: fn(&MerchantPayment) -> bool| payments.iter().any(test);
    assert!(any(|p| p.amount.is_some()));
    assert!(any(|p| p.amount.is_none()));
    assert!(any(|p| p.tip.is_some()));
    assert!(any(|p| p.postal_code.is_some()));
    assert!(any(|p| p.additional_data.is_some()));
    assert!(any(|p| p.alternate_language.is_some()));
    assert!(any(|p| !p.unreserved_templates.is_empty()));
    assert!(any(|p| !p.reserved.is_empty()));
    assert!(any(|p| p
        .additional_data
        .as_ref()
        .is_some_and(|d| !d.payment_system_templates.is_empty())));
}

#[test]
fn resealing_lets_a_changed_payload_past_its_crc() {
    let (_, bytes) = seeds()
        .unwrap()
        .into_iter()
        .find(|(name, _)| name == "emvco-specification-example")
        .unwrap();
    let example = String::from_utf8(bytes).unwrap();
    let changed = example.replace("540523.72", "540593.72");
    assert_eq!(MerchantPayment::parse(&changed), Err(QrError::CrcMismatch));
    assert!(MerchantPayment::parse(&resealed(&changed)).is_ok());
    // A payload without a CRC gets one.
    let body = &example[..example.len() - 8];
    assert_eq!(resealed(body), example);
    assert_eq!(resealed(&example), example);
}

#[test]
fn no_cut_and_no_one_byte_change_of_a_seed_panics() {
    for (_, seed) in seeds().unwrap() {
        for end in 0..=seed.len() {
            check(&seed[..end]);
        }
        for index in 0..seed.len() {
            for byte in [b'0', b'9', b'.', b'*', b'A', b'a', b' ', 0x00, 0xE2, 0xFF] {
                let mut changed = seed.clone();
                changed[index] = byte;
                check(&changed);
            }
        }
    }
}
