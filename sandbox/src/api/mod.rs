//! The customer API, served over HTTPS: device binding, login, accounts, history, step-up,
//! the device lifecycle, the PIN change, payment channels and their limits, saved payees, and
//! transfers.
//! HTTP only: each handler extracts the request, calls the bank (`crate::bank`) and turns the
//! outcome into a response.

mod accounts;
mod activation;
mod biometric;
mod channels;
mod devices;
mod history;
mod login;
mod payees;
mod pin;
mod step_up;
mod transfers;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use mobank_protocol::messages::paths;
use mobank_protocol::transfer::messages::paths as transfer_paths;
use mobank_protocol::ErrorCode;

use crate::bank::Bank;
use crate::error::ApiFailure;

/// Every customer request is a few hundred bytes; anything far larger is not one.
const MAX_BODY_BYTES: usize = 64 * 1024;

pub(crate) fn router(bank: Arc<Bank>) -> Router {
    let transfer_route = format!("{}{{idempotency_key}}", transfer_paths::TRANSFER_PREFIX);
    Router::new()
        .route(paths::ACTIVATION_START, post(activation::start))
        .route(paths::ACTIVATION_COMPLETE, post(activation::complete))
        .route(paths::LOGIN_CHALLENGE, post(login::challenge))
        .route(paths::LOGIN, post(login::login))
        .route(paths::ACCOUNTS, get(accounts::list))
        .route(paths::TRANSACTIONS, get(history::page))
        .route(paths::CHALLENGES, post(step_up::challenge))
        .route(paths::STEP_UP, post(step_up::step_up))
        .route(paths::DEVICES, get(devices::list))
        .route(paths::DEVICES_REVOKE, post(devices::revoke))
        .route(paths::DEVICES_UNBIND, post(devices::unbind))
        .route(paths::DEVICES_BIOMETRIC_KEY, post(biometric::reenrol))
        .route(paths::PIN_CHANGE_BEGIN, post(pin::begin))
        .route(paths::PIN_CHANGE_COMMIT, post(pin::commit))
        .route(paths::CHANNELS, get(channels::list))
        .route(paths::CHANNELS_ENABLE, post(channels::enable))
        .route(paths::CHANNELS_DISABLE, post(channels::disable))
        .route(paths::CHANNELS_LIMITS, post(channels::set_limits))
        .route(paths::PAYEES, get(payees::list))
        .route(paths::PAYEES_CHECK, post(payees::check))
        .route(paths::PAYEES_ADD, post(payees::add))
        .route(paths::PAYEES_RENAME, post(payees::rename))
        .route(paths::PAYEES_REMOVE, post(payees::remove))
        .route(transfer_paths::TRANSFER_QUOTES, post(transfers::quote))
        .route(transfer_paths::TRANSFERS, post(transfers::submit))
        .route(&transfer_route, get(transfers::status))
        .route(
            &format!("{transfer_route}{}", transfer_paths::CANCEL_SUFFIX),
            post(transfers::cancel),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(bank)
}

pub(crate) async fn not_found() -> ApiFailure {
    ApiFailure::new(ErrorCode::NotFound, "no such endpoint")
}

pub(crate) async fn method_not_allowed() -> ApiFailure {
    ApiFailure::bad_request("method not allowed on this endpoint")
        .with_status(StatusCode::METHOD_NOT_ALLOWED)
}
