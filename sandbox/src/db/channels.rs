//! Payment channel rows: whether a channel is on, who opened it, its limits in force and a
//! raise waiting for its cooling-off. No row: the channel's defaults (`bank::channels`).

use rusqlite::{params, Connection, OptionalExtension, Transaction};

/// Minor units of the limit currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LimitsMinor {
    pub(crate) per_transaction: i64,
    pub(crate) daily: i64,
    pub(crate) monthly: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChannelRow {
    pub(crate) enabled: bool,
    /// `branch` or `app`.
    pub(crate) opened_by: Option<String>,
    pub(crate) limits: LimitsMinor,
    pub(crate) pending: Option<(LimitsMinor, i64)>,
}

pub(crate) fn get(
    conn: &Connection,
    customer_id: &str,
    channel: &str,
) -> rusqlite::Result<Option<ChannelRow>> {
    conn.prepare_cached(
        "SELECT enabled, opened_by, per_transaction_minor, daily_minor, monthly_minor,
                pending_per_transaction_minor, pending_daily_minor, pending_monthly_minor,
                pending_applies_at_ms
         FROM channels WHERE customer_id = ?1 AND channel = ?2",
    )?
    .query_row(params![customer_id, channel], |row| {
        let pending = match (
            row.get::<_, Option<i64>>(5)?,
            row.get::<_, Option<i64>>(6)?,
            row.get::<_, Option<i64>>(7)?,
            row.get::<_, Option<i64>>(8)?,
        ) {
            (Some(per_transaction), Some(daily), Some(monthly), Some(at)) => Some((
                LimitsMinor {
                    per_transaction,
                    daily,
                    monthly,
                },
                at,
            )),
            _ => None,
        };
        Ok(ChannelRow {
            enabled: row.get(0)?,
            opened_by: row.get(1)?,
            limits: LimitsMinor {
                per_transaction: row.get(2)?,
                daily: row.get(3)?,
                monthly: row.get(4)?,
            },
            pending,
        })
    })
    .optional()
}

pub(crate) fn put(
    tx: &Transaction<'_>,
    customer_id: &str,
    channel: &str,
    row: &ChannelRow,
    now_ms: i64,
) -> rusqlite::Result<()> {
    let pending = row.pending.map(|(limits, _)| limits);
    tx.execute(
        "INSERT INTO channels (customer_id, channel, enabled, opened_by, per_transaction_minor,
                               daily_minor, monthly_minor, pending_per_transaction_minor,
                               pending_daily_minor, pending_monthly_minor,
                               pending_applies_at_ms, changed_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (customer_id, channel) DO UPDATE SET
            enabled = excluded.enabled, opened_by = excluded.opened_by,
            per_transaction_minor = excluded.per_transaction_minor,
            daily_minor = excluded.daily_minor, monthly_minor = excluded.monthly_minor,
            pending_per_transaction_minor = excluded.pending_per_transaction_minor,
            pending_daily_minor = excluded.pending_daily_minor,
            pending_monthly_minor = excluded.pending_monthly_minor,
            pending_applies_at_ms = excluded.pending_applies_at_ms,
            changed_at_ms = excluded.changed_at_ms",
        params![
            customer_id,
            channel,
            row.enabled,
            row.opened_by,
            row.limits.per_transaction,
            row.limits.daily,
            row.limits.monthly,
            pending.map(|p| p.per_transaction),
            pending.map(|p| p.daily),
            pending.map(|p| p.monthly),
            row.pending.map(|(_, at)| at),
            now_ms
        ],
    )?;
    Ok(())
}

/// What the customer's accepted transfers on `channel` in `currency` since `since_ms` add up to.
pub(crate) fn accepted_since(
    conn: &Connection,
    customer_id: &str,
    channel: &str,
    currency: &str,
    since_ms: i64,
) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COALESCE(SUM(amount_minor), 0) FROM transfer_outcomes
         WHERE customer_id = ?1 AND channel = ?2 AND currency = ?3 AND accepted = 1
           AND decided_at_ms >= ?4",
        params![customer_id, channel, currency, since_ms],
        |row| row.get(0),
    )
}
