//! The platform key store as a foreign trait, and its adapter to the core's `KeyStore`.
//!
//! Kotlin implements it on Android Keystore (or `java.security` on the JVM), Swift on the Secure
//! Enclave and Keychain. The core only ever sees `mobank_core::platform::KeyStore`.

use std::sync::Arc;

use mobank_core::platform::{self as core, KeyPurpose, KeyStore};
use zeroize::Zeroizing;

/// Why a platform key operation failed. The platform implementation picks the variant; the core
/// turns it into the app-facing `MobankError` (for example `Locked` into `KeyStoreLocked`).
///
/// The one value type this crate defines rather than core: it is what the app's key store
/// throws, and uniffi 0.32's Kotlin code cannot raise another crate's error from a foreign
/// trait (the two packages' `RustBuffer`s differ). `From` below is its only mapping.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum KeyStoreFailure {
    /// No key under this alias (never created, deleted, or lost with a restore or reinstall).
    #[error("key not found")]
    NotFound,
    /// The key can never be used again (biometric enrolment changed, lock screen removed).
    #[error("key permanently invalidated")]
    Invalidated,
    /// The key store cannot be used right now (device locked, iOS before first unlock).
    #[error("key store temporarily unavailable")]
    Locked,
    /// The customer dismissed the verification prompt.
    #[error("user cancelled verification")]
    UserCancelled,
    /// The verification prompt ran and did not recognise the customer.
    #[error("user verification failed")]
    VerificationFailed,
    /// The platform cannot create such a key (no secure hardware, no lock screen).
    #[error("unsupported by this device")]
    Unsupported,
    /// Anything else the platform reported. Must not contain secrets.
    #[error("platform key store error: {detail}")]
    Platform { detail: String },
}

/// An exception the foreign implementation did not declare (a bug in the shell, or a runtime
/// error such as a JNI failure) arrives here instead of aborting the process.
impl From<uniffi::UnexpectedUniFFICallbackError> for KeyStoreFailure {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        KeyStoreFailure::Platform {
            detail: format!(
                "unexpected error in the platform key store: {}",
                error.reason
            ),
        }
    }
}

/// Implemented by the app: hardware-backed P-256 keys named by alias, and wrapping of small
/// secrets under a non-exportable platform key.
///
/// Called from Rust worker threads, never while the core holds a lock. Implementations must be
/// thread-safe. Public keys are 65-byte uncompressed SEC1 points (`0x04 || X || Y`); signatures
/// are DER-encoded ECDSA-SHA256, as Android Keystore and `SecKeyCreateSignature` return them.
#[uniffi::export(with_foreign)]
pub trait PlatformKeyStore: Send + Sync {
    /// Creates a new key under `alias` (replacing any key of that alias) and returns its public key.
    fn generate(&self, alias: String, purpose: KeyPurpose) -> Result<Vec<u8>, KeyStoreFailure>;
    /// The public key of `alias`.
    fn public_key(&self, alias: String) -> Result<Vec<u8>, KeyStoreFailure>;
    /// ECDSA P-256/SHA-256 over `message`. For a user-verified key, first show `prompt` and
    /// verify the customer; release the key only if that succeeded.
    fn sign(
        &self,
        alias: String,
        message: Vec<u8>,
        prompt: Option<String>,
    ) -> Result<Vec<u8>, KeyStoreFailure>;
    /// Deletes the key; deleting a missing key is not an error.
    fn delete(&self, alias: String) -> Result<(), KeyStoreFailure>;
    /// Encrypts a small secret under a non-exportable platform key `alias`, created on first use.
    fn wrap(&self, alias: String, plaintext: Vec<u8>) -> Result<Vec<u8>, KeyStoreFailure>;
    /// Reverses `wrap`.
    fn unwrap(&self, alias: String, wrapped: Vec<u8>) -> Result<Vec<u8>, KeyStoreFailure>;
}

impl From<KeyStoreFailure> for core::KeyStoreError {
    fn from(failure: KeyStoreFailure) -> Self {
        match failure {
            KeyStoreFailure::NotFound => core::KeyStoreError::NotFound,
            KeyStoreFailure::Invalidated => core::KeyStoreError::Invalidated,
            KeyStoreFailure::Locked => core::KeyStoreError::Locked,
            KeyStoreFailure::UserCancelled => core::KeyStoreError::UserCancelled,
            KeyStoreFailure::VerificationFailed => core::KeyStoreError::VerificationFailed,
            KeyStoreFailure::Unsupported => core::KeyStoreError::Unsupported,
            KeyStoreFailure::Platform { detail } => core::KeyStoreError::Platform(detail),
        }
    }
}

/// Presents the app's `PlatformKeyStore` to the core as its `KeyStore`.
pub(crate) struct ForeignKeyStore(pub(crate) Arc<dyn PlatformKeyStore>);

impl KeyStore for ForeignKeyStore {
    fn generate(&self, alias: &str, purpose: KeyPurpose) -> Result<Vec<u8>, core::KeyStoreError> {
        Ok(self.0.generate(alias.to_owned(), purpose)?)
    }

    fn public_key(&self, alias: &str) -> Result<Vec<u8>, core::KeyStoreError> {
        Ok(self.0.public_key(alias.to_owned())?)
    }

    fn sign(
        &self,
        alias: &str,
        message: &[u8],
        prompt: Option<&str>,
    ) -> Result<Vec<u8>, core::KeyStoreError> {
        Ok(self.0.sign(
            alias.to_owned(),
            message.to_vec(),
            prompt.map(str::to_owned),
        )?)
    }

