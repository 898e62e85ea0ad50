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
    pub const TRANSFER_PREFIX: &str = "/v1/transfers/";
}

/// What the customer entered, checked by the phone first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[serde(deny_unknown_fields)]
pub struct TransferResponse {
    pub receipt: Receipt,
}
