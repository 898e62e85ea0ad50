//! The sandbox's SMS gateway: every message sent, kept for the developer API to read.

use mobank_protocol::messages::SmsMessage;
use rusqlite::{params, Connection, Transaction};

pub(crate) fn insert(
    tx: &Transaction<'_>,
    phone: &str,
    body: &str,
    sent_at_ms: i64,
) -> rusqlite::Result<()> {
    tx.prepare_cached("INSERT INTO sms_outbox (phone, body, sent_at_ms) VALUES (?1, ?2, ?3)")?
        .execute(params![phone, body, sent_at_ms])?;
    Ok(())
}

/// Every message to `phone`, oldest first.
pub(crate) fn to_phone(conn: &Connection, phone: &str) -> rusqlite::Result<Vec<SmsMessage>> {
    let mut statement = conn.prepare_cached(
        "SELECT phone, body, sent_at_ms FROM sms_outbox WHERE phone = ?1 ORDER BY sms_id",
    )?;
    let messages = statement
        .query_map([phone], |row| {
            Ok(SmsMessage {
                to: row.get(0)?,
                body: row.get(1)?,
                sent_at_ms: row.get(2)?,
            })
        })?
        .collect();
    messages
}
