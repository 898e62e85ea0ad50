//! The check a transfer passes on the phone before anything is sent: its channel is on and the
//! amount fits the room the bank reported (channel and device limits, less what was sent). The
//! bank checks again and decides; this only spares the customer a quote that cannot go.

use mobank_protocol::messages::{paths, ChannelsResponse};
use mobank_protocol::money::Amount;
use mobank_protocol::transfer::Channel;

use super::model::LimitKind;
use super::state::LimitsState;
use crate::auth::Authorized;
use crate::context::Context;
use crate::error::MobankError;

/// Refuses a transfer of `amount` on `channel` that the bank would refuse for its limits: with
/// which limit and how much room is left. Uses the channels the bank reported in this session
/// less what was sent since, fetching them if there are none or if they may have changed since
/// (a new bank day, the end of a cooling-off or of a raise's wait).
pub(crate) async fn check(
    context: &Context,
    state: &LimitsState,
    auth: &Authorized,
    channel: Channel,
    amount: &Amount,
) -> Result<(), MobankError> {
    let channels = match state.channels(&auth.token, context.clock.now_ms()) {
        Some(channels) => channels,
        None => fetch(context, state, auth).await?,
    };
    judge(&channels, channel, amount)
}

/// The bank's channels now, remembered for the session.
pub(super) async fn fetch(
    context: &Context,
    state: &LimitsState,
    auth: &Authorized,
) -> Result<ChannelsResponse, MobankError> {
    let result = context
        .bank
        .get_authorized::<ChannelsResponse>(paths::CHANNELS, &auth.token)
        .await;
    let channels = auth.settle(result).await?;
    state.remember(&auth.token, channels.clone(), context.clock.now_ms());
    Ok(channels)
}

fn judge(
    channels: &ChannelsResponse,
    channel: Channel,
    amount: &Amount,
) -> Result<(), MobankError> {
    let view = channels
        .channels
        .iter()
        .find(|view| view.channel == channel)
        .ok_or(MobankError::ChannelClosed)?;
    if !view.enabled {
        return Err(MobankError::ChannelClosed);
    }
    let exceeded = |limit, room| {
        Err(MobankError::LimitExceeded {
            limit: Some(limit),
            room: Some(room),
        })
    };
    if amount.currency().code() != view.currency {
        // Limits are kept in one currency; another meets only an integrity block.
        let device = &channels.device_limits;
        if device.per_transaction.is_zero() {
            return exceeded(LimitKind::PerTransaction, device.per_transaction);
        }
        return Ok(());
    }
    let value = amount.value();
    let room = &view.room;
    if value > room.per_transaction {
        return exceeded(LimitKind::PerTransaction, room.per_transaction);
    }
    if value > room.today {
        return exceeded(LimitKind::Daily, room.today);
    }
    if value > room.this_month {
        return exceeded(LimitKind::Monthly, room.this_month);
    }
    Ok(())
}

#[cfg(test)]
pub(super) mod tests {
    use mobank_protocol::messages::{ChannelLimits, ChannelRoom, ChannelView, LimitReason, Limits};
    use mobank_protocol::money::Currency;
    use rust_decimal::Decimal;

    use super::*;

    pub(crate) fn cny(minor: i64) -> Decimal {
        Decimal::new(minor, 2)
    }

    pub(crate) fn channels(
        enabled: bool,
        room: (i64, i64, i64),
        device_per_transaction: i64,
    ) -> ChannelsResponse {
        let limits = ChannelLimits {
            per_transaction: cny(100_000),
            daily: cny(500_000),
            monthly: cny(2_000_000),
        };
        ChannelsResponse {
            channels: vec![ChannelView {
                channel: Channel::QrPayment,
                enabled,
                opened_by: None,
                currency: "CNY".to_owned(),
                limits,
                pending: None,
                ceilings: limits,
                room: ChannelRoom {
                    per_transaction: cny(room.0),
                    today: cny(room.1),
                    this_month: cny(room.2),
                },
            }],
            device_limits: Limits {
                per_transaction: cny(device_per_transaction),
                daily: cny(device_per_transaction),
                currency: "CNY".to_owned(),
                reason: LimitReason::Normal,
                cooling_off_until_ms: None,
            },
            server_time_ms: 0,
        }
    }

    pub(crate) fn amount(minor: i64, currency: Currency) -> Amount {
        Amount::from_minor_units(minor, currency).unwrap()
    }

    fn exceeded(limit: LimitKind, room: i64) -> Result<(), MobankError> {
        Err(MobankError::LimitExceeded {
            limit: Some(limit),
            room: Some(cny(room)),
        })
    }

    #[test]
    fn an_amount_within_every_room_passes_and_one_fen_over_names_the_limit() {
        let open = channels(true, (50_000, 80_000, 90_000), 5_000_000);
        let on_qr = |minor| judge(&open, Channel::QrPayment, &amount(minor, Currency::Cny));
        assert_eq!(on_qr(50_000), Ok(()));
        assert_eq!(on_qr(50_001), exceeded(LimitKind::PerTransaction, 50_000));
        let tight_day = channels(true, (50_000, 30_000, 90_000), 5_000_000);
        assert_eq!(
            judge(
                &tight_day,
                Channel::QrPayment,
                &amount(30_001, Currency::Cny)
            ),
            exceeded(LimitKind::Daily, 30_000)
        );
        let tight_month = channels(true, (50_000, 50_000, 20_000), 5_000_000);
        assert_eq!(
            judge(
                &tight_month,
                Channel::QrPayment,
                &amount(20_001, Currency::Cny)
            ),
            exceeded(LimitKind::Monthly, 20_000)
        );
    }

    #[test]
    fn a_channel_that_is_off_or_unknown_refuses_any_amount() {
        let closed = channels(false, (50_000, 80_000, 90_000), 5_000_000);
        assert_eq!(
            judge(&closed, Channel::QrPayment, &amount(1, Currency::Cny)),
            Err(MobankError::ChannelClosed)
        );
        assert_eq!(
            judge(&closed, Channel::QuickPay, &amount(1, Currency::Cny)),
            Err(MobankError::ChannelClosed)
        );
    }

    #[test]
    fn another_currency_is_stopped_only_by_a_zero_device_limit() {
        let open = channels(true, (1, 1, 1), 5_000_000);
        assert_eq!(
            judge(&open, Channel::QrPayment, &amount(1_000_000, Currency::Usd)),
            Ok(())
        );
        let blocked = channels(true, (0, 0, 0), 0);
        assert_eq!(
            judge(&blocked, Channel::QrPayment, &amount(1, Currency::Usd)),
            exceeded(LimitKind::PerTransaction, 0)
        );
    }
}
