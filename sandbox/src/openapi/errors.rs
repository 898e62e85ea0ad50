//! The error answers of every operation, from the one mapping of `ErrorCode` to status in
//! `crate::error`: the handlers' annotations name their success and their own refusals (a
//! 404 for an unknown id, a 409 for a conflict), and the answers every operation of its kind
//! can give are added here, so no annotation can forget one. Each error status's body is an
//! `ErrorBody` whose `code` is limited to the codes that status carries (`ErrorBody403`), so a
//! response checker holds the bank to the mapping too.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use mobank_protocol::{ApiError, ErrorBody, ErrorCode};
use utoipa::openapi::path::Operation;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{AllOfBuilder, Object, ObjectBuilder, Schema, Type};
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
                .push(name.to_owned());
        }
    }
    by_status
}

/// The codes an answer with this status carries: the ones mapped to it, or `bad_request` for the
/// statuses that only make `bad_request` more exact.
fn codes_of(status: StatusCode, codes: &BTreeMap<u16, Vec<String>>) -> Vec<String> {
    match status {
        StatusCode::PAYLOAD_TOO_LARGE
        | StatusCode::UNSUPPORTED_MEDIA_TYPE
        | StatusCode::METHOD_NOT_ALLOWED => vec!["bad_request".to_owned()],
        _ => codes.get(&status.as_u16()).cloned().unwrap_or_default(),
    }
}

/// `ErrorBody` with `error.code` limited to the status's codes.
fn body_schema_name(status: StatusCode) -> String {
    format!("{}{}", ErrorBody::name(), status.as_u16())
}

fn body_schema(status: StatusCode, codes: &BTreeMap<u16, Vec<String>>) -> Schema {
    let code = ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(codes_of(status, codes)));
    let error = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("code", code);
    let limit = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("error", error);
    AllOfBuilder::new()
        .item(Ref::from_schema_name(ErrorBody::name()))
        .item(limit)
        .description(Some(format!(
            "An ErrorBody answered with status {}.",
            status.as_u16()
        )))
        .into()
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
    let listed = codes_of(status, codes)
        .iter()
        .map(|code| format!("`{code}`"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("An ErrorBody; `error.code` is one of {listed}.")
}

fn error_response(status: StatusCode, codes: &BTreeMap<u16, Vec<String>>) -> Response {
    let mut response = ResponseBuilder::new()
        .description(description(status, codes))
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name(body_schema_name(status))))
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
    let mut statuses = std::collections::BTreeSet::new();
    for (path, item) in document.paths.paths.iter_mut() {
        for operation in [&mut item.get, &mut item.post].into_iter().flatten() {
            for status in statuses_of(path, operation) {
                operation
                    .responses
                    .responses
                    .entry(status.as_u16().to_string())
                    .or_insert_with(|| error_response(status, &codes).into());
            }
            // An annotation's own error answer gets the same description and body.
            for (status, response) in operation.responses.responses.iter_mut() {
                let Some(status) = status
                    .parse::<u16>()
                    .ok()
                    .and_then(|status| StatusCode::from_u16(status).ok())
                else {
                    continue;
                };
                if status.as_u16() >= 400 {
                    *response = error_response(status, &codes).into();
                    statuses.insert(status);
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
    for status in statuses {
        schemas.push((body_schema_name(status), body_schema(status, &codes).into()));
    }
    components.schemas.extend(schemas);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_code_is_allowed_exactly_under_the_status_the_bank_answers_it_with() {
        let codes = codes_by_status();
        let listed: usize = codes.values().map(Vec::len).sum();
        let RefOr::T(Schema::Object(schema)) = ErrorCode::schema() else {
            panic!("ErrorCode's schema is not an enum");
        };
        assert_eq!(listed, schema.enum_values.unwrap().len());
        for (status, names) in &codes {
            for name in names {
                let code: ErrorCode = serde_json::from_value(name.as_str().into()).unwrap();
                assert_eq!(status_for(code).as_u16(), *status, "{name}");
            }
        }
        assert_eq!(codes[&403].len(), 5);
        assert_eq!(
            codes_of(StatusCode::UNSUPPORTED_MEDIA_TYPE, &codes),
            ["bad_request"]
        );
    }
}
