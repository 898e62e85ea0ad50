//! Sessions: issued by a successful login, presented as a bearer token, ended by the idle
//! timeout or the absolute cap, whichever comes first.

use mobank_protocol::ErrorCode;
use rusqlite::{params, OptionalExtension, Transaction};
use zeroize::Zeroizing;

use crate::bank::Bank;
use crate::error::ApiFailure;
use crate::random;

pub(super) struct IssuedSession {
    pub(super) token: Zeroizing<String>,
    pub(super) expires_at_ms: i64,
}

pub(super) fn issue(
    tx: &Transaction<'_>,
    bank: &Bank,
    device_id: &str,
    now: i64,
) -> Result<IssuedSession, ApiFailure> {
    let token = random::session_token(&bank.rng)?;
    let expires_at_ms = now.saturating_add(bank.policy.session_cap_ms);
    tx.execute(
        "INSERT INTO sessions (token_hash, device_id, created_at_ms, last_used_at_ms, expires_at_ms)
         VALUES (?1, ?2, ?3, ?3, ?4)",
        params![random::sha256(token.as_bytes()), device_id, now, expires_at_ms],
    )?;
    Ok(IssuedSession {
        token,
        expires_at_ms,
    })
}

/// Who a live session acts for.
pub(super) struct SessionOwner {
    pub(super) customer_id: String,
}

/// Checks the session behind `token_hash` and records this use of it.
pub(super) fn authorize(
    tx: &Transaction<'_>,
    bank: &Bank,
    token_hash: &[u8],
    now: i64,
) -> Result<SessionOwner, ApiFailure> {
    let found = tx
        .query_row(
            "SELECT s.last_used_at_ms, s.expires_at_ms, d.status, d.customer_id
             FROM sessions s JOIN devices d ON d.device_id = s.device_id
             WHERE s.token_hash = ?1",
            [token_hash],
            |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                ))
            },
        )
        .optional()?;
    let Some((last_used_at_ms, expires_at_ms, status, customer_id)) = found else {
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
    Ok(SessionOwner { customer_id })
}
