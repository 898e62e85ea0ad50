//! `client.devices()`: the customer's device list and the end of a binding.

use mobank_core::{self as core, DeviceInfo, MobankError, UnbindOutcome};

#[derive(uniffi::Object)]
pub struct DevicesClient(pub(crate) core::DevicesClient);

#[uniffi::export(async_runtime = "tokio")]
impl DevicesClient {
    /// Every device bound to the customer, oldest binding first. Needs a live session.
    pub async fn list(&self) -> Result<Vec<DeviceInfo>, MobankError> {
        self.0.list().await
    }

    /// Revokes another of the customer's devices. Needs a fresh strong authentication.
    pub async fn revoke(&self, device_id: String) -> Result<(), MobankError> {
        self.0.revoke(device_id).await
    }

    /// Ends this phone's binding and wipes every key and file the library keeps here. Needs a
    /// fresh strong authentication while the binding is active.
    pub async fn unbind(&self) -> Result<UnbindOutcome, MobankError> {
        self.0.unbind().await
    }
}
