//! Transfer limits: the limits the bank set for the session (new-device cooling-off,
//! integrity), as the app shows them and as [`crate::MobankEvent::LimitsChanged`] reports them;
//! and the payment channels with their own per-transaction, daily and monthly limits
//! (`mobank.channels()`), lowered at once and raised after a step-up and a cooling-off period.
//! [`check`] is what a transfer draft asks before it sends anything.

mod channels;
mod check;
mod model;
mod state;

pub use channels::ChannelsClient;
pub(crate) use check::check;
pub use model::{ChannelInfo, ChannelLimits, ChannelRoom, LimitKind, PendingLimits};
pub(crate) use state::LimitsState;

use mobank_protocol::messages::{self, LimitReason};
use rust_decimal::Decimal;

use std::time::SystemTime;

use crate::timestamp::from_unix_ms;

/// Transfer limits as the bank set them for this session.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Limits {
    pub per_transaction: Decimal,
    pub daily: Decimal,
    pub currency: String,
    /// The strictest reason that applies.
    pub reason: LimitReason,
    /// Bank time at which a new device's cooling-off period ends.
    pub cooling_off_until: Option<SystemTime>,
}

impl From<messages::Limits> for Limits {
    fn from(limits: messages::Limits) -> Self {
        Self {
            per_transaction: limits.per_transaction,
            daily: limits.daily,
            currency: limits.currency,
            reason: limits.reason,
            cooling_off_until: limits.cooling_off_until_ms.map(from_unix_ms),
        }
    }
}
