//! A key store in process memory. **Not for phones.**
//!
//! # INSECURE: for tests, the sandbox and the CLI only
//!
//! The private keys live in ordinary process memory, readable by anything that can read the
//! process; nothing is hardware-backed, nothing survives a restart, and "user verification"
//! is a flag, not a biometric check. An app that ships this has no device binding at all.
//! Apps implement [`KeyStore`] on Android Keystore/StrongBox or the Secure Enclave instead.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};
use zeroize::Zeroizing;

use super::key_store::{KeyPurpose, KeyStore, KeyStoreError};

const WRAP_KEY_LEN: usize = 32;

/// In-memory P-256 signing keys and AES-256-GCM wrapping keys, with knobs that let tests
/// play the platform's failure modes (invalidated key, locked phone, failed or cancelled
/// biometric check).
///
/// **Insecure by design; see the module documentation.**
pub struct InsecureSoftwareKeyStore {
    rng: SystemRandom,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    signing: HashMap<String, SigningKey>,
    wrapping: HashMap<String, WrappingKey>,
    locked: bool,
    fail_verification: bool,
    user_cancels: bool,
    prompts: Vec<String>,
}

struct SigningKey {
    purpose: KeyPurpose,
    pkcs8: Zeroizing<Vec<u8>>,
    public_key: Vec<u8>,
    invalidated: bool,
}

struct WrappingKey {
    key: Zeroizing<[u8; WRAP_KEY_LEN]>,
    invalidated: bool,
}

impl Default for InsecureSoftwareKeyStore {
    fn default() -> Self {
        Self::new()
    }
}

impl InsecureSoftwareKeyStore {
    pub fn new() -> Self {
        Self {
            rng: SystemRandom::new(),
            inner: Mutex::new(Inner::default()),
        }
    }

    /// Test knob: the key under `alias` can never be used again, as after a biometric
    /// enrolment change. Its public key stays readable, as on Android.
    pub fn invalidate(&self, alias: &str) {
        let mut inner = self.lock();
        if let Some(key) = inner.signing.get_mut(alias) {
            key.invalidated = true;
        }
        if let Some(key) = inner.wrapping.get_mut(alias) {
            key.invalidated = true;
        }
    }

    /// Test knob: while locked every operation fails with [`KeyStoreError::Locked`], as on
    /// iOS before the first unlock.
    pub fn set_locked(&self, locked: bool) {
        self.lock().locked = locked;
    }

    /// Test knob: user verification runs and does not recognise the customer.
    pub fn fail_verification(&self, fail: bool) {
        self.lock().fail_verification = fail;
    }

    /// Test knob: the customer dismisses the verification prompt.
    pub fn set_user_cancels(&self, cancels: bool) {
        self.lock().user_cancels = cancels;
    }

    /// Every prompt text shown so far, oldest first.
    pub fn prompts_shown(&self) -> Vec<String> {
        self.lock().prompts.clone()
    }

    /// The aliases of every key held (signing and wrapping), sorted.
    pub fn aliases(&self) -> Vec<String> {
        let inner = self.lock();
        let mut aliases: Vec<String> = inner
            .signing
            .keys()
            .chain(inner.wrapping.keys())
            .cloned()
            .collect();
        aliases.sort();
        aliases.dedup();
        aliases
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // The map stays consistent even if a holder panicked: every update is one insert/remove.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn unlocked(&self) -> Result<MutexGuard<'_, Inner>, KeyStoreError> {
        let inner = self.lock();
        if inner.locked {
            Err(KeyStoreError::Locked)
        } else {
            Ok(inner)
        }
    }

    fn random_nonce(&self) -> Result<[u8; NONCE_LEN], KeyStoreError> {
        let mut nonce = [0u8; NONCE_LEN];
        self.rng.fill(&mut nonce).map_err(|_| rng_failure())?;
        Ok(nonce)
    }
}

fn rng_failure() -> KeyStoreError {
    KeyStoreError::Platform("system random generator failed".to_owned())
}

fn aead_key(key: &[u8; WRAP_KEY_LEN]) -> Result<LessSafeKey, KeyStoreError> {
    UnboundKey::new(&AES_256_GCM, key)
        .map(LessSafeKey::new)
        .map_err(|_| KeyStoreError::Platform("wrapping key rejected".to_owned()))
}

