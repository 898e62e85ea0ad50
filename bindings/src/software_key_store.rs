//! TEST ONLY: the core's insecure in-memory software key store, exported so the Swift tests on
//! Linux (no CryptoKit, no Secure Enclave) can delegate to real P-256 keys.
//!
//! Compiled only for desktop hosts (Linux, macOS), where the test suites run; an Android or iOS
//! build of the library does not contain it, so an app cannot ship it by mistake. (A target
//! condition rather than a Cargo feature, so that every cargo command builds the same host
//! library and the generated bindings always match it.)

use std::sync::Arc;

use mobank_core::platform::{InsecureSoftwareKeyStore, KeyPurpose, KeyStore};

use crate::key_store::{KeyStoreFailure, PlatformKeyStore};

/// Keys in process memory, lost at exit. For tests only: never in an app.
#[uniffi::export]
pub fn insecure_software_key_store_for_tests() -> Arc<dyn PlatformKeyStore> {
    Arc::new(SoftwareStore(InsecureSoftwareKeyStore::new()))
}

struct SoftwareStore(InsecureSoftwareKeyStore);

impl From<mobank_core::platform::KeyStoreError> for KeyStoreFailure {
    fn from(error: mobank_core::platform::KeyStoreError) -> Self {
        use mobank_core::platform::KeyStoreError as E;
        match error {
            E::NotFound => KeyStoreFailure::NotFound,
            E::Invalidated => KeyStoreFailure::Invalidated,
            E::Locked => KeyStoreFailure::Locked,
            E::UserCancelled => KeyStoreFailure::UserCancelled,
            E::VerificationFailed => KeyStoreFailure::VerificationFailed,
            E::Unsupported => KeyStoreFailure::Unsupported,
            E::Platform(detail) => KeyStoreFailure::Platform { detail },
        }
    }
}

impl PlatformKeyStore for SoftwareStore {
    fn generate(&self, alias: String, purpose: KeyPurpose) -> Result<Vec<u8>, KeyStoreFailure> {
        Ok(self.0.generate(&alias, purpose)?)
    }

    fn public_key(&self, alias: String) -> Result<Vec<u8>, KeyStoreFailure> {
        Ok(self.0.public_key(&alias)?)
    }

    fn sign(
        &self,
        alias: String,
        message: Vec<u8>,
        prompt: Option<String>,
    ) -> Result<Vec<u8>, KeyStoreFailure> {
        Ok(self.0.sign(&alias, &message, prompt.as_deref())?)
    }

    fn delete(&self, alias: String) -> Result<(), KeyStoreFailure> {
        Ok(self.0.delete(&alias)?)
    }

    fn wrap(&self, alias: String, plaintext: Vec<u8>) -> Result<Vec<u8>, KeyStoreFailure> {
        Ok(self.0.wrap(&alias, &plaintext)?)
    }

    fn unwrap(&self, alias: String, wrapped: Vec<u8>) -> Result<Vec<u8>, KeyStoreFailure> {
        Ok(self.0.unwrap(&alias, &wrapped)?.to_vec())
    }
}
