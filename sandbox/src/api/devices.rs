//! The device list, revocation and unbinding over HTTP: `GET /v1/devices`,
//! `POST /v1/devices/revoke`, `POST /v1/devices/unbind`.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use mobank_protocol::messages::{
    DevicesResponse, RevokeDeviceRequest, RevokeDeviceResponse, UnbindDeviceRequest,
};
use mobank_protocol::Factor;

use mobank_protocol::messages::paths;
use mobank_protocol::ErrorBody;

use crate::bank::devices::{self, Target};
use crate::bank::{run_blocking, Bank};
use crate::error::ApiFailure;
use crate::extract::{SessionTokenHash, StrictJson};

#[utoipa::path(
    get,
    path = paths::DEVICES,
    tag = "devices",
    summary = "The customer's devices",
    responses(
        (status = 200, body = DevicesResponse),
    ),
    security(("session" = [])),
)]
pub(super) async fn list(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
) -> Result<Json<DevicesResponse>, ApiFailure> {
    run_blocking(&bank, move |bank| devices::list(bank, &token_hash))
        .await
        .map(Json)
}

fn not_possession() -> ApiFailure {
    ApiFailure::bad_request("the assertion must be a possession assertion")
}

#[utoipa::path(
    post,
    path = paths::DEVICES_REVOKE,
    tag = "devices",
    summary = "Revokes another device of the customer (signed operation)",
    request_body = RevokeDeviceRequest,
    responses(
        (status = 200, body = RevokeDeviceResponse),
        (status = 404, body = ErrorBody),
    ),
    security(("session" = [])),
)]
pub(super) async fn revoke(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
    StrictJson(request): StrictJson<RevokeDeviceRequest>,
) -> Result<Json<RevokeDeviceResponse>, ApiFailure> {
    if request.assertion.factor != Factor::Possession {
        return Err(not_possession());
    }
    run_blocking(&bank, move |bank| {
        devices::remove(
            bank,
            &token_hash,
            Target::Other(&request.device_id),
            &request.challenge_id,
            &request.assertion,
        )
    })
    .await
    .map(Json)
}

#[utoipa::path(
    post,
    path = paths::DEVICES_UNBIND,
    tag = "devices",
    summary = "Unbinds this device (signed operation)",
    request_body = UnbindDeviceRequest,
    responses(
        (status = 200, body = RevokeDeviceResponse),
        (status = 404, body = ErrorBody),
    ),
    security(("session" = [])),
)]
pub(super) async fn unbind(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
    StrictJson(request): StrictJson<UnbindDeviceRequest>,
) -> Result<Json<RevokeDeviceResponse>, ApiFailure> {
    if request.assertion.factor != Factor::Possession {
        return Err(not_possession());
    }
    run_blocking(&bank, move |bank| {
        devices::remove(
            bank,
            &token_hash,
            Target::ThisDevice,
            &request.challenge_id,
            &request.assertion,
        )
    })
    .await
    .map(Json)
}
