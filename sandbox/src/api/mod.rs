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
use axum::Router;
use mobank_protocol::ErrorCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::bank::Bank;
use crate::error::ApiFailure;

/// Every customer request is a few hundred bytes; anything far larger is not one.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// Every customer route with its operation in the OpenAPI document; the router below and the
/// document are both made from it.
pub(crate) fn routes() -> OpenApiRouter<Arc<Bank>> {
    let routes = OpenApiRouter::new()
        .routes(routes!(activation::start))
        .routes(routes!(activation::complete))
        .routes(routes!(login::challenge))
        .routes(routes!(login::login))
        .routes(routes!(accounts::list))
        .routes(routes!(history::page))
        .routes(routes!(step_up::challenge))
        .routes(routes!(step_up::step_up))
        .routes(routes!(devices::list))
        .routes(routes!(devices::revoke))
        .routes(routes!(devices::unbind))
        .routes(routes!(biometric::reenrol))
        .routes(routes!(pin::begin))
        .routes(routes!(pin::commit))
        .routes(routes!(channels::list))
        .routes(routes!(channels::enable))
        .routes(routes!(channels::disable))
        .routes(routes!(channels::set_limits))
        .routes(routes!(payees::list))
        .routes(routes!(payees::check))
        .routes(routes!(payees::add))
        .routes(routes!(payees::rename))
        .routes(routes!(payees::remove))
        .routes(routes!(transfers::quote))
        .routes(routes!(transfers::submit))
        .routes(routes!(transfers::status))
        .routes(routes!(transfers::cancel));
    crate::openapi::route(routes)
}

pub(crate) fn router(bank: Arc<Bank>) -> Router {
    let (router, _) = routes().split_for_parts();
    router
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
