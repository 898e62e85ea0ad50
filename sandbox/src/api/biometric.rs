//! A new biometric key over HTTP: `POST /v1/devices/biometric-key`.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use mobank_protocol::messages::{ReenrolBiometricRequest, ReenrolBiometricResponse};

use mobank_protocol::messages::paths;

use crate::bank::biometric::{self, Reenrolment};
use crate::bank::{run_blocking, Bank};
use crate::error::ApiFailure;
use crate::extract::{SessionTokenHash, StrictJson};

#[utoipa::path(
    post,
    path = paths::DEVICES_BIOMETRIC_KEY,
    tag = "devices",
    summary = "Replaces this device's biometric key after an enrolment change",
    request_body = ReenrolBiometricRequest,
    responses(
        (status = 200, body = ReenrolBiometricResponse),
    ),
    security(("session" = [])),
)]
pub(super) async fn reenrol(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
    StrictJson(request): StrictJson<ReenrolBiometricRequest>,
) -> Result<Json<ReenrolBiometricResponse>, ApiFailure> {
    let ReenrolBiometricRequest {
        challenge_id,
        user_verified_public_key,
        assertions,
    } = request;
    let reenrolment = Reenrolment::check(user_verified_public_key, assertions)?;
    run_blocking(&bank, move |bank| {
        biometric::reenrol(bank, &token_hash, &challenge_id, &reenrolment)
    })
    .await
    .map(Json)
}
