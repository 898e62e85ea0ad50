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

use crate::bank::{payees, run_blocking, Bank};
use crate::error::ApiFailure;
use crate::extract::{SessionTokenHash, StrictJson};

pub(super) async fn list(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
) -> Result<Json<PayeesResponse>, ApiFailure> {
    run_blocking(&bank, move |bank| payees::list(bank, &token_hash))
        .await
        .map(Json)
}

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
