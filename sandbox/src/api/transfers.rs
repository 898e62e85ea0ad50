//! Transfers over HTTP: `POST /v1/transfers/quote`, `POST /v1/transfers`,
//! `GET /v1/transfers/{idempotency_key}` and `POST /v1/transfers/{idempotency_key}/cancel`.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use mobank_protocol::transfer::messages::{
    CancelTransferRequest, QuoteRequest, QuoteResponse, SubmitTransferRequest, TransferResponse,
};
use mobank_protocol::transfer::IdempotencyKey;

use mobank_protocol::transfer::messages::paths as transfer_paths;
use mobank_protocol::ErrorBody;

use crate::bank::transfer::{
    cancel as cancelling, quote as quoting, status as outcomes, submit as submitting,
};
use crate::bank::{run_blocking, Bank};
use crate::error::ApiFailure;
use crate::extract::{SessionTokenHash, StrictJson};

#[utoipa::path(
    post,
    path = transfer_paths::TRANSFER_QUOTES,
    tag = "transfers",
    summary = "The bank quotes a transfer: payee name, fee, execution date, challenge",
    request_body = QuoteRequest,
    responses(
        (status = 200, body = QuoteResponse),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody),
    ),
    security(("session" = [])),
)]
pub(super) async fn quote(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
    StrictJson(request): StrictJson<QuoteRequest>,
) -> Result<Json<QuoteResponse>, ApiFailure> {
    run_blocking(&bank, move |bank| {
        quoting::quote(bank, &token_hash, request)
    })
    .await
    .map(Json)
}

#[utoipa::path(
    post,
    path = transfer_paths::TRANSFERS,
    tag = "transfers",
    summary = "Submits a signed transfer; the answer is the bank's signed receipt",
    request_body = SubmitTransferRequest,
    responses(
        (status = 200, body = TransferResponse),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody),
    ),
    security(("session" = [])),
)]
pub(super) async fn submit(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
    StrictJson(request): StrictJson<SubmitTransferRequest>,
) -> Result<Response, ApiFailure> {
    let answer = run_blocking(&bank, move |bank| {
        submitting::submit(bank, &token_hash, request)
    })
    .await?;
    bank.faults.hold_if_armed().await;
    if bank.faults.take_lost_transfer_answer() {
        tracing::warn!("losing a transfer answer after its outcome was stored (injected fault)");
        return Ok(broken(&answer));
    }
    Ok(Json(answer).into_response())
}

/// The status line and headers of the real answer, then half its body and the end of the
/// connection: the body stops short of its `Content-Length`, so the client sees a broken
/// response, as when a network drops it.
fn broken(answer: &TransferResponse) -> Response {
    let body = serde_json::to_vec(answer).unwrap_or_default();
    let half = body[..body.len() / 2].to_vec();
    let mut response = (StatusCode::OK, half).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    response
}

#[utoipa::path(
    get,
    path = "/v1/transfers/{idempotency_key}",
    tag = "transfers",
    summary = "The outcome the bank recorded for an idempotency key",
    params(("idempotency_key" = IdempotencyKey, Path, description = "The transfer's idempotency key")),
    responses(
        (status = 200, body = TransferResponse),
        (status = 404, body = ErrorBody),
    ),
    security(("session" = [])),
)]
pub(super) async fn status(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
    key: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiFailure> {
    let malformed = || ApiFailure::bad_request("the idempotency key is 32 lower-case hex digits");
    let Path(key) = key.map_err(|_| malformed())?;
    let key = IdempotencyKey::parse(&key).ok_or_else(malformed)?;
    let answer = run_blocking(&bank, move |bank| outcomes::status(bank, &token_hash, key)).await?;
    if bank.faults.take_lost_status_answer() {
        tracing::warn!("losing a transfer status answer (injected fault)");
        return Ok(broken(&answer));
    }
    Ok(Json(answer).into_response())
}

#[utoipa::path(
    post,
    path = "/v1/transfers/{idempotency_key}/cancel",
    tag = "transfers",
    summary = "Cancels a scheduled transfer (signed operation)",
    request_body = CancelTransferRequest,
    params(("idempotency_key" = IdempotencyKey, Path, description = "The transfer's idempotency key")),
    responses(
        (status = 200, body = TransferResponse),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody),
    ),
    security(("session" = [])),
)]
pub(super) async fn cancel(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
    key: Result<Path<String>, PathRejection>,
    StrictJson(request): StrictJson<CancelTransferRequest>,
) -> Result<Json<TransferResponse>, ApiFailure> {
    let malformed = || ApiFailure::bad_request("the idempotency key is 32 lower-case hex digits");
    let Path(key) = key.map_err(|_| malformed())?;
    let key = IdempotencyKey::parse(&key).ok_or_else(malformed)?;
    run_blocking(&bank, move |bank| {
        cancelling::cancel(bank, &token_hash, key, &request)
    })
    .await
    .map(Json)
}
