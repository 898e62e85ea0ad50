//! The key hierarchy and the sealed-record format.
//!
//! data key (32 random bytes, wrapped by the platform)
//!   └─ HKDF-SHA256 ─┬─ record key: AES-256-GCM over every record
//!                   └─ lookup key: HMAC-SHA256 over lookup values (ids, keys, accounts)
//!
//! A sealed record is `format ‖ nonce(12) ‖ ciphertext ‖ tag(16)`. Its associated data is
//! `format ‖ table ‖ row key` (plus, for transactions, the clear columns), so a record copied to
//! another row or table, or one whose clear columns were edited, fails to open.

use ring::aead::{self, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};
use ring::{hkdf, hmac};
use zeroize::Zeroizing;

use crate::error::{Result, StoreError};

/// Length of the data key the platform wraps.
pub(crate) const DATA_KEY_LEN: usize = 32;
/// Version of the sealed-record layout and of the associated-data layout.
pub(crate) const RECORD_FORMAT: u8 = 1;
/// Lookup values are HMAC-SHA256 truncated to 128 bits: collision-free in practice for any number
/// of rows a phone holds, and half the index size of the full tag.
pub(crate) const LOOKUP_LEN: usize = 16;
pub(crate) type Lookup = [u8; LOOKUP_LEN];

const HEADER_LEN: usize = 1 + NONCE_LEN;
const TAG_LEN: usize = 16;
const HKDF_SALT: &[u8] = b"mobank-store hkdf salt v1";
const RECORD_INFO: &[u8] = b"mobank-store record key v1";
const LOOKUP_INFO: &[u8] = b"mobank-store lookup key v1";

/// A fresh random data key, only ever held in zeroizing memory.
pub(crate) fn new_data_key() -> Result<Zeroizing<Vec<u8>>> {
    let mut key = Zeroizing::new(vec![0u8; DATA_KEY_LEN]);
    SystemRandom::new()
        .fill(&mut key[..])
        .map_err(|_| random_failed())?;
    Ok(key)
}

pub(crate) fn random_u32() -> Result<u32> {
    let mut bytes = [0u8; 4];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| random_failed())?;
    Ok(u32::from_be_bytes(bytes))
}

fn random_failed() -> StoreError {
    StoreError::Io("the system random generator failed".into())
}

/// The two subkeys. ring keeps their expanded forms internally (it offers no zeroize); the raw
/// data key and the derived key bytes never pass through memory this crate owns: HKDF output goes
/// straight into ring's key types.
pub(crate) struct Keys {
    record: LessSafeKey,
    lookup: hmac::Key,
}

impl Keys {
    /// `None` when the unwrapped key has the wrong length: it cannot be ours.
    pub fn derive(data_key: &[u8]) -> Option<Keys> {
        if data_key.len() != DATA_KEY_LEN {
            return None;
        }
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, HKDF_SALT).extract(data_key);
        let record = prk.expand(&[RECORD_INFO], &AES_256_GCM).ok()?;
        let lookup = prk.expand(&[LOOKUP_INFO], hmac::HMAC_SHA256).ok()?;
        Some(Keys {
            record: LessSafeKey::new(UnboundKey::from(record)),
            lookup: hmac::Key::from(lookup),
        })
    }

    /// The lookup value of `value` in `domain` (a table name). The domain keeps equal keys in
    /// different tables from producing linkable lookup values.
    pub fn lookup(&self, domain: &[u8], value: &[u8]) -> Lookup {
        let mut ctx = hmac::Context::with_key(&self.lookup);
        ctx.update(&[domain.len() as u8]);
        ctx.update(domain);
        ctx.update(value);
        let tag = ctx.sign();
        let mut out = [0u8; LOOKUP_LEN];
        out.copy_from_slice(&tag.as_ref()[..LOOKUP_LEN]);
        out
    }

    /// A 64-bit lookup tag: the first half of [`Keys::lookup`], for the one column where index
    /// size decides insert speed (transaction ids). Tags can collide (about n²/2⁶⁵ for n rows); the
    /// history table resolves that by probing (decision record 0006).
    pub fn tag(&self, domain: &[u8], value: &[u8]) -> i64 {
        let lookup = self.lookup(domain, value);
        let mut half = [0u8; 8];
        half.copy_from_slice(&lookup[..8]);
        i64::from_be_bytes(half)
    }

    /// Seals the record that [`begin_record`] started in `buf` and the caller then appended the
    /// plaintext to.
    pub fn seal(&self, nonce: [u8; NONCE_LEN], aad: &Aad, buf: &mut Vec<u8>) -> Result<()> {
        buf[1..HEADER_LEN].copy_from_slice(&nonce);
        let tag = self
            .record
            .seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(nonce),
                aead::Aad::from(aad.bytes()),
                &mut buf[HEADER_LEN..],
            )
            .map_err(|_| StoreError::InvalidInput("record too large to seal"))?;
        buf.extend_from_slice(tag.as_ref());
        Ok(())
    }

    /// Opens `blob` into `scratch`; `None` if it was tampered with, moved, or is not a record of
    /// a format this code knows.
    pub fn open<'s>(&self, aad: &Aad, blob: &[u8], scratch: &'s mut Vec<u8>) -> Option<&'s [u8]> {
        if blob.len() < HEADER_LEN + TAG_LEN || blob[0] != RECORD_FORMAT {
            return None;
        }
        let nonce = Nonce::try_assume_unique_for_key(&blob[1..HEADER_LEN]).ok()?;
        scratch.clear();
        scratch.extend_from_slice(&blob[HEADER_LEN..]);
        let plain = self
            .record
            .open_in_place(nonce, aead::Aad::from(aad.bytes()), scratch)
            .ok()?;
        Some(plain)
    }
}

