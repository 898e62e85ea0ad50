//! The developer API over HTTP: what a branch, the bank's back office, the outside world, the
//! card network, the SMS network and the push service do in real life, and the test harness's
//! clock and ledger check. Plain HTTP on its own loopback listener, apart from the customer
//! API. HTTP only: each route extracts the request and calls the bank; `RunningSandbox` calls
//! the same functions in process.

use std::sync::Arc;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::{Json, Router};
use mobank_protocol::messages::{
    paths as protocol_paths, AppendTransactionRequest, IssueActivationRequest,
    IssueActivationResponse, NotificationOutbox, SmsOutbox, Transaction,
};

use mobank_protocol::transfer::messages::TransferResponse;
use mobank_protocol::transfer::IdempotencyKey;
use mobank_protocol::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{
    paths, AdvanceClockRequest, Booked, BulkCustomers, BulkCustomersRequest, ClockReading,
    CreditRequest, LedgerCheck, LoseResponsesRequest, MerchantQr, MerchantQrQuery, MonitorReport,
    MoveRequest, OpenChannelRequest, OpenProductRequest, OpenedProduct, SuspensionRequest,
};
use crate::api::{method_not_allowed, not_found};
use crate::bank::transfer::faults;
use crate::bank::{
    back_office, bulk_customers, channels, clock_control, merchants, monitor, outboxes,
    run_blocking, Bank,
};
use crate::error::{ApiFailure, SandboxError};
use crate::extract::StrictJson;
use crate::ledger;

/// Every developer route with its operation in the OpenAPI document; the router below and the
/// document are both made from it.
pub(crate) fn routes() -> OpenApiRouter<Arc<Bank>> {
    let routes = OpenApiRouter::new()
        .routes(routes!(issue))
        .routes(routes!(sms))
        .routes(routes!(notifications))
        .routes(routes!(append))
        .routes(routes!(credit))
        .routes(routes!(move_funds))
        .routes(routes!(clock))
        .routes(routes!(advance_clock))
        .routes(routes!(check_ledger))
        .routes(routes!(lose_responses))
        .routes(routes!(lose_status_responses))
        .routes(routes!(hold_responses))
        .routes(routes!(transfer_outcome))
        .routes(routes!(suspend))
        .routes(routes!(merchant_qr))
        .routes(routes!(run_monitor))
        .routes(routes!(bulk_customers))
        .routes(routes!(open_channel))
        .routes(routes!(open_product));
    crate::openapi::route(routes)
}

pub(crate) fn router(bank: Arc<Bank>) -> Router {
    let (router, _) = routes().split_for_parts();
    router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(4 * 1024))
        .with_state(bank)
}

/// Runs a developer operation off the async workers.
async fn call<T: Send + 'static>(
    bank: &Arc<Bank>,
    work: impl FnOnce(&Bank) -> Result<T, SandboxError> + Send + 'static,
) -> Result<Json<T>, ApiFailure> {
    run_blocking(bank, move |bank| Ok(work(bank)?))
        .await
        .map(Json)
}

#[utoipa::path(
    post,
    path = protocol_paths::DEV_ACTIVATION_CODES,
    tag = "developer",
    summary = "Issues an activation code for a customer, as a branch would",
    request_body = IssueActivationRequest,
    responses(
        (status = 200, body = IssueActivationResponse),
        (status = 404, body = ErrorBody),
    ),
)]
async fn issue(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<IssueActivationRequest>,
) -> Result<Json<IssueActivationResponse>, ApiFailure> {
    call(&bank, move |bank| {
        back_office::issue_activation_code(bank, &request.customer_id)
    })
    .await
}

#[utoipa::path(
    get,
    path = "/dev/sms/{phone}",
    tag = "developer",
    summary = "The SMS outbox of one phone number (the stand-in for the phone network)",
    params(
        ("phone" = String, Path, description = "E.164, e.g. `+8613800138000`"),
    ),
    responses(
        (status = 200, body = SmsOutbox),
    ),
)]
async fn sms(
    State(bank): State<Arc<Bank>>,
    phone: Result<Path<String>, PathRejection>,
) -> Result<Json<SmsOutbox>, ApiFailure> {
    let Path(phone) =
        phone.map_err(|_| ApiFailure::bad_request("malformed phone number in path"))?;
    call(&bank, move |bank| outboxes::sms(bank, &phone)).await
}

