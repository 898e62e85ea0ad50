//! A customer's channel as it stands at a moment: the stored row or the channel's defaults,
//! with a raise whose cooling-off has passed already in force.

use mobank_protocol::messages::{ChannelOpener, ChannelView, PendingLimits};
use mobank_protocol::transfer::Channel;
use rusqlite::{Connection, Transaction};

use super::room::Room;
use super::rules::{self, LIMIT_CURRENCY};
use crate::db::channels::{self, ChannelRow};
use crate::error::ApiFailure;

pub(crate) fn opener_name(opener: ChannelOpener) -> &'static str {
    match opener {
        ChannelOpener::Branch => "branch",
        ChannelOpener::App => "app",
    }
}

fn parse_opener(name: &str) -> Option<ChannelOpener> {
    [ChannelOpener::Branch, ChannelOpener::App]
        .into_iter()
        .find(|opener| opener_name(*opener) == name)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChannelState {
    pub(crate) channel: Channel,
    pub(crate) row: ChannelRow,
}

impl ChannelState {
    pub(crate) fn load(
        conn: &Connection,
        customer_id: &str,
        channel: Channel,
        now: i64,
    ) -> Result<Self, ApiFailure> {
        let rule = rules::rule(channel);
        let mut row = channels::get(conn, customer_id, channel.code())?.unwrap_or(ChannelRow {
            enabled: rule.on_by_default,
            opened_by: None,
            limits: rule.defaults,
            pending: None,
        });
        if let Some((raised, applies_at_ms)) = row.pending {
            if applies_at_ms <= now {
                row.limits = raised;
                row.pending = None;
            }
        }
        Ok(Self { channel, row })
    }

    pub(crate) fn save(
        &self,
        tx: &Transaction<'_>,
        customer_id: &str,
        now: i64,
    ) -> Result<(), ApiFailure> {
        channels::put(tx, customer_id, self.channel.code(), &self.row, now)?;
        Ok(())
    }

    pub(crate) fn opened_by(&self) -> Option<ChannelOpener> {
        self.row.opened_by.as_deref().and_then(parse_opener)
    }

    pub(crate) fn view(&self, room: Room) -> ChannelView {
        ChannelView {
            channel: self.channel,
            enabled: self.row.enabled,
            opened_by: self.opened_by(),
            currency: LIMIT_CURRENCY.code().to_owned(),
            limits: rules::to_wire(self.row.limits),
            pending: self
                .row
                .pending
                .map(|(limits, applies_at_ms)| PendingLimits {
                    limits: rules::to_wire(limits),
                    applies_at_ms,
                }),
            ceilings: rules::to_wire(rules::rule(self.channel).ceilings),
            room: room.to_wire(),
        }
    }
}