/// Starts a record in `buf`: the caller appends the plaintext, then calls [`Keys::seal`].
pub(crate) fn begin_record(buf: &mut Vec<u8>) {
    buf.clear();
    buf.push(RECORD_FORMAT);
    buf.extend_from_slice(&[0u8; NONCE_LEN]);
}

/// Associated data, built on the stack: every record seals and opens through one of these.
pub(crate) struct Aad {
    buf: [u8; 96],
    len: usize,
}

impl Aad {
    /// `format ‖ len(table) ‖ table`; callers append the row key.
    pub fn new(table: &str) -> Aad {
        let mut aad = Aad {
            buf: [0; 96],
            len: 0,
        };
        aad.push(&[RECORD_FORMAT, table.len() as u8]);
        aad.push(table.as_bytes());
        aad
    }

    /// Only ever called with the fixed-size parts of this crate's own layouts, which fit.
    pub fn push(&mut self, bytes: &[u8]) -> &mut Aad {
        let end = (self.len + bytes.len()).min(self.buf.len());
        self.buf[self.len..end].copy_from_slice(&bytes[..end - self.len]);
        self.len = end;
        self
    }

    fn bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn keys() -> Keys {
        Keys::derive(&[7u8; DATA_KEY_LEN]).unwrap()
    }

    #[test]
    fn sealed_record_opens_only_with_the_same_associated_data() {
        let keys = keys();
        let mut buf = Vec::new();
        begin_record(&mut buf);
        buf.extend_from_slice(b"hello");
        let mut aad = Aad::new("device");
        aad.push(b"row-1");
        keys.seal([1; 12], &aad, &mut buf).unwrap();

        let mut scratch = Vec::new();
        assert_eq!(keys.open(&aad, &buf, &mut scratch), Some(&b"hello"[..]));
        let mut other_row = Aad::new("device");
        other_row.push(b"row-2");
        assert_eq!(keys.open(&other_row, &buf, &mut scratch), None);
        let mut other_table = Aad::new("settings");
        other_table.push(b"row-1");
        assert_eq!(keys.open(&other_table, &buf, &mut scratch), None);
    }

    #[test]
    fn wrong_length_data_key_is_refused() {
        assert!(Keys::derive(&[0u8; 16]).is_none());
    }

    #[test]
    fn lookup_values_differ_per_domain() {
        let keys = keys();
        assert_ne!(keys.lookup(b"accounts", b"k"), keys.lookup(b"payees", b"k"));
        assert_eq!(
            keys.lookup(b"accounts", b"k"),
            keys.lookup(b"accounts", b"k")
        );
    }
}