#[utoipa::path(
    get,
    path = "/dev/notifications/{customer_id}",
    tag = "developer",
    summary = "The notifications the bank sent to a customer's devices (the stand-in for push)",
    params(
        ("customer_id" = String, Path, description = "A customer id, e.g. `demo`"),
    ),
    responses(
        (status = 200, body = NotificationOutbox),
        (status = 404, body = ErrorBody),
    ),
)]
async fn notifications(
    State(bank): State<Arc<Bank>>,
    customer_id: Result<Path<String>, PathRejection>,
) -> Result<Json<NotificationOutbox>, ApiFailure> {
    let Path(customer_id) =
        customer_id.map_err(|_| ApiFailure::bad_request("malformed customer id in path"))?;
    call(&bank, move |bank| {
        outboxes::notifications(bank, &customer_id)
    })
    .await
}

#[utoipa::path(
    post,
    path = protocol_paths::DEV_TRANSACTIONS,
    tag = "developer",
    summary = "Books a transaction, as a card payment or an incoming transfer would",
    request_body = AppendTransactionRequest,
    responses(
        (status = 200, body = Transaction),
        (status = 404, body = ErrorBody),
    ),
)]
async fn append(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<AppendTransactionRequest>,
) -> Result<Json<Transaction>, ApiFailure> {
    call(&bank, move |bank| {
        back_office::append_transaction(bank, &request)
    })
    .await
}

#[utoipa::path(
    post,
    path = paths::CREDITS,
    tag = "developer",
    summary = "Money from a named outside party arrives on an account",
    request_body = CreditRequest,
    responses(
        (status = 200, body = Booked),
        (status = 404, body = ErrorBody),
    ),
)]
async fn credit(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<CreditRequest>,
) -> Result<Json<Booked>, ApiFailure> {
    call(&bank, move |bank| back_office::credit(bank, &request)).await
}

#[utoipa::path(
    post,
    path = paths::MOVES,
    tag = "developer",
    summary = "The back office moves money between two accounts of one customer",
    request_body = MoveRequest,
    responses(
        (status = 200, body = Booked),
        (status = 404, body = ErrorBody),
    ),
)]
async fn move_funds(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<MoveRequest>,
) -> Result<Json<Booked>, ApiFailure> {
    call(&bank, move |bank| back_office::move_funds(bank, &request)).await
}

#[utoipa::path(
    get,
    path = paths::CLOCK,
    tag = "developer",
    summary = "The bank's clock",
    responses(
        (status = 200, body = ClockReading),
    ),
)]
async fn clock(State(bank): State<Arc<Bank>>) -> Json<ClockReading> {
    Json(clock_control::reading(&bank))
}

#[utoipa::path(
    post,
    path = paths::CLOCK_ADVANCE,
    tag = "developer",
    summary = "Moves the bank's clock forward; 404 unless the sandbox runs with `--test-clock`",
    request_body = AdvanceClockRequest,
    responses(
        (status = 200, body = ClockReading),
        (status = 404, body = ErrorBody),
    ),
)]
async fn advance_clock(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<AdvanceClockRequest>,
) -> Result<Json<ClockReading>, ApiFailure> {
    call(&bank, move |bank| clock_control::advance(bank, request)).await
}

#[utoipa::path(
    get,
    path = paths::LEDGER_CHECK,
    tag = "developer",
    summary = "Whether the ledger balances, and its totals per currency",
    responses(
        (status = 200, body = LedgerCheck),
    ),
)]
async fn check_ledger(State(bank): State<Arc<Bank>>) -> Result<Json<LedgerCheck>, ApiFailure> {
    call(&bank, |bank| {
        Ok(bank.with_db(|conn| ledger::check::check(conn))?)
    })
    .await
}

