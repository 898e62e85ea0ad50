//! Challenges inside a session, and the step-up: a fresh strong authentication (possession +
//! biometric or PIN) that sensitive operations ask for (see `policy`).

use mobank_protocol::messages::{ChallengePurpose, ChallengeResponse, StepUpResponse};
use mobank_protocol::Ceremony;

use super::challenges::{self, Purpose};
use super::factors::{authenticate, Attempt, TwoFactors};
use super::{session, Bank};
use crate::error::ApiFailure;

/// A challenge for a step-up or for signing an operation, for the session's device.
pub(crate) fn issue_challenge(
    bank: &Bank,
    token_hash: &[u8],
    purpose: ChallengePurpose,
) -> Result<ChallengeResponse, ApiFailure> {
    let now = bank.clock.now_ms();
    let purpose = match purpose {
        ChallengePurpose::StepUp => Purpose::StepUp,
        ChallengePurpose::Operation => Purpose::Operation,
    };
    let issued = bank.transact(|tx| {
        let owner = session::authorize(tx, bank, token_hash, now)?;
        challenges::issue(
            tx,
            bank,
            &owner.device_id,
            purpose,
            bank.policy.challenge_ttl_ms,
            now,
        )
    })?;
    Ok(issued.into_response(bank, now))
}

pub(crate) fn step_up(
    bank: &Bank,
    token_hash: &[u8],
    challenge_id: &str,
    factors: &TwoFactors,
) -> Result<StepUpResponse, ApiFailure> {
    let now = bank.clock.now_ms();
    bank.transact(|tx| {
        let owner = session::authorize(tx, bank, token_hash, now)?;
        let challenge =
            challenges::consume(tx, challenge_id, Purpose::StepUp, &owner.device_id, now)?;
        authenticate(
            tx,
            bank,
            &owner.device_id,
            Attempt::strong(Ceremony::StepUp, &factors.both(), &challenge, None),
            now,
        )?;
        session::record_strong_auth(tx, token_hash, now)?;
        tracing::info!(device_id = %owner.device_id, "step-up succeeded");
        Ok(StepUpResponse {
            strong_auth_at_ms: now,
            server_time_ms: now,
        })
    })
}
