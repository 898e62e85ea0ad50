//! Challenges inside a session, and the step-up: a fresh strong authentication.

use serde::{Deserialize, Serialize};

use crate::assertion::Assertion;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChallengePurpose {
    /// For `POST /v1/session/step-up` (ceremony `mobank.step_up`).
    StepUp,
    /// For an operation (ceremony `mobank.operation`): revoke, unbind, PIN change.
    Operation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChallengeRequest {
    pub purpose: ChallengePurpose,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StepUpRequest {
    pub challenge_id: String,
    /// `mobank.step_up` assertions: `possession` and one of `user_verified` or `knowledge`.
    pub assertions: Vec<Assertion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StepUpResponse {
    /// The session's last strong authentication, now.
    pub strong_auth_at_ms: i64,
    pub server_time_ms: i64,
}
