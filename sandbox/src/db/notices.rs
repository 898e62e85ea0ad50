//! Device notices: one row per recipient device, delivered at its next login.

use rusqlite::{params, Connection, Transaction};

pub(crate) struct NewNotice<'a> {
    pub(crate) notice_id: &'a str,
    pub(crate) customer_id: &'a str,
    pub(crate) device_id: &'a str,
    pub(crate) kind: &'a str,
    pub(crate) subject_device_id: Option<&'a str>,
    pub(crate) device_name: Option<&'a str>,
    pub(crate) at_ms: i64,
    /// What a notice that is not about a device is about (a channel's code).
    pub(crate) detail: Option<&'a str>,
}

pub(crate) fn insert(tx: &Transaction<'_>, notice: &NewNotice<'_>) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO notices (notice_id, customer_id, device_id, kind, subject_device_id,
                              device_name, at_ms, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            notice.notice_id,
            notice.customer_id,
            notice.device_id,
            notice.kind,
            notice.subject_device_id,
            notice.device_name,
            notice.at_ms,
            notice.detail
        ],
    )?;
    Ok(())
}

/// A notice as stored (`kind` is the text of `NoticeKind`).
pub(crate) struct NoticeRow {
    pub(crate) notice_id: String,
    pub(crate) customer_id: String,
    pub(crate) device_id: String,
    pub(crate) kind: String,
    pub(crate) device_name: Option<String>,
    pub(crate) at_ms: i64,
    pub(crate) detail: Option<String>,
}

fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<NoticeRow> {
    Ok(NoticeRow {
        notice_id: row.get(0)?,
        customer_id: row.get(1)?,
        device_id: row.get(2)?,
        kind: row.get(3)?,
        device_name: row.get(4)?,
        at_ms: row.get(5)?,
        detail: row.get(6)?,
    })
}

/// The notices `device_id` has not seen yet, oldest first, now marked delivered.
pub(crate) fn take_undelivered(
    tx: &Transaction<'_>,
    device_id: &str,
    now_ms: i64,
) -> rusqlite::Result<Vec<NoticeRow>> {
    let rows = tx
        .prepare_cached(
            "SELECT notice_id, customer_id, device_id, kind, device_name, at_ms, detail FROM notices
             WHERE device_id = ?1 AND delivered_at_ms IS NULL ORDER BY at_ms, rowid",
        )?
        .query_map([device_id], read)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    tx.execute(
        "UPDATE notices SET delivered_at_ms = ?2 WHERE device_id = ?1 AND delivered_at_ms IS NULL",
        params![device_id, now_ms],
    )?;
    Ok(rows)
}

/// Every notice sent to the customer's devices, oldest first.
pub(crate) fn of_customer(
    conn: &Connection,
    customer_id: &str,
) -> rusqlite::Result<Vec<NoticeRow>> {
    let mut statement = conn.prepare_cached(
        "SELECT notice_id, customer_id, device_id, kind, device_name, at_ms, detail FROM notices
         WHERE customer_id = ?1 ORDER BY at_ms, rowid",
    )?;
    let rows = statement.query_map([customer_id], read)?.collect();
    rows
}
