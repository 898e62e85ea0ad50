//! Every message body of `messages.json`, typed: written with each type's own field order and
//! read back strictly as the type an example names.

use serde::Serialize;
use serde_json::Value;

use crate::messages::{
    AccountsResponse, AppendTransactionRequest, ChallengeRequest, ChallengeResponse,
    CompleteActivationRequest, CompleteActivationResponse, DevicesResponse, IssueActivationRequest,
    IssueActivationResponse, LoginChallengeRequest, LoginRequest, LoginResponse,
    NotificationOutbox, PinChangeBeginRequest, PinChangeCommitRequest, PinChangeResponse,
    PinChangeTicket, ReenrolBiometricRequest, ReenrolBiometricResponse, RevokeDeviceRequest,
    RevokeDeviceResponse, SmsOutbox, StartActivationRequest, StartActivationResponse,
    StepUpRequest, StepUpResponse, Transaction, TransactionsPage, UnbindDeviceRequest,
};
use crate::ErrorBody;

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
    ReenrolBiometricRequest(ReenrolBiometricRequest),
    ReenrolBiometricResponse(ReenrolBiometricResponse),
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
            Self::ReenrolBiometricRequest(_) => "ReenrolBiometricRequest",
            Self::ReenrolBiometricResponse(_) => "ReenrolBiometricResponse",
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
            "ReenrolBiometricRequest" => from_value(json).map(Self::ReenrolBiometricRequest),
            "ReenrolBiometricResponse" => from_value(json).map(Self::ReenrolBiometricResponse),
            other => return Err(format!("unknown message type {other}")),
        };
        parsed.map_err(|e| format!("{type_name}: {e}"))
    }
}
