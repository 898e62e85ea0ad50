//! What every client shares: the bank client, the platform hooks, the device state, the store,
//! the session and the app's listeners. One [`Context`] per [`crate::Mobank`], held in an `Arc`
//! by the facade and by every handle it gives out.
//!
//! The context holds state and the operations on the binding every feature needs (`binding.rs`);
//! it knows no feature. Whatever a single feature keeps between calls (a pending activation, a
//! begun PIN change) lives with that feature's client, not here.

mod binding;
mod session;

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use mobank_protocol::transfer::ReceiptKey;

use crate::device::state::DeviceStates;
use crate::device::store_repo::{StoreRepo, DEVICE_STATE_HOOKS};
use crate::events::{Listeners, MobankEvent};
use crate::net::BankClient;
use crate::platform::{Clock, DeviceIntegrity, KeyStore};
use crate::storage::StorageSlot;

pub(crate) use binding::Binding;
pub use session::SessionSummary;
pub(crate) use session::{
    local_deadline, Requirement, Session, SessionSlot, Started, StrongFactor,
};

pub(crate) struct Context {
    pub bank: BankClient,
    /// The bank's receipt keys, checked when Mobank was opened.
    pub receipt_keys: Vec<ReceiptKey>,
    pub key_store: Arc<dyn KeyStore>,
    pub clock: Arc<dyn Clock>,
    pub integrity: Option<Arc<dyn DeviceIntegrity>>,
    pub events: Listeners,
    /// The binding, kept in the store's vault.
    pub states: DeviceStates,
    pub session: Mutex<SessionSlot>,
    /// The encrypted store, opened on first use (`storage/`).
    pub storage: Arc<StorageSlot>,
    /// How often this phone was wiped. A feature's flow state remembers the count it started
    /// under, so a wipe ends it without the context knowing the flow.
    wipes: AtomicU64,
}

impl Context {
    /// No network, no key store call, no file opened.
    pub(crate) fn new(
        bank: BankClient,
        receipt_keys: Vec<ReceiptKey>,
        data_dir: &Path,
        key_store: Arc<dyn KeyStore>,
        clock: Arc<dyn Clock>,
        integrity: Option<Arc<dyn DeviceIntegrity>>,
    ) -> Self {
        let storage = Arc::new(StorageSlot::new(
            data_dir,
            Arc::clone(&key_store),
            DEVICE_STATE_HOOKS,
        ));
        let states = DeviceStates::new(Box::new(StoreRepo::new(Arc::clone(&storage))));
        Self {
            bank,
            receipt_keys,
            key_store,
            clock,
            integrity,
            events: Listeners::default(),
            states,
            session: Mutex::new(SessionSlot::default()),
            storage,
            wipes: AtomicU64::new(0),
        }
    }

    /// Delivers events to every subscribed listener. Callers hold no lock.
    pub(crate) fn emit(&self, events: impl IntoIterator<Item = MobankEvent>) {
        self.events.emit(events);
    }

    pub(crate) fn wipes(&self) -> u64 {
        self.wipes.load(Ordering::SeqCst)
    }
}
