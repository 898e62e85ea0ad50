//! The channels and limits as the app sees them.

use std::time::SystemTime;

use mobank_protocol::messages::{self, ChannelOpener};
use mobank_protocol::transfer::Channel;
use rust_decimal::Decimal;

use crate::timestamp::from_unix_ms;

/// A channel's three limits, in the channel's currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChannelLimits {
    pub per_transaction: Decimal,
    pub daily: Decimal,
    pub monthly: Decimal,
}

impl From<messages::ChannelLimits> for ChannelLimits {
    fn from(limits: messages::ChannelLimits) -> Self {
        Self {
            per_transaction: limits.per_transaction,
            daily: limits.daily,
            monthly: limits.monthly,
        }
    }
}

/// A raise the customer asked for, in force from `applies_at` (bank time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PendingLimits {
    pub limits: ChannelLimits,
    pub applies_at: SystemTime,
}

/// What can still be sent on the channel now: the channel's and the device's limits, the
/// stricter of each, less what was already sent today and this month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChannelRoom {
    pub per_transaction: Decimal,
    pub today: Decimal,
    pub this_month: Decimal,
}

/// One payment channel of the customer, as the bank reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChannelInfo {
    pub channel: Channel,
    pub enabled: bool,
    /// Who opened a channel that is not on for everyone; `Branch` means the customer has not
    /// turned it on yet if `enabled` is false.
    pub opened_by: Option<ChannelOpener>,
    pub currency: String,
    /// In force now.
    pub limits: ChannelLimits,
    /// A raise waiting for its cooling-off.
    pub pending: Option<PendingLimits>,
    /// The highest limits the bank allows on this channel.
    pub ceilings: ChannelLimits,
    pub room: ChannelRoom,
}

impl From<messages::ChannelView> for ChannelInfo {
    fn from(view: messages::ChannelView) -> Self {
        Self {
            channel: view.channel,
            enabled: view.enabled,
            opened_by: view.opened_by,
            currency: view.currency,
            limits: view.limits.into(),
            pending: view.pending.map(|pending| PendingLimits {
                limits: pending.limits.into(),
                applies_at: from_unix_ms(pending.applies_at_ms),
            }),
            ceilings: view.ceilings.into(),
            room: ChannelRoom {
                per_transaction: view.room.per_transaction,
                today: view.room.today,
                this_month: view.room.this_month,
            },
        }
    }
}

/// Which limit a transfer would break.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum LimitKind {
    PerTransaction,
    Daily,
    Monthly,
}
