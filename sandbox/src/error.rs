//! The two error types of the sandbox: `SandboxError` for the library API (starting, the
//! in-process developer calls), and `ApiFailure`, the one place where anything that goes wrong
//! while answering a request becomes a status code and a typed `ErrorBody`.

use std::borrow::Cow;
use std::net::SocketAddr;
use std::path::PathBuf;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use mobank_protocol::{ApiError, ErrorBody, ErrorCode};

use crate::bank::display::TextRefused;
use crate::ledger::LedgerError;

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("invalid configuration: {0}")]
    Config(String),
    #[error("the developer API must listen on a loopback address, not {0}")]
    DevListenNotLoopback(SocketAddr),
    #[error("could not listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("TLS setup failed: {0}")]
    Tls(String),
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("the database has schema version {found}; this sandbox knows up to {supported}")]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("no such customer")]
    UnknownCustomer,
    #[error("no such account")]
    UnknownAccount,
    #[error("no such merchant")]
    UnknownMerchant,
    /// A developer-API request that cannot be carried out as asked.
    #[error("invalid request: {0}")]
    InvalidRequest(&'static str),
    /// Text that breaks the display-text rule; names the field and the rule, never the text.
    #[error("invalid request: {0}")]
    InvalidText(TextRefused),
    /// A customer account would go below zero; nothing was booked.
    #[error("the account's balance would go below zero")]
    InsufficientFunds,
    /// The developer API may move the clock only when the sandbox runs with `--test-clock`.
    #[error("clock control is off; start the sandbox with --test-clock")]
    ClockControlOff,
    #[error("internal error: {0}")]
    Internal(&'static str),
}

/// A request that did not succeed: what the client is told, and nothing more.
#[derive(Debug)]
pub(crate) struct ApiFailure {
    status: StatusCode,
    code: ErrorCode,
    message: Cow<'static, str>,
    attempts_remaining: Option<u32>,
}

impl ApiFailure {
    pub(crate) fn new(code: ErrorCode, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            status: status_for(code),
            code,
            message: message.into(),
            attempts_remaining: None,
        }
    }

    pub(crate) fn bad_request(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorCode::BadRequest, message)
    }

    /// Same code, a more exact status (413, 415, 405).
    pub(crate) fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    pub(crate) fn with_attempts_remaining(mut self, remaining: u32) -> Self {
        self.attempts_remaining = Some(remaining);
        self
    }

    #[cfg(test)]
    pub(crate) fn code(&self) -> ErrorCode {
        self.code
    }

    pub(crate) fn is_internal(&self) -> bool {
        self.code == ErrorCode::Internal
    }

    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    /// Something broke inside the bank. The details go to the log; the client gets a generic
    /// message, because SQL text or file paths help an attacker and nobody else.
    pub(crate) fn internal(context: &'static str, detail: &dyn std::fmt::Display) -> Self {
        tracing::error!(%detail, "{context}");
        Self::new(
            ErrorCode::Internal,
            "internal error; the request may or may not have taken effect",
        )
    }
}

pub(crate) fn status_for(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::BadRequest
        | ErrorCode::ActivationInvalid
        | ErrorCode::OtpInvalid
        | ErrorCode::OtpExpired
        | ErrorCode::ChallengeInvalid
        | ErrorCode::PayeeInvalid
        | ErrorCode::CurrencyMismatch => StatusCode::BAD_REQUEST,
        ErrorCode::AuthenticationFailed | ErrorCode::Unauthorized | ErrorCode::SessionExpired => {
            StatusCode::UNAUTHORIZED
        }
        ErrorCode::DeviceBlocked | ErrorCode::Suspended | ErrorCode::StepUpRequired => {
            StatusCode::FORBIDDEN
        }
        ErrorCode::DeviceUnknown | ErrorCode::NotFound | ErrorCode::AccountUnknown => {
            StatusCode::NOT_FOUND
        }
        ErrorCode::IdempotencyConflict => StatusCode::CONFLICT,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        ErrorCode::WarningUnknown => StatusCode::BAD_REQUEST,
        ErrorCode::ExecutionDateInvalid => StatusCode::BAD_REQUEST,
        ErrorCode::NotCancellable => StatusCode::CONFLICT,
        ErrorCode::ChannelClosed | ErrorCode::LimitExceeded => StatusCode::FORBIDDEN,
        ErrorCode::LimitInvalid => StatusCode::BAD_REQUEST,
        ErrorCode::PayeeUnknown => StatusCode::NOT_FOUND,
        ErrorCode::PayeeExists | ErrorCode::PayeeChanged => StatusCode::CONFLICT,
    }
}

impl From<rusqlite::Error> for ApiFailure {
    fn from(error: rusqlite::Error) -> Self {
        Self::internal("database failure", &error)
    }
}

impl From<ring::error::Unspecified> for ApiFailure {
    fn from(error: ring::error::Unspecified) -> Self {
        Self::internal("system random generator failure", &error)
    }
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ApiError {
                code: self.code,
                message: self.message.into_owned(),
                attempts_remaining: self.attempts_remaining,
            },
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED
            && matches!(
                self.code,
                ErrorCode::Unauthorized | ErrorCode::SessionExpired
            )
        {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<SandboxError> for ApiFailure {
    fn from(error: SandboxError) -> Self {
        match error {
            SandboxError::UnknownCustomer => Self::new(ErrorCode::NotFound, "no such customer"),
            SandboxError::UnknownAccount => Self::new(ErrorCode::NotFound, "no such account"),
            SandboxError::UnknownMerchant => Self::new(ErrorCode::NotFound, "no such merchant"),
            SandboxError::InvalidRequest(message) => Self::bad_request(message),
            SandboxError::InvalidText(refused) => refused.into(),
            SandboxError::InsufficientFunds => {
                Self::bad_request("the account's balance would go below zero")
            }
            SandboxError::ClockControlOff => Self::new(
                ErrorCode::NotFound,
                "clock control is off; start the sandbox with --test-clock",
            ),
            SandboxError::Database(error) => error.into(),
            other => Self::internal("sandbox failure", &other),
        }
    }
}

impl From<LedgerError> for SandboxError {
    fn from(error: LedgerError) -> Self {
        match error {
            LedgerError::UnknownAccount => Self::UnknownAccount,
            LedgerError::InsufficientFunds => Self::InsufficientFunds,
            LedgerError::CurrencyMismatch => {
                Self::InvalidRequest("currency must be the account's currency")
            }
            LedgerError::Database(error) => Self::Database(error),
            LedgerError::Random => Self::Internal("the system random generator failed"),
            LedgerError::MalformedLegs | LedgerError::Unbalanced | LedgerError::Visibility => {
                tracing::error!(%error, "the bank built an entry the ledger refuses");
                Self::Internal("the bank built an entry the ledger refuses")
            }
        }
    }
}
