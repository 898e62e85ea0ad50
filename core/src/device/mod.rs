//! This phone's binding to the bank: its persisted state, its keys and its assertions.

pub(crate) mod binding;
pub(crate) mod knowledge;
pub(crate) mod signer;
pub(crate) mod state;
pub(crate) mod store_repo;

use mobank_protocol::assertion::key_fingerprint;

use state::{BindingStatus, DeviceState};

/// What the app may show about this phone's binding.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DeviceSummary {
    pub device_id: String,
    pub customer_name: String,
    pub device_name: String,
    pub bound_at: std::time::SystemTime,
    /// Short fingerprint of the possession key, e.g. `3f2a 91c0 5d7e 0b44`.
    pub possession_key_fingerprint: String,
    pub user_verified_key_fingerprint: String,
    /// The bank blocked this binding (too many failed attempts, or a suspected clone). Logging
    /// in fails with `DeviceBlocked`; a new activation with a fresh code replaces the binding.
    pub blocked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum BindingState {
    NotBound,
    Bound(DeviceSummary),
}

impl From<&DeviceState> for DeviceSummary {
    fn from(state: &DeviceState) -> Self {
        Self {
            device_id: state.device_id.clone(),
            customer_name: state.customer_name.clone(),
            device_name: state.device_name.clone(),
            bound_at: crate::timestamp::from_unix_ms(state.bound_at_ms),
            possession_key_fingerprint: key_fingerprint(&state.possession_public_key),
            user_verified_key_fingerprint: key_fingerprint(&state.user_verified_public_key),
            blocked: state.status == BindingStatus::Blocked,
        }
    }
}
