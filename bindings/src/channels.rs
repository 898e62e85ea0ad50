//! `client.channels()`: payment channels and their limits.

use mobank_core::{self as core, Channel, ChannelInfo, MobankError};

// `Channel` is the protocol's enum, declared to uniffi in core's namespace.
uniffi::use_remote_type!(mobank_core::Channel);

#[derive(uniffi::Object)]
pub struct ChannelsClient(pub(crate) core::ChannelsClient);

#[uniffi::export(async_runtime = "tokio")]
impl ChannelsClient {
    /// Every channel with its state, limits, pending raise and the room left now. Needs a
    /// session.
    pub async fn list(&self) -> Result<Vec<ChannelInfo>, MobankError> {
        self.0.list().await
    }

    /// Turns a channel on. Needs a fresh strong authentication; every bound device is told.
    pub async fn enable(&self, channel: Channel) -> Result<Vec<ChannelInfo>, MobankError> {
        self.0.enable(channel).await
    }

    /// Turns a channel off at once.
    pub async fn disable(&self, channel: Channel) -> Result<Vec<ChannelInfo>, MobankError> {
        self.0.disable(channel).await
    }

    /// Sets a channel's limits from what the customer typed: lower at once; higher after a
    /// fresh strong authentication and the bank's cooling-off.
    pub async fn set_limits(
        &self,
        channel: Channel,
        per_transaction: String,
        daily: String,
        monthly: String,
    ) -> Result<Vec<ChannelInfo>, MobankError> {
        self.0
            .set_limits(channel, per_transaction, daily, monthly)
            .await
    }
}
