//! Sessions, kept by the SHA-256 of their bearer token.

use rusqlite::{params, OptionalExtension, Transaction};

pub(crate) struct NewSession<'a> {
    pub(crate) token_hash: &'a [u8],
    pub(crate) device_id: &'a str,
    pub(crate) created_at_ms: i64,
    pub(crate) expires_at_ms: i64,
    pub(crate) integrity_flags: i64,
}

/// A new session, whose login is its first strong authentication.
pub(crate) fn insert(tx: &Transaction<'_>, session: &NewSession<'_>) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO sessions (token_hash, device_id, created_at_ms, last_used_at_ms, expires_at_ms,
                               strong_auth_at_ms, integrity_flags)
         VALUES (?1, ?2, ?3, ?3, ?4, ?3, ?5)",
        params![
            session.token_hash,
            session.device_id,
            session.created_at_ms,
            session.expires_at_ms,
            session.integrity_flags
        ],
    )?;
    Ok(())
}

/// A session with the state of its device.
pub(crate) struct SessionRow {
    pub(crate) last_used_at_ms: i64,
    pub(crate) expires_at_ms: i64,
    pub(crate) device_status: String,
    pub(crate) customer_id: String,
    pub(crate) device_id: String,
    pub(crate) strong_auth_at_ms: i64,
    pub(crate) integrity_flags: i64,
}

pub(crate) fn find(
    tx: &Transaction<'_>,
    token_hash: &[u8],
) -> rusqlite::Result<Option<SessionRow>> {
    tx.prepare_cached(
        "SELECT s.last_used_at_ms, s.expires_at_ms, d.status, d.customer_id, d.device_id,
                s.strong_auth_at_ms, s.integrity_flags
         FROM sessions s JOIN devices d ON d.device_id = s.device_id
         WHERE s.token_hash = ?1",
    )?
    .query_row([token_hash], |row| {
        Ok(SessionRow {
            last_used_at_ms: row.get(0)?,
            expires_at_ms: row.get(1)?,
            device_status: row.get(2)?,
            customer_id: row.get(3)?,
            device_id: row.get(4)?,
            strong_auth_at_ms: row.get(5)?,
            integrity_flags: row.get(6)?,
        })
    })
    .optional()
}

pub(crate) fn touch(tx: &Transaction<'_>, token_hash: &[u8], now_ms: i64) -> rusqlite::Result<()> {
    tx.prepare_cached("UPDATE sessions SET last_used_at_ms = ?2 WHERE token_hash = ?1")?
        .execute(params![token_hash, now_ms])?;
    Ok(())
}

pub(crate) fn record_strong_auth(
    tx: &Transaction<'_>,
    token_hash: &[u8],
    now_ms: i64,
) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE sessions SET strong_auth_at_ms = ?2 WHERE token_hash = ?1",
        params![token_hash, now_ms],
    )?;
    Ok(())
}
