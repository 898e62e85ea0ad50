//! The encrypted store's wrapping key, kept by the app's [`KeyStore`].
//!
//! `mobank-store` asks a [`KeyWrapper`] to wrap and unwrap its data key; this adapts the platform
//! key store to that, under one alias that belongs to the phone's store rather than to a binding
//! (the store outlives a re-binding; whose history it holds is checked separately).

use std::sync::Arc;

use mobank_store::{KeyWrapper, WrapError, Zeroizing};
use ring::rand::{SecureRandom, SystemRandom};

use crate::platform::{KeyStore, KeyStoreError};

/// The platform key that wraps the store's data key.
pub(crate) const STORE_KEY_ALIAS: &str = "mobank.store";

/// The app's key store seen as the store's [`KeyWrapper`].
pub(crate) struct PlatformWrapper {
    key_store: Arc<dyn KeyStore>,
    alias: &'static str,
}

impl PlatformWrapper {
    pub(crate) fn new(key_store: Arc<dyn KeyStore>) -> Self {
        Self {
            key_store,
            alias: STORE_KEY_ALIAS,
        }
    }

    /// Whether the key store wraps and unwraps fresh data under the alias right now. Tells "this
    /// blob was not made by the key we hold" (a file restored next to a newer key) apart from a
    /// platform that is failing for every call.
    fn round_trips(&self) -> bool {
        let mut probe = Zeroizing::new([0u8; 32]);
        if SystemRandom::new().fill(probe.as_mut()).is_err() {
            return false;
        }
        self.key_store
            .wrap(self.alias, probe.as_ref())
            .and_then(|wrapped| self.key_store.unwrap(self.alias, &wrapped))
            .is_ok_and(|back| back.as_slice() == probe.as_ref())
    }
}

impl KeyWrapper for PlatformWrapper {
    fn wrap(&self, plaintext: &[u8]) -> Result<Vec<u8>, WrapError> {
        self.key_store
            .wrap(self.alias, plaintext)
            .map_err(wrap_error)
    }

    fn unwrap(&self, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, WrapError> {
        match self.key_store.unwrap(self.alias, wrapped) {
            Ok(key) => Ok(key),
            // The key exists but does not open this blob. If it opens fresh data, the blob was
            // wrapped by another key that is gone: the data key is lost, not the platform broken.
            Err(KeyStoreError::Platform(message)) => {
                if self.round_trips() {
                    Err(WrapError::NotFound)
                } else {
                    Err(WrapError::Other(message))
                }
            }
            Err(error) => Err(wrap_error(error)),
        }
    }

    fn delete(&self) -> Result<(), WrapError> {
        self.key_store.delete(self.alias).map_err(wrap_error)
    }
}

fn wrap_error(error: KeyStoreError) -> WrapError {
    match error {
        KeyStoreError::NotFound => WrapError::NotFound,
        KeyStoreError::Invalidated => WrapError::Invalidated,
        KeyStoreError::Locked => WrapError::Locked,
        // No prompt is involved in wrapping; if a platform reports one anyway, it is a failure
        // of the platform, not of the customer.
        KeyStoreError::UserCancelled | KeyStoreError::VerificationFailed => {
            WrapError::Other("the key store asked for user verification".to_owned())
        }
        KeyStoreError::Unsupported => WrapError::Other("unsupported by this device".to_owned()),
        KeyStoreError::Platform(message) => WrapError::Other(message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::InsecureSoftwareKeyStore;

    #[test]
    fn wraps_and_unwraps_under_the_store_alias() {
        let key_store = Arc::new(InsecureSoftwareKeyStore::new());
        let wrapper = PlatformWrapper::new(key_store.clone());
        let wrapped = wrapper.wrap(&[7u8; 32]).unwrap();
        assert_eq!(wrapper.unwrap(&wrapped).unwrap().as_slice(), &[7u8; 32]);
        assert_eq!(key_store.aliases(), vec![STORE_KEY_ALIAS.to_owned()]);
        wrapper.delete().unwrap();
        assert!(key_store.aliases().is_empty());
    }

    #[test]
    fn key_store_states_map_one_to_one() {
        let key_store = Arc::new(InsecureSoftwareKeyStore::new());
        let wrapper = PlatformWrapper::new(key_store.clone());
        assert_eq!(wrapper.unwrap(&[0u8; 60]), Err(WrapError::NotFound));
        let wrapped = wrapper.wrap(&[7u8; 32]).unwrap();
        key_store.set_locked(true);
        assert_eq!(wrapper.unwrap(&wrapped), Err(WrapError::Locked));
        key_store.set_locked(false);
        key_store.invalidate(STORE_KEY_ALIAS);
        assert_eq!(wrapper.unwrap(&wrapped), Err(WrapError::Invalidated));
    }

    #[test]
    fn a_blob_from_another_key_is_a_lost_key() {
        let key_store = Arc::new(InsecureSoftwareKeyStore::new());
        let wrapper = PlatformWrapper::new(key_store.clone());
        let old = wrapper.wrap(&[7u8; 32]).unwrap();
        key_store.delete(STORE_KEY_ALIAS).unwrap();
        // A new key under the same alias (a new store was started, then old files came back).
        wrapper.wrap(&[9u8; 32]).unwrap();
        assert_eq!(wrapper.unwrap(&old), Err(WrapError::NotFound));
    }
}
