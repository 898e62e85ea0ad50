//! What can still be sent on a channel now, and whether one amount fits: the channel's limits
//! and the device's (new-device cooling-off, integrity), the stricter of each, less what the
//! customer's accepted transfers already used today and this month on the bank's calendar.

use mobank_protocol::messages::{ChannelRoom, Limits};
use rusqlite::Connection;

use super::rules::LIMIT_CURRENCY;
use super::state::ChannelState;
use crate::bank::transfer::{bank_day, bank_month_start};
use crate::db::{channels, transfers};
use crate::error::ApiFailure;

/// Minor units of the limit currency, never below zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Room {
    pub(crate) per_transaction: i64,
    pub(crate) today: i64,
    pub(crate) this_month: i64,
}

/// Why an amount does not fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    Closed,
    OverLimit,
}

impl Room {
    pub(crate) fn of(
        conn: &Connection,
        customer_id: &str,
        state: &ChannelState,
        device: &Limits,
        now: i64,
    ) -> Result<Self, ApiFailure> {
        let (_, day_start) = bank_day(now)?;
        let month_start = bank_month_start(now)?;
        let code = state.channel.code();
        let currency = LIMIT_CURRENCY.code();
        let channel_today = channels::accepted_since(conn, customer_id, code, currency, day_start)?;
        let channel_month =
            channels::accepted_since(conn, customer_id, code, currency, month_start)?;
        let all_today = transfers::accepted_since(conn, customer_id, LIMIT_CURRENCY, day_start)?;
        // The device limits are in the same currency (`policy::limits`); one that is not would
        // be a bug, and is read as no room at all rather than as no limit.
        let device_minor = |value| {
            if device.currency == currency {
                LIMIT_CURRENCY.to_minor(value).unwrap_or(0)
            } else {
                0
            }
        };
        let limits = state.row.limits;
        Ok(Self {
            per_transaction: limits
                .per_transaction
                .min(device_minor(device.per_transaction))
                .max(0),
            today: limits
                .daily
                .saturating_sub(channel_today)
                .min(device_minor(device.daily).saturating_sub(all_today))
                .max(0),
            this_month: limits.monthly.saturating_sub(channel_month).max(0),
        })
    }

    /// Whether `amount_minor` in the limit currency may go now on a channel in `state`.
    pub(crate) fn admit(self, state: &ChannelState, amount_minor: i64) -> Result<(), Refusal> {
        if !state.row.enabled {
            return Err(Refusal::Closed);
        }
        if amount_minor > self.per_transaction
            || amount_minor > self.today
            || amount_minor > self.this_month
        {
            return Err(Refusal::OverLimit);
        }
        Ok(())
    }

    pub(crate) fn to_wire(self) -> ChannelRoom {
        ChannelRoom {
            per_transaction: LIMIT_CURRENCY.to_decimal(self.per_transaction),
            today: LIMIT_CURRENCY.to_decimal(self.today),
            this_month: LIMIT_CURRENCY.to_decimal(self.this_month),
        }
    }
}
