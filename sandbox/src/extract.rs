//! Request extractors that fail with a typed `ErrorBody`, never with axum's plain-text
//! rejections.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::error::Category;

use crate::error::ApiFailure;
use crate::random;

/// A JSON body parsed into one of the protocol's message types (which deny unknown fields).
///
/// Error messages name the kind of problem, never a fragment of the body: the body may hold an
/// activation code or an OTP.
pub(crate) struct StrictJson<T>(pub(crate) T);

impl<T, S> FromRequest<S> for StrictJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiFailure;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(request.headers()) {
            return Err(
                ApiFailure::bad_request("expected Content-Type: application/json")
                    .with_status(StatusCode::UNSUPPORTED_MEDIA_TYPE),
            );
        }
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                let status = rejection.status();
                let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
                    "request body is too large"
                } else {
                    "request body could not be read"
                };
                ApiFailure::bad_request(message).with_status(status)
            })?;
        serde_json::from_slice(&body)
            .map(StrictJson)
            .map_err(|error| {
                ApiFailure::bad_request(match error.classify() {
                    Category::Syntax => "request body is not valid JSON",
                    Category::Eof => "request body ends in the middle of the JSON",
                    Category::Data | Category::Io => {
                        "request body does not have the expected fields, types and encodings"
                    }
                })
            })
    }
}

/// A query string parsed into one of the protocol's query types (which deny unknown fields).
pub(crate) struct StrictQuery<T>(pub(crate) T);

impl<T, S> FromRequestParts<S> for StrictQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(value)| Self(value))
            .map_err(|_| {
                ApiFailure::bad_request("query does not have the expected parameters and types")
            })
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"))
}

/// The SHA-256 of the bearer token in `Authorization`: the only form in which the bank ever
/// handles a session token after issuing it.
pub(crate) struct SessionTokenHash(pub(crate) Vec<u8>);

impl<S: Send + Sync> FromRequestParts<S> for SessionTokenHash {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let missing = || {
            ApiFailure::new(
                mobank_protocol::ErrorCode::Unauthorized,
                "missing or malformed Authorization: Bearer header",
            )
        };
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or_else(missing)?;
        let (scheme, token) = value
            .to_str()
            .ok()
            .and_then(|value| value.split_once(' '))
            .ok_or_else(missing)?;
        let token = token.trim();
        if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
            return Err(missing());
        }
        Ok(Self(random::sha256(token.as_bytes())))
    }
}
