//! What only the platform can do, reached through traits the app implements.

pub mod key_store;
pub mod software_key_store;

pub use key_store::{KeyPurpose, KeyStore, KeyStoreError};
pub use software_key_store::InsecureSoftwareKeyStore;
