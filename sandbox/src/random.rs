//! Random values the bank hands out: identifiers, challenges, activation codes, session tokens.
//! All come from the operating system's generator through ring.

use ring::digest::{digest, SHA256};
use ring::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

use mobank_protocol::{b64, CHALLENGE_LEN};

/// Activation codes are typed by people: no 0/O or 1/I to confuse. 32 symbols, so each random
/// byte's low five bits pick one without bias.
const CODE_ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// 12 symbols of 5 bits: 60 bits, far beyond guessing within the code's lifetime.
pub(crate) const ACTIVATION_CODE_LEN: usize = 12;

pub(crate) fn bytes<const N: usize>(
    rng: &SystemRandom,
) -> Result<[u8; N], ring::error::Unspecified> {
    let mut out = [0u8; N];
    rng.fill(&mut out)?;
    Ok(out)
}

pub(crate) fn challenge(
    rng: &SystemRandom,
) -> Result<[u8; CHALLENGE_LEN], ring::error::Unspecified> {
    bytes(rng)
}

/// An opaque identifier such as `dev_3f9a…`: the prefix tells a log reader what it names.
pub(crate) fn id(rng: &SystemRandom, prefix: &str) -> Result<String, ring::error::Unspecified> {
    let raw: [u8; 16] = bytes(rng)?;
    let mut out = String::with_capacity(prefix.len() + 33);
    out.push_str(prefix);
    out.push('_');
    push_hex(&mut out, &raw);
    Ok(out)
}

/// Appends `bytes` in lower-case hex.
pub(crate) fn push_hex(out: &mut String, bytes: &[u8]) {
    for byte in bytes {
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

pub(crate) fn activation_code(
    rng: &SystemRandom,
) -> Result<Zeroizing<String>, ring::error::Unspecified> {
    let raw = Zeroizing::new(bytes::<ACTIVATION_CODE_LEN>(rng)?);
    let mut code = Zeroizing::new(String::with_capacity(ACTIVATION_CODE_LEN));
    for byte in raw.iter() {
        code.push(char::from(CODE_ALPHABET[usize::from(byte & 0x1f)]));
    }
    Ok(code)
}

/// A 32-byte bearer token, base64url. The bank keeps only its SHA-256.
pub(crate) fn session_token(
    rng: &SystemRandom,
) -> Result<Zeroizing<String>, ring::error::Unspecified> {
    let raw = Zeroizing::new(bytes::<32>(rng)?);
    Ok(Zeroizing::new(b64::encode(raw.as_slice())))
}

pub(crate) fn sha256(data: &[u8]) -> Vec<u8> {
    digest(&SHA256, data).as_ref().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activation_codes_use_only_the_unambiguous_alphabet() {
        let rng = SystemRandom::new();
        for _ in 0..200 {
            let code = activation_code(&rng).unwrap();
            assert_eq!(code.len(), ACTIVATION_CODE_LEN);
            assert!(
                code.bytes().all(|c| CODE_ALPHABET.contains(&c)),
                "{}",
                code.as_str()
            );
        }
    }

    #[test]
    fn ids_carry_their_prefix_and_128_bits() {
        let rng = SystemRandom::new();
        let a = id(&rng, "dev").unwrap();
        let b = id(&rng, "dev").unwrap();
        assert!(a.starts_with("dev_"));
        assert_eq!(a.len(), 4 + 32);
        assert_ne!(a, b);
    }
}
