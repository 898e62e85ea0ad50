//! What the terminal phone plugs into Mobank: a key store that shows the biometric prompt, and
//! an event listener that shows what the core reports.

use std::sync::{Arc, Mutex, PoisonError};

use mobank_core::platform::{InsecureSoftwareKeyStore, KeyPurpose, KeyStore, KeyStoreError};
use mobank_core::{EventListener, Limits, MobankEvent};
use zeroize::Zeroizing;

use super::format::{bank_time, money};
use super::narrate::Narrator;

/// The software key store, showing each biometric prompt as the phone would.
pub struct PromptingKeyStore {
    inner: InsecureSoftwareKeyStore,
    say: Arc<Narrator>,
}

impl PromptingKeyStore {
    pub fn new(say: Arc<Narrator>) -> Self {
        Self {
            inner: InsecureSoftwareKeyStore::new(),
            say,
        }
    }
}

impl KeyStore for PromptingKeyStore {
    fn generate(&self, alias: &str, purpose: KeyPurpose) -> Result<Vec<u8>, KeyStoreError> {
        self.inner.generate(alias, purpose)
    }
    fn public_key(&self, alias: &str) -> Result<Vec<u8>, KeyStoreError> {
        self.inner.public_key(alias)
    }
    fn sign(
        &self,
        alias: &str,
        message: &[u8],
        prompt: Option<&str>,
    ) -> Result<Vec<u8>, KeyStoreError> {
        if let Some(prompt) = prompt {
            self.say.prompt(prompt);
        }
        self.inner.sign(alias, message, prompt)
    }
    fn delete(&self, alias: &str) -> Result<(), KeyStoreError> {
        self.inner.delete(alias)
    }
    fn wrap(&self, alias: &str, plaintext: &[u8]) -> Result<Vec<u8>, KeyStoreError> {
        self.inner.wrap(alias, plaintext)
    }
    fn unwrap(&self, alias: &str, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeyStoreError> {
        self.inner.unwrap(alias, wrapped)
    }
}

/// The app's event listener: shows each event as the phone's notification and keeps it, so the
/// demo can check that the core really sent it.
pub struct AppEvents {
    say: Arc<Narrator>,
    seen: Mutex<Vec<MobankEvent>>,
}

impl AppEvents {
    pub fn new(say: Arc<Narrator>) -> Self {
        Self {
            say,
            seen: Mutex::new(Vec::new()),
        }
    }

    /// The events since the last call.
    pub fn take(&self) -> Vec<MobankEvent> {
        std::mem::take(&mut *self.seen.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl EventListener for AppEvents {
    fn on_event(&self, event: MobankEvent) {
        self.say.notification(&describe(&event));
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(event);
    }
}

fn describe(event: &MobankEvent) -> String {
    let device = |name: &Option<String>| name.clone().unwrap_or_else(|| "a device".to_string());
    match event {
        MobankEvent::SessionExpired => {
            "SessionExpired — \"You were logged out after 5 minutes without activity.\"".into()
        }
        MobankEvent::SessionLocked => "SessionLocked — \"Log in again to continue.\"".into(),
        MobankEvent::NewDeviceBound { device_name, at } => format!(
            "NewDeviceBound — \"{} was added to your account at {}. Not you? Remove it in \
             Settings → Devices.\"",
            device(device_name),
            bank_time(mobank_core::unix_ms(*at))
        ),
        MobankEvent::DeviceRevoked { device_name, at } => format!(
            "DeviceRevoked — \"{} was removed from your account at {}.\"",
            device(device_name),
            bank_time(mobank_core::unix_ms(*at))
        ),
        MobankEvent::PinChanged { device_name, at } => format!(
            "PinChanged — \"The PIN of {} was changed at {}.\"",
            device(device_name),
            bank_time(mobank_core::unix_ms(*at))
        ),
        MobankEvent::ChannelEnabled {
            channel,
            device_name,
            at,
        } => format!(
            "ChannelEnabled — \"{} was turned on with {} at {}. Not you? Turn it off in \
             Settings → Payments.\"",
            channel.map_or("A payment channel", |c| c.code()),
            device(device_name),
            bank_time(mobank_core::unix_ms(*at))
        ),
        MobankEvent::ChannelOpened { channel, at } => format!(
            "ChannelOpened — \"{} was opened for you at a branch at {}; it stays off until you \
             turn it on in the app.\"",
            channel.map_or("A payment channel", |c| c.code()),
            bank_time(mobank_core::unix_ms(*at))
        ),
        MobankEvent::PayeeAdded {
            payee,
            device_name,
            at,
        } => format!(
            "PayeeAdded — \"{} was saved as a payee with {} at {}. Not you? Remove it in \
             Payees.\"",
            payee.as_deref().unwrap_or("A payee"),
            device(device_name),
            bank_time(mobank_core::unix_ms(*at))
        ),
        MobankEvent::ProductOpened { product, at } => format!(
            "ProductOpened — \"{} was opened for you at a branch at {}. Not you? Call the \
             bank.\"",
            product.as_deref().unwrap_or("A product"),
            bank_time(mobank_core::unix_ms(*at))
        ),
        MobankEvent::LimitsChanged { limits } => {
            format!("LimitsChanged — \"{}\"", limits_text(limits))
        }
        MobankEvent::TransferSettled { transfer_id } => {
            format!("TransferSettled — \"Transfer {transfer_id} was booked.\"")
        }
        MobankEvent::TransferRejected {
            transfer_id,
            reason,
        } => format!(
            "TransferRejected — \"Transfer {transfer_id} was refused ({}); no money moved.\"",
            reason.code()
        ),
        MobankEvent::TransferOutcomeUnknown { transfer_id } => format!(
            "TransferOutcomeUnknown — \"Checking with the bank what became of transfer \
             {transfer_id}.\""
        ),
        MobankEvent::EbankingSuspended => "EbankingSuspended — \"The bank has suspended your \
             e-banking. Please call the bank; nothing you queued is lost.\""
            .to_owned(),
    }
}

/// "Transfers up to 500.00 CNY each, 1,000.00 CNY a day (new device: until 2025-06-04 14:05)"
pub fn limits_text(limits: &Limits) -> String {
    let why = match (limits.reason, limits.cooling_off_until) {
        (_, Some(until)) => format!(
            " (new device: until {})",
            bank_time(mobank_core::unix_ms(until))
        ),
        (mobank_core::LimitReason::Normal, None) => String::new(),
        (reason, None) => format!(" ({reason:?})"),
    };
    format!(
        "Transfers up to {} {} each, {} {} a day{why}",
        money(limits.per_transaction),
        limits.currency,
        money(limits.daily),
        limits.currency
    )
}
