//! Every type a peer's JSON can be parsed as, each with its round-trip check: the `messages`
//! target runs them all on every input. `tests/message_types.rs` fails when the protocol crate
//! gains a deserialisable type that is missing here.

use mobank_protocol::messages::{
    Account, AccountsResponse, AddPayeeRequest, AppendTransactionRequest, ChallengePurpose,
    ChallengeRequest, ChallengeResponse, ChannelLimits, ChannelOpener, ChannelRoom, ChannelView,
    ChannelsResponse, CompleteActivationRequest, CompleteActivationResponse, DeviceDescription,
    DeviceInfo, DeviceStatus, DevicesResponse, DisableChannelRequest, EnableChannelRequest,
    IntegritySignals, IssueActivationRequest, IssueActivationResponse, LimitReason, Limits,
    LoginChallengeRequest, LoginRequest, LoginResponse, Notice, NoticeKind, Notification,
    NotificationOutbox, PayeeCheckRequest, PayeeCheckResponse, PayeeView, PayeesResponse,
    PendingLimits, PinChangeBeginRequest, PinChangeCommitRequest, PinChangeResponse,
    PinChangeTicket, ProductKind, ReenrolBiometricRequest, ReenrolBiometricResponse,
    RemovePayeeRequest, RenamePayeeRequest, RevokeDeviceRequest, RevokeDeviceResponse,
    SetLimitsRequest, SmsMessage, SmsOutbox, StartActivationRequest, StartActivationResponse,
    StepUpRequest, StepUpResponse, Transaction, TransactionsPage, TransactionsQuery,
    UnbindDeviceRequest,
};
use mobank_protocol::money::{Amount, Currency};
use mobank_protocol::transfer::messages::{
    CancelTransferRequest, QuoteRequest, QuoteResponse, Schedule, ScheduleReason,
    SubmitTransferRequest, TransferResponse,
};
use mobank_protocol::transfer::{
    CanonicalTransfer, Channel, Outcome, Payee, Receipt, RejectReason,
};
use mobank_protocol::{ApiError, Assertion, Ceremony, ClientData, ErrorBody, ErrorCode, Factor};

use crate::round_trip::check;

/// A type's name and its check: parses the bytes as that type, panics if what parses does not
/// survive a round trip, and says whether they parsed.
pub type Check = (&'static str, fn(&[u8]) -> bool);

macro_rules! check {
    ($ty:ident) => {
        (stringify!($ty), check::<$ty> as fn(&[u8]) -> bool)
    };
}

pub const CHECKS: &[Check] = &[
    // developer API
    check!(IssueActivationRequest),
    check!(IssueActivationResponse),
    check!(SmsMessage),
    check!(SmsOutbox),
    check!(Notification),
    check!(NotificationOutbox),
    check!(AppendTransactionRequest),
    // device binding
    check!(StartActivationRequest),
    check!(StartActivationResponse),
    check!(DeviceDescription),
    check!(CompleteActivationRequest),
    check!(CompleteActivationResponse),
    // login
    check!(LoginChallengeRequest),
    check!(ChallengeResponse),
    check!(LoginRequest),
    check!(IntegritySignals),
    check!(LoginResponse),
    check!(NoticeKind),
    check!(Notice),
    check!(LimitReason),
    check!(Limits),
    // step-up and operation challenges
    check!(ChallengePurpose),
    check!(ChallengeRequest),
    check!(StepUpRequest),
    check!(StepUpResponse),
    // devices
    check!(DeviceStatus),
    check!(DeviceInfo),
    check!(DevicesResponse),
    check!(RevokeDeviceRequest),
    check!(UnbindDeviceRequest),
    check!(RevokeDeviceResponse),
    check!(ReenrolBiometricRequest),
    check!(ReenrolBiometricResponse),
    // PIN change
    check!(PinChangeBeginRequest),
    check!(PinChangeTicket),
    check!(PinChangeCommitRequest),
    check!(PinChangeResponse),
    // accounts and history
    check!(ProductKind),
    check!(Account),
    check!(AccountsResponse),
    check!(TransactionsQuery),
    check!(Transaction),
    check!(TransactionsPage),
    // money
    check!(Currency),
    check!(Amount),
    // transfers
    check!(Channel),
    check!(Payee),
    check!(CanonicalTransfer),
    check!(QuoteRequest),
    check!(QuoteResponse),
    check!(SubmitTransferRequest),
    check!(Outcome),
    check!(RejectReason),
    check!(Receipt),
    check!(TransferResponse),
    // errors
    check!(ErrorCode),
    check!(ApiError),
    check!(ErrorBody),
    // assertions
    check!(Factor),
    check!(Ceremony),
    check!(ClientData),
    check!(Assertion),
    // channels and limits
    check!(ChannelLimits),
    check!(ChannelOpener),
    check!(ChannelRoom),
    check!(ChannelView),
    check!(ChannelsResponse),
    check!(DisableChannelRequest),
    check!(EnableChannelRequest),
    check!(PendingLimits),
    check!(SetLimitsRequest),
    // scheduled transfers
    check!(CancelTransferRequest),
    check!(Schedule),
    check!(ScheduleReason),
    // payees
    check!(PayeeCheckRequest),
    check!(PayeeCheckResponse),
    check!(AddPayeeRequest),
    check!(PayeeView),
    check!(PayeesResponse),
    check!(RenamePayeeRequest),
    check!(RemovePayeeRequest),
];

/// The check of the type named `name`, if it is listed.
pub fn check_of(name: &str) -> Option<fn(&[u8]) -> bool> {
    CHECKS
        .iter()
        .find(|(listed, _)| *listed == name)
        .map(|(_, check)| *check)
}
