//! The layout of `vectors/*.json`, shared by the generator (`examples/make-vectors.rs`) and the
//! test that checks the code against the committed files (`tests/vectors.rs`), so both read and
//! write exactly the same fields. `deny_unknown_fields` everywhere: a typo in the file fails.
//! Fields added after the first version are optional and omitted when absent, so the files
//! written before them read and write back unchanged.

// The generator and the test each use a different part of this file.
#![allow(dead_code)]

use mobank_protocol::messages::{
    AccountsResponse, AppendTransactionRequest, ChallengeRequest, ChallengeResponse,
    CompleteActivationRequest, CompleteActivationResponse, DevicesResponse, IssueActivationRequest,
    IssueActivationResponse, LoginChallengeRequest, LoginRequest, LoginResponse,
    NotificationOutbox, PinChangeBeginRequest, PinChangeCommitRequest, PinChangeResponse,
    PinChangeTicket, RevokeDeviceRequest, RevokeDeviceResponse, SmsOutbox, StartActivationRequest,
    StartActivationResponse, StepUpRequest, StepUpResponse, Transaction, TransactionsPage,
    UnbindDeviceRequest,
};
use mobank_protocol::{Assertion, Ceremony, ErrorBody, Expectation, Factor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `vectors/assertions.json`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssertionVectors {
    pub description: String,
    /// How to read the fields; one sentence per line.
    pub notes: Vec<String>,
    pub keys: Vec<TestKey>,
    pub valid: Vec<ValidVector>,
    pub invalid: Vec<InvalidVector>,
}

/// A fixed P-256 key, published on purpose: never use it for anything but tests.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestKey {
    pub name: String,
    pub description: String,
    /// PKCS#8 v1 DER (RFC 5208) holding an ECPrivateKey with its public key, base64url.
    pub pkcs8_der: String,
    /// Uncompressed SEC1 point (0x04 ‖ X ‖ Y, 65 bytes), base64url.
    pub public_key: String,
    pub public_key_hex: String,
}

/// Everything the device puts into one assertion.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inputs {
    pub rp_id: String,
    pub ceremony: Ceremony,
    /// The server challenge, base64url.
    pub challenge: String,
    pub flags: u8,
    pub sign_count: u32,
    /// For `mobank.operation`: the operation text put into the client data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
}

/// What the bank expects, i.e. `mobank_protocol::Expectation` with owned fields.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectationJson {
    pub rp_id: String,
    pub ceremony: Ceremony,
    /// base64url.
    pub challenge: String,
    pub require_user_verified: bool,
    pub previous_sign_count: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
}