impl KeyStore for InsecureSoftwareKeyStore {
    fn generate(&self, alias: &str, purpose: KeyPurpose) -> Result<Vec<u8>, KeyStoreError> {
        let mut inner = self.unlocked()?;
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &self.rng)
            .map_err(|_| rng_failure())?;
        let pkcs8 = Zeroizing::new(pkcs8.as_ref().to_vec());
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &pkcs8, &self.rng)
            .map_err(|_| KeyStoreError::Platform("generated key rejected".to_owned()))?;
        let public_key = pair.public_key().as_ref().to_vec();
        inner.signing.insert(
            alias.to_owned(),
            SigningKey {
                purpose,
                pkcs8,
                public_key: public_key.clone(),
                invalidated: false,
            },
        );
        Ok(public_key)
    }

    fn public_key(&self, alias: &str) -> Result<Vec<u8>, KeyStoreError> {
        let inner = self.unlocked()?;
        let key = inner.signing.get(alias).ok_or(KeyStoreError::NotFound)?;
        Ok(key.public_key.clone())
    }

    fn sign(
        &self,
        alias: &str,
        message: &[u8],
        prompt: Option<&str>,
    ) -> Result<Vec<u8>, KeyStoreError> {
        let mut inner = self.unlocked()?;
        let (purpose, invalidated) = {
            let key = inner.signing.get(alias).ok_or(KeyStoreError::NotFound)?;
            (key.purpose, key.invalidated)
        };
        if invalidated {
            return Err(KeyStoreError::Invalidated);
        }
        if purpose == KeyPurpose::UserVerified {
            let Some(prompt) = prompt else {
                return Err(KeyStoreError::Platform(
                    "a user-verified key needs a prompt".to_owned(),
                ));
            };
            inner.prompts.push(prompt.to_owned());
            if inner.user_cancels {
                return Err(KeyStoreError::UserCancelled);
            }
            if inner.fail_verification {
                return Err(KeyStoreError::VerificationFailed);
            }
        }
        let key = inner.signing.get(alias).ok_or(KeyStoreError::NotFound)?;
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &key.pkcs8, &self.rng)
            .map_err(|_| KeyStoreError::Platform("stored key rejected".to_owned()))?;
        let signature = pair
            .sign(&self.rng, message)
            .map_err(|_| KeyStoreError::Platform("signing failed".to_owned()))?;
        Ok(signature.as_ref().to_vec())
    }

    fn delete(&self, alias: &str) -> Result<(), KeyStoreError> {
        let mut inner = self.unlocked()?;
        inner.signing.remove(alias);
        inner.wrapping.remove(alias);
        Ok(())
    }

    fn wrap(&self, alias: &str, plaintext: &[u8]) -> Result<Vec<u8>, KeyStoreError> {
        let mut inner = self.unlocked()?;
        if !inner.wrapping.contains_key(alias) {
            let mut key = Zeroizing::new([0u8; WRAP_KEY_LEN]);
            self.rng.fill(key.as_mut()).map_err(|_| rng_failure())?;
            inner.wrapping.insert(
                alias.to_owned(),
                WrappingKey {
                    key,
                    invalidated: false,
                },
            );
        }
        let wrapping = inner.wrapping.get(alias).ok_or(KeyStoreError::NotFound)?;
        if wrapping.invalidated {
            return Err(KeyStoreError::Invalidated);
        }
        let key = aead_key(&wrapping.key)?;
        let nonce = self.random_nonce()?;
        let mut sealed = plaintext.to_vec();
        key.seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(alias.as_bytes()),
            &mut sealed,
        )
        .map_err(|_| KeyStoreError::Platform("wrapping failed".to_owned()))?;
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    fn unwrap(&self, alias: &str, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeyStoreError> {
        let inner = self.unlocked()?;
        let wrapping = inner.wrapping.get(alias).ok_or(KeyStoreError::NotFound)?;
        if wrapping.invalidated {
            return Err(KeyStoreError::Invalidated);
        }
        let (nonce, sealed) = wrapped
            .split_at_checked(NONCE_LEN)
            .ok_or_else(|| KeyStoreError::Platform("wrapped data is too short".to_owned()))?;
        let nonce = Nonce::try_assume_unique_for_key(nonce)
            .map_err(|_| KeyStoreError::Platform("wrapped data is too short".to_owned()))?;
        let key = aead_key(&wrapping.key)?;
        let mut buffer = Zeroizing::new(sealed.to_vec());
        let plaintext_len = key
            .open_in_place(nonce, Aad::from(alias.as_bytes()), buffer.as_mut_slice())
            .map_err(|_| KeyStoreError::Platform("wrapped data failed authentication".to_owned()))?
            .len();
        buffer.truncate(plaintext_len);
        Ok(buffer)
    }
}

