//! The platform key that wraps the store's data key.
//!
//! The store never sees the platform key itself: it hands the app's key store 32 random bytes to
//! wrap, keeps the wrapped form on disk, and asks for it to be unwrapped at every open. Android
//! Keystore (AES-GCM) and the Secure Enclave (ECIES) both fit this shape.

use zeroize::Zeroizing;

/// Why the platform could not wrap, unwrap or delete. The meanings match the core's `KeyStore`
/// errors so the core can adapt its key store to [`KeyWrapper`] one to one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WrapError {
    /// The wrapping key does not exist (never created, deleted, or not restored with a backup).
    #[error("wrapping key not found")]
    NotFound,
    /// The wrapping key exists but can never be used again (lock screen removed, enrolment
    /// changed).
    #[error("wrapping key permanently invalidated")]
    Invalidated,
    /// The key store cannot be used right now (device locked, iOS before first unlock).
    #[error("key store temporarily unavailable")]
    Locked,
    /// Anything else the platform reported. The text must not contain secrets.
    #[error("key store error: {0}")]
    Other(String),
}

/// Implemented by the app's key store (through the core). Must be callable from any thread; the
/// store never calls it while holding one of its own locks.
pub trait KeyWrapper: Send + Sync {
    /// Encrypts `plaintext` (the 32-byte data key) under a non-exportable platform key, creating
    /// that key on first use.
    fn wrap(&self, plaintext: &[u8]) -> Result<Vec<u8>, WrapError>;

    /// Reverses [`KeyWrapper::wrap`].
    fn unwrap(&self, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, WrapError>;

    /// Deletes the platform key; deleting a missing key is not an error.
    fn delete(&self) -> Result<(), WrapError>;
}
