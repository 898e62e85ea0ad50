//! HTTPS requests to the bank and the classification of everything that can go wrong.

use std::error::Error as StdError;
use std::io;
use std::time::Duration;

use bytes::Bytes;
use mobank_protocol::{ApiError, ErrorBody};
use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use serde::Serialize;
use zeroize::Zeroizing;

use super::pinning::{is_pin_mismatch, pinned_tls_config, SetupError};
use crate::config::BankEndpoint;
use crate::input::InputError;
use crate::secret::SecretString;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Far above any response of this API; stops a misbehaving server from filling memory.
const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// What went wrong talking to the bank. Turned into `MobankError` in `error.rs` only.
#[derive(Debug)]
pub(crate) enum NetError {
    /// The server's key matches no pin; the handshake was aborted before any request byte.
    PinMismatch,
    /// Any other TLS failure (bad name, protocol version, not TLS at all).
    Tls(String),
    /// The connection was never established, so nothing was sent.
    Connect(String),
    /// The request may have reached the bank, but no complete answer came back.
    OutcomeUnknown,
    /// The bank answered with its typed error body.
    Api {
        status: u16,
        error: ApiError,
    },
    /// An error status without the bank's error body (a proxy, a gateway).
    UnexpectedStatus {
        status: u16,
    },
    /// A success status whose body is not the expected JSON.
    MalformedResponse,
    ResponseTooLarge,
    /// The request could not be built.
    Setup(String),
}

/// A client for one bank, holding only its pinned TLS configuration.
#[derive(Debug, Clone)]
pub(crate) struct BankClient {
    http: reqwest::Client,
    /// `https://host[:port][/prefix]` without a trailing slash.
    base_url: String,
}

impl BankClient {
    pub(crate) fn new(endpoint: &BankEndpoint) -> Result<Self, SetupError> {
        let base_url = validate_base_url(&endpoint.base_url)?;
        let tls = pinned_tls_config(&endpoint.spki_pins)?;
        let http = reqwest::Client::builder()
            .use_preconfigured_tls(tls)
            .https_only(true)
            // A redirect would only ever lead away from the bank's API.
            .redirect(reqwest::redirect::Policy::none())
            // The phone talks to the bank directly; environment proxy settings are not ours.
            .no_proxy()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("mobank-core/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|_| SetupError::Unsupported {
                what: "the HTTPS client could not be created",
            })?;
        Ok(Self { http, base_url })
    }

    /// POSTs `body` as JSON. The serialised body is wiped from memory once sent, since some
    /// requests carry an activation code or an OTP.
    pub(crate) async fn post<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        path: &str,
        body: &Req,
    ) -> Result<Resp, NetError> {
        self.execute(self.json_post(path, body)?).await
    }

    /// GETs with the session token as bearer credential.
    pub(crate) async fn get_authorized<Resp: DeserializeOwned>(
        &self,
        path: &str,
        token: &SecretString,
    ) -> Result<Resp, NetError> {
        let request = self
            .http
            .request(Method::GET, self.url(path))
            .header(AUTHORIZATION, bearer(token)?);
        self.execute(request).await
    }

    /// [`BankClient::get_authorized`] with `query` encoded as the URL's query string.
    pub(crate) async fn get_authorized_query<Query: Serialize, Resp: DeserializeOwned>(
        &self,
        path: &str,
        query: &Query,
        token: &SecretString,
    ) -> Result<Resp, NetError> {
        let request = self
            .http
            .request(Method::GET, self.url(path))
            .query(query)
            .header(AUTHORIZATION, bearer(token)?);
        self.execute(request).await
    }

    /// POSTs `body` as JSON with the session token as bearer credential. The serialised body
    /// is wiped once sent (a PIN change carries a new knowledge key).
    pub(crate) async fn post_authorized<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        path: &str,
        body: &Req,
        token: &SecretString,
    ) -> Result<Resp, NetError> {
        let request = self
            .json_post(path, body)?
            .header(AUTHORIZATION, bearer(token)?);
        self.execute(request).await
    }

    /// A POST of `body` as JSON, its serialised bytes in a buffer wiped when the request is gone.
    fn json_post<Req: Serialize>(
        &self,
        path: &str,
        body: &Req,
    ) -> Result<reqwest::RequestBuilder, NetError> {
        let json = Zeroizing::new(
            serde_json::to_vec(body)
                .map_err(|_| NetError::Setup("request could not be encoded".to_owned()))?,
        );
        Ok(self
            .http
            .request(Method::POST, self.url(path))
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(Bytes::from_owner(json)))
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    async fn execute<Resp: DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<Resp, NetError> {
        let response = request.send().await.map_err(classify)?;
        let status = response.status();
        let body = read_bounded(response).await?;
        decode(status, &body)
    }
}

fn bearer(token: &SecretString) -> Result<HeaderValue, NetError> {
    let credential = Zeroizing::new(format!("Bearer {}", token.expose_secret()).into_bytes());
    // Shared, not copied: the header's bytes are the zeroizing buffer, wiped when the request
    // and every clone of the header are gone.
    let mut header = HeaderValue::from_maybe_shared(bytes::Bytes::from_owner(credential))
        .map_err(|_| NetError::Setup("session token is not a valid header".to_owned()))?;
    header.set_sensitive(true);
    Ok(header)
}

