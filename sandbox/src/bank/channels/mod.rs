//! Payment channels and their limits: the list with the room left, turning a channel on
//! (strong authentication, a signed operation, a notice to every device) and off (at once),
//! setting limits (lower at once; higher after a step-up, a signature and the cooling-off), a
//! branch opening a channel, and the check every transfer passes at quote and at submit.

pub(crate) mod room;
pub(crate) mod rules;
pub(crate) mod state;

use mobank_protocol::assertion::operations;
use mobank_protocol::messages::{
    ChannelLimits, ChannelOpener, ChannelsResponse, Limits, NoticeKind,
};
use mobank_protocol::transfer::Channel;
use mobank_protocol::Assertion;
use rusqlite::{Connection, Transaction};

use self::room::{Refusal, Room};
use self::rules::{LIMIT_CURRENCY, RAISE_COOLING_OFF_MS};
use self::state::{opener_name, ChannelState};
use super::challenges::{self, Purpose};
use super::factors::{authenticate_sensitive, Device};
use super::notices::{self, ChannelEvent};
use super::policy::{self, IntegrityFlags, SensitiveOperation};
use super::session::{self, SessionOwner};
use super::Bank;
use crate::db::{channels, customers};
use crate::error::{ApiFailure, SandboxError};
use crate::ledger::Currency;

/// The session's device limits (cooling-off, integrity), which every channel's room includes.
fn device_limits(
    tx: &Transaction<'_>,
    owner: &SessionOwner,
    now: i64,
) -> Result<Limits, ApiFailure> {
    let device = Device::load(tx, &owner.device_id)?
        .ok_or_else(|| ApiFailure::internal("a session's device vanished", &owner.device_id))?;
    Ok(policy::limits(
        device.cooling_off_until_ms,
        owner.integrity,
        now,
    ))
}

fn response(
    conn: &Connection,
    customer_id: &str,
    device: Limits,
    now: i64,
) -> Result<ChannelsResponse, ApiFailure> {
    let channels = Channel::ALL
        .into_iter()
        .map(|channel| {
            let state = ChannelState::load(conn, customer_id, channel, now)?;
            let room = Room::of(conn, customer_id, &state, &device, now)?;
            Ok(state.view(room))
        })
        .collect::<Result<Vec<_>, ApiFailure>>()?;
    Ok(ChannelsResponse {
        channels,
        device_limits: device,
        server_time_ms: now,
    })
}

pub(crate) fn list(bank: &Bank, token_hash: &[u8]) -> Result<ChannelsResponse, ApiFailure> {
    let now = bank.clock.now_ms();
    bank.transact_unflushed(|tx| {
        let owner = session::authorize(tx, bank, token_hash, now)?;
        let device = device_limits(tx, &owner, now)?;
        response(tx, &owner.customer_id, device, now)
    })
}

/// Turns `channel` on. Turning on a channel that is on answers as the first time did, without
/// a second notice, so a retry after a lost answer is safe.
pub(crate) fn enable(
    bank: &Bank,
    token_hash: &[u8],
    channel: Channel,
    challenge_id: &str,
    assertion: &Assertion,
) -> Result<ChannelsResponse, ApiFailure> {
    let now = bank.clock.now_ms();
    bank.transact(|tx| {
        let owner = session::authorize(tx, bank, token_hash, now)?;
        let challenge =
            challenges::consume(tx, challenge_id, Purpose::Operation, &owner.device_id, now)?;
        let device = authenticate_sensitive(
            tx,
            bank,
            &owner,
            SensitiveOperation::EnableChannel,
            assertion,
            &challenge,
            &operations::enable_channel(channel.code()),
            now,
        )?;
        let mut state = ChannelState::load(tx, &owner.customer_id, channel, now)?;
        if !state.row.enabled {
            state.row.enabled = true;
            if state.row.opened_by.is_none() && channel != Channel::MobileTransfer {
                state.row.opened_by = Some(opener_name(ChannelOpener::App).to_owned());
            }
            state.save(tx, &owner.customer_id, now)?;
            notices::notify_all_of_channel(
                tx,
                bank,
                &owner.customer_id,
                &ChannelEvent {
                    kind: NoticeKind::ChannelEnabled,
                    channel,
                    by_device: Some((&device.device_id, &device.name)),
                },
                now,
            )?;
            tracing::info!(channel = channel.code(), "payment channel turned on");
        }
        let limits = policy::limits(device.cooling_off_until_ms, owner.integrity, now);
        response(tx, &owner.customer_id, limits, now)
    })
}

/// Turns `channel` off at once: no step-up, no signature, because stopping money can only
/// protect the customer.
pub(crate) fn disable(
    bank: &Bank,
    token_hash: &[u8],
    channel: Channel,
) -> Result<ChannelsResponse, ApiFailure> {
    let now = bank.clock.now_ms();
    bank.transact(|tx| {
        let owner = session::authorize(tx, bank, token_hash, now)?;
        let mut state = ChannelState::load(tx, &owner.customer_id, channel, now)?;
        if state.row.enabled {
            state.row.enabled = false;
            state.save(tx, &owner.customer_id, now)?;
            tracing::info!(channel = channel.code(), "payment channel turned off");
        }
        let device = device_limits(tx, &owner, now)?;
        response(tx, &owner.customer_id, device, now)
    })
}