impl ExpectationJson {
    /// `challenge` is the decoded challenge, which `Expectation` borrows.
    pub fn borrow<'a>(&'a self, challenge: &'a [u8]) -> Expectation<'a> {
        Expectation {
            rp_id: &self.rp_id,
            ceremony: self.ceremony,
            challenge,
            require_user_verified: self.require_user_verified,
            previous_sign_count: self.previous_sign_count,
            operation: self.operation.as_deref(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidVector {
    pub name: String,
    pub description: String,
    /// `name` of the entry in `keys` that signed.
    pub key: String,
    pub factor: Factor,
    pub inputs: Inputs,
    pub rp_id_hash_hex: String,
    pub authenticator_data_hex: String,
    /// The client data JSON exactly as signed, as text (it is UTF-8).
    pub client_data_json_text: String,
    pub client_data_hash_hex: String,
    pub signed_bytes_hex: String,
    pub signature_der_hex: String,
    /// The assertion exactly as it travels in a request.
    pub assertion: Assertion,
    pub expectation: ExpectationJson,
    pub expected: Verified,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verified {
    pub sign_count: u32,
    pub user_verified: bool,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvalidVector {
    pub name: String,
    pub description: String,
    /// What was changed relative to a valid assertion, and whether it was re-signed afterwards.
    pub mutation: String,
    /// The public key the bank has on file for this device key, base64url.
    pub public_key: String,
    pub assertion: Assertion,
    pub expectation: ExpectationJson,
    /// The `mobank_protocol::VerifyError` variant name.
    pub expected_error: String,
}

/// `vectors/knowledge.json`: the knowledge (PIN) factor, HMAC-SHA256 instead of ECDSA. HMAC is
/// deterministic, so every byte of this file is fixed.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnowledgeVectors {
    pub description: String,
    pub notes: Vec<String>,
    pub keys: Vec<KnowledgeTestKey>,
    pub valid: Vec<ValidKnowledgeVector>,
    pub invalid: Vec<InvalidKnowledgeVector>,
}

/// A fixed 32-byte knowledge key, published on purpose: never use it for anything but tests.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnowledgeTestKey {
    pub name: String,
    pub description: String,
    /// base64url, as in `CompleteActivationRequest.knowledge_key`.
    pub key: String,
    pub key_hex: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidKnowledgeVector {
    pub name: String,
    pub description: String,
    /// `name` of the entry in `keys` that made the tag.
    pub key: String,
    pub factor: Factor,
    pub inputs: Inputs,
    pub authenticator_data_hex: String,
    pub client_data_json_text: String,
    pub signed_bytes_hex: String,
    /// HMAC-SHA256(key, signed_bytes), 32 bytes.
    pub signature_hex: String,
    pub assertion: Assertion,
    pub expectation: ExpectationJson,
    pub expected: Verified,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvalidKnowledgeVector {
    pub name: String,
    pub description: String,
    pub mutation: String,
    /// `name` of the entry in `keys` the bank has on file for this device.
    pub key: String,
    pub assertion: Assertion,
    pub expectation: ExpectationJson,
    pub expected_error: String,
}

/// `vectors/messages.json`. `J` is `AnyMessage` when writing, so every body keeps the field
/// order serde gives it, and `Value` when reading.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageExamples<J = Value> {
    pub description: String,
    pub notes: Vec<String>,
    pub messages: Vec<MessageExample<J>>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageExample<J = Value> {
    /// The Rust type in `mobank_protocol` (`messages::…` or `error::ErrorBody`).
    #[serde(rename = "type")]
    pub type_name: String,
    /// e.g. `POST /v1/login` (request or response of that endpoint).
    pub endpoint: String,
    pub direction: Direction,
    pub description: String,
    pub json: J,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Request,
    Response,
    Error,
}

/// Every request and response body, serialised as itself.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum AnyMessage {
    IssueActivationRequest(IssueActivationRequest),
    IssueActivationResponse(IssueActivationResponse),
    SmsOutbox(SmsOutbox),
    StartActivationRequest(StartActivationRequest),
    StartActivationResponse(StartActivationResponse),
    CompleteActivationRequest(CompleteActivationRequest),
    CompleteActivationResponse(CompleteActivationResponse),
    LoginChallengeRequest(LoginChallengeRequest),
    ChallengeResponse(ChallengeResponse),
    LoginRequest(LoginRequest),
    LoginResponse(LoginResponse),
    AccountsResponse(AccountsResponse),
    ErrorBody(ErrorBody),
    TransactionsPage(TransactionsPage),
    Transaction(Transaction),
    AppendTransactionRequest(AppendTransactionRequest),
    ChallengeRequest(ChallengeRequest),
    StepUpRequest(StepUpRequest),
    StepUpResponse(StepUpResponse),
    DevicesResponse(DevicesResponse),
    RevokeDeviceRequest(RevokeDeviceRequest),
    UnbindDeviceRequest(UnbindDeviceRequest),
    RevokeDeviceResponse(RevokeDeviceResponse),
    PinChangeBeginRequest(PinChangeBeginRequest),
    PinChangeTicket(PinChangeTicket),
    PinChangeCommitRequest(PinChangeCommitRequest),
    PinChangeResponse(PinChangeResponse),
    NotificationOutbox(NotificationOutbox),
}

impl AnyMessage {
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::IssueActivationRequest(_) => "IssueActivationRequest",
            Self::IssueActivationResponse(_) => "IssueActivationResponse",
            Self::SmsOutbox(_) => "SmsOutbox",
            Self::StartActivationRequest(_) => "StartActivationRequest",
            Self::StartActivationResponse(_) => "StartActivationResponse",
            Self::CompleteActivationRequest(_) => "CompleteActivationRequest",
            Self::CompleteActivationResponse(_) => "CompleteActivationResponse",
            Self::LoginChallengeRequest(_) => "LoginChallengeRequest",
            Self::ChallengeResponse(_) => "ChallengeResponse",
            Self::LoginRequest(_) => "LoginRequest",
            Self::LoginResponse(_) => "LoginResponse",
            Self::AccountsResponse(_) => "AccountsResponse",
            Self::ErrorBody(_) => "ErrorBody",
            Self::TransactionsPage(_) => "TransactionsPage",
            Self::Transaction(_) => "Transaction",
            Self::AppendTransactionRequest(_) => "AppendTransactionRequest",
            Self::ChallengeRequest(_) => "ChallengeRequest",
            Self::StepUpRequest(_) => "StepUpRequest",
            Self::StepUpResponse(_) => "StepUpResponse",
            Self::DevicesResponse(_) => "DevicesResponse",
            Self::RevokeDeviceRequest(_) => "RevokeDeviceRequest",
            Self::UnbindDeviceRequest(_) => "UnbindDeviceRequest",
            Self::RevokeDeviceResponse(_) => "RevokeDeviceResponse",
            Self::PinChangeBeginRequest(_) => "PinChangeBeginRequest",
            Self::PinChangeTicket(_) => "PinChangeTicket",
            Self::PinChangeCommitRequest(_) => "PinChangeCommitRequest",
            Self::PinChangeResponse(_) => "PinChangeResponse",
            Self::NotificationOutbox(_) => "NotificationOutbox",
        }
    }

    /// Parses `json` strictly as the named type.
    pub fn parse(type_name: &str, json: Value) -> Result<Self, String> {
        use serde_json::from_value;
        let parsed = match type_name {
            "IssueActivationRequest" => from_value(json).map(Self::IssueActivationRequest),
            "IssueActivationResponse" => from_value(json).map(Self::IssueActivationResponse),
            "SmsOutbox" => from_value(json).map(Self::SmsOutbox),
            "StartActivationRequest" => from_value(json).map(Self::StartActivationRequest),
            "StartActivationResponse" => from_value(json).map(Self::StartActivationResponse),
            "CompleteActivationRequest" => from_value(json).map(Self::CompleteActivationRequest),
            "CompleteActivationResponse" => from_value(json).map(Self::CompleteActivationResponse),
            "LoginChallengeRequest" => from_value(json).map(Self::LoginChallengeRequest),
            "ChallengeResponse" => from_value(json).map(Self::ChallengeResponse),
            "LoginRequest" => from_value(json).map(Self::LoginRequest),
            "LoginResponse" => from_value(json).map(Self::LoginResponse),
            "AccountsResponse" => from_value(json).map(Self::AccountsResponse),
            "ErrorBody" => from_value(json).map(Self::ErrorBody),
            "TransactionsPage" => from_value(json).map(Self::TransactionsPage),
            "Transaction" => from_value(json).map(Self::Transaction),
            "AppendTransactionRequest" => from_value(json).map(Self::AppendTransactionRequest),
            "ChallengeRequest" => from_value(json).map(Self::ChallengeRequest),
            "StepUpRequest" => from_value(json).map(Self::StepUpRequest),
            "StepUpResponse" => from_value(json).map(Self::StepUpResponse),
            "DevicesResponse" => from_value(json).map(Self::DevicesResponse),
            "RevokeDeviceRequest" => from_value(json).map(Self::RevokeDeviceRequest),
            "UnbindDeviceRequest" => from_value(json).map(Self::UnbindDeviceRequest),
            "RevokeDeviceResponse" => from_value(json).map(Self::RevokeDeviceResponse),
            "PinChangeBeginRequest" => from_value(json).map(Self::PinChangeBeginRequest),
            "PinChangeTicket" => from_value(json).map(Self::PinChangeTicket),
            "PinChangeCommitRequest" => from_value(json).map(Self::PinChangeCommitRequest),
            "PinChangeResponse" => from_value(json).map(Self::PinChangeResponse),
            "NotificationOutbox" => from_value(json).map(Self::NotificationOutbox),
            other => return Err(format!("unknown message type {other}")),
        };
        parsed.map_err(|e| format!("{type_name}: {e}"))
    }
}
