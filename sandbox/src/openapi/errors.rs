//! The error answers of every operation, from the one mapping of `ErrorCode` to status in
//! `crate::error`: the handlers' annotations name their success and their own refusals (a
//! 404 for an unknown id, a 409 for a conflict), and the answers every operation of its kind
//! can give are added here, so no annotation can forget one.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use mobank_protocol::{ApiError, ErrorBody, ErrorCode};
use utoipa::openapi::path::Operation;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{Object, Schema, Type};
use utoipa::openapi::{ContentBuilder, Header, OpenApi, Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

use crate::error::status_for;

/// Every error code with its status, from the code's own schema: a new code cannot be missed.
fn codes_by_status() -> BTreeMap<u16, Vec<String>> {
    let mut by_status: BTreeMap<u16, Vec<String>> = BTreeMap::new();
    let RefOr::T(Schema::Object(schema)) = ErrorCode::schema() else {
        return by_status;
    };
    for value in schema.enum_values.unwrap_or_default() {
        let Ok(code) = serde_json::from_value::<ErrorCode>(value.clone()) else {
            continue;
        };
        if let Some(name) = value.as_str() {
            by_status
                .entry(status_for(code).as_u16())
                .or_default()
                .push(format!("`{name}`"));
        }
    }
    by_status
}

/// What an error status means here: its codes, or why it has none of its own.
fn description(status: StatusCode, codes: &BTreeMap<u16, Vec<String>>) -> String {
    let exact = match status {
        StatusCode::PAYLOAD_TOO_LARGE => {
            Some("`bad_request`: the body is larger than the route takes")
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            Some("`bad_request`: the body is not sent as `Content-Type: application/json`")
        }
        StatusCode::METHOD_NOT_ALLOWED => {
            Some("`bad_request`: the route does not take this method")
        }
        _ => None,
    };
    if let Some(exact) = exact {
        return exact.to_owned();
    }
    let listed = codes
        .get(&status.as_u16())
        .map(|codes| codes.join(", "))
        .unwrap_or_default();
    format!("An ErrorBody; `error.code` is one of {listed}.")
}

fn error_response(status: StatusCode, codes: &BTreeMap<u16, Vec<String>>) -> Response {
    let mut response = ResponseBuilder::new()
        .description(description(status, codes))
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name(ErrorBody::name())))
                .build(),
        );
    if status == StatusCode::UNAUTHORIZED {
        let mut challenge = Header::new(Object::with_type(Type::String));
        challenge.description =
            Some("`Bearer`, with `unauthorized` and `session_expired`.".to_owned());
        response = response.header("WWW-Authenticate", challenge);
    }
    response.build()
}

/// The error statuses an operation of this shape can answer with.
fn statuses_of(path: &str, operation: &Operation) -> Vec<StatusCode> {
    let mut statuses = Vec::new();
    if path == super::DOCUMENT_PATH {
        return statuses;
    }
    let has_body = operation.request_body.is_some();
    let has_parameters = operation
        .parameters
        .as_ref()
        .is_some_and(|parameters| !parameters.is_empty());
    if has_body || has_parameters {
        statuses.push(StatusCode::BAD_REQUEST);
    }
    if operation
        .security
        .as_ref()
        .is_some_and(|security| !security.is_empty())
    {
        // Missing, unknown or expired session; a blocked device or a suspended customer.
        statuses.push(StatusCode::UNAUTHORIZED);
        statuses.push(StatusCode::FORBIDDEN);
    }
    if has_body {
        statuses.push(StatusCode::PAYLOAD_TOO_LARGE);
        statuses.push(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
    statuses.push(StatusCode::INTERNAL_SERVER_ERROR);
    statuses
}

/// Adds the error answers to every operation, and the error body's schemas to the components.
pub(super) fn add_error_responses(document: &mut OpenApi) {
    let codes = codes_by_status();
    for (path, item) in document.paths.paths.iter_mut() {
        for operation in [&mut item.get, &mut item.post].into_iter().flatten() {
            for status in statuses_of(path, operation) {
                operation
                    .responses
                    .responses
                    .entry(status.as_u16().to_string())
                    .or_insert_with(|| error_response(status, &codes).into());
            }
            // An annotation's own error answer gets the same list of codes.
            for (status, response) in operation.responses.responses.iter_mut() {
                let Ok(status) = status.parse::<u16>() else {
                    continue;
                };
                let Ok(status) = StatusCode::from_u16(status) else {
                    continue;
                };
                if let (true, RefOr::T(response)) = (status.as_u16() >= 400, response) {
                    if response.description.is_empty() {
                        response.description = description(status, &codes);
                    }
                }
            }
        }
    }
    let components = document.components.get_or_insert_with(Default::default);
    let mut schemas = vec![
        (ErrorBody::name().into_owned(), ErrorBody::schema()),
        (ApiError::name().into_owned(), ApiError::schema()),
        (ErrorCode::name().into_owned(), ErrorCode::schema()),
    ];
    ErrorBody::schemas(&mut schemas);
    components.schemas.extend(schemas);
}
