//! The developer API over HTTP: what a branch, the bank's back office, the outside world, the
//! card network, the SMS network and the push service do in real life, and the test harness's
//! clock and ledger check. Plain HTTP on its own loopback listener, apart from the customer
//! API. HTTP only: each route extracts the request and calls the bank; `RunningSandbox` calls
//! the same functions in process.

use std::sync::Arc;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use mobank_protocol::messages::{
    paths as protocol_paths, AppendTransactionRequest, IssueActivationRequest,
    IssueActivationResponse, NotificationOutbox, SmsOutbox, Transaction,
};

use mobank_protocol::transfer::messages::TransferResponse;
use mobank_protocol::transfer::IdempotencyKey;

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

pub(crate) fn router(bank: Arc<Bank>) -> Router {
    let sms_route = format!("{}{{phone}}", protocol_paths::DEV_SMS_PREFIX);
    let notifications_route = format!(
        "{}{{customer_id}}",
        protocol_paths::DEV_NOTIFICATIONS_PREFIX
    );
    Router::new()
        .route(protocol_paths::DEV_ACTIVATION_CODES, post(issue))
        .route(&sms_route, get(sms))
        .route(&notifications_route, get(notifications))
        .route(protocol_paths::DEV_TRANSACTIONS, post(append))
        .route(paths::CREDITS, post(credit))
        .route(paths::MOVES, post(move_funds))
        .route(paths::CLOCK, get(clock))
        .route(paths::CLOCK_ADVANCE, post(advance_clock))
        .route(paths::LEDGER_CHECK, get(check_ledger))
        .route(paths::LOSE_TRANSFER_RESPONSES, post(lose_responses))
        .route(paths::LOSE_STATUS_RESPONSES, post(lose_status_responses))
        .route(paths::HOLD_TRANSFER_RESPONSES, post(hold_responses))
        .route(
            &format!(
                "{}{{customer_id}}/{{idempotency_key}}",
                paths::TRANSFER_OUTCOME_PREFIX
            ),
            get(transfer_outcome),
        )
        .route(
            &format!("{}{{customer_id}}/suspension", paths::CUSTOMER_PREFIX),
            post(suspend),
        )
        .route(
            &format!("{}{{merchant_id}}/qr", paths::MERCHANT_PREFIX),
            get(merchant_qr),
        )
        .route(
            &format!("{}{{customer_id}}/monitor", paths::CUSTOMER_PREFIX),
            post(run_monitor),
        )
        .route(paths::BULK_CUSTOMERS, post(bulk_customers))
        .route(
            &format!("{}{{customer_id}}/channels", paths::CUSTOMER_PREFIX),
            post(open_channel),
        )
        .route(
            &format!("{}{{customer_id}}/products", paths::CUSTOMER_PREFIX),
            post(open_product),
        )
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

async fn issue(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<IssueActivationRequest>,
) -> Result<Json<IssueActivationResponse>, ApiFailure> {
    call(&bank, move |bank| {
        back_office::issue_activation_code(bank, &request.customer_id)
    })
    .await
}

async fn sms(
    State(bank): State<Arc<Bank>>,
    phone: Result<Path<String>, PathRejection>,
) -> Result<Json<SmsOutbox>, ApiFailure> {
    let Path(phone) =
        phone.map_err(|_| ApiFailure::bad_request("malformed phone number in path"))?;
    call(&bank, move |bank| outboxes::sms(bank, &phone)).await
}

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

async fn append(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<AppendTransactionRequest>,
) -> Result<Json<Transaction>, ApiFailure> {
    call(&bank, move |bank| {
        back_office::append_transaction(bank, &request)
    })
    .await
}

async fn credit(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<CreditRequest>,
) -> Result<Json<Booked>, ApiFailure> {
    call(&bank, move |bank| back_office::credit(bank, &request)).await
}

async fn move_funds(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<MoveRequest>,
) -> Result<Json<Booked>, ApiFailure> {
    call(&bank, move |bank| back_office::move_funds(bank, &request)).await
}

async fn clock(State(bank): State<Arc<Bank>>) -> Json<ClockReading> {
    Json(clock_control::reading(&bank))
}

async fn advance_clock(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<AdvanceClockRequest>,
) -> Result<Json<ClockReading>, ApiFailure> {
    call(&bank, move |bank| clock_control::advance(bank, request)).await
}

async fn check_ledger(State(bank): State<Arc<Bank>>) -> Result<Json<LedgerCheck>, ApiFailure> {
    call(&bank, |bank| {
        Ok(bank.with_db(|conn| ledger::check::check(conn))?)
    })
    .await
}

async fn lose_responses(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<LoseResponsesRequest>,
) -> Result<Json<LoseResponsesRequest>, ApiFailure> {
    call(&bank, move |bank| faults::lose_responses(bank, request)).await
}

async fn lose_status_responses(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<LoseResponsesRequest>,
) -> Result<Json<LoseResponsesRequest>, ApiFailure> {
    call(&bank, move |bank| {
        faults::lose_status_responses(bank, request)
    })
    .await
}

async fn hold_responses(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<LoseResponsesRequest>,
) -> Result<Json<LoseResponsesRequest>, ApiFailure> {
    call(&bank, move |bank| faults::hold_responses(bank, request)).await
}

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

async fn run_monitor(
    State(bank): State<Arc<Bank>>,
    customer_id: Result<Path<String>, PathRejection>,
) -> Result<Json<MonitorReport>, ApiFailure> {
    let Path(customer_id) =
        customer_id.map_err(|_| ApiFailure::bad_request("malformed customer id in path"))?;
    call(&bank, move |bank| monitor::run(bank, &customer_id)).await
}

async fn bulk_customers(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<BulkCustomersRequest>,
) -> Result<Json<BulkCustomers>, ApiFailure> {
    call(&bank, move |bank| bulk_customers::create(bank, &request)).await
}
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
