//! Plain values crossing the FFI, each converted from its core counterpart in one `From`.
//! None of them holds a secret: account numbers are masked, keys appear only as fingerprints.

use std::path::PathBuf;

use mobank_core as core;

/// How to open the library on this phone.
#[derive(Debug, Clone, uniffi::Record)]
pub struct ClientConfig {
    /// A directory private to the app (Android `Context.filesDir`, iOS Application Support).
    pub data_dir: String,
    /// The bank's customer API, `https://…`.
    pub base_url: String,
    /// Base64 (standard) SHA-256 of the bank's SubjectPublicKeyInfo; at least one, a backup pin
    /// is recommended. No other certificate is trusted.
    pub spki_pins: Vec<String>,
    /// Shown to the customer in their device list, e.g. "Li Wei's Pixel 8".
    pub device_name: String,
    /// "android", "ios" or "other": shown in the customer's device list.
    pub platform: String,
}

impl From<ClientConfig> for core::MobankConfig {
    fn from(config: ClientConfig) -> Self {
        core::MobankConfig {
            data_dir: PathBuf::from(config.data_dir),
            bank: core::BankEndpoint {
                base_url: config.base_url,
                spki_pins: config.spki_pins,
            },
            device_name: config.device_name,
            platform: config.platform,
        }
    }
}

/// The first activation step succeeded: an OTP was sent to the registered phone.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ActivationStarted {
    /// Where the OTP went, masked for display: `+86 138****8000`.
    pub masked_phone: String,
    /// Bank time (Unix ms) after which the OTP no longer works.
    pub otp_expires_at_ms: i64,
}

impl From<core::ActivationStarted> for ActivationStarted {
    fn from(started: core::ActivationStarted) -> Self {
        ActivationStarted {
            masked_phone: started.masked_phone,
            otp_expires_at_ms: started.otp_expires_at_ms,
        }
    }
}

/// This phone's binding to the customer.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DeviceSummary {
    pub device_id: String,
    pub customer_name: String,
    pub device_name: String,
    /// Bank time (Unix ms) of the binding.
    pub bound_at_ms: i64,
    /// Short hex fingerprint of the possession key, for display and support calls.
    pub possession_key_fingerprint: String,
    /// Short hex fingerprint of the user-verified (biometric) key.
    pub user_verified_key_fingerprint: String,
    /// The bank blocked this binding (too many failed attempts, or a suspected clone): logging
    /// in fails with `DeviceBlocked` until a new activation with a fresh code replaces it.
    pub blocked: bool,
}

impl From<core::DeviceSummary> for DeviceSummary {
    fn from(device: core::DeviceSummary) -> Self {
        DeviceSummary {
            device_id: device.device_id,
            customer_name: device.customer_name,
            device_name: device.device_name,
            bound_at_ms: device.bound_at_ms,
            possession_key_fingerprint: device.possession_key_fingerprint,
            user_verified_key_fingerprint: device.user_verified_key_fingerprint,
            blocked: device.blocked,
        }
    }
}

/// Whether this phone is bound to a customer.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum BindingState {
    NotBound,
    Bound { device: DeviceSummary },
}

impl From<core::BindingState> for BindingState {
    fn from(state: core::BindingState) -> Self {
        match state {
            core::BindingState::NotBound => BindingState::NotBound,
            core::BindingState::Bound(device) => BindingState::Bound {
                device: device.into(),
            },
        }
    }
}

/// The kind of product an account is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum ProductKind {
    Current,
    Savings,
    Deposit,
    Card,
    Investment,
    Margin,
}

impl From<core::ProductKind> for ProductKind {
    fn from(kind: core::ProductKind) -> Self {
        match kind {
            core::ProductKind::Current => ProductKind::Current,
            core::ProductKind::Savings => ProductKind::Savings,
            core::ProductKind::Deposit => ProductKind::Deposit,
            core::ProductKind::Card => ProductKind::Card,
            core::ProductKind::Investment => ProductKind::Investment,
            core::ProductKind::Margin => ProductKind::Margin,
        }
    }
}

/// One account of the customer.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AccountInfo {
    pub account_id: String,
    pub product: ProductKind,
    pub name: String,
    /// ISO 4217, e.g. "CNY".
    pub currency: String,
    /// Exact decimal string as the bank sent it, e.g. "12345.67": parse it into `BigDecimal`
    /// (Kotlin) or `Decimal` (Swift), never into a floating-point number.
    pub balance: String,
    /// Only the last four digits: `6222 **** **** 7890`.
    pub masked_number: String,
    /// For sub-accounts (e.g. a margin account): the account it belongs to.
    pub parent_account_id: Option<String>,
}

impl From<core::Account> for AccountInfo {
    fn from(account: core::Account) -> Self {
        AccountInfo {
            account_id: account.account_id,
            product: account.product.into(),
            name: account.name,
            currency: account.currency,
            balance: account.balance.to_string(),
            masked_number: account.masked_number,
            parent_account_id: account.parent_account_id,
        }
    }
}
