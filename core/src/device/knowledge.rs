//! The knowledge factor (docs/decisions/0010-knowledge-factor.md): a random HMAC key `K` that
//! the phone keeps only as `wrap(K ⊕ PBKDF2(PIN, salt))`.
//!
//! The inner layer has no tag on purpose: any PIN "opens" it, a wrong one to a wrong `K`, so
//! nothing on the phone can tell a right PIN from a wrong one. Only the bank, which holds `K`,
//! sees the difference, and it counts the failures.

use std::num::NonZeroU32;

use mobank_protocol::assertion::KNOWLEDGE_KEY_LEN;
use mobank_protocol::b64;
use ring::pbkdf2;
use ring::rand::{SecureRandom, SystemRandom};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::pin::Pin;
use crate::platform::{KeyStore, KeyStoreError};

const SALT_LEN: usize = 16;
const PBKDF2_ITERATIONS: u32 = 100_000;

/// What the phone stores of the knowledge key. Neither field is a secret without the key store,
/// and with it, every PIN gives some key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct KnowledgeRecord {
    /// The platform key that wraps `sealed` (`KeyStore::wrap`).
    pub wrap_alias: String,
    #[serde(with = "b64")]
    pub salt: Vec<u8>,
    /// `wrap(K ⊕ pad)`.
    #[serde(with = "b64")]
    pub sealed: Vec<u8>,
}

/// A knowledge key in memory, wiped on drop.
pub(crate) struct KnowledgeKey(Zeroizing<[u8; KNOWLEDGE_KEY_LEN]>);

impl KnowledgeKey {
    pub(crate) fn generate() -> Result<Self, KeyStoreError> {
        let mut key = Zeroizing::new([0u8; KNOWLEDGE_KEY_LEN]);
        SystemRandom::new()
            .fill(key.as_mut())
            .map_err(|_| random_failure())?;
        Ok(Self(key))
    }

    pub(crate) fn bytes(&self) -> &[u8; KNOWLEDGE_KEY_LEN] {
        &self.0
    }

    /// Stores this key under `pin` with a fresh salt, wrapped by the platform key `wrap_alias`.
    pub(crate) fn seal(
        &self,
        key_store: &dyn KeyStore,
        wrap_alias: &str,
        pin: &Pin,
    ) -> Result<KnowledgeRecord, KeyStoreError> {
        let mut salt = vec![0u8; SALT_LEN];
        SystemRandom::new()
            .fill(&mut salt)
            .map_err(|_| random_failure())?;
        let masked = xor(&self.0, &pad(pin, &salt));
        let sealed = key_store.wrap(wrap_alias, masked.as_ref())?;
        Ok(KnowledgeRecord {
            wrap_alias: wrap_alias.to_owned(),
            salt,
            sealed,
        })
    }

    /// The key `pin` gives: the right one only if the PIN is right, which nobody here can tell.
    /// Errors only for key store failures or a record that is not the right shape.
    pub(crate) fn open(
        key_store: &dyn KeyStore,
        record: &KnowledgeRecord,
        pin: &Pin,
    ) -> Result<Self, OpenError> {
        let masked = key_store
            .unwrap(&record.wrap_alias, &record.sealed)
            .map_err(OpenError::KeyStore)?;
        let masked: &[u8; KNOWLEDGE_KEY_LEN] = masked
            .as_slice()
            .try_into()
            .map_err(|_| OpenError::Malformed)?;
        Ok(Self(xor(masked, &pad(pin, &record.salt))))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OpenError {
    KeyStore(KeyStoreError),
    /// The unwrapped value is not a key: the stored record is damaged.
    Malformed,
}

/// PBKDF2-HMAC-SHA256(PIN, salt): the one-time pad of this salt.
fn pad(pin: &Pin, salt: &[u8]) -> Zeroizing<[u8; KNOWLEDGE_KEY_LEN]> {
    let mut out = Zeroizing::new([0u8; KNOWLEDGE_KEY_LEN]);
    let iterations = NonZeroU32::new(PBKDF2_ITERATIONS).unwrap_or(NonZeroU32::MIN);
    pbkdf2::derive(
        pbkdf2::PBKDF2_HMAC_SHA256,
        iterations,
        salt,
        pin.digits(),
        out.as_mut(),
    );
    out
}

fn xor(
    a: &[u8; KNOWLEDGE_KEY_LEN],
    b: &[u8; KNOWLEDGE_KEY_LEN],
) -> Zeroizing<[u8; KNOWLEDGE_KEY_LEN]> {
    let mut out = Zeroizing::new([0u8; KNOWLEDGE_KEY_LEN]);
    for (o, (x, y)) in out.iter_mut().zip(a.iter().zip(b)) {
        *o = x ^ y;
    }
    out
}

fn random_failure() -> KeyStoreError {
    KeyStoreError::Platform("system random generator failed".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::InsecureSoftwareKeyStore;

    fn pin(digits: &str) -> Pin {
        Pin::from_digits(digits).unwrap()
    }

    #[test]
    fn the_right_pin_gives_back_the_key_and_a_wrong_one_silently_another() {
        let store = InsecureSoftwareKeyStore::new();
        let key = KnowledgeKey::generate().unwrap();
        let record = key.seal(&store, "k", &pin("482916")).unwrap();
        let right = KnowledgeKey::open(&store, &record, &pin("482916")).unwrap();
        assert_eq!(right.bytes(), key.bytes());
        // No error, no tag: just a different key.
        let wrong = KnowledgeKey::open(&store, &record, &pin("482917")).unwrap();
        assert_ne!(wrong.bytes(), key.bytes());
    }

    #[test]
    fn nothing_stored_contains_the_key_or_the_pin() {
        let store = InsecureSoftwareKeyStore::new();
        let key = KnowledgeKey::generate().unwrap();
        let record = key.seal(&store, "k", &pin("482916")).unwrap();
        let json = serde_json::to_vec(&record).unwrap();
        assert!(!contains(&json, key.bytes()));
        assert!(!contains(&json, b"482916"));
        assert!(!contains(&record.sealed, key.bytes()));
        // A fresh salt every time.
        let again = key.seal(&store, "k", &pin("482916")).unwrap();
        assert_ne!(again.salt, record.salt);
    }

    #[test]
    fn key_store_failures_and_damage_are_errors() {
        let store = InsecureSoftwareKeyStore::new();
        let key = KnowledgeKey::generate().unwrap();
        let mut record = key.seal(&store, "k", &pin("482916")).unwrap();
        store.invalidate("k");
        assert_eq!(
            KnowledgeKey::open(&store, &record, &pin("482916")).err(),
            Some(OpenError::KeyStore(KeyStoreError::Invalidated))
        );
        let store = InsecureSoftwareKeyStore::new();
        record = KnowledgeKey::generate()
            .unwrap()
            .seal(&store, "k", &pin("482916"))
            .unwrap();
        record.sealed = store.wrap("k", &[1, 2, 3]).unwrap();
        assert_eq!(
            KnowledgeKey::open(&store, &record, &pin("482916")).err(),
            Some(OpenError::Malformed)
        );
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }
}
