//! The PIN change over HTTP: `POST /v1/pin/change/begin` and `/v1/pin/change/commit`.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use mobank_protocol::messages::{
    PinChangeBeginRequest, PinChangeCommitRequest, PinChangeResponse, PinChangeTicket,
};
use zeroize::Zeroizing;

use mobank_protocol::messages::paths;

use crate::bank::factors::{knowledge_key, SecondFactor, TwoFactors};
use crate::bank::{pin, run_blocking, Bank};
use crate::error::ApiFailure;
use crate::extract::{SessionTokenHash, StrictJson};

#[utoipa::path(
    post,
    path = paths::PIN_CHANGE_BEGIN,
    tag = "pin",
    summary = "Begins a PIN change with the old PIN's assertion",
    request_body = PinChangeBeginRequest,
    responses(
        (status = 200, body = PinChangeTicket),
    ),
    security(("session" = [])),
)]
pub(super) async fn begin(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
    StrictJson(request): StrictJson<PinChangeBeginRequest>,
) -> Result<Json<PinChangeTicket>, ApiFailure> {
    let PinChangeBeginRequest {
        challenge_id,
        assertions,
    } = request;
    let factors = TwoFactors::from_assertions(assertions, SecondFactor::Knowledge)?;
    run_blocking(&bank, move |bank| {
        pin::begin(bank, &token_hash, &challenge_id, &factors)
    })
    .await
    .map(Json)
}

#[utoipa::path(
    post,
    path = paths::PIN_CHANGE_COMMIT,
    tag = "pin",
    summary = "Commits the new knowledge key",
    request_body = PinChangeCommitRequest,
    responses(
        (status = 200, body = PinChangeResponse),
    ),
    security(("session" = [])),
)]
pub(super) async fn commit(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
    StrictJson(request): StrictJson<PinChangeCommitRequest>,
) -> Result<Json<PinChangeResponse>, ApiFailure> {
    let PinChangeCommitRequest {
        ticket_id,
        new_knowledge_key,
        assertions,
    } = request;
    let new_key = knowledge_key(&Zeroizing::new(new_knowledge_key))
        .ok_or_else(|| ApiFailure::bad_request("new_knowledge_key must be 32 bytes"))?;
    let factors = TwoFactors::from_assertions(assertions, SecondFactor::Knowledge)?;
    run_blocking(&bank, move |bank| {
        pin::commit(bank, &token_hash, &ticket_id, &new_key, &factors)
    })
    .await
    .map(Json)
}
