//! `MobankClient`: the object the app holds for the life of its process, and the handles it
//! hands out, one per feature. A handle is cheap: take a new one per call.

use std::sync::Arc;

use mobank_core::{self as core, BindingState, MobankConfig, MobankError};

use crate::accounts::AccountsClient;
use crate::activation::ActivationClient;
use crate::auth::{AuthClient, PinClient};
use crate::channels::ChannelsClient;
use crate::devices::DevicesClient;
use crate::events::{EventListener, ForeignEvents, Subscription};
use crate::history::HistoryClient;
use crate::key_store::{ForeignKeyStore, PlatformKeyStore};
use crate::payees::PayeesClient;
use crate::platform::{DeviceIntegrity, ForeignClock, ForeignIntegrity, MonotonicClock};
use crate::transfers::TransfersClient;

/// One bound (or not yet bound) phone. Thread-safe; create one per process and share it.
#[derive(uniffi::Object)]
pub struct MobankClient {
    inner: core::Mobank,
}

#[uniffi::export]
impl MobankClient {
    /// Opens the local state in `config.data_dir` (created if missing) with the app's key store
    /// and, optionally, its other platform hooks: a monotonic `clock` (default: the library's
    /// own) and the `integrity` checks (default: nothing is reported to the bank). Events are
    /// heard through `subscribe`. No network, no key store call.
    #[uniffi::constructor(default(clock = None, integrity = None))]
    pub fn new(
        config: MobankConfig,
        key_store: Arc<dyn PlatformKeyStore>,
        clock: Option<Arc<dyn MonotonicClock>>,
        integrity: Option<Arc<dyn DeviceIntegrity>>,
    ) -> Result<Arc<Self>, MobankError> {
        let mut platform = core::Platform::new(Arc::new(ForeignKeyStore(key_store)));
        platform.clock =
            clock.map(|clock| Arc::new(ForeignClock::new(clock)) as Arc<dyn core::platform::Clock>);
        platform.integrity = integrity.map(|integrity| {
            Arc::new(ForeignIntegrity(integrity)) as Arc<dyn core::platform::DeviceIntegrity>
        });
        let inner = core::Mobank::open_with_platform(config, platform)?;
        Ok(Arc::new(MobankClient { inner }))
    }

    /// Whether this phone is bound, and to whom.
    pub fn binding_state(&self) -> Result<BindingState, MobankError> {
        self.inner.binding_state()
    }

    /// Binding this phone to the customer, and re-enrolling biometrics.
    pub fn activation(&self) -> Arc<ActivationClient> {
        Arc::new(ActivationClient(self.inner.activation()))
    }

    /// Logging in, step-up, logging out.
    pub fn auth(&self) -> Arc<AuthClient> {
        Arc::new(AuthClient(self.inner.auth()))
    }

    /// Changing the PIN.
    pub fn pin(&self) -> Arc<PinClient> {
        Arc::new(PinClient(self.inner.pin()))
    }

    /// The customer's devices: list, revoke another, unbind this one.
    pub fn devices(&self) -> Arc<DevicesClient> {
        Arc::new(DevicesClient(self.inner.devices()))
    }

    /// The customer's accounts.
    pub fn accounts(&self) -> Arc<AccountsClient> {
        Arc::new(AccountsClient(self.inner.accounts()))
    }

    /// The transaction history kept on the phone.
    pub fn history(&self) -> Arc<HistoryClient> {
        Arc::new(HistoryClient(self.inner.history()))
    }

    /// Transfers: draft, confirm, sign and submit, reconcile, list. A draft made with one
    /// handle is signed with another.
    pub fn transfers(&self) -> Arc<TransfersClient> {
        Arc::new(TransfersClient(self.inner.transfers()))
    }

    /// Payment channels and their limits: list, turn on and off, set limits.
    pub fn channels(&self) -> Arc<ChannelsClient> {
        Arc::new(ChannelsClient(self.inner.channels()))
    }

    /// Saved payees: name check, add (step-up, signed), list, rename, remove.
    pub fn payees(&self) -> Arc<PayeesClient> {
        Arc::new(PayeesClient(self.inner.payees()))
    }

    /// `listener` hears every `MobankEvent` from now until the subscription is cancelled or
    /// dropped. Any number of listeners may be subscribed at once.
    pub fn subscribe(&self, listener: Arc<dyn EventListener>) -> Arc<Subscription> {
        Arc::new(Subscription::new(
            self.inner.subscribe(Arc::new(ForeignEvents(listener))),
        ))
    }

    /// The app went to the background; time spent there counts as idle time.
    pub fn app_entered_background(&self) {
        self.inner.app_entered_background();
    }

    /// The app is back. After the idle window in the background the session is dropped and
    /// subscribers hear `SessionLocked`.
    pub fn app_entered_foreground(&self) {
        self.inner.app_entered_foreground();
    }

    /// Call before the app is suspended: flushes and closes the store's files so no file lock
    /// is held. History calls answer `StoragePaused` until `resume_storage`.
    pub fn pause_storage(&self) -> Result<(), MobankError> {
        self.inner.pause_storage()
    }

    /// Call when the app is back in the foreground.
    pub fn resume_storage(&self) -> Result<(), MobankError> {
        self.inner.resume_storage()
    }
}
