//! Notices about a customer's devices and channels: written when a device is bound, revoked or
//! re-keyed (to the other devices) and when a payment channel is opened or turned on or a payee
//! is saved (to every device), shown once on each recipient at its next login, and kept as the sandbox's record of
//! the push notifications a real bank would send at the same moment.

use mobank_protocol::messages::{Notice, NoticeKind, Notification};
use mobank_protocol::transfer::Channel;
use rusqlite::{Connection, Transaction};

use crate::bank::Bank;
use crate::db::{devices, notices};
use crate::error::ApiFailure;
use crate::random;

fn kind_name(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::NewDeviceBound => "new_device_bound",
        NoticeKind::DeviceRevoked => "device_revoked",
        NoticeKind::PinChanged => "pin_changed",
        NoticeKind::ChannelEnabled => "channel_enabled",
        NoticeKind::ChannelOpened => "channel_opened",
        NoticeKind::PayeeAdded => "payee_added",
        NoticeKind::ProductOpened => "product_opened",
    }
}

fn parse_kind(name: &str) -> Option<NoticeKind> {
    [
        NoticeKind::NewDeviceBound,
        NoticeKind::DeviceRevoked,
        NoticeKind::PinChanged,
        NoticeKind::ChannelEnabled,
        NoticeKind::ChannelOpened,
        NoticeKind::PayeeAdded,
        NoticeKind::ProductOpened,
    ]
    .into_iter()
    .find(|kind| kind_name(*kind) == name)
}

/// The event and the device it is about.
pub(crate) struct Event<'a> {
    pub(crate) kind: NoticeKind,
    pub(crate) subject_device_id: &'a str,
    pub(crate) subject_name: &'a str,
}

/// Tells every active device of the customer about `event`, except the devices in `except`
/// (the one the event is about, and the one that did it: both know).
pub(crate) fn notify_others(
    tx: &Transaction<'_>,
    bank: &Bank,
    customer_id: &str,
    except: &[&str],
    event: &Event<'_>,
    now: i64,
) -> Result<(), ApiFailure> {
    let recipients = devices::active_of_customer(tx, customer_id)?
        .into_iter()
        .filter(|id| !except.contains(&id.as_str()));
    for recipient in recipients {
        notices::insert(
            tx,
            &notices::NewNotice {
                notice_id: &random::id(&bank.rng, "ntc")?,
                customer_id,
                device_id: &recipient,
                kind: kind_name(event.kind),
                subject_device_id: Some(event.subject_device_id),
                device_name: Some(event.subject_name),
                at_ms: now,
                detail: None,
            },
        )?;
        tracing::info!(device_id = %recipient, kind = kind_name(event.kind), "device notified");
    }
    Ok(())
}

/// What happened to a channel, and on which device if it was done in the app.
pub(crate) struct ChannelEvent<'a> {
    pub(crate) kind: NoticeKind,
    pub(crate) channel: Channel,
    /// `(device_id, name)` of the device that did it; `None` for a branch.
    pub(crate) by_device: Option<(&'a str, &'a str)>,
}

/// Tells every active device of the customer about a channel event, the one that did it
/// included: a channel turned on is what a fraudster with a stolen password wants, so every
/// screen the customer holds must say so.
pub(crate) fn notify_all_of_channel(
    tx: &Transaction<'_>,
    bank: &Bank,
    customer_id: &str,
    event: &ChannelEvent<'_>,
    now: i64,
) -> Result<(), ApiFailure> {
    notify_all(
        tx,
        bank,
        customer_id,
        &Told {
            kind: event.kind,
            by_device: event.by_device,
            detail: event.channel.code(),
        },
        now,
    )
}

/// A payee saved in the app, and the device it was saved on.
pub(crate) struct PayeeEvent<'a> {
    /// `王芳 (**** 6509)`: the registered name and the masked account, never the full number.
    pub(crate) payee: &'a str,
    pub(crate) by_device: (&'a str, &'a str),
}

