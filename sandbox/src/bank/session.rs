//! Sessions: issued by a successful login, presented as a bearer token, ended by the idle
//! timeout or the absolute cap, whichever comes first. Each remembers its last strong
//! authentication (the login, then every step-up) for the step-up policy, and the integrity
//! signals its app reported.

use mobank_protocol::ErrorCode;
use rusqlite::{params, OptionalExtension, Transaction};
use zeroize::Zeroizing;

use super::policy::IntegrityFlags;
use crate::bank::Bank;
use crate::error::ApiFailure;
use crate::random;

pub(crate) struct IssuedSession {
    pub(crate) token: Zeroizing<String>,
    pub(crate) expires_at_ms: i64,
}

/// A new session after a login at `now`, which is its first strong authentication.
pub(crate) fn issue(
    tx: &Transaction<'_>,
    bank: &Bank,
    device_id: &str,
    integrity: IntegrityFlags,
    now: i64,
) -> Result<IssuedSession, ApiFailure> {
    let token = random::session_token(&bank.rng)?;
    let expires_at_ms = now.saturating_add(bank.policy.session_cap_ms);
    tx.execute(
        "INSERT INTO sessions (token_hash, device_id, created_at_ms, last_used_at_ms, expires_at_ms,
                               strong_auth_at_ms, integrity_flags)
         VALUES (?1, ?2, ?3, ?3, ?4, ?3, ?5)",
        params![
            random::sha256(token.as_bytes()),
            device_id,
            now,
            expires_at_ms,
            integrity.0
        ],
    )?;
    Ok(IssuedSession {
        token,
        expires_at_ms,
    })
}

/// Who a live session acts for.
pub(crate) struct SessionOwner {
    pub(crate) customer_id: String,
    pub(crate) device_id: String,
    pub(crate) strong_auth_at_ms: i64,
}

/// Records a strong authentication (a step-up, a PIN change's first step) in the session.
pub(crate) fn record_strong_auth(
    tx: &Transaction<'_>,
    token_hash: &[u8],
    now: i64,
) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE sessions SET strong_auth_at_ms = ?2 WHERE token_hash = ?1",
        params![token_hash, now],
    )?;
    Ok(())
}

/// Checks the session behind `token_hash` and records this use of it.
pub(crate) fn authorize(
    tx: &Transaction<'_>,
    bank: &Bank,
    token_hash: &[u8],
    now: i64,
) -> Result<SessionOwner, ApiFailure> {
    let found = tx
        .query_row(
            "SELECT s.last_used_at_ms, s.expires_at_ms, d.status, d.customer_id, d.device_id,
                    s.strong_auth_at_ms
             FROM sessions s JOIN devices d ON d.device_id = s.device_id
             WHERE s.token_hash = ?1",
            [token_hash],
            |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, String>(2)?,
                    SessionOwner {
                        customer_id: row.get(3)?,
                        device_id: row.get(4)?,
                        strong_auth_at_ms: row.get(5)?,
                    },
                ))
            },
        )
        .optional()?;
    let Some((last_used_at_ms, expires_at_ms, status, owner)) = found else {
        return Err(ApiFailure::new(ErrorCode::Unauthorized, "no such session"));
    };
    if now >= expires_at_ms || now.saturating_sub(last_used_at_ms) >= bank.policy.idle_timeout_ms {
        return Err(ApiFailure::new(
            ErrorCode::SessionExpired,
            "the session has expired",
        ));
    }
    if status != "active" {
        return Err(ApiFailure::new(
            ErrorCode::DeviceBlocked,
            "the device binding is blocked",
        ));
    }
    tx.execute(
        "UPDATE sessions SET last_used_at_ms = ?2 WHERE token_hash = ?1",
        params![token_hash, now],
    )?;
    // "Last seen" in the device list is the device's last activity.
    tx.execute(
        "UPDATE devices SET last_seen_ms = ?2 WHERE device_id = ?1",
        params![owner.device_id, now],
    )?;
    Ok(owner)
}
