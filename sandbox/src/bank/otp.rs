//! SMS one-time passwords: generation without modulo bias, a keyed tag instead of the code in
//! the database, and the SMS text.

use ring::hmac;
use ring::rand::SystemRandom;
use zeroize::Zeroizing;

use crate::random;

const OTP_SPACE: u32 = 1_000_000;
/// The largest multiple of 10^6 that fits in a u32. Values at or above it are drawn again, so
/// every code from 000000 to 999999 is exactly equally likely.
const ACCEPT_BELOW: u32 = (u32::MAX / OTP_SPACE) * OTP_SPACE;

/// A uniformly random six-digit code.
pub(crate) fn generate(rng: &SystemRandom) -> Result<Zeroizing<String>, ring::error::Unspecified> {
    loop {
        let draw = Zeroizing::new(u32::from_be_bytes(random::bytes::<4>(rng)?));
        if let Some(value) = reduce(*draw) {
            return Ok(Zeroizing::new(format!("{value:06}")));
        }
    }
}

fn reduce(draw: u32) -> Option<u32> {
    (draw < ACCEPT_BELOW).then_some(draw % OTP_SPACE)
}

/// The stored form of an OTP: HMAC-SHA256 under a random per-activation key.
///
/// A six-digit code cannot be protected against offline guessing by any hash; this keeps it
/// out of database dumps and lets `matches` compare in constant time, while the online attempt
/// counter is what really protects it.
pub(crate) fn tag(salt: &[u8], otp: &str) -> Vec<u8> {
    let key = hmac::Key::new(hmac::HMAC_SHA256, salt);
    hmac::sign(&key, otp.as_bytes()).as_ref().to_vec()
}

pub(crate) fn matches(salt: &[u8], otp: &str, stored_tag: &[u8]) -> bool {
    let key = hmac::Key::new(hmac::HMAC_SHA256, salt);
    hmac::verify(&key, otp.as_bytes(), stored_tag).is_ok()
}

/// The SMS text. The code is the only run of six digits in it, so clients can find it with
/// `\b(\d{6})\b`; it says what the code is for, because "you are binding a new phone" is what
/// makes a customer stop when a caller asks for it.
pub(crate) fn sms_body(otp: &str, valid_minutes: u64) -> Zeroizing<String> {
    Zeroizing::new(format!(
        "【Mobank】您正在绑定新手机，验证码 {otp}，{valid_minutes}分钟内有效，请勿告诉任何人。\
         Code {otp} to bind a new phone, valid {valid_minutes} min. Never share it."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_at_or_above_the_last_full_block_are_rejected() {
        assert_eq!(ACCEPT_BELOW, 4_294_000_000);
        assert_eq!(reduce(ACCEPT_BELOW - 1), Some(999_999));
        assert_eq!(reduce(ACCEPT_BELOW), None);
        assert_eq!(reduce(u32::MAX), None);
        assert_eq!(reduce(0), Some(0));
    }

    #[test]
    fn codes_are_six_digits() {
        let rng = SystemRandom::new();
        for _ in 0..200 {
            let code = generate(&rng).unwrap();
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|c| c.is_ascii_digit()));
        }
    }

    #[test]
    fn tag_matches_only_the_same_code_and_salt() {
        let stored = tag(b"salt-one", "123456");
        assert!(matches(b"salt-one", "123456", &stored));
        assert!(!matches(b"salt-one", "123457", &stored));
        assert!(!matches(b"salt-two", "123456", &stored));
    }

    #[test]
    fn sms_body_has_exactly_one_distinct_six_digit_run() {
        let body = sms_body("042917", 5);
        let runs: Vec<&str> = body
            .split(|c: char| !c.is_ascii_digit())
            .filter(|run| !run.is_empty())
            .collect();
        assert!(
            runs.iter().all(|run| run.len() != 6 || *run == "042917"),
            "{runs:?}"
        );
        assert_eq!(runs.first(), Some(&"042917"));
    }
}