    fn delete(&self, alias: &str) -> Result<(), core::KeyStoreError> {
        Ok(self.0.delete(alias.to_owned())?)
    }

    fn wrap(&self, alias: &str, plaintext: &[u8]) -> Result<Vec<u8>, core::KeyStoreError> {
        // uniffi serialises the argument into a buffer it frees itself; that copy cannot be
        // zeroized from here. Wrapped values are data keys that only ever cross this boundary
        // once per unlock, and the platform side holds them in its own memory anyway.
        Ok(self.0.wrap(alias.to_owned(), plaintext.to_vec())?)
    }

    fn unwrap(
        &self,
        alias: &str,
        wrapped: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, core::KeyStoreError> {
        Ok(Zeroizing::new(
            self.0.unwrap(alias.to_owned(), wrapped.to_vec())?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// A foreign key store stand-in that answers every call with the failure it is given and
    /// records what the core passed.
    struct Scripted {
        failure: Mutex<Option<KeyStoreFailure>>,
        calls: Mutex<Vec<(String, Option<String>)>>,
    }

    impl Scripted {
        fn new(failure: Option<KeyStoreFailure>) -> Arc<Self> {
            Arc::new(Scripted {
                failure: Mutex::new(failure),
                calls: Mutex::new(Vec::new()),
            })
        }

        fn answer(
            &self,
            alias: &str,
            prompt: Option<String>,
            ok: Vec<u8>,
        ) -> Result<Vec<u8>, KeyStoreFailure> {
            self.calls.lock().unwrap().push((alias.to_owned(), prompt));
            match self.failure.lock().unwrap().clone() {
                Some(failure) => Err(failure),
                None => Ok(ok),
            }
        }
    }

    impl PlatformKeyStore for Scripted {
        fn generate(
            &self,
            alias: String,
            _purpose: KeyPurpose,
        ) -> Result<Vec<u8>, KeyStoreFailure> {
            self.answer(&alias, None, vec![4; 65])
        }
        fn public_key(&self, alias: String) -> Result<Vec<u8>, KeyStoreFailure> {
            self.answer(&alias, None, vec![4; 65])
        }
        fn sign(
            &self,
            alias: String,
            _message: Vec<u8>,
            prompt: Option<String>,
        ) -> Result<Vec<u8>, KeyStoreFailure> {
            self.answer(&alias, prompt, vec![0x30])
        }
        fn delete(&self, alias: String) -> Result<(), KeyStoreFailure> {
            self.answer(&alias, None, Vec::new()).map(|_| ())
        }
        fn wrap(&self, alias: String, plaintext: Vec<u8>) -> Result<Vec<u8>, KeyStoreFailure> {
            self.answer(&alias, None, plaintext.iter().rev().copied().collect())
        }
        fn unwrap(&self, alias: String, wrapped: Vec<u8>) -> Result<Vec<u8>, KeyStoreFailure> {
            self.answer(&alias, None, wrapped.iter().rev().copied().collect())
        }
    }

    #[test]
    fn the_adapter_passes_calls_and_prompts_through() {
        let foreign = Scripted::new(None);
        let store = ForeignKeyStore(foreign.clone());
        assert_eq!(
            store
                .generate("possession", KeyPurpose::Possession)
                .unwrap()
                .len(),
            65
        );
        assert_eq!(
            store.sign("user-verified", b"m", Some("Log in")).unwrap(),
            vec![0x30]
        );
        let wrapped = store.wrap("data", &[1, 2, 3]).unwrap();
        assert_eq!(
            store.unwrap("data", &wrapped).unwrap().as_slice(),
            &[1, 2, 3]
        );
        assert_eq!(
            *foreign.calls.lock().unwrap(),
            vec![
                ("possession".to_owned(), None),
                ("user-verified".to_owned(), Some("Log in".to_owned())),
                ("data".to_owned(), None),
                ("data".to_owned(), None),
            ]
        );
    }

    #[test]
    fn every_platform_failure_reaches_the_core_as_its_own_kind() {
        let cases = [
            (KeyStoreFailure::NotFound, core::KeyStoreError::NotFound),
            (
                KeyStoreFailure::Invalidated,
                core::KeyStoreError::Invalidated,
            ),
            (KeyStoreFailure::Locked, core::KeyStoreError::Locked),
            (
                KeyStoreFailure::UserCancelled,
                core::KeyStoreError::UserCancelled,
            ),
            (
                KeyStoreFailure::VerificationFailed,
                core::KeyStoreError::VerificationFailed,
            ),
            (
                KeyStoreFailure::Unsupported,
                core::KeyStoreError::Unsupported,
            ),
            (
                KeyStoreFailure::Platform {
                    detail: "JNI failure".to_owned(),
                },
                core::KeyStoreError::Platform("JNI failure".to_owned()),
            ),
        ];
        for (failure, expected) in cases {
            let store = ForeignKeyStore(Scripted::new(Some(failure)));
            assert_eq!(store.sign("k", b"m", None).unwrap_err(), expected);
            assert_eq!(store.unwrap("k", b"w").unwrap_err(), expected);
        }
    }

    #[test]
    fn an_undeclared_foreign_exception_becomes_a_platform_failure() {
        let failure = KeyStoreFailure::from(uniffi::UnexpectedUniFFICallbackError::new(
            "NullPointerException",
        ));
        assert!(
            matches!(&failure, KeyStoreFailure::Platform { detail } if detail.contains("NullPointerException")),
            "{failure:?}"
        );
    }
}
