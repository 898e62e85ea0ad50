//! The facade: opening Mobank, the app's lifecycle hooks, event subscriptions, and the handles
//! of the features (`mobank.auth().login_pin(..)`, `mobank.history().sync(..)`, …).

use std::fs;
use std::sync::Arc;

use crate::accounts::AccountsClient;
use crate::activation::{ActivationClient, ActivationState};
use crate::auth::{AuthClient, PinChangeState, PinClient};
use crate::config::MobankConfig;
use crate::context::{Binding, Context};
use crate::device::state::StateError;
use crate::device::{BindingState, DeviceSummary};
use crate::devices::DevicesClient;
use crate::error::MobankError;
use crate::events::{EventListener, Subscription};
use crate::history::HistoryClient;
use crate::input;
use crate::limits::{ChannelsClient, LimitsState};
use crate::net::BankClient;
use crate::payees::{PayeesClient, PayeesState};
use crate::platform::{KeyStore, Platform, SystemClock};
use crate::runtime::lock;
use crate::transfers::{TransfersClient, TransfersState};

/// Mobank on this phone. `Send + Sync`; share it in an `Arc`.
///
/// The features are reached through cheap handles made per call: [`Mobank::activation`],
/// [`Mobank::auth`], [`Mobank::pin`], [`Mobank::devices`], [`Mobank::accounts`],
/// [`Mobank::history`]. Their async methods must run on a tokio runtime (the bindings export
/// them with `async_runtime = "tokio"`). Key store calls run on tokio's blocking pool, never on
/// a runtime worker and never while Mobank holds a lock, since a biometric prompt can take as
/// long as the customer likes. Events reach the listeners after every lock is released.
///
/// Dropping it (`close()` in Kotlin, the last reference in Swift) closes the store's files at
/// once, as [`Mobank::pause_storage`] does, even while handles made from it live on: an app or
/// a test may remove the data directory as soon as it returns. Handles used afterwards answer
/// `StoragePaused` wherever they need the store.
pub struct Mobank {
    context: Arc<Context>,
    activation: Arc<ActivationState>,
    pin_change: Arc<PinChangeState>,
    transfers: Arc<TransfersState>,
    limits: Arc<LimitsState>,
    payees: Arc<PayeesState>,
    /// The listener given in [`Platform::events`], for as long as this Mobank lives.
    _platform_listener: Option<Subscription>,
}

impl Drop for Mobank {
    fn drop(&mut self) {
        // The handles share the context, so the store would otherwise close whenever the last
        // of them is collected, deleting its WAL under whoever cleans the directory up.
        if let Err(error) = self.context.storage.pause() {
            tracing::warn!(%error, "the store did not close cleanly");
        }
    }
}

impl Mobank {
    /// Checks the configuration and prepares the data directory. No network, no key store.
    /// Every platform hook except the key store at its default.
    pub fn open(config: MobankConfig, key_store: Arc<dyn KeyStore>) -> Result<Self, MobankError> {
        Self::open_with_platform(config, Platform::new(key_store))
    }

    /// [`Mobank::open`] with the app's clock, event listener and integrity hooks.
    pub fn open_with_platform(
        config: MobankConfig,
        platform: Platform,
    ) -> Result<Self, MobankError> {
        let device_name = input::device_name(&config.device_name)?;
        let platform_name = input::platform(&config.platform)?.to_owned();
        let bank = BankClient::new(&config.bank)?;
        let receipt_keys = input::receipt_keys(&config.bank.receipt_keys)?;
        fs::create_dir_all(&config.data_dir).map_err(|error| StateError::Io {
            op: "created",
            kind: error.kind(),
        })?;
        let Platform {
            key_store,
            clock,
            events,
            integrity,
        } = platform;
        let clock = clock.unwrap_or_else(|| Arc::new(SystemClock::new()));
        let context = Arc::new(Context::new(
            bank,
            receipt_keys,
            &config.data_dir,
            key_store,
            clock,
            integrity,
        ));
        let platform_listener = events.map(|listener| context.events.subscribe(listener));
        Ok(Self {
            context,
            activation: Arc::new(ActivationState::new(device_name, platform_name)),
            pin_change: Arc::new(PinChangeState::default()),
            transfers: Arc::new(TransfersState::default()),
            limits: Arc::new(LimitsState::default()),
            payees: Arc::new(PayeesState::default()),
            _platform_listener: platform_listener,
        })
    }