#[cfg(test)]
mod tests {
    use ring::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_ASN1};

    use super::*;

    fn verifies(public_key: &[u8], message: &[u8], signature: &[u8]) -> bool {
        UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, public_key)
            .verify(message, signature)
            .is_ok()
    }

    #[test]
    fn signs_with_p256_der_signatures_that_verify() {
        let store = InsecureSoftwareKeyStore::new();
        let public_key = store.generate("a", KeyPurpose::Possession).unwrap();
        assert_eq!(public_key.len(), 65);
        assert_eq!(public_key[0], 0x04);
        assert_eq!(store.public_key("a").unwrap(), public_key);
        let signature = store.sign("a", b"message", None).unwrap();
        // DER: SEQUENCE of two INTEGERs.
        assert_eq!(signature[0], 0x30);
        assert!(verifies(&public_key, b"message", &signature));
        assert!(!verifies(&public_key, b"other message", &signature));
    }

    #[test]
    fn generate_replaces_the_key_of_an_alias() {
        let store = InsecureSoftwareKeyStore::new();
        let first = store.generate("a", KeyPurpose::Possession).unwrap();
        let second = store.generate("a", KeyPurpose::Possession).unwrap();
        assert_ne!(first, second);
        let signature = store.sign("a", b"m", None).unwrap();
        assert!(verifies(&second, b"m", &signature));
        assert!(!verifies(&first, b"m", &signature));
    }

    #[test]
    fn user_verified_keys_show_the_prompt_and_honour_the_knobs() {
        let store = InsecureSoftwareKeyStore::new();
        let public_key = store.generate("uv", KeyPurpose::UserVerified).unwrap();
        assert!(matches!(
            store.sign("uv", b"m", None),
            Err(KeyStoreError::Platform(_))
        ));
        let signature = store.sign("uv", b"m", Some("Log in")).unwrap();
        assert!(verifies(&public_key, b"m", &signature));

        store.set_user_cancels(true);
        assert_eq!(
            store.sign("uv", b"m", Some("Again")),
            Err(KeyStoreError::UserCancelled)
        );
        store.set_user_cancels(false);
        store.fail_verification(true);
        assert_eq!(
            store.sign("uv", b"m", Some("Third")),
            Err(KeyStoreError::VerificationFailed)
        );
        store.fail_verification(false);
        assert_eq!(store.prompts_shown(), ["Log in", "Again", "Third"]);

        // A possession key never prompts, whatever the knobs say.
        store.generate("p", KeyPurpose::Possession).unwrap();
        store.fail_verification(true);
        assert!(store.sign("p", b"m", None).is_ok());
        assert_eq!(store.prompts_shown().len(), 3);
    }

    #[test]
    fn invalidated_keys_keep_their_public_key_but_cannot_sign() {
        let store = InsecureSoftwareKeyStore::new();
        let public_key = store.generate("uv", KeyPurpose::UserVerified).unwrap();
        store.invalidate("uv");
        assert_eq!(store.public_key("uv").unwrap(), public_key);
        assert_eq!(
            store.sign("uv", b"m", Some("p")),
            Err(KeyStoreError::Invalidated)
        );
    }

    #[test]
    fn locked_store_refuses_everything_until_unlocked() {
        let store = InsecureSoftwareKeyStore::new();
        store.generate("a", KeyPurpose::Possession).unwrap();
        let wrapped = store.wrap("w", b"data key").unwrap();
        store.set_locked(true);
        assert_eq!(store.public_key("a"), Err(KeyStoreError::Locked));
        assert_eq!(store.sign("a", b"m", None), Err(KeyStoreError::Locked));
        assert_eq!(
            store.unwrap("w", &wrapped).map(|_| ()),
            Err(KeyStoreError::Locked)
        );
        assert_eq!(
            store.generate("b", KeyPurpose::Possession),
            Err(KeyStoreError::Locked)
        );
        store.set_locked(false);
        assert!(store.sign("a", b"m", None).is_ok());
    }

    #[test]
    fn delete_removes_keys_and_is_idempotent() {
        let store = InsecureSoftwareKeyStore::new();
        store.generate("a", KeyPurpose::Possession).unwrap();
        store.wrap("a", b"x").unwrap();
        store.generate("b", KeyPurpose::UserVerified).unwrap();
        assert_eq!(store.aliases(), ["a", "b"]);
        store.delete("a").unwrap();
        store.delete("a").unwrap();
        assert_eq!(store.aliases(), ["b"]);
        assert_eq!(store.public_key("a"), Err(KeyStoreError::NotFound));
        assert_eq!(store.sign("a", b"m", None), Err(KeyStoreError::NotFound));
    }

    #[test]
    fn wrap_round_trips_and_detects_tampering_and_wrong_alias() {
        let store = InsecureSoftwareKeyStore::new();
        let secret = [7u8; 32];
        let wrapped = store.wrap("db", &secret).unwrap();
        assert_eq!(wrapped.len(), NONCE_LEN + secret.len() + 16);
        assert!(!wrapped.windows(secret.len()).any(|w| w == secret));
        assert_eq!(store.unwrap("db", &wrapped).unwrap().as_slice(), &secret);
        // Each wrap uses a fresh nonce.
        assert_ne!(store.wrap("db", &secret).unwrap(), wrapped);

        let mut flipped = wrapped.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert!(matches!(
            store.unwrap("db", &flipped),
            Err(KeyStoreError::Platform(_))
        ));
        assert!(matches!(
            store.unwrap("db", &wrapped[..5]),
            Err(KeyStoreError::Platform(_))
        ));

        store.wrap("other", b"x").unwrap();
        assert!(matches!(
            store.unwrap("other", &wrapped),
            Err(KeyStoreError::Platform(_))
        ));
        assert_eq!(
            store.unwrap("missing", &wrapped).map(|_| ()),
            Err(KeyStoreError::NotFound)
        );

        store.invalidate("db");
        assert_eq!(
            store.unwrap("db", &wrapped).map(|_| ()),
            Err(KeyStoreError::Invalidated)
        );
    }
}
