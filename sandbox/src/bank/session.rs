//! Sessions: issued by a successful login, presented as a bearer token, ended by the idle
//! timeout or the absolute cap, whichever comes first. Each remembers its last strong
//! authentication (the login, then every step-up) for the step-up policy, and the integrity
//! signals its app reported.

use mobank_protocol::ErrorCode;
use rusqlite::Transaction;
use zeroize::Zeroizing;

use super::policy::IntegrityFlags;
use crate::bank::Bank;
use crate::db::{devices, sessions, transfers};
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
    bank.witness.issued(&token);
    let expires_at_ms = now.saturating_add(bank.policy.session_cap_ms);
    sessions::insert(
        tx,
        &sessions::NewSession {
            token_hash: &random::sha256(token.as_bytes()),
            device_id,
            created_at_ms: now,
            expires_at_ms,
            integrity_flags: integrity.0,
        },
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
    /// What the app reported at login: part of the session's limits.
    pub(crate) integrity: IntegrityFlags,
}

/// Records a strong authentication (a step-up, a PIN change's first step) in the session.
pub(crate) fn record_strong_auth(
    tx: &Transaction<'_>,
    token_hash: &[u8],
    now: i64,
) -> rusqlite::Result<()> {
    sessions::record_strong_auth(tx, token_hash, now)
}

/// Checks the session behind `token_hash` and records this use of it.
/// The bank suspended the customer's e-banking: every session call and every login is refused
/// until it is lifted, and nothing is recorded on the way.
pub(crate) fn suspended() -> ApiFailure {
    ApiFailure::new(
        ErrorCode::Suspended,
        "the bank has suspended this customer's e-banking",
    )
}

pub(crate) fn authorize(
    tx: &Transaction<'_>,
    bank: &Bank,
    token_hash: &[u8],
    now: i64,
) -> Result<SessionOwner, ApiFailure> {
    let Some(found) = sessions::find(tx, token_hash)? else {
        return Err(ApiFailure::new(ErrorCode::Unauthorized, "no such session"));
    };
    if now >= found.expires_at_ms
        || now.saturating_sub(found.last_used_at_ms) >= bank.policy.idle_timeout_ms
    {
        return Err(ApiFailure::new(
            ErrorCode::SessionExpired,
            "the session has expired",
        ));
    }
    if found.device_status != "active" {
        return Err(ApiFailure::new(
            ErrorCode::DeviceBlocked,
            "the device binding is blocked",
        ));
    }
    if transfers::is_suspended(tx, &found.customer_id)? {
        return Err(suspended());
    }
    sessions::touch(tx, token_hash, now)?;
    // "Last seen" in the device list is the device's last activity.
    devices::touch(tx, &found.device_id, now)?;
    let owner = SessionOwner {
        customer_id: found.customer_id,
        device_id: found.device_id,
        strong_auth_at_ms: found.strong_auth_at_ms,
        integrity: IntegrityFlags(found.integrity_flags),
    };
    Ok(owner)
}