/// Tells every active device of the customer that a payee was saved, the one that did it
/// included: a payee added behind the customer's back is how a stolen session prepares a
/// transfer, so every screen the customer holds must say so.
pub(crate) fn notify_all_of_payee(
    tx: &Transaction<'_>,
    bank: &Bank,
    customer_id: &str,
    event: &PayeeEvent<'_>,
    now: i64,
) -> Result<(), ApiFailure> {
    notify_all(
        tx,
        bank,
        customer_id,
        &Told {
            kind: NoticeKind::PayeeAdded,
            by_device: Some(event.by_device),
            detail: event.payee,
        },
        now,
    )
}

/// A product a branch opened for the customer: its name and masked number.
pub(crate) fn notify_all_of_product(
    tx: &Transaction<'_>,
    bank: &Bank,
    customer_id: &str,
    product: &str,
    now: i64,
) -> Result<(), ApiFailure> {
    notify_all(
        tx,
        bank,
        customer_id,
        &Told {
            kind: NoticeKind::ProductOpened,
            by_device: None,
            detail: product,
        },
        now,
    )
}

/// One notice for every active device of the customer.
struct Told<'a> {
    kind: NoticeKind,
    /// `(device_id, name)` of the device that did it; `None` for a branch.
    by_device: Option<(&'a str, &'a str)>,
    detail: &'a str,
}

fn notify_all(
    tx: &Transaction<'_>,
    bank: &Bank,
    customer_id: &str,
    told: &Told<'_>,
    now: i64,
) -> Result<(), ApiFailure> {
    for recipient in devices::active_of_customer(tx, customer_id)? {
        notices::insert(
            tx,
            &notices::NewNotice {
                notice_id: &random::id(&bank.rng, "ntc")?,
                customer_id,
                device_id: &recipient,
                kind: kind_name(told.kind),
                subject_device_id: told.by_device.map(|(id, _)| id),
                device_name: told.by_device.map(|(_, name)| name),
                at_ms: now,
                detail: Some(told.detail),
            },
        )?;
        tracing::info!(device_id = %recipient, kind = kind_name(told.kind), "device notified");
    }
    Ok(())
}

/// What `detail` holds for a notice of `kind`: a channel's code, a payee's or a product's label.
fn channel_of(kind: NoticeKind, detail: Option<&str>) -> Option<Channel> {
    matches!(kind, NoticeKind::ChannelEnabled | NoticeKind::ChannelOpened)
        .then_some(detail)
        .flatten()
        .and_then(Channel::from_code)
}

fn payee_of(kind: NoticeKind, detail: Option<String>) -> Option<String> {
    (kind == NoticeKind::PayeeAdded).then_some(detail).flatten()
}

fn product_of(kind: NoticeKind, detail: Option<String>) -> Option<String> {
    (kind == NoticeKind::ProductOpened)
        .then_some(detail)
        .flatten()
}

/// The notices `device_id` has not seen yet, oldest first, now marked delivered.
pub(crate) fn take_undelivered(
    tx: &Transaction<'_>,
    device_id: &str,
    now: i64,
) -> Result<Vec<Notice>, ApiFailure> {
    notices::take_undelivered(tx, device_id, now)?
        .into_iter()
        .map(|row| {
            let kind = parse_kind(&row.kind).ok_or_else(|| {
                ApiFailure::internal("unknown notice kind in the database", &row.kind)
            })?;
            Ok(Notice {
                kind,
                notice_id: row.notice_id,
                device_name: row.device_name,
                at_ms: row.at_ms,
                channel: channel_of(kind, row.detail.as_deref()),
                payee: payee_of(kind, row.detail.clone()),
                product: product_of(kind, row.detail),
            })
        })
        .collect()
}

/// Every notification sent to the customer's devices, oldest first (developer API).
pub(crate) fn sent_to_customer(
    conn: &Connection,
    customer_id: &str,
) -> rusqlite::Result<Vec<Notification>> {
    Ok(notices::of_customer(conn, customer_id)?
        .into_iter()
        .filter_map(|row| {
            // The schema admits only the known kinds.
            let kind = parse_kind(&row.kind)?;
            Some(Notification {
                kind,
                customer_id: row.customer_id,
                device_id: row.device_id,
                device_name: row.device_name,
                at_ms: row.at_ms,
                channel: channel_of(kind, row.detail.as_deref()),
                payee: payee_of(kind, row.detail.clone()),
                product: product_of(kind, row.detail),
            })
        })
        .collect())
}
