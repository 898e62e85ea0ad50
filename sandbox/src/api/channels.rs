//! Payment channels and their limits over HTTP: `GET /v1/channels`,
//! `POST /v1/channels/enable`, `/v1/channels/disable`, `/v1/channels/limits`.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use mobank_protocol::messages::{
    ChannelsResponse, DisableChannelRequest, EnableChannelRequest, SetLimitsRequest,
};
use mobank_protocol::Factor;

use mobank_protocol::messages::paths;

use crate::bank::{channels, run_blocking, Bank};
use crate::error::ApiFailure;
use crate::extract::{SessionTokenHash, StrictJson};

fn not_possession() -> ApiFailure {
    ApiFailure::bad_request("the assertion must be a possession assertion")
}

#[utoipa::path(
    get,
    path = paths::CHANNELS,
    tag = "channels",
    summary = "The payment channels, their limits and the room left",
    responses(
        (status = 200, body = ChannelsResponse),
    ),
    security(("session" = [])),
)]
pub(super) async fn list(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
) -> Result<Json<ChannelsResponse>, ApiFailure> {
    run_blocking(&bank, move |bank| channels::list(bank, &token_hash))
        .await
        .map(Json)
}

#[utoipa::path(
    post,
    path = paths::CHANNELS_ENABLE,
    tag = "channels",
    summary = "Turns a channel on (signed operation)",
    request_body = EnableChannelRequest,
    responses(
        (status = 200, body = ChannelsResponse),
    ),
    security(("session" = [])),
)]
pub(super) async fn enable(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
    StrictJson(request): StrictJson<EnableChannelRequest>,
) -> Result<Json<ChannelsResponse>, ApiFailure> {
    if request.assertion.factor != Factor::Possession {
        return Err(not_possession());
    }
    run_blocking(&bank, move |bank| {
        channels::enable(
            bank,
            &token_hash,
            request.channel,
            &request.challenge_id,
            &request.assertion,
        )
    })
    .await
    .map(Json)
}

#[utoipa::path(
    post,
    path = paths::CHANNELS_DISABLE,
    tag = "channels",
    summary = "Turns a channel off at once",
    request_body = DisableChannelRequest,
    responses(
        (status = 200, body = ChannelsResponse),
    ),
    security(("session" = [])),
)]
pub(super) async fn disable(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
    StrictJson(request): StrictJson<DisableChannelRequest>,
) -> Result<Json<ChannelsResponse>, ApiFailure> {
    run_blocking(&bank, move |bank| {
        channels::disable(bank, &token_hash, request.channel)
    })
    .await
    .map(Json)
}

#[utoipa::path(
    post,
    path = paths::CHANNELS_LIMITS,
    tag = "channels",
    summary = "Sets a channel's limits; a raise is signed and waits for the cooling-off",
    request_body = SetLimitsRequest,
    responses(
        (status = 200, body = ChannelsResponse),
    ),
    security(("session" = [])),
)]
pub(super) async fn set_limits(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
    StrictJson(request): StrictJson<SetLimitsRequest>,
) -> Result<Json<ChannelsResponse>, ApiFailure> {
    let SetLimitsRequest {
        channel,
        limits,
        challenge_id,
        assertion,
    } = request;
    let signed = match (challenge_id, assertion) {
        (None, None) => None,
        (Some(challenge_id), Some(assertion)) if assertion.factor == Factor::Possession => {
            Some((challenge_id, assertion))
        }
        (Some(_), Some(_)) => return Err(not_possession()),
        _ => {
            return Err(ApiFailure::bad_request(
                "`challenge_id` and `assertion` come together or not at all",
            ))
        }
    };
    run_blocking(&bank, move |bank| {
        let signed = signed
            .as_ref()
            .map(|(challenge_id, assertion)| (challenge_id.as_str(), assertion));
        channels::set_limits(bank, &token_hash, channel, &limits, signed)
    })
    .await
    .map(Json)
}
