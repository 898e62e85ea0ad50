//! The error body every 4xx/5xx response carries. Messages never contain personal data.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Malformed request: bad JSON, wrong lengths, missing fields.
    BadRequest,
    /// The activation code is unknown, used or expired.
    ActivationInvalid,
    /// The one-time password does not match.
    OtpInvalid,
    /// The one-time password was right but is no longer valid.
    OtpExpired,
    /// The challenge is unknown, already used or expired.
    ChallengeInvalid,
    /// Authentication failed. Deliberately does not say which factor failed.
    AuthenticationFailed,
    /// The device binding is blocked (too many failures, clone suspected, revoked).
    DeviceBlocked,
    /// The device is not (or no longer) bound.
    DeviceUnknown,
    /// Missing, unknown or expired session token.
    Unauthorized,
    /// The session expired (idle or absolute cap).
    SessionExpired,
    /// The operation needs a fresher strong authentication: do a step-up
    /// (`POST /v1/session/step-up`) and try again with a new challenge.
    StepUpRequired,
    NotFound,
    /// The bank suspended this customer's e-banking.
    Suspended,
    /// The payee account number is malformed, fails its check digit, or is not known at the
    /// payee's bank.
    PayeeInvalid,
    /// The payer account is not one of this customer's accounts.
    AccountUnknown,
    /// The amount's currency is not the payer account's.
    CurrencyMismatch,
    /// The idempotency key was already used for a transfer with other fields.
    IdempotencyConflict,
    /// Something failed inside the bank. The request may or may not have taken effect.
    Internal,
    /// A transfer acknowledges a warning code the bank does not know
    /// (`transfer::WARNING_CODES`).
    WarningUnknown,
    /// The requested execution date is not a bank day from today to the last day the bank
    /// schedules (`YYYY-MM-DD`).
    ExecutionDateInvalid,
    /// The transfer cannot be cancelled: it already ran, was refused or cancelled, or was
    /// never scheduled.
    NotCancellable,
    /// The payment channel is off for this customer: the customer turns it on in the app.
    ChannelClosed,
    /// The amount is over a limit of the channel or of the device (per transaction, today,
    /// this month); `GET /v1/channels` shows the room left.
    LimitExceeded,
    /// A limit that is not a positive amount at the currency's scale, above the bank's
    /// ceiling, or out of order (per transaction ≤ daily ≤ monthly).
    LimitInvalid,
    /// No payee of this customer has this id (another customer's payee is just as unknown).
    PayeeUnknown,
    /// The customer already saved a payee with this account number at this bank.
    PayeeExists,
    /// The holder name the payee's bank registered changed since the name check: check again
    /// and show the new name.
    PayeeChanged,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApiError {
    pub code: ErrorCode,
    /// For people reading logs; never shown to customers as is, never contains personal data.
    pub message: String,
    /// Failed attempts left before the binding is blocked, where that applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts_remaining: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    pub error: ApiError,
}