#[utoipa::path(
    post,
    path = paths::LOSE_TRANSFER_RESPONSES,
    tag = "developer",
    summary = "Loses the next N transfer answers after their outcome was stored",
    request_body = LoseResponsesRequest,
    responses(
        (status = 200, body = LoseResponsesRequest),
    ),
)]
async fn lose_responses(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<LoseResponsesRequest>,
) -> Result<Json<LoseResponsesRequest>, ApiFailure> {
    call(&bank, move |bank| faults::lose_responses(bank, request)).await
}

#[utoipa::path(
    post,
    path = paths::LOSE_STATUS_RESPONSES,
    tag = "developer",
    summary = "Loses the next N transfer status answers that carry a receipt",
    request_body = LoseResponsesRequest,
    responses(
        (status = 200, body = LoseResponsesRequest),
    ),
)]
async fn lose_status_responses(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<LoseResponsesRequest>,
) -> Result<Json<LoseResponsesRequest>, ApiFailure> {
    call(&bank, move |bank| {
        faults::lose_status_responses(bank, request)
    })
    .await
}

#[utoipa::path(
    post,
    path = paths::HOLD_TRANSFER_RESPONSES,
    tag = "developer",
    summary = "Holds the next N transfer answers after booking; 0 releases them",
    request_body = LoseResponsesRequest,
    responses(
        (status = 200, body = LoseResponsesRequest),
    ),
)]
async fn hold_responses(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<LoseResponsesRequest>,
) -> Result<Json<LoseResponsesRequest>, ApiFailure> {
    call(&bank, move |bank| faults::hold_responses(bank, request)).await
}

#[utoipa::path(
    get,
    path = "/dev/transfers/{customer_id}/{idempotency_key}",
    tag = "developer",
    summary = "The outcome recorded for an idempotency key",
    params(
        ("customer_id" = String, Path, description = "A customer id, e.g. `demo`"),
        ("idempotency_key" = IdempotencyKey, Path, description = "The transfer's idempotency key"),
    ),
    responses(
        (status = 200, body = TransferResponse),
        (status = 404, body = ErrorBody),
    ),
)]
async fn transfer_outcome(
    State(bank): State<Arc<Bank>>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Json<TransferResponse>, ApiFailure> {
    let malformed = || ApiFailure::bad_request("the idempotency key is 32 lower-case hex digits");
    let Path((customer_id, key)) = path.map_err(|_| malformed())?;
    let key = IdempotencyKey::parse(&key).ok_or_else(malformed)?;
    let receipt = run_blocking(&bank, move |bank| {
        Ok(faults::outcome(bank, &customer_id, key)?)
    })
    .await?
    .ok_or_else(|| {
        ApiFailure::new(
            mobank_protocol::ErrorCode::NotFound,
            "no transfer with this idempotency key",
        )
    })?;
    Ok(Json(TransferResponse { receipt }))
}

#[utoipa::path(
    post,
    path = "/dev/customers/{customer_id}/suspension",
    tag = "developer",
    summary = "Suspends or restores a customer's e-banking",
    request_body = SuspensionRequest,
    params(
        ("customer_id" = String, Path, description = "A customer id, e.g. `demo`"),
    ),
    responses(
        (status = 200, body = SuspensionRequest),
        (status = 404, body = ErrorBody),
    ),
)]
async fn suspend(
    State(bank): State<Arc<Bank>>,
    customer_id: Result<Path<String>, PathRejection>,
    StrictJson(request): StrictJson<SuspensionRequest>,
) -> Result<Json<SuspensionRequest>, ApiFailure> {
    let Path(customer_id) =
        customer_id.map_err(|_| ApiFailure::bad_request("malformed customer id in path"))?;
    call(&bank, move |bank| {
        faults::suspend(bank, &customer_id, request)
    })
    .await
}

