//! Request and response bodies. Times are Unix milliseconds (`*_ms`) of the bank's clock;
//! binary values are base64url; money is a decimal string with its currency.
//!
//! Customer API (HTTPS, pinned): `/v1/...`. The sandbox's developer API (plain HTTP on a separate
//! loopback listener, never part of a real bank) is under `/dev/...`. One module per area; every
//! type is also here, as `messages::X`.

mod accounts;
mod activation;
mod channels;
mod dev;
mod devices;
mod history;
mod limits;
mod login;
mod notices;
pub mod paths;
mod payees;
mod pin;
mod step_up;

pub use accounts::{Account, AccountsResponse, ProductKind};
pub use activation::{
    CompleteActivationRequest, CompleteActivationResponse, DeviceDescription,
    StartActivationRequest, StartActivationResponse,
};
pub use channels::{
    ChannelLimits, ChannelOpener, ChannelRoom, ChannelView, ChannelsResponse,
    DisableChannelRequest, EnableChannelRequest, PendingLimits, SetLimitsRequest,
};
pub use dev::{
    AppendTransactionRequest, IssueActivationRequest, IssueActivationResponse, Notification,
    NotificationOutbox, SmsMessage, SmsOutbox,
};
pub use devices::{
    DeviceInfo, DeviceStatus, DevicesResponse, ReenrolBiometricRequest, ReenrolBiometricResponse,
    RevokeDeviceRequest, RevokeDeviceResponse, UnbindDeviceRequest,
};
pub use history::{Transaction, TransactionsPage, TransactionsQuery, TRANSACTION_CATEGORIES};
pub use limits::{LimitReason, Limits};
pub use login::{
    ChallengeResponse, IntegritySignals, LoginChallengeRequest, LoginRequest, LoginResponse,
};
pub use notices::{Notice, NoticeKind};
pub use payees::{
    AddPayeeRequest, PayeeCheckRequest, PayeeCheckResponse, PayeeView, PayeesResponse,
    RemovePayeeRequest, RenamePayeeRequest, MAX_NICKNAME_CHARS,
};
pub use pin::{PinChangeBeginRequest, PinChangeCommitRequest, PinChangeResponse, PinChangeTicket};
pub use step_up::{ChallengePurpose, ChallengeRequest, StepUpRequest, StepUpResponse};
