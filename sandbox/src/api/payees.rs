//! Saved payees over HTTP: `GET /v1/payees`, `POST /v1/payees/check`, `/v1/payees/add`,
//! `/v1/payees/rename`, `/v1/payees/remove`.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use mobank_protocol::messages::{
    AddPayeeRequest, PayeeCheckRequest, PayeeCheckResponse, PayeeView, PayeesResponse,
    RemovePayeeRequest, RenamePayeeRequest,
};
use mobank_protocol::Factor;

use mobank_protocol::messages::paths;
use mobank_protocol::ErrorBody;

use crate::bank::{payees, run_blocking, Bank};
use crate::error::ApiFailure;
use crate::extract::{SessionTokenHash, StrictJson};

#[utoipa::path(
    get,
    path = paths::PAYEES,
    tag = "payees",
    summary = "The customer's saved payees",
    responses(
        (status = 200, body = PayeesResponse),
    ),
    security(("session" = [])),
)]
pub(super) async fn list(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
) -> Result<Json<PayeesResponse>, ApiFailure> {
    run_blocking(&bank, move |bank| payees::list(bank, &token_hash))
        .await
        .map(Json)
}

#[utoipa::path(
    post,
    path = paths::PAYEES_CHECK,
    tag = "payees",
    summary = "The registered holder name of an account, and the challenge to add it",
    request_body = PayeeCheckRequest,
    responses(
        (status = 200, body = PayeeCheckResponse),
        (status = 404, body = ErrorBody),
    ),
    security(("session" = [])),
)]
pub(super) async fn check(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
    StrictJson(request): StrictJson<PayeeCheckRequest>,
) -> Result<Json<PayeeCheckResponse>, ApiFailure> {
    run_blocking(&bank, move |bank| {
        payees::check(
            bank,
            &token_hash,
            &request.account_number,
            &request.bank_code,
        )
    })
    .await
    .map(Json)
}

#[utoipa::path(
    post,
    path = paths::PAYEES_ADD,
    tag = "payees",
    summary = "Saves a checked account as a payee (signed operation)",
    request_body = AddPayeeRequest,
    responses(
        (status = 200, body = PayeeView),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody),
    ),
    security(("session" = [])),
)]
pub(super) async fn add(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
    StrictJson(request): StrictJson<AddPayeeRequest>,
) -> Result<Json<PayeeView>, ApiFailure> {
    if request.assertion.factor != Factor::Possession {
        return Err(ApiFailure::bad_request(
            "the assertion must be a possession assertion",
        ));
    }
    run_blocking(&bank, move |bank| {
        payees::add(
            bank,
            &token_hash,
            &request.check_id,
            &request.nickname,
            &request.assertion,
        )
    })
    .await
    .map(Json)
}

#[utoipa::path(
    post,
    path = paths::PAYEES_RENAME,
    tag = "payees",
    summary = "A new nickname for a payee",
    request_body = RenamePayeeRequest,
    responses(
        (status = 200, body = PayeeView),
        (status = 404, body = ErrorBody),
    ),
    security(("session" = [])),
)]
pub(super) async fn rename(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
    StrictJson(request): StrictJson<RenamePayeeRequest>,
) -> Result<Json<PayeeView>, ApiFailure> {
    run_blocking(&bank, move |bank| {
        payees::rename(bank, &token_hash, &request.payee_id, &request.nickname)
    })
    .await
    .map(Json)
}

#[utoipa::path(
    post,
    path = paths::PAYEES_REMOVE,
    tag = "payees",
    summary = "Forgets a payee",
    request_body = RemovePayeeRequest,
    responses(
        (status = 200, body = PayeesResponse),
        (status = 404, body = ErrorBody),
    ),
    security(("session" = [])),
)]
pub(super) async fn remove(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
    StrictJson(request): StrictJson<RemovePayeeRequest>,
) -> Result<Json<PayeesResponse>, ApiFailure> {
    run_blocking(&bank, move |bank| {
        payees::remove(bank, &token_hash, &request.payee_id)
    })
    .await
    .map(Json)
}
