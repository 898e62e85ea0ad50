//! Saved payees: an account the customer sends to again, kept by the bank with the holder name
//! the payee's bank registered and a nickname the customer chose. Adding one is a name check
//! (the bank answers with the registered name and a challenge), then a possession signature
//! over `operations::add_payee` after a fresh strong authentication.

use serde::{Deserialize, Serialize};

use crate::assertion::Assertion;
use crate::b64;

/// Longest nickname, in Unicode scalar values after trimming and NFC.
pub const MAX_NICKNAME_CHARS: usize = 32;

/// Who holds an account: asked before a payee is added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PayeeCheckRequest {
    /// Digits only.
    pub account_number: String,
    pub bank_code: String,
}

/// The holder name the payee's bank registered, and the challenge an add of this account
/// signs. The check is kept by the bank under `check_id` until `expires_at_ms`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PayeeCheckResponse {
    /// Also the id of the `operation` challenge: one add per check.
    pub check_id: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::challenge))]
    #[serde(with = "b64")]
    pub challenge: Vec<u8>,
    pub registered_name: String,
    /// `**** 6509`.
    pub masked_account_number: String,
    pub bank_name: String,
    pub expires_at_ms: i64,
    pub server_time_ms: i64,
}

/// Saves the checked account as a payee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AddPayeeRequest {
    pub check_id: String,
    /// Display text (`text::display_text`), one script's letters, at most
    /// [`MAX_NICKNAME_CHARS`].
    pub nickname: String,
    /// `possession`, ceremony `mobank.operation`, over the check's challenge, operation
    /// `add_payee:<bank_code>:<masked account>:<registered name>` (`operations::add_payee`).
    pub assertion: Assertion,
}

/// One saved payee. The full account number goes to the phone's core only, which shows the
/// masked one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PayeeView {
    pub payee_id: String,
    pub account_number: String,
    pub masked_account_number: String,
    pub bank_code: String,
    pub bank_name: String,
    /// As the payee's bank registered it when the payee was added; never changed by the
    /// customer.
    pub registered_name: String,
    pub nickname: String,
    pub added_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PayeesResponse {
    /// Oldest first.
    pub payees: Vec<PayeeView>,
    pub server_time_ms: i64,
}

/// A new nickname. Needs only the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RenamePayeeRequest {
    pub payee_id: String,
    pub nickname: String,
}

/// Forgets a payee at once. Needs only the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RemovePayeeRequest {
    pub payee_id: String,
}