#[utoipa::path(
    get,
    path = "/dev/merchants/{merchant_id}/qr",
    tag = "developer",
    summary = "A merchant's QR code: static without `amount`, dynamic with it",
    params(
        ("merchant_id" = String, Path, description = "A merchant id, e.g. `corner_shop`"),
        ("amount" = Option<String>, Query, pattern = r"^-?[0-9]+(\.[0-9]+)?$", description = "Greater than zero, at most the currency's decimals"),
    ),
    responses(
        (status = 200, body = MerchantQr),
        (status = 404, body = ErrorBody),
    ),
)]
async fn merchant_qr(
    State(bank): State<Arc<Bank>>,
    merchant_id: Result<Path<String>, PathRejection>,
    query: Result<Query<MerchantQrQuery>, QueryRejection>,
) -> Result<Json<MerchantQr>, ApiFailure> {
    let Path(merchant_id) =
        merchant_id.map_err(|_| ApiFailure::bad_request("malformed merchant id in path"))?;
    let Query(query) = query.map_err(|_| {
        ApiFailure::bad_request("the only query parameter is amount, a decimal number")
    })?;
    call(&bank, move |bank| {
        merchants::qr_code(bank, &merchant_id, query.amount)
    })
    .await
}

#[utoipa::path(
    post,
    path = "/dev/customers/{customer_id}/monitor",
    tag = "developer",
    summary = "Runs the pass-through monitor for a customer now",
    params(
        ("customer_id" = String, Path, description = "A customer id, e.g. `demo`"),
    ),
    responses(
        (status = 200, body = MonitorReport),
        (status = 404, body = ErrorBody),
    ),
)]
async fn run_monitor(
    State(bank): State<Arc<Bank>>,
    customer_id: Result<Path<String>, PathRejection>,
) -> Result<Json<MonitorReport>, ApiFailure> {
    let Path(customer_id) =
        customer_id.map_err(|_| ApiFailure::bad_request("malformed customer id in path"))?;
    call(&bank, move |bank| monitor::run(bank, &customer_id)).await
}

#[utoipa::path(
    post,
    path = paths::BULK_CUSTOMERS,
    tag = "developer",
    summary = "Many funded customers at once, each with an activation code (load tests)",
    request_body = BulkCustomersRequest,
    responses(
        (status = 200, body = BulkCustomers),
    ),
)]
async fn bulk_customers(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<BulkCustomersRequest>,
) -> Result<Json<BulkCustomers>, ApiFailure> {
    call(&bank, move |bank| bulk_customers::create(bank, &request)).await
}
#[utoipa::path(
    post,
    path = "/dev/customers/{customer_id}/products",
    tag = "developer",
    summary = "A branch opens a product for a customer",
    request_body = OpenProductRequest,
    params(
        ("customer_id" = String, Path, description = "A customer id, e.g. `demo`"),
    ),
    responses(
        (status = 200, body = OpenedProduct),
        (status = 404, body = ErrorBody),
    ),
)]
async fn open_product(
    State(bank): State<Arc<Bank>>,
    customer_id: Result<Path<String>, PathRejection>,
    StrictJson(request): StrictJson<OpenProductRequest>,
) -> Result<Json<OpenedProduct>, ApiFailure> {
    let Path(customer_id) =
        customer_id.map_err(|_| ApiFailure::bad_request("malformed customer id in path"))?;
    call(&bank, move |bank| {
        back_office::open_product(bank, &customer_id, &request)
    })
    .await
}

#[utoipa::path(
    post,
    path = "/dev/customers/{customer_id}/channels",
    tag = "developer",
    summary = "A branch opens a payment channel for a customer; it stays off until the customer turns it on",
    request_body = OpenChannelRequest,
    params(
        ("customer_id" = String, Path, description = "A customer id, e.g. `demo`"),
    ),
    responses(
        (status = 200, body = OpenChannelRequest),
        (status = 404, body = ErrorBody),
    ),
)]
async fn open_channel(
    State(bank): State<Arc<Bank>>,
    customer_id: Result<Path<String>, PathRejection>,
    StrictJson(request): StrictJson<OpenChannelRequest>,
) -> Result<Json<OpenChannelRequest>, ApiFailure> {
    let Path(customer_id) =
        customer_id.map_err(|_| ApiFailure::bad_request("malformed customer id in path"))?;
    call(&bank, move |bank| {
        channels::open_by_branch(bank, &customer_id, request.channel).map(|()| request)
    })
    .await
}
