//! The PIN change, in two signed steps.

use serde::{Deserialize, Serialize};

use crate::assertion::Assertion;
use crate::b64;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PinChangeBeginRequest {
    /// An `operation` challenge of this session.
    pub challenge_id: String,
    /// `possession` and `knowledge` (old PIN), ceremony `mobank.operation`, operation
    /// `pin_change:begin`.
    pub assertions: Vec<Assertion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PinChangeTicket {
    pub ticket_id: String,
    /// What the commit assertions sign.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::challenge))]
    #[serde(with = "b64")]
    pub challenge: Vec<u8>,
    pub expires_at_ms: i64,
    pub server_time_ms: i64,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PinChangeCommitRequest {
    pub ticket_id: String,
    /// A new 32-byte knowledge key for the new PIN. A new key rather than the old one under the
    /// new PIN: a copy of the phone's files taken while the old PIN was known is then worthless.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::knowledge_key))]
    #[serde(with = "b64")]
    pub new_knowledge_key: Vec<u8>,
    /// Over the ticket's challenge, ceremony `mobank.operation`, operation
    /// `pin_change:commit:<ticket_id>`: `possession`, and `knowledge` made with the NEW key.
    pub assertions: Vec<Assertion>,
}

/// The new knowledge key stays out of logs.
impl std::fmt::Debug for PinChangeCommitRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PinChangeCommitRequest")
            .field("ticket_id", &self.ticket_id)
            .field("new_knowledge_key", &"***")
            .field("assertions", &self.assertions)
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PinChangeResponse {
    pub changed_at_ms: i64,
    pub server_time_ms: i64,
}
