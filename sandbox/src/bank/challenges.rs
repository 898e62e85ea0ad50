//! Server challenges: random, single-use, short-lived, and tied to one device and one purpose,
//! so an answer can neither be replayed nor carried over to another device or step.

use mobank_protocol::messages::ChallengeResponse;
use mobank_protocol::ErrorCode;
use rusqlite::Transaction;

use crate::bank::Bank;
use crate::db::challenges;
use crate::error::ApiFailure;
use crate::random;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    Login,
    StepUp,
    Operation,
    /// The second step of a PIN change: the challenge id is the ticket id.
    PinChange,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::StepUp => "step_up",
            Self::Operation => "operation",
            Self::PinChange => "pin_change",
        }
    }

    fn id_prefix(self) -> &'static str {
        match self {
            Self::PinChange => "pct",
            _ => "chl",
        }
    }
}

pub(crate) struct Issued {
    pub(crate) challenge_id: String,
    pub(crate) challenge: Vec<u8>,
    pub(crate) expires_at_ms: i64,
}

impl Issued {
    /// The answer to a login or in-session challenge request.
    pub(crate) fn into_response(self, bank: &Bank, now: i64) -> ChallengeResponse {
        ChallengeResponse {
            challenge_id: self.challenge_id,
            challenge: self.challenge,
            expires_at_ms: self.expires_at_ms,
            rp_id: bank.policy.rp_id.clone(),
            server_time_ms: now,
        }
    }
}

pub(crate) fn challenge_invalid() -> ApiFailure {
    ApiFailure::new(
        ErrorCode::ChallengeInvalid,
        "the challenge is unknown, used or expired",
    )
}

pub(crate) fn issue(
    tx: &Transaction<'_>,
    bank: &Bank,
    device_id: &str,
    purpose: Purpose,
    ttl_ms: i64,
    now: i64,
) -> Result<Issued, ApiFailure> {
    let challenge_id = random::id(&bank.rng, purpose.id_prefix())?;
    let challenge = random::challenge(&bank.rng)?.to_vec();
    let expires_at_ms = now.saturating_add(ttl_ms);
    challenges::insert(
        tx,
        &challenges::NewChallenge {
            challenge_id: &challenge_id,
            challenge: &challenge,
            purpose: purpose.as_str(),
            device_id,
            created_at_ms: now,
            expires_at_ms,
        },
    )?;
    Ok(Issued {
        challenge_id,
        challenge,
        expires_at_ms,
    })
}

/// Spends the challenge and returns its bytes if it was issued to `device_id` for `purpose`
/// and has not expired. Spent by this attempt whatever its outcome (the caller's transaction
/// commits refusals), so no answer can ever be replayed.
pub(crate) fn consume(
    tx: &Transaction<'_>,
    challenge_id: &str,
    purpose: Purpose,
    device_id: &str,
    now: i64,
) -> Result<Vec<u8>, ApiFailure> {
    let Some(spent) = challenges::spend(tx, challenge_id, purpose.as_str())? else {
        return Err(challenge_invalid());
    };
    if spent.device_id != device_id || now >= spent.expires_at_ms {
        return Err(challenge_invalid());
    }
    Ok(spent.challenge)
}