/// Sets a channel's limits: what is lowered applies now; what is raised waits for
/// [`RAISE_COOLING_OFF_MS`] after a fresh strong authentication and a possession signature over
/// the exact values. Invalid limits are refused before anything is spent or stored.
pub(crate) fn set_limits(
    bank: &Bank,
    token_hash: &[u8],
    channel: Channel,
    asked: &ChannelLimits,
    signed: Option<(&str, &Assertion)>,
) -> Result<ChannelsResponse, ApiFailure> {
    let requested = rules::validate(channel, asked)?;
    let now = bank.clock.now_ms();
    bank.transact(|tx| {
        let owner = session::authorize(tx, bank, token_hash, now)?;
        let mut state = ChannelState::load(tx, &owner.customer_id, channel, now)?;
        let current = state.row.limits;
        let lowered = channels::LimitsMinor {
            per_transaction: current.per_transaction.min(requested.per_transaction),
            daily: current.daily.min(requested.daily),
            monthly: current.monthly.min(requested.monthly),
        };
        let raises = lowered != requested;
        if raises {
            let (challenge_id, assertion) = signed.ok_or_else(|| {
                ApiFailure::new(
                    mobank_protocol::ErrorCode::StepUpRequired,
                    "raising a limit needs a signed operation after a strong authentication",
                )
            })?;
            let challenge =
                challenges::consume(tx, challenge_id, Purpose::Operation, &owner.device_id, now)?;
            let operation = operations::set_limits(
                channel.code(),
                &asked.per_transaction.to_string(),
                &asked.daily.to_string(),
                &asked.monthly.to_string(),
            );
            authenticate_sensitive(
                tx,
                bank,
                &owner,
                SensitiveOperation::RaiseLimit,
                assertion,
                &challenge,
                &operation,
                now,
            )?;
        }
        state.row.limits = lowered;
        state.row.pending = raises.then(|| (requested, now.saturating_add(RAISE_COOLING_OFF_MS)));
        state.save(tx, &owner.customer_id, now)?;
        tracing::info!(channel = channel.code(), raises, "channel limits set");
        let device = device_limits(tx, &owner, now)?;
        response(tx, &owner.customer_id, device, now)
    })
}

/// What a transfer asks of the channel rules.
pub(crate) struct TransferAsk<'a> {
    pub(crate) customer_id: &'a str,
    pub(crate) cooling_off_until_ms: Option<i64>,
    pub(crate) integrity: IntegrityFlags,
    pub(crate) channel: Channel,
    pub(crate) currency: Currency,
    pub(crate) amount_minor: i64,
    pub(crate) now: i64,
}

/// Whether a transfer may go: its channel is on, and in the limit currency the amount fits the
/// room left. In another currency only a zero device limit (an integrity block) stops it.
pub(crate) fn admit(conn: &Connection, ask: &TransferAsk<'_>) -> Result<(), ApiFailure> {
    let refusal = admit_or_refusal(conn, ask)?;
    match refusal {
        None => Ok(()),
        Some(Refusal::Closed) => Err(ApiFailure::new(
            mobank_protocol::ErrorCode::ChannelClosed,
            "the payment channel is off; the customer turns it on in the app",
        )),
        Some(Refusal::OverLimit) => Err(ApiFailure::new(
            mobank_protocol::ErrorCode::LimitExceeded,
            "the amount is over a limit of the channel or of the device",
        )),
    }
}

/// The same check, as the decision on a signed transfer needs it.
pub(crate) fn admit_or_refusal(
    conn: &Connection,
    ask: &TransferAsk<'_>,
) -> Result<Option<Refusal>, ApiFailure> {
    let state = ChannelState::load(conn, ask.customer_id, ask.channel, ask.now)?;
    let device = policy::limits(ask.cooling_off_until_ms, ask.integrity, ask.now);
    if ask.currency != LIMIT_CURRENCY {
        return Ok(if !state.row.enabled {
            Some(Refusal::Closed)
        } else if device.per_transaction.is_zero() {
            Some(Refusal::OverLimit)
        } else {
            None
        });
    }
    let room = Room::of(conn, ask.customer_id, &state, &device, ask.now)?;
    Ok(room.admit(&state, ask.amount_minor).err())
}

/// A branch opens `channel` for the customer (developer API): recorded as opened by the
/// branch, still off until the customer turns it on in the app, and every device is told.
pub(crate) fn open_by_branch(
    bank: &Bank,
    customer_id: &str,
    channel: Channel,
) -> Result<(), SandboxError> {
    if !bank.with_db(|conn| customers::exists(conn, customer_id))? {
        return Err(SandboxError::UnknownCustomer);
    }
    let now = bank.clock.now_ms();
    bank.transact(|tx| {
        let mut state = ChannelState::load(tx, customer_id, channel, now)?;
        if state.row.opened_by.is_none() && channel != Channel::MobileTransfer {
            state.row.opened_by = Some(opener_name(ChannelOpener::Branch).to_owned());
            state.save(tx, customer_id, now)?;
            notices::notify_all_of_channel(
                tx,
                bank,
                customer_id,
                &ChannelEvent {
                    kind: NoticeKind::ChannelOpened,
                    channel,
                    by_device: None,
                },
                now,
            )?;
            tracing::info!(
                channel = channel.code(),
                "payment channel opened by a branch"
            );
        }
        Ok(())
    })
    // The failure itself was logged where it happened.
    .map_err(|_| SandboxError::Internal("the channel could not be opened"))
}
