//! Server challenges: single use, tied to a device and a purpose.

use rusqlite::{params, OptionalExtension, Transaction};

pub(crate) struct NewChallenge<'a> {
    pub(crate) challenge_id: &'a str,
    pub(crate) challenge: &'a [u8],
    pub(crate) purpose: &'a str,
    pub(crate) device_id: &'a str,
    pub(crate) created_at_ms: i64,
    pub(crate) expires_at_ms: i64,
}

pub(crate) fn insert(tx: &Transaction<'_>, challenge: &NewChallenge<'_>) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO challenges (challenge_id, challenge, purpose, device_id, created_at_ms,
                                 expires_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            challenge.challenge_id,
            challenge.challenge,
            challenge.purpose,
            challenge.device_id,
            challenge.created_at_ms,
            challenge.expires_at_ms
        ],
    )?;
    Ok(())
}

/// An unused challenge, now marked used.
pub(crate) struct Spent {
    pub(crate) device_id: String,
    pub(crate) challenge: Vec<u8>,
    pub(crate) expires_at_ms: i64,
}

/// Marks the unused challenge `challenge_id` of `purpose` used and returns it; `None` if there
/// is no such unused challenge.
pub(crate) fn spend(
    tx: &Transaction<'_>,
    challenge_id: &str,
    purpose: &str,
) -> rusqlite::Result<Option<Spent>> {
    let found = tx
        .query_row(
            "SELECT device_id, challenge, expires_at_ms FROM challenges
             WHERE challenge_id = ?1 AND purpose = ?2 AND used = 0",
            params![challenge_id, purpose],
            |row| {
                Ok(Spent {
                    device_id: row.get(0)?,
                    challenge: row.get(1)?,
                    expires_at_ms: row.get(2)?,
                })
            },
        )
        .optional()?;
    if found.is_some() {
        tx.execute(
            "UPDATE challenges SET used = 1 WHERE challenge_id = ?1",
            [challenge_id],
        )?;
    }
    Ok(found)
}
