//! DER ECDSA signatures taken apart and put together again: to mark which signatures have a
//! high `s`, to make the other valid signature over the same bytes, and to make encodings a
//! strict DER parser must refuse.

use crate::fixtures::Result;

/// The order n of the P-256 group.
const N: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];
/// (n − 1) / 2: an `s` above it is "high".
const HALF_N: [u8; 32] = [
    0x7f, 0xff, 0xff, 0xff, 0x80, 0x00, 0x00, 0x00, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xde, 0x73, 0x7d, 0x56, 0xd3, 0x8b, 0xcf, 0x42, 0x79, 0xdc, 0xe5, 0x61, 0x7e, 0x31, 0x92, 0xa8,
];

const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;

/// `r` and `s` of a DER `SEQUENCE { INTEGER r, INTEGER s }`, as 32-byte big-endian numbers.
/// P-256 signatures are shorter than 128 bytes, so every length is one byte.
fn integers(der: &[u8]) -> Result<([u8; 32], [u8; 32])> {
    let body = match der {
        [SEQUENCE, len, body @ ..] if usize::from(*len) == body.len() => body,
        _ => return Err("not a short DER SEQUENCE".into()),
    };
    let (r, rest) = integer(body)?;
    let (s, rest) = integer(rest)?;
    if !rest.is_empty() {
        return Err("bytes after the two INTEGERs".into());
    }
    Ok((r, s))
}

fn integer(der: &[u8]) -> Result<([u8; 32], &[u8])> {
    let [INTEGER, len, rest @ ..] = der else {
        return Err("not a DER INTEGER".into());
    };
    let (value, rest) = rest
        .split_at_checked(usize::from(*len))
        .ok_or("short INTEGER")?;
    let value = value.strip_prefix(&[0]).unwrap_or(value);
    let mut out = [0u8; 32];
    let start = out
        .len()
        .checked_sub(value.len())
        .ok_or("INTEGER over 32 bytes")?;
    out[start..].copy_from_slice(value);
    Ok((out, rest))
}

/// A positive number as a minimal DER INTEGER: no leading zero bytes, but one zero byte when
/// the top bit is set (which would otherwise make it negative).
fn encode_integer(value: &[u8; 32], out: &mut Vec<u8>) {
    let first = value
        .iter()
        .position(|b| *b != 0)
        .unwrap_or(value.len() - 1);
    let digits = &value[first..];
    let pad = digits[0] & 0x80 != 0;
    out.push(INTEGER);
    out.push(u8::try_from(digits.len() + usize::from(pad)).unwrap_or(u8::MAX));
    if pad {
        out.push(0);
    }
    out.extend_from_slice(digits);
}

fn encode(r: &[u8; 32], s: &[u8; 32]) -> Vec<u8> {
    let mut body = Vec::with_capacity(70);
    encode_integer(r, &mut body);
    encode_integer(s, &mut body);
    let mut out = vec![SEQUENCE, u8::try_from(body.len()).unwrap_or(u8::MAX)];
    out.extend_from_slice(&body);
    out
}

/// Whether `s` is above (n − 1) / 2.
pub(crate) fn is_high_s(der: &[u8]) -> Result<bool> {
    let (_, s) = integers(der)?;
    Ok(s > HALF_N)
}

/// The same signature with `s` replaced by n − `s`: the other signature that verifies over the
/// same bytes with the same key.
pub(crate) fn other_s(der: &[u8]) -> Result<Vec<u8>> {
    let (r, s) = integers(der)?;
    let mut negated = [0u8; 32];
    let mut borrow = 0u16;
    for i in (0..32).rev() {
        let subtrahend = u16::from(s[i]) + borrow;
        let minuend = u16::from(N[i]);
        borrow = u16::from(minuend < subtrahend);
        negated[i] = (minuend + (borrow << 8) - subtrahend) as u8;
    }
    Ok(encode(&r, &negated))
}

/// The same signature with `r` written with one more leading zero byte than DER allows.
pub(crate) fn with_padded_r(der: &[u8]) -> Result<Vec<u8>> {
    let (r, s) = integers(der)?;
    let mut body = Vec::with_capacity(71);
    encode_integer(&r, &mut body);
    body[1] += 1;
    body.insert(2, 0);
    encode_integer(&s, &mut body);
    let mut out = vec![SEQUENCE, u8::try_from(body.len())?];
    out.extend_from_slice(&body);
    Ok(out)
}
