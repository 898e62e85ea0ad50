//! Challenges inside a session, and the step-up: a fresh strong authentication (possession +
//! biometric or PIN) that sensitive operations ask for (see `policy`).

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use mobank_protocol::messages::{
    ChallengePurpose, ChallengeRequest, ChallengeResponse, StepUpRequest, StepUpResponse,
};
use mobank_protocol::Ceremony;

use super::challenges::{self, Purpose};
use super::factors::{authenticate, Attempt, SecondFactor, TwoFactors};
use super::session;
use crate::bank::{run_blocking, Bank};
use crate::error::ApiFailure;
use crate::extract::{SessionTokenHash, StrictJson};

pub(super) async fn challenge(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
    StrictJson(request): StrictJson<ChallengeRequest>,
) -> Result<Json<ChallengeResponse>, ApiFailure> {
    run_blocking(&bank, move |bank| {
        let now = bank.clock.now_ms();
        let purpose = match request.purpose {
            ChallengePurpose::StepUp => Purpose::StepUp,
            ChallengePurpose::Operation => Purpose::Operation,
        };
        let issued = bank.transact(|tx| {
            let owner = session::authorize(tx, bank, &token_hash, now)?;
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
    })
    .await
    .map(Json)
}

pub(super) async fn step_up(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
    StrictJson(request): StrictJson<StepUpRequest>,
) -> Result<Json<StepUpResponse>, ApiFailure> {
    let StepUpRequest {
        challenge_id,
        assertions,
    } = request;
    let factors = TwoFactors::from_assertions(assertions, SecondFactor::Either)?;
    run_blocking(&bank, move |bank| {
        let now = bank.clock.now_ms();
        bank.transact(|tx| {
            let owner = session::authorize(tx, bank, &token_hash, now)?;
            let challenge =
                challenges::consume(tx, &challenge_id, Purpose::StepUp, &owner.device_id, now)?;
            authenticate(
                tx,
                bank,
                &owner.device_id,
                Attempt::strong(Ceremony::StepUp, &factors.both(), &challenge, None),
                now,
            )?;
            session::record_strong_auth(tx, &token_hash, now)?;
            tracing::info!(device_id = %owner.device_id, "step-up succeeded");
            Ok(StepUpResponse {
                strong_auth_at_ms: now,
                server_time_ms: now,
            })
        })
    })
    .await
    .map(Json)
}
