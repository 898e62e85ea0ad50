//! Device binding over HTTP: `POST /v1/activation/start` and `/v1/activation/complete`.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use mobank_protocol::messages::{
    CompleteActivationRequest, CompleteActivationResponse, StartActivationRequest,
    StartActivationResponse,
};
use zeroize::Zeroizing;

use mobank_protocol::messages::paths;
use mobank_protocol::ErrorBody;

use crate::bank::activation::{self, DeviceProposal};
use crate::bank::{run_blocking, Bank};
use crate::error::ApiFailure;
use crate::extract::StrictJson;

#[utoipa::path(
    post,
    path = paths::ACTIVATION_START,
    tag = "binding",
    summary = "Starts binding a device with an activation code; the OTP goes to the registered phone",
    request_body = StartActivationRequest,
    responses(
        (status = 200, body = StartActivationResponse),
        (status = 403, body = ErrorBody),
    ),
)]
pub(super) async fn start(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<StartActivationRequest>,
) -> Result<Json<StartActivationResponse>, ApiFailure> {
    let code = Zeroizing::new(request.activation_code);
    run_blocking(&bank, move |bank| activation::start(bank, &code))
        .await
        .map(Json)
}

#[utoipa::path(
    post,
    path = paths::ACTIVATION_COMPLETE,
    tag = "binding",
    summary = "Completes the binding with the OTP and a proof from each new device key",
    request_body = CompleteActivationRequest,
    responses(
        (status = 200, body = CompleteActivationResponse),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
)]
pub(super) async fn complete(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<CompleteActivationRequest>,
) -> Result<Json<CompleteActivationResponse>, ApiFailure> {
    let CompleteActivationRequest {
        activation_id,
        otp,
        device,
        possession_public_key,
        user_verified_public_key,
        proofs,
        knowledge_key,
    } = request;
    let otp = Zeroizing::new(otp);
    let knowledge_key = knowledge_key.map(Zeroizing::new);
    let proposal = DeviceProposal::check(
        device.name,
        device.platform,
        possession_public_key,
        user_verified_public_key,
        proofs,
        knowledge_key.as_deref().map(Vec::as_slice),
    )?;
    run_blocking(&bank, move |bank| {
        activation::complete(bank, &activation_id, &otp, proposal)
    })
    .await
    .map(Json)
}
