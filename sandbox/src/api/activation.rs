//! Device binding over HTTP: `POST /v1/activation/start` and `/v1/activation/complete`.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use mobank_protocol::messages::{
    CompleteActivationRequest, CompleteActivationResponse, StartActivationRequest,
    StartActivationResponse,
};
use zeroize::Zeroizing;

use crate::bank::activation::{self, DeviceProposal};
use crate::bank::{run_blocking, Bank};
use crate::error::ApiFailure;
use crate::extract::StrictJson;

pub(super) async fn start(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<StartActivationRequest>,
) -> Result<Json<StartActivationResponse>, ApiFailure> {
    let code = Zeroizing::new(request.activation_code);
    run_blocking(&bank, move |bank| activation::start(bank, &code))
        .await
        .map(Json)
}

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