    /// Whether this phone is bound. A saved binding whose keys the key store no longer has
    /// (a backup restored to a new phone, a reinstall), or that the bank revoked, counts as not
    /// bound, so the app offers a fresh activation; so does a binding whose encrypted store
    /// lost its key. A blocked binding is still `Bound`, with `blocked` set. A locked key store
    /// is an error (`KeyStoreLocked`, `StorageLocked`), never "not bound".
    ///
    /// Blocking: it may open the encrypted store, which asks the key store for its key.
    pub fn binding_state(&self) -> Result<BindingState, MobankError> {
        match self.context.binding()? {
            Binding::Bound(state) => Ok(BindingState::Bound(DeviceSummary::from(&state))),
            Binding::None | Binding::Stale(_) => Ok(BindingState::NotBound),
            Binding::Corrupt => Err(StateError::Corrupt.into()),
            Binding::Unreadable(error) => match MobankError::from(error) {
                MobankError::NotBound => Ok(BindingState::NotBound),
                error => Err(error),
            },
        }
    }

    /// Delivers every later [`crate::MobankEvent`] to `listener`, until the subscription is
    /// cancelled or dropped. Any number of listeners may be subscribed at once.
    pub fn subscribe(&self, listener: Arc<dyn EventListener>) -> Subscription {
        self.context.events.subscribe(listener)
    }

    /// The app went to the background. Time spent there counts as idle time.
    pub fn app_entered_background(&self) {
        let now = self.context.clock.now_ms();
        lock(&self.context.session).entered_background(now);
    }

    /// The app is back. After the idle window in the background, the session is dropped and
    /// the app gets [`crate::MobankEvent::SessionLocked`]: whoever holds the phone now must
    /// authenticate again.
    pub fn app_entered_foreground(&self) {
        let now = self.context.clock.now_ms();
        let event = lock(&self.context.session).entered_foreground(now);
        self.context.emit(event);
    }

    /// Call before the app is suspended: writes everything to the store's files and closes them,
    /// so no file lock is held (iOS terminates suspended apps that hold one). Until
    /// [`Mobank::resume_storage`], history calls and everything that reads or writes the
    /// binding (it is kept in the store: `binding_state`, logins, step-ups) answer
    /// `StoragePaused`.
    pub fn pause_storage(&self) -> Result<(), MobankError> {
        Ok(self.context.storage.pause()?)
    }

    /// Call when the app is back in the foreground. Does not ask the key store again.
    pub fn resume_storage(&self) -> Result<(), MobankError> {
        Ok(self.context.storage.resume()?)
    }

    /// Binding this phone (activation code, OTP, PIN) and re-enrolling its biometric key.
    pub fn activation(&self) -> ActivationClient {
        ActivationClient::new(Arc::clone(&self.context), Arc::clone(&self.activation))
    }

    /// Login, step-up, logout.
    pub fn auth(&self) -> AuthClient {
        AuthClient::new(Arc::clone(&self.context))
    }

    /// Changing the PIN.
    pub fn pin(&self) -> PinClient {
        PinClient::new(Arc::clone(&self.context), Arc::clone(&self.pin_change))
    }

    /// The customer's devices: list, revoke another, unbind this one.
    pub fn devices(&self) -> DevicesClient {
        DevicesClient::new(Arc::clone(&self.context))
    }

    /// The customer's accounts.
    pub fn accounts(&self) -> AccountsClient {
        AccountsClient::new(Arc::clone(&self.context))
    }

    /// The transaction history on the phone: sync and queries.
    pub fn history(&self) -> HistoryClient {
        HistoryClient::new(Arc::clone(&self.context))
    }

    /// Transfers: draft and confirm, sign and submit, reconcile, list.
    pub fn transfers(&self) -> TransfersClient {
        TransfersClient::new(
            Arc::clone(&self.context),
            Arc::clone(&self.transfers),
            Arc::clone(&self.limits),
            Arc::clone(&self.payees),
        )
    }

    /// Payment channels and their limits: list, turn on and off, set limits.
    pub fn channels(&self) -> ChannelsClient {
        ChannelsClient::new(Arc::clone(&self.context), Arc::clone(&self.limits))
    }

    /// Saved payees: name check, add (step-up, signed), list, rename, remove.
    pub fn payees(&self) -> PayeesClient {
        PayeesClient::new(Arc::clone(&self.context), Arc::clone(&self.payees))
    }
}

#[cfg(test)]
mod tests;
