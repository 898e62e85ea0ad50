//! Session challenges and the step-up over HTTP: `POST /v1/challenges`, `/v1/session/step-up`.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use mobank_protocol::messages::{
    ChallengeRequest, ChallengeResponse, StepUpRequest, StepUpResponse,
};

use mobank_protocol::messages::paths;

use crate::bank::factors::{SecondFactor, TwoFactors};
use crate::bank::{run_blocking, step_up as rules, Bank};
use crate::error::ApiFailure;
use crate::extract::{SessionTokenHash, StrictJson};

#[utoipa::path(
    post,
    path = paths::CHALLENGES,
    tag = "session",
    summary = "A challenge inside the session, for a step-up or an operation",
    request_body = ChallengeRequest,
    responses(
        (status = 200, body = ChallengeResponse),
    ),
    security(("session" = [])),
)]
pub(super) async fn challenge(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
    StrictJson(request): StrictJson<ChallengeRequest>,
) -> Result<Json<ChallengeResponse>, ApiFailure> {
    run_blocking(&bank, move |bank| {
        rules::issue_challenge(bank, &token_hash, request.purpose)
    })
    .await
    .map(Json)
}

#[utoipa::path(
    post,
    path = paths::STEP_UP,
    tag = "session",
    summary = "A fresh strong authentication inside the session",
    request_body = StepUpRequest,
    responses(
        (status = 200, body = StepUpResponse),
    ),
    security(("session" = [])),
)]
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
        rules::step_up(bank, &token_hash, &challenge_id, &factors)
    })
    .await
    .map(Json)
}