fn validate_base_url(base_url: &str) -> Result<String, InputError> {
    const BAD_URL: InputError = InputError {
        what: "bank base URL must be https://host[:port][/path] without credentials, query or fragment",
    };
    let url = Url::parse(base_url.trim()).map_err(|_| BAD_URL)?;
    let acceptable = url.scheme() == "https"
        && url.host().is_some()
        && url.username().is_empty()
        && url.password().is_none()
        && url.query().is_none()
        && url.fragment().is_none();
    if !acceptable {
        return Err(BAD_URL);
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

async fn read_bounded(mut response: reqwest::Response) -> Result<Zeroizing<Vec<u8>>, NetError> {
    if response
        .content_length()
        .is_some_and(|length| length > MAX_RESPONSE_BYTES as u64)
    {
        return Err(NetError::ResponseTooLarge);
    }
    // Responses can carry the session token, so the assembled body is wiped after parsing.
    let mut body = Zeroizing::new(Vec::new());
    // The status line arrived, so the bank acted; a body cut short leaves the result unknown.
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|_| NetError::OutcomeUnknown)?
    {
        if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
            return Err(NetError::ResponseTooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn decode<Resp: DeserializeOwned>(status: StatusCode, body: &[u8]) -> Result<Resp, NetError> {
    if status.is_success() {
        return serde_json::from_slice(body).map_err(|_| NetError::MalformedResponse);
    }
    match serde_json::from_slice::<ErrorBody>(body) {
        Ok(error_body) => Err(NetError::Api {
            status: status.as_u16(),
            error: error_body.error,
        }),
        Err(_) => Err(NetError::UnexpectedStatus {
            status: status.as_u16(),
        }),
    }
}

/// Sorts a failed send into: not our bank, TLS broken, never connected (nothing sent), or
/// sent without a complete answer (outcome unknown).
fn classify(error: reqwest::Error) -> NetError {
    if let Some(tls_error) = find_rustls_error(&error) {
        return if is_pin_mismatch(tls_error) {
            NetError::PinMismatch
        } else {
            NetError::Tls(tls_error.to_string())
        };
    }
    if error.is_builder() {
        return NetError::Setup("request could not be built".to_owned());
    }
    if error.is_connect() {
        // Connecting includes the TLS handshake; the request is only written after it.
        let message = if error.is_timeout() {
            "connection timed out"
        } else {
            "could not connect to the bank"
        };
        return NetError::Connect(message.to_owned());
    }
    NetError::OutcomeUnknown
}

/// rustls reports through `io::Error`, whose `source()` skips the wrapped error itself, so the
/// chain is walked by hand, looking inside every `io::Error`.
fn find_rustls_error<'a>(error: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(tls_error) = error.downcast_ref::<rustls::Error>() {
            return Some(tls_error);
        }
        if let Some(inner) = error
            .downcast_ref::<io::Error>()
            .and_then(io::Error::get_ref)
        {
            if let Some(tls_error) = find_rustls_error(inner) {
                return Some(tls_error);
            }
        }
        current = error.source();
    }
    None
}

#[cfg(test)]
mod unit_tests {
    use super::*;
    use mobank_protocol::messages::AccountsResponse;
    use mobank_protocol::ErrorCode;

    #[test]
    fn base_url_must_be_plain_https() {
        assert_eq!(
            validate_base_url("https://bank.example/api/").unwrap(),
            "https://bank.example/api"
        );
        assert_eq!(
            validate_base_url(" https://127.0.0.1:8443 ").unwrap(),
            "https://127.0.0.1:8443"
        );
        for bad in [
            "http://bank.example",
            "ftp://bank.example",
            "https://user:pw@bank.example",
            "https://bank.example/?x=1",
            "https://bank.example/#top",
            "bank.example",
            "",
        ] {
            assert!(validate_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn error_bodies_become_typed_api_errors() {
        let body =
            br#"{"error":{"code":"otp_invalid","message":"wrong code","attempts_remaining":2}}"#;
        let Err(NetError::Api { status, error }) =
            decode::<AccountsResponse>(StatusCode::BAD_REQUEST, body)
        else {
            panic!("expected an API error");
        };
        assert_eq!(status, 400);
        assert_eq!(error.code, ErrorCode::OtpInvalid);
        assert_eq!(error.attempts_remaining, Some(2));
    }

    #[test]
    fn unreadable_bodies_are_typed_never_a_panic() {
        assert!(matches!(
            decode::<AccountsResponse>(StatusCode::BAD_GATEWAY, b"<html>bad gateway</html>"),
            Err(NetError::UnexpectedStatus { status: 502 })
        ));
        for body in [
            &b""[..],
            b"{}",
            b"[1,2]",
            b"\xff\xfe",
            br#"{"accounts":"none"}"#,
        ] {
            assert!(matches!(
                decode::<AccountsResponse>(StatusCode::OK, body),
                Err(NetError::MalformedResponse)
            ));
        }
        // An unknown error code is not the bank's error format either.
        assert!(matches!(
            decode::<AccountsResponse>(
                StatusCode::FORBIDDEN,
                br#"{"error":{"code":"teapot","message":"x"}}"#
            ),
            Err(NetError::UnexpectedStatus { status: 403 })
        ));
    }
}
