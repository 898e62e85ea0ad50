//! The platform key store: the phone's hardware-backed keys (Android Keystore/StrongBox, iOS
//! Secure Enclave/Keychain), reached through a trait the app implements.
//!
//! Keys are named by alias and never leave the implementation: the core asks for a public key,
//! a signature, or the wrapping/unwrapping of a data key, nothing more.

use zeroize::Zeroizing;

/// What a device key is for. Decides how the platform protects it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum KeyPurpose {
    /// ECDSA P-256, usable without a prompt while the device is unlocked.
    Possession,
    /// ECDSA P-256, released by the OS only after biometric/face verification, invalidated when
    /// the biometric enrolment changes.
    UserVerified,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyStoreError {
    /// No key under this alias (never created, deleted, or lost with a restore/reinstall).
    #[error("key not found")]
    NotFound,
    /// The key exists but can never be used again (biometric enrolment changed, lock screen
    /// removed). Recovery is re-enrolment or re-binding.
    #[error("key permanently invalidated")]
    Invalidated,
    /// The key store cannot be used right now (device locked, iOS before first unlock). Try
    /// again later; this is not data loss.
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
    /// Anything else the platform reported. The text must not contain secrets.
    #[error("platform key store error: {0}")]
    Platform(String),
}

/// Implemented by the app (through the bindings) or, for tests and the sandbox,
/// by [`crate::platform::InsecureSoftwareKeyStore`].
///
/// Implementations must be callable from any thread. The core never calls them while holding
/// one of its own locks.
pub trait KeyStore: Send + Sync {
    /// Creates a new P-256 key under `alias` (replacing any key of that alias) and returns its
    /// public key as an uncompressed SEC1 point (65 bytes).
    fn generate(&self, alias: &str, purpose: KeyPurpose) -> Result<Vec<u8>, KeyStoreError>;

    /// The public key of `alias`, uncompressed SEC1 (65 bytes).
    fn public_key(&self, alias: &str) -> Result<Vec<u8>, KeyStoreError>;

    /// ECDSA P-256 with SHA-256 over `message`, DER-encoded. For a `UserVerified` key the
    /// platform first shows `prompt` and verifies the customer; the key is only released if
    /// that succeeded.
    fn sign(
        &self,
        alias: &str,
        message: &[u8],
        prompt: Option<&str>,
    ) -> Result<Vec<u8>, KeyStoreError>;

    /// Deletes the key; deleting a missing key is not an error.
    fn delete(&self, alias: &str) -> Result<(), KeyStoreError>;

    /// Encrypts a small secret (a data key) under a non-exportable platform key named `alias`,
    /// created on first use (AES-GCM in Android Keystore; a Secure Enclave ECIES key on iOS).
    fn wrap(&self, alias: &str, plaintext: &[u8]) -> Result<Vec<u8>, KeyStoreError>;

    /// Reverses [`KeyStore::wrap`]. `NotFound`/`Invalidated` mean the data key is gone for good;
    /// `Locked` means try again later.
    fn unwrap(&self, alias: &str, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeyStoreError>;
}
