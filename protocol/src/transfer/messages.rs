//! The transfer requests and responses of the customer API. All inside a session (bearer token).

use serde::{Deserialize, Serialize};

use super::canonical::{CanonicalTransfer, Channel, IdempotencyKey};
use super::receipt::Receipt;
use crate::assertion::Assertion;
use crate::money::Amount;

pub mod paths {
    /// `POST`: the bank quotes a transfer: payee's registered name, fee, execution date, challenge.
    pub const TRANSFER_QUOTES: &str = "/v1/transfers/quote";
    /// `POST`: a signed transfer.
    pub const TRANSFERS: &str = "/v1/transfers";
    /// `GET /v1/transfers/{idempotency_key}`: the outcome the bank recorded for that key.
    /// `POST /v1/transfers/{idempotency_key}/cancel`: cancels a scheduled transfer.
    pub const TRANSFER_PREFIX: &str = "/v1/transfers/";
    /// The last segment of a cancel's path.
    pub const CANCEL_SUFFIX: &str = "/cancel";
}

/// What the customer entered, checked by the phone first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QuoteRequest {
    pub payer_account_id: String,
    pub payee_account_number: String,
    pub payee_bank_code: String,
    pub amount: Amount,
    pub memo: String,
    pub channel: Channel,
    /// Made once per intent by the phone; a new quote for the same intent reuses it.
    pub idempotency_key: IdempotencyKey,
    /// The bank day (`YYYY-MM-DD`, Beijing) the customer wants the transfer booked; absent:
    /// as soon as the bank's policy allows. At most [`MAX_SCHEDULE_DAYS`] days ahead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::date))]
    pub execution_date: Option<String>,
}

/// How many days ahead a transfer can be scheduled.
pub const MAX_SCHEDULE_DAYS: i64 = 30;

/// Why a quoted transfer will not be booked when it is submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ScheduleReason {
    /// The customer asked for a later execution date.
    Requested,
    /// The bank's policy holds a first transfer of this size to this payee.
    NewPayee,
    /// The bank's policy holds a transfer this large.
    LargeAmount,
}

impl ScheduleReason {
    pub const fn code(self) -> &'static str {
        match self {
            ScheduleReason::Requested => "requested",
            ScheduleReason::NewPayee => "new_payee",
            ScheduleReason::LargeAmount => "large_amount",
        }
    }
}

/// When a quoted transfer will run if it is accepted, and why not at once. Until then it can
/// be cancelled (`POST /v1/transfers/{key}/cancel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// Bank time (Unix ms): the start of the signed `execution_date`, or the quote time plus
    /// the policy's delay, whichever is later.
    pub runs_at_ms: u64,
    pub reason: ScheduleReason,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QuoteResponse {
    /// The transfer to confirm and sign, complete but for `acknowledged_warnings` (empty): the
    /// request's fields echoed, the payee's registered name, the fee, the execution date, a
    /// fresh single-use challenge and the quote time.
    pub transfer: CanonicalTransfer,
    /// The payee's bank, for display (`Mobank Sandbox Bank`).
    pub payee_bank_name: String,
    /// The challenge expires then; sign and submit before.
    pub expires_at_ms: u64,
    /// Absent: booked when submitted. Present: held until then, cancellable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
}

/// A signed cancel of a scheduled transfer. The path names the idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CancelTransferRequest {
    /// An `operation` challenge of this session.
    pub challenge_id: String,
    /// `possession`, ceremony `mobank.operation`, operation
    /// `cancel_transfer:<idempotency key, lower-case hex>`.
    pub assertion: Assertion,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SubmitTransferRequest {
    /// The fields the bank executes, exactly as signed.
    pub transfer: CanonicalTransfer,
    /// `possession` and one of `user_verified` / `knowledge`, ceremony `mobank.transfer`, over
    /// the transfer's challenge, operation `transfer:v1:<base64url(SHA-256(canonical bytes))>`.
    pub assertions: Vec<Assertion>,
}

/// The answer to a submit and to a status query, for accepted and rejected transfers alike.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TransferResponse {
    pub receipt: Receipt,
}
