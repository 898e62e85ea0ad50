//! The bank's last channels answer in this session: what a draft checks its amount against
//! without asking the bank again. Every transfer sent takes its amount off the room; every
//! change of a channel forgets it; it is not used past the first moment it may have grown
//! again (the next bank day, the end of the device's cooling-off, a raise taking effect).

use std::sync::{Arc, Mutex, Weak};

use mobank_protocol::messages::ChannelsResponse;
use mobank_protocol::money::Amount;
use mobank_protocol::transfer::Channel;
use rust_decimal::Decimal;

use crate::history::next_bank_day_ms;
use crate::runtime::lock;
use crate::secret::SecretString;

#[derive(Default)]
pub(crate) struct LimitsState {
    cached: Mutex<Option<Cached>>,
}

struct Cached {
    session: Weak<SecretString>,
    channels: ChannelsResponse,
    /// Phone clock when it was fetched.
    fetched_at_ms: u64,
    /// Bank time from which the room may be larger than it says.
    stale_from_bank_ms: i64,
}

impl LimitsState {
    /// The channels fetched in the session of `session`, less what was sent since, if they
    /// still hold at `now_ms` (phone clock).
    pub(crate) fn channels(
        &self,
        session: &Arc<SecretString>,
        now_ms: u64,
    ) -> Option<ChannelsResponse> {
        lock(&self.cached)
            .as_ref()
            .filter(|cached| std::ptr::eq(cached.session.as_ptr(), Arc::as_ptr(session)))
            .filter(|cached| {
                let elapsed = now_ms.saturating_sub(cached.fetched_at_ms);
                let bank_now = cached
                    .channels
                    .server_time_ms
                    .saturating_add(i64::try_from(elapsed).unwrap_or(i64::MAX));
                bank_now < cached.stale_from_bank_ms
            })
            .map(|cached| cached.channels.clone())
    }

    /// Remembers `channels`, fetched at `now_ms` (phone clock), for the session of `session`.
    pub(crate) fn remember(
        &self,
        session: &Arc<SecretString>,
        channels: ChannelsResponse,
        now_ms: u64,
    ) {
        let stale_from_bank_ms = stale_from(&channels);
        *lock(&self.cached) = Some(Cached {
            session: Arc::downgrade(session),
            channels,
            fetched_at_ms: now_ms,
            stale_from_bank_ms,
        });
    }

    /// Takes `amount`, sent on `channel` (and perhaps executed), off the remembered room.
    pub(crate) fn spent(&self, channel: Channel, amount: &Amount) {
        let mut cached = lock(&self.cached);
        let Some(view) = cached.as_mut().and_then(|cached| {
            cached
                .channels
                .channels
                .iter_mut()
                .find(|view| view.channel == channel)
        }) else {
            return;
        };
        if view.currency != amount.currency().code() {
            return;
        }
        let value = amount.value();
        let room = &mut view.room;
        room.today = (room.today - value).max(Decimal::ZERO);
        room.this_month = (room.this_month - value).max(Decimal::ZERO);
    }

    pub(crate) fn forget(&self) {
        *lock(&self.cached) = None;
    }
}

/// The first bank time at which the room in `channels` may have grown: the next bank day
/// (daily and monthly room), the end of the device's cooling-off, a pending raise applying.
fn stale_from(channels: &ChannelsResponse) -> i64 {
    let pending = channels
        .channels
        .iter()
        .filter_map(|view| view.pending.as_ref().map(|pending| pending.applies_at_ms));
    pending
        .chain(channels.device_limits.cooling_off_until_ms)
        .chain(std::iter::once(next_bank_day_ms(channels.server_time_ms)))
        .min()
        .unwrap_or(i64::MIN)
}

#[cfg(test)]
mod tests {
    use mobank_protocol::messages::PendingLimits;
    use mobank_protocol::money::Currency;

    use super::super::check::tests::{amount, channels, cny};
    use super::*;

    /// 2026-12-03 10:00 in Beijing (UTC+8), bank time.
    const MORNING_MS: i64 = 1_796_263_200_000;
    const HOUR_MS: u64 = 3_600_000;

    fn remembered(state: &LimitsState, session: &Arc<SecretString>, pending_at: Option<i64>) {
        let mut answer = channels(true, (50_000, 80_000, 90_000), 5_000_000);
        answer.server_time_ms = MORNING_MS;
        answer.channels[0].pending = pending_at.map(|applies_at_ms| PendingLimits {
            limits: answer.channels[0].limits,
            applies_at_ms,
        });
        state.remember(session, answer, 1_000);
    }

    fn session() -> Arc<SecretString> {
        Arc::new(SecretString::from("session-token".to_owned()))
    }

    #[test]
    fn a_transfer_sent_takes_its_amount_off_the_days_and_the_months_room() {
        let state = LimitsState::default();
        let session = session();
        remembered(&state, &session, None);
        state.spent(Channel::QrPayment, &amount(30_000, Currency::Cny));
        let room = state.channels(&session, 2_000).unwrap().channels[0].room;
        assert_eq!(room.per_transaction, cny(50_000));
        assert_eq!(room.today, cny(50_000));
        assert_eq!(room.this_month, cny(60_000));
        // More than is left leaves none, never less than none; another currency is not counted.
        state.spent(Channel::QrPayment, &amount(70_000, Currency::Cny));
        state.spent(Channel::QrPayment, &amount(1, Currency::Usd));
        let room = state.channels(&session, 2_000).unwrap().channels[0].room;
        assert_eq!((room.today, room.this_month), (cny(0), cny(0)));
    }

    #[test]
    fn the_room_is_not_used_from_the_next_bank_day_on() {
        let state = LimitsState::default();
        let session = session();
        remembered(&state, &session, None);
        // 10:00 + 13 h 59 min is 23:59 in Beijing; 14 h later is the next bank day.
        assert!(state
            .channels(&session, 1_000 + 14 * HOUR_MS - 60_000)
            .is_some());
        assert!(state.channels(&session, 1_000 + 14 * HOUR_MS).is_none());
    }

    #[test]
    fn the_room_is_not_used_once_a_pending_raise_applies_or_in_another_session() {
        let state = LimitsState::default();
        let session = session();
        remembered(&state, &session, Some(MORNING_MS + 3_600_000));
        assert!(state.channels(&session, 1_000 + HOUR_MS - 1).is_some());
        assert!(state.channels(&session, 1_000 + HOUR_MS).is_none());
        assert!(state.channels(&self::session(), 1_000).is_none());
    }
}
