//! What only the platform can do, reached through traits the app implements.

pub mod clock;
pub mod integrity;
pub mod key_store;
pub mod software_key_store;

use std::sync::Arc;

use crate::events::EventListener;

pub use clock::{Clock, ManualClock, SystemClock};
pub use integrity::{DeviceIntegrity, IntegritySignals};
pub use key_store::{KeyPurpose, KeyStore, KeyStoreError};
pub use software_key_store::InsecureSoftwareKeyStore;

/// Everything the app plugs into Mobank. Only the key store is required.
#[derive(Clone)]
pub struct Platform {
    pub key_store: Arc<dyn KeyStore>,
    /// Default: [`SystemClock`].
    pub clock: Option<Arc<dyn Clock>>,
    /// A listener subscribed for as long as the Mobank opened with it lives; more can come
    /// and go with [`crate::Mobank::subscribe`]. Default: none.
    pub events: Option<Arc<dyn EventListener>>,
    /// Default: nothing is reported to the bank.
    pub integrity: Option<Arc<dyn DeviceIntegrity>>,
}

impl Platform {
    /// The key store alone, every other hook at its default.
    pub fn new(key_store: Arc<dyn KeyStore>) -> Self {
        Self {
            key_store,
            clock: None,
            events: None,
            integrity: None,
        }
    }
}
