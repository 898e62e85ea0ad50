//! The one error the app sees (Kotlin `MobankException`, Swift `MobankError`), converted from the
//! core's `MobankError` at exactly one place: the `From` below. Messages never contain personal
//! data or secrets; the core already guarantees that for its own messages.

use mobank_core as core;

/// Why a new PIN was refused (shown to the customer; it never contains digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum PinRejection {
    /// Not exactly six ASCII digits.
    NotSixDigits,
    /// One digit six times: 000000, 777777.
    SameDigit,
    /// Digits going up or down by the same step: 123456, 654321.
    Sequence,
    /// A short block repeated or mirrored, or doubled digits: 121212, 123123, 112233.
    Pattern,
    /// Reads as a date.
    Date,
    /// A keypad shape or a number with a meaning, from a fixed list.
    Common,
}

impl From<core::PinRejection> for PinRejection {
    fn from(reason: core::PinRejection) -> Self {
        match reason {
            core::PinRejection::NotSixDigits => PinRejection::NotSixDigits,
            core::PinRejection::SameDigit => PinRejection::SameDigit,
            core::PinRejection::Sequence => PinRejection::Sequence,
            core::PinRejection::Pattern => PinRejection::Pattern,
            core::PinRejection::Date => PinRejection::Date,
            core::PinRejection::Common => PinRejection::Common,
        }
    }
}

/// Everything that can go wrong in a Mobank call, typed so the app can react to each case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum MobankError {
    /// The app passed something malformed; `what` names the rule, never the value.
    #[error("invalid input: {what}")]
    InvalidInput { what: String },
    #[error("the activation code is not valid")]
    ActivationCodeInvalid,
    #[error("the SMS code is not valid")]
    OtpInvalid,
    #[error("the SMS code has expired")]
    OtpExpired,
    #[error("no activation is in progress")]
    NoActivationInProgress,
    #[error("this device is already bound")]
    AlreadyBound,
    #[error("this device is not bound")]
    NotBound,
    /// Never says which factor was wrong.
    #[error("authentication failed")]
    AuthenticationFailed { attempts_remaining: Option<u32> },
    /// The bank blocked this binding; a fresh activation unblocks it.
    #[error("this device is blocked")]
    DeviceBlocked,
    #[error("the bank rejected the challenge")]
    ChallengeRejected,
    #[error("not logged in")]
    NotLoggedIn,
    #[error("the session has expired")]
    SessionExpired,
    /// A device key was permanently invalidated: re-bind.
    #[error("a device key was invalidated")]
    KeyInvalidated,
    /// The biometric enrolment changed: log in with the PIN, then set up biometrics again.
    #[error("the biometric enrolment changed; log in with the PIN")]
    BiometryChanged,
    /// Too many failed biometric checks on this phone: log in with the PIN.
    #[error("too many failed biometric checks; log in with the PIN")]
    PinRequired,
    /// A new PIN was refused before anything was sent; `reason` says which rule, never the digits.
    #[error("the PIN was refused: {reason:?}")]
    PinRejected { reason: PinRejection },
    #[error("no PIN is set for this binding")]
    PinNotSet,
    #[error("no PIN change is in progress")]
    NoPinChangeInProgress,
    /// The operation needs a fresh strong authentication first.
    #[error("a fresh authentication is required for this operation")]
    StepUpRequired,
    /// The platform key store is unavailable right now (device locked): try again later.
    #[error("the key store is locked")]
    KeyStoreLocked,
    #[error("the customer cancelled")]
    UserCancelled,
    #[error("key store error: {detail}")]
    KeyStore { detail: String },
    /// The server's certificate matched none of the configured pins; nothing was sent.
    #[error("the bank's certificate does not match the pinned keys")]
    PinningFailed,
    #[error("TLS error: {detail}")]
    Tls { detail: String },
    #[error("network error: {detail}")]
    Network { detail: String },
    /// A timeout after the request may have reached the bank: the outcome is unknown, reconcile.
    #[error("the outcome is unknown; check with the bank before retrying")]
    OutcomeUnknown,
    #[error("the bank rejected the request ({code}): {detail}")]
    ServerRejected { code: String, detail: String },
    #[error("local storage error: {detail}")]
    Storage { detail: String },
    /// The store's key cannot be used right now (phone locked): nothing is lost, try again later.
    #[error("storage is locked until the phone is unlocked")]
    StorageLocked,
    /// The store's key is gone: re-bind. `outbox_entries` queued transfers could not be read.
    #[error("the storage key is lost; re-bind required")]
    StorageKeyLost { outbox_entries: u64 },
    /// The store and its backup copy are damaged: re-bind.
    #[error("storage is damaged beyond repair; re-bind required")]
    StorageCorrupt,
    /// The history on the phone failed its integrity check and was cleared: sync again.
    #[error("the stored history was damaged and has been cleared; sync again")]
    HistoryDamaged,
    /// Between pausing and resuming the store.
    #[error("storage is paused")]
    StoragePaused,
    /// The history sync was cut after storing `fetched` transactions; syncing again resumes.
    #[error("the history sync was interrupted; sync again to resume")]
    SyncInterrupted { fetched: u64 },
    #[error("internal error: {detail}")]
    Internal { detail: String },
}

