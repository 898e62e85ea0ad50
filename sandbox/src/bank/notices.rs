//! Notices about a customer's devices: written when a device is bound, revoked or re-keyed,
//! shown once on each other device at its next login, and kept as the sandbox's record of the
//! push notifications a real bank would send at the same moment.

use mobank_protocol::messages::{Notice, NoticeKind, Notification};
use rusqlite::{params, Connection, Transaction};

use crate::bank::Bank;
use crate::error::ApiFailure;
use crate::random;

fn kind_name(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::NewDeviceBound => "new_device_bound",
        NoticeKind::DeviceRevoked => "device_revoked",
        NoticeKind::PinChanged => "pin_changed",
    }
}

fn parse_kind(name: &str) -> Option<NoticeKind> {
    [
        NoticeKind::NewDeviceBound,
        NoticeKind::DeviceRevoked,
        NoticeKind::PinChanged,
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
    let recipients = {
        let mut statement = tx.prepare_cached(
            "SELECT device_id FROM devices WHERE customer_id = ?1 AND status = 'active'
             ORDER BY bound_at_ms, device_id",
        )?;
        let all = statement
            .query_map([customer_id], |row| row.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        all.into_iter()
            .filter(|id| !except.contains(&id.as_str()))
            .collect::<Vec<_>>()
    };
    for recipient in recipients {
        tx.execute(
            "INSERT INTO notices (notice_id, customer_id, device_id, kind, subject_device_id,
                                  device_name, at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                random::id(&bank.rng, "ntc")?,
                customer_id,
                recipient,
                kind_name(event.kind),
                event.subject_device_id,
                event.subject_name,
                now
            ],
        )?;
        tracing::info!(device_id = %recipient, kind = kind_name(event.kind), "device notified");
    }
    Ok(())
}

/// The notices `device_id` has not seen yet, oldest first, now marked delivered.
pub(crate) fn take_undelivered(
    tx: &Transaction<'_>,
    device_id: &str,
    now: i64,
) -> Result<Vec<Notice>, ApiFailure> {
    let rows = {
        let mut statement = tx.prepare_cached(
            "SELECT notice_id, kind, device_name, at_ms FROM notices
             WHERE device_id = ?1 AND delivered_at_ms IS NULL ORDER BY at_ms, rowid",
        )?;
        let rows = statement
            .query_map([device_id], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, i64>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    tx.execute(
        "UPDATE notices SET delivered_at_ms = ?2 WHERE device_id = ?1 AND delivered_at_ms IS NULL",
        params![device_id, now],
    )?;
    rows.into_iter()
        .map(|(notice_id, kind, device_name, at_ms)| {
            Ok(Notice {
                notice_id,
                kind: parse_kind(&kind).ok_or_else(|| {
                    ApiFailure::internal("unknown notice kind in the ledger", &kind)
                })?,
                device_name,
                at_ms,
            })
        })
        .collect()
}

/// Every notification sent to the customer's devices, oldest first (developer API).
pub(crate) fn sent_to_customer(
    conn: &Connection,
    customer_id: &str,
) -> rusqlite::Result<Vec<Notification>> {
    let mut statement = conn.prepare_cached(
        "SELECT customer_id, device_id, kind, device_name, at_ms FROM notices
         WHERE customer_id = ?1 ORDER BY at_ms, rowid",
    )?;
    let rows = statement
        .query_map([customer_id], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, Option<String>>(3)?,
                row.get::<_, i64>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(customer_id, device_id, kind, device_name, at_ms)| {
            // The schema admits only the known kinds.
            Some(Notification {
                customer_id,
                device_id,
                kind: parse_kind(&kind)?,
                device_name,
                at_ms,
            })
        })
        .collect())
}
