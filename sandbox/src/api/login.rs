//! Login over HTTP: `POST /v1/login/challenge` and `/v1/login`.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use mobank_protocol::messages::{
    ChallengeResponse, LoginChallengeRequest, LoginRequest, LoginResponse,
};

use mobank_protocol::messages::paths;
use mobank_protocol::ErrorBody;

use crate::bank::factors::{SecondFactor, TwoFactors};
use crate::bank::login::{issue_challenge, log_in};
use crate::bank::{run_blocking, Bank};
use crate::error::ApiFailure;
use crate::extract::StrictJson;

#[utoipa::path(
    post,
    path = paths::LOGIN_CHALLENGE,
    tag = "login",
    summary = "A single-use login challenge for a bound device",
    request_body = LoginChallengeRequest,
    responses(
        (status = 200, body = ChallengeResponse),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
)]
pub(super) async fn challenge(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<LoginChallengeRequest>,
) -> Result<Json<ChallengeResponse>, ApiFailure> {
    run_blocking(&bank, move |bank| issue_challenge(bank, &request.device_id))
        .await
        .map(Json)
}

#[utoipa::path(
    post,
    path = paths::LOGIN,
    tag = "login",
    summary = "Logs in with the device's assertions; opens a session",
    request_body = LoginRequest,
    responses(
        (status = 200, body = LoginResponse),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
)]
pub(super) async fn login(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiFailure> {
    let LoginRequest {
        device_id,
        challenge_id,
        assertions,
        integrity,
    } = request;
    let factors = TwoFactors::from_assertions(assertions, SecondFactor::Either)?;
    run_blocking(&bank, move |bank| {
        log_in(bank, &device_id, &challenge_id, &factors, integrity)
    })
    .await
    .map(Json)
}