impl From<core::MobankError> for MobankError {
    fn from(error: core::MobankError) -> Self {
        use core::MobankError as E;
        match error {
            E::InvalidInput { what } => MobankError::InvalidInput { what },
            E::ActivationCodeInvalid => MobankError::ActivationCodeInvalid,
            E::OtpInvalid => MobankError::OtpInvalid,
            E::OtpExpired => MobankError::OtpExpired,
            E::NoActivationInProgress => MobankError::NoActivationInProgress,
            E::AlreadyBound => MobankError::AlreadyBound,
            E::NotBound => MobankError::NotBound,
            E::AuthenticationFailed { attempts_remaining } => {
                MobankError::AuthenticationFailed { attempts_remaining }
            }
            E::DeviceBlocked => MobankError::DeviceBlocked,
            E::ChallengeRejected => MobankError::ChallengeRejected,
            E::NotLoggedIn => MobankError::NotLoggedIn,
            E::SessionExpired => MobankError::SessionExpired,
            E::KeyInvalidated => MobankError::KeyInvalidated,
            E::BiometryChanged => MobankError::BiometryChanged,
            E::PinRequired => MobankError::PinRequired,
            E::PinRejected { reason } => MobankError::PinRejected {
                reason: reason.into(),
            },
            E::PinNotSet => MobankError::PinNotSet,
            E::NoPinChangeInProgress => MobankError::NoPinChangeInProgress,
            E::StepUpRequired => MobankError::StepUpRequired,
            E::KeyStoreLocked => MobankError::KeyStoreLocked,
            E::UserCancelled => MobankError::UserCancelled,
            E::KeyStore { message } => MobankError::KeyStore { detail: message },
            E::PinningFailed => MobankError::PinningFailed,
            E::Tls { message } => MobankError::Tls { detail: message },
            E::Network { message } => MobankError::Network { detail: message },
            E::OutcomeUnknown => MobankError::OutcomeUnknown,
            E::ServerRejected { code, message } => MobankError::ServerRejected {
                code,
                detail: message,
            },
            E::Storage { message } => MobankError::Storage { detail: message },
            E::StorageLocked => MobankError::StorageLocked,
            E::StorageKeyLost { outbox_entries } => MobankError::StorageKeyLost { outbox_entries },
            E::StorageCorrupt => MobankError::StorageCorrupt,
            E::HistoryDamaged => MobankError::HistoryDamaged,
            E::StoragePaused => MobankError::StoragePaused,
            E::SyncInterrupted { fetched } => MobankError::SyncInterrupted { fetched },
            E::Internal { message } => MobankError::Internal { detail: message },
        }
    }
}
