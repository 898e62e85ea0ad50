//! The one public error, and the one place internal errors are turned into it.
//!
//! Every message is written here, so this file is where to check that none of them carries a
//! secret or personal data: values typed by the customer are never echoed, file paths (which
//! can contain a user name) are never included, and text from the bank is cut short and
//! stripped of control characters.

use mobank_protocol::{ApiError, ErrorCode};
use mobank_store::{StoreError, StorePart, Table};

use mobank_protocol::transfer::account_number::AccountNumberError;

use crate::device::knowledge::OpenError;
use crate::device::state::StateError;
use crate::input::InputError;
use crate::money::AmountInputError;
use crate::net::{NetError, SetupError};
use crate::pin::{PinError, PinRejection};
use crate::platform::KeyStoreError;
use crate::qr::{QrError, QrRejection};
use crate::risk::TransferWarning;
use crate::runtime::TaskFailed;

/// Everything that can go wrong, in terms an app can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Error), uniffi::export(Display))]
pub enum MobankError {
    /// The app passed something malformed. `what` describes the rule, never the value.
    #[error("invalid input: {what}")]
    InvalidInput { what: String },
    /// The bank does not know this activation code, or it was used or has expired.
    #[error("the activation code is not valid")]
    ActivationCodeInvalid,
    #[error("the one-time password is wrong")]
    OtpInvalid,
    /// The one-time password was right but too late; start the activation again.
    #[error("the one-time password has expired")]
    OtpExpired,
    #[error("no activation is in progress; start one with an activation code")]
    NoActivationInProgress,
    #[error("this phone is already bound")]
    AlreadyBound,
    /// This phone is not bound (any more): activate it with a new code.
    #[error("this phone is not bound to a bank account")]
    NotBound,
    /// Deliberately does not say which factor failed.
    #[error("authentication failed")]
    AuthenticationFailed { attempts_remaining: Option<u32> },
    /// The bank blocked this binding (too many failures, a suspected clone, revoked).
    /// Only a new activation unblocks it.
    #[error("this phone's binding is blocked")]
    DeviceBlocked,
    /// The bank refused the challenge this phone answered (unknown, used or expired).
    #[error("the bank refused the login challenge")]
    ChallengeRejected,
    #[error("not logged in")]
    NotLoggedIn,
    #[error("the session has expired")]
    SessionExpired,
    /// A device key can never be used again (the lock screen was removed, the key store was
    /// reset). Re-bind.
    #[error("a device key was invalidated")]
    KeyInvalidated,
    /// The biometric enrolment changed, so the biometric key is gone for good. Log in with
    /// the PIN, then `activation().reenrol_biometric`; no new binding is needed.
    #[error("the biometric enrolment changed; log in with the PIN to set up biometrics again")]
    BiometryChanged,
    /// Too many failed biometric checks on this phone: only a PIN login is accepted until one
    /// succeeds.
    #[error("too many failed biometric checks; log in with the PIN")]
    PinRequired,
    /// The PIN is malformed, or too easy to guess for a new PIN. Nothing was sent.
    #[error("the PIN was refused: {reason}")]
    PinRejected { reason: PinRejection },
    /// This binding has no PIN (bound before PINs existed): log in with biometrics.
    #[error("no PIN is set for this binding")]
    PinNotSet,
    /// `pin().commit_change` without an accepted `pin().begin_change` in this session, or after the
    /// bank's ticket expired. Begin again.
    #[error("no PIN change is in progress")]
    NoPinChangeInProgress,
    /// The operation needs a recent strong authentication: call `auth().step_up_biometric` or
    /// `auth().step_up_pin`, then retry. When the phone knows this, nothing was sent.
    #[error("a fresh authentication is required for this operation")]
    StepUpRequired,
    /// The key store cannot be used right now (phone locked, before first unlock). Not data loss.
    #[error("the key store is locked")]
    KeyStoreLocked,
    #[error("the customer cancelled verification")]
    UserCancelled,
    #[error("key store error: {message}")]
    KeyStore { message: String },
    /// The server's key is not one of the pinned keys. Nothing was sent to it.
    #[error("the server is not the pinned bank server")]
    PinningFailed,
    #[error("TLS failure: {message}")]
    Tls { message: String },
    /// The bank could not be reached; nothing was sent, so retrying is safe.
    #[error("network error: {message}")]
    Network { message: String },
    /// The request may or may not have taken effect at the bank (a timeout, a lost
    /// connection, a bank-side failure). Reconcile before acting as if it failed.
    #[error("the outcome is unknown")]
    OutcomeUnknown,
    #[error("the bank refused the request ({code}): {message}")]
    ServerRejected { code: String, message: String },
    #[error("storage error: {message}")]
    Storage { message: String },
    /// The encrypted store's key cannot be used right now (phone locked, iOS before the first
    /// unlock). Nothing is lost: try again once the phone is unlocked.
    #[error("storage is locked until the phone is unlocked")]
    StorageLocked,
    /// The encrypted store's key is gone or was invalidated (lock screen removed, backup
    /// restored to another phone). Nothing on the phone can be read; re-bind
    /// (`devices().unbind`, then a new activation). `outbox_entries` queued transfers could not
    /// be read: tell the customer, the bank settles them by their idempotency keys.
    #[error(
        "the storage key is lost; re-bind required ({outbox_entries} queued transfers unreadable)"
    )]
    StorageKeyLost { outbox_entries: u64 },
    /// The encrypted store is damaged and its backup copy too. Re-bind.
    #[error("storage is damaged beyond repair; re-bind required")]
    StorageCorrupt,
    /// The transaction history on the phone failed its integrity check. It has been cleared:
    /// `history().sync` fetches it again.
    #[error("the stored history was damaged and has been cleared; sync again")]
    HistoryDamaged,
    /// Between `Mobank::pause_storage` and `Mobank::resume_storage`.
    #[error("storage is paused")]
    StoragePaused,
    /// The phone's storage is full. What the call was saving was not saved (a transfer being
    /// signed was not sent) and nothing already stored is lost: ask the customer to free
    /// space, then try again.
    #[error("the phone's storage is full")]
    StorageFull,
    /// The phone's storage refused to write: its file system is read-only (the system turns
    /// it so after a file-system error). Nothing was saved or sent and nothing already stored
    /// is lost; the app works again once the phone has restarted with writable storage.
    #[error("the phone's storage is read-only")]
    StorageReadOnly,
    /// The history sync lost its connection to the bank after storing `fetched` transactions.
    /// They are kept; the next `history().sync` resumes after them.
    #[error("the history sync was interrupted after {fetched} transactions; sync again to resume")]
    SyncInterrupted { fetched: u64 },
    /// The typed amount was refused, for the reason given (never the text typed). Nothing was
    /// sent.
    #[error("the amount was refused: {reason}")]
    AmountRejected { reason: AmountInputError },
    /// The payee's account number was refused: malformed, or its check digit is wrong. Nothing
    /// was sent.
    #[error("the payee account number was refused: {reason}")]
    PayeeAccountRejected { reason: AccountNumberError },
    /// The payer account is not one of the customer's accounts. Nothing was sent.
    #[error("the payer account is not one of the customer's accounts")]
    PayerAccountUnknown,
    /// The bank's quote differs from what was asked (payer, payee, amount, memo, channel or
    /// idempotency key). Nothing was signed.
    #[error("the bank's quote does not match the transfer asked for")]
    QuoteMismatch,
    /// The confirmation token does not belong to a confirmation this phone rendered, or the
    /// transfer changed after it was rendered. Nothing was signed: draft again.
    #[error("the confirmation is not valid for this transfer")]
    ConfirmationInvalid,
    /// The quote expired before the transfer was signed. Nothing was signed: draft again.
    #[error("the quote has expired")]
    QuoteExpired,
    /// The bank's receipt does not verify against the configured receipt keys or does not
    /// match the signed transfer. The transfer stays unknown: reconcile.
    #[error("the bank's receipt is not valid")]
    ReceiptInvalid,
    /// The scanned QR code cannot be paid, for the reason given (never any part of the code).
    /// Nothing was sent.
    #[error("the QR code was refused: {reason}")]
    QrRejected { reason: QrRejection },
    #[error("internal error: {message}")]
    Internal { message: String },
    /// A risk warning whose action is `Block` stopped the transfer before any confirmation:
    /// show the warnings. Nothing was signed.
    #[error("the transfer was stopped by a risk warning")]
    TransferBlocked { warnings: Vec<TransferWarning> },
    /// The confirmation shows warnings that must be acknowledged (`transfers().acknowledge`)
    /// before signing: their codes. Nothing was signed.
    #[error("the confirmation has warnings that are not acknowledged")]
    WarningsNotAcknowledged { codes: Vec<String> },
    /// An acknowledgement named a warning the confirmation did not show. Nothing changed.
    #[error("a warning that was not shown cannot be acknowledged")]
    WarningNotShown,
    /// The bank has suspended the customer's e-banking (its monitor or its staff): nothing can
    /// be done in the app until the bank lifts it, and the customer should call the bank.
    /// Signed transfers stay queued as they were; `transfers().reconcile()` settles them after
    /// the lift.
    #[error(
        "the bank has suspended your e-banking; please contact the bank (nothing queued is lost)"
    )]
    Suspended,
    /// The transfer can no longer be cancelled: it already ran, was refused or cancelled, or
    /// was never scheduled.
    #[error("the transfer can no longer be cancelled")]
    NotCancellable,
    /// The payment channel is off: the customer turns it on with `channels().enable`. When the
    /// phone knows this, nothing was sent.
    #[error("the payment channel is off")]
    ChannelClosed,
    /// The amount is over a limit of the channel or of the device. When the phone refused it
    /// before anything was sent, `limit` names the limit and `room` what can still be sent;
    /// when the bank refused it, both are absent and `channels().list()` shows the room.
    #[error("the amount is over a transfer limit")]
    LimitExceeded {
        limit: Option<crate::limits::LimitKind>,
        room: Option<rust_decimal::Decimal>,
    },
    /// No payee of this customer has this id (`payees().list()` shows them). Nothing changed.
    #[error("no such payee")]
    PayeeUnknown,
    /// This account at this bank is already a saved payee. Nothing changed.
    #[error("this account is already a saved payee")]
    PayeeExists,
    /// The payee's bank registers another holder name for the account since the name check:
    /// check again and show the new name. Nothing was saved.
    #[error("the payee's registered name changed since the check")]
    PayeeChanged,
}

impl From<InputError> for MobankError {
    fn from(error: InputError) -> Self {
        MobankError::InvalidInput {
            what: error.what.to_owned(),
        }
    }
}

impl From<QrError> for MobankError {
    fn from(error: QrError) -> Self {
        MobankError::QrRejected {
            reason: QrRejection::from(&error),
        }
    }
}

impl From<PinError> for MobankError {
    fn from(error: PinError) -> Self {
        MobankError::PinRejected {
            reason: error.reason,
        }
    }
}

impl From<SetupError> for MobankError {
    fn from(error: SetupError) -> Self {
        match error {
            SetupError::InvalidInput { what } => MobankError::InvalidInput {
                what: what.to_owned(),
            },
            SetupError::Unsupported { what } => internal(what),
        }
    }
}

impl From<TaskFailed> for MobankError {
    fn from(_: TaskFailed) -> Self {
        internal("background task failed")
    }
}

/// A failure of Mobank itself, described for developers.
pub(crate) fn internal(message: &str) -> MobankError {
    MobankError::Internal {
        message: message.to_owned(),
    }
}

impl From<KeyStoreError> for MobankError {
    fn from(error: KeyStoreError) -> Self {
        match error {
            // A device key that is gone (restore to a new phone, reinstall) cannot come back:
            // the binding is over and the way out is a new activation.
            KeyStoreError::NotFound => MobankError::NotBound,
            KeyStoreError::Invalidated => MobankError::KeyInvalidated,
            KeyStoreError::Locked => MobankError::KeyStoreLocked,
            KeyStoreError::UserCancelled => MobankError::UserCancelled,
            KeyStoreError::VerificationFailed => MobankError::AuthenticationFailed {
                attempts_remaining: None,
            },
            KeyStoreError::Unsupported => MobankError::KeyStore {
                message: "unsupported by this device".to_owned(),
            },
            KeyStoreError::Platform(message) => MobankError::KeyStore {
                message: sanitize(&message),
            },
        }
    }
}

impl From<StoreError> for MobankError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::StorageLocked => MobankError::StorageLocked,
            StoreError::KeyLost { outbox_entries }
            | StoreError::KeyInvalidated { outbox_entries } => {
                MobankError::StorageKeyLost { outbox_entries }
            }
            StoreError::Corrupt {
                part: StorePart::Vault,
            } => MobankError::StorageCorrupt,
            StoreError::Corrupt {
                part: StorePart::Cache,
            } => MobankError::HistoryDamaged,
            StoreError::Integrity { table } => {
                let vault = Table::ALL
                    .iter()
                    .any(|t| t.part() == StorePart::Vault && t.name() == table);
                if vault {
                    MobankError::StorageCorrupt
                } else {
                    MobankError::HistoryDamaged
                }
            }
            StoreError::Paused => MobankError::StoragePaused,
            StoreError::Full { .. } => MobankError::StorageFull,
            StoreError::ReadOnly { .. } => MobankError::StorageReadOnly,
            StoreError::KeyWrapper(message) => MobankError::KeyStore {
                message: sanitize(&message),
            },
            StoreError::InvalidInput(what) => MobankError::InvalidInput {
                what: what.to_owned(),
            },
            // No data (never asked for here), a newer schema, a failed migration, a busy or
            // unwritable file, an overflowing total: reported, nothing is lost.
            other => MobankError::Storage {
                message: sanitize(&other.to_string()),
            },
        }
    }
}

impl From<StateError> for MobankError {
    fn from(error: StateError) -> Self {
        match error {
            // Locked, paused, busy: what the store says, so the app knows to try again.
            StateError::Store(error) => error.into(),
            // The binding can never be read again: the phone is not bound, and a new
            // activation replaces the store.
            StateError::Unreadable(
                StoreError::KeyLost { .. } | StoreError::KeyInvalidated { .. },
            )
            | StateError::Wiped => MobankError::NotBound,
            StateError::Unreadable(_) => MobankError::StorageCorrupt,
            other => MobankError::Storage {
                message: other.to_string(),
            },
        }
    }
}

impl From<NetError> for MobankError {
    fn from(error: NetError) -> Self {
        match error {
            NetError::PinMismatch => MobankError::PinningFailed,
            NetError::Tls(message) => MobankError::Tls {
                message: sanitize(&message),
            },
            NetError::Connect(message) => MobankError::Network {
                message: sanitize(&message),
            },
            NetError::OutcomeUnknown => MobankError::OutcomeUnknown,
            NetError::Api { status, error } => from_api_error(status, error),
            // A proxy or gateway answered 5xx without the bank's error body: the request may
            // have reached the bank.
            NetError::UnexpectedStatus { status } if status >= 500 => MobankError::OutcomeUnknown,
            NetError::UnexpectedStatus { status } => MobankError::ServerRejected {
                code: format!("http_{status}"),
                message: "the response was not the bank's error format".to_owned(),
            },
            NetError::MalformedResponse => MobankError::ServerRejected {
                code: "malformed_response".to_owned(),
                message: "the bank's response was not understood".to_owned(),
            },
            NetError::ResponseTooLarge => MobankError::ServerRejected {
                code: "response_too_large".to_owned(),
                message: "the bank's response exceeded the size limit".to_owned(),
            },
            NetError::Setup(message) => MobankError::Internal {
                message: sanitize(&message),
            },
        }
    }
}

/// Why signing with the device's factors failed, with the factor it failed on: the same
/// key store answer means different things for different keys.
#[derive(Debug)]
pub(crate) enum SignError {
    Possession(KeyStoreError),
    /// Any key store answer for the biometric key except a failed check.
    UserVerified(KeyStoreError),
    /// The OS ran the biometric check and it failed; counted on the phone.
    BiometricCheckFailed {
        pin_required: bool,
    },
    Knowledge(OpenError),
    State(StateError),
    /// The phone is no longer bound as the device the flow started with.
    NotBound,
    PinNotSet,
}

impl From<StateError> for SignError {
    fn from(error: StateError) -> Self {
        SignError::State(error)
    }
}

impl From<SignError> for MobankError {
    fn from(error: SignError) -> Self {
        match error {
            SignError::Possession(error) => error.into(),
            SignError::UserVerified(KeyStoreError::Invalidated) => MobankError::BiometryChanged,
            SignError::UserVerified(error) => error.into(),
            // A failed check the OS saw is one the bank never sees; it does not say which
            // factor either way.
            SignError::BiometricCheckFailed {
                pin_required: false,
            } => MobankError::AuthenticationFailed {
                attempts_remaining: None,
            },
            SignError::BiometricCheckFailed { pin_required: true } => MobankError::PinRequired,
            // The platform key that wraps the knowledge key is gone: the PIN factor of this
            // binding is over for good, while the device keys may still work.
            SignError::Knowledge(OpenError::KeyStore(KeyStoreError::NotFound)) => {
                MobankError::KeyInvalidated
            }
            SignError::Knowledge(OpenError::KeyStore(error)) => error.into(),
            SignError::Knowledge(OpenError::Malformed) => MobankError::Storage {
                message: "the stored knowledge key is damaged".to_owned(),
            },
            SignError::State(error) => error.into(),
            SignError::NotBound => MobankError::NotBound,
            SignError::PinNotSet => MobankError::PinNotSet,
        }
    }
}

fn from_api_error(status: u16, error: ApiError) -> MobankError {
    match error.code {
        ErrorCode::ActivationInvalid => MobankError::ActivationCodeInvalid,
        ErrorCode::OtpInvalid => MobankError::OtpInvalid,
        ErrorCode::OtpExpired => MobankError::OtpExpired,
        ErrorCode::ChallengeInvalid => MobankError::ChallengeRejected,
        ErrorCode::AuthenticationFailed => MobankError::AuthenticationFailed {
            attempts_remaining: error.attempts_remaining,
        },
        ErrorCode::DeviceBlocked => MobankError::DeviceBlocked,
        ErrorCode::DeviceUnknown => MobankError::NotBound,
        ErrorCode::Unauthorized => MobankError::NotLoggedIn,
        ErrorCode::SessionExpired => MobankError::SessionExpired,
        // The bank says it may or may not have acted.
        ErrorCode::Internal => MobankError::OutcomeUnknown,
        ErrorCode::StepUpRequired => MobankError::StepUpRequired,
        ErrorCode::Suspended => MobankError::Suspended,
        ErrorCode::NotCancellable => MobankError::NotCancellable,
        ErrorCode::ExecutionDateInvalid => MobankError::InvalidInput {
            what: "the execution date must be a day from today to 30 days ahead".to_owned(),
        },
        ErrorCode::ChannelClosed => MobankError::ChannelClosed,
        ErrorCode::LimitExceeded => MobankError::LimitExceeded {
            limit: None,
            room: None,
        },
        ErrorCode::PayeeUnknown => MobankError::PayeeUnknown,
        ErrorCode::PayeeExists => MobankError::PayeeExists,
        ErrorCode::PayeeChanged => MobankError::PayeeChanged,
        ErrorCode::BadRequest
        | ErrorCode::NotFound
        | ErrorCode::PayeeInvalid
        | ErrorCode::AccountUnknown
        | ErrorCode::CurrencyMismatch
        | ErrorCode::IdempotencyConflict
        | ErrorCode::WarningUnknown
        | ErrorCode::LimitInvalid => {
            let code = serde_json::to_value(error.code)
                .ok()
                .and_then(|value| value.as_str().map(str::to_owned))
                .unwrap_or_else(|| format!("http_{status}"));
            MobankError::ServerRejected {
                code,
                message: sanitize(&error.message),
            }
        }
    }
}

/// Text from outside (the bank, the platform) is shown to developers, so it is bounded and
/// cannot forge extra log lines.
fn sanitize(text: &str) -> String {
    const MAX_CHARS: usize = 200;
    text.chars()
        .filter(|c| !c.is_control())
        .take(MAX_CHARS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: ErrorCode, attempts_remaining: Option<u32>) -> NetError {
        NetError::Api {
            status: 400,
            error: ApiError {
                code,
                message: "refused".to_owned(),
                attempts_remaining,
            },
        }
    }

    #[test]
    fn bank_error_codes_map_to_typed_errors() {
        let cases = [
            (
                ErrorCode::ActivationInvalid,
                MobankError::ActivationCodeInvalid,
            ),
            (ErrorCode::OtpInvalid, MobankError::OtpInvalid),
            (ErrorCode::OtpExpired, MobankError::OtpExpired),
            (ErrorCode::ChallengeInvalid, MobankError::ChallengeRejected),
            (ErrorCode::DeviceBlocked, MobankError::DeviceBlocked),
            (ErrorCode::DeviceUnknown, MobankError::NotBound),
            (ErrorCode::Unauthorized, MobankError::NotLoggedIn),
            (ErrorCode::SessionExpired, MobankError::SessionExpired),
            (ErrorCode::Internal, MobankError::OutcomeUnknown),
            (ErrorCode::StepUpRequired, MobankError::StepUpRequired),
            (ErrorCode::Suspended, MobankError::Suspended),
            (ErrorCode::NotCancellable, MobankError::NotCancellable),
            (ErrorCode::PayeeUnknown, MobankError::PayeeUnknown),
            (ErrorCode::PayeeExists, MobankError::PayeeExists),
            (ErrorCode::PayeeChanged, MobankError::PayeeChanged),
            (
                ErrorCode::BadRequest,
                MobankError::ServerRejected {
                    code: "bad_request".to_owned(),
                    message: "refused".to_owned(),
                },
            ),
        ];
        for (code, expected) in cases {
            assert_eq!(MobankError::from(api(code, None)), expected, "{code:?}");
        }
    }

    #[test]
    fn authentication_failure_keeps_the_attempts_left() {
        assert_eq!(
            MobankError::from(api(ErrorCode::AuthenticationFailed, Some(3))),
            MobankError::AuthenticationFailed {
                attempts_remaining: Some(3)
            }
        );
    }

    #[test]
    fn transport_failures_keep_sent_and_not_sent_apart() {
        assert_eq!(
            MobankError::from(NetError::PinMismatch),
            MobankError::PinningFailed
        );
        assert_eq!(
            MobankError::from(NetError::OutcomeUnknown),
            MobankError::OutcomeUnknown
        );
        assert!(matches!(
            MobankError::from(NetError::Connect("connection refused".to_owned())),
            MobankError::Network { .. }
        ));
        assert_eq!(
            MobankError::from(NetError::UnexpectedStatus { status: 504 }),
            MobankError::OutcomeUnknown
        );
        assert_eq!(
            MobankError::from(NetError::UnexpectedStatus { status: 404 }),
            MobankError::ServerRejected {
                code: "http_404".to_owned(),
                message: "the response was not the bank's error format".to_owned(),
            }
        );
        assert!(matches!(
            MobankError::from(NetError::MalformedResponse),
            MobankError::ServerRejected { code, .. } if code == "malformed_response"
        ));
    }

    #[test]
    fn key_store_errors_map_to_recovery_paths() {
        assert_eq!(
            MobankError::from(KeyStoreError::NotFound),
            MobankError::NotBound
        );
        assert_eq!(
            MobankError::from(KeyStoreError::Invalidated),
            MobankError::KeyInvalidated
        );
        assert_eq!(
            MobankError::from(KeyStoreError::Locked),
            MobankError::KeyStoreLocked
        );
        assert_eq!(
            MobankError::from(KeyStoreError::UserCancelled),
            MobankError::UserCancelled
        );
        assert_eq!(
            MobankError::from(KeyStoreError::VerificationFailed),
            MobankError::AuthenticationFailed {
                attempts_remaining: None
            }
        );
    }

    #[test]
    fn the_same_key_store_answer_means_what_the_factor_makes_it_mean() {
        assert_eq!(
            MobankError::from(SignError::UserVerified(KeyStoreError::Invalidated)),
            MobankError::BiometryChanged
        );
        assert_eq!(
            MobankError::from(SignError::Possession(KeyStoreError::Invalidated)),
            MobankError::KeyInvalidated
        );
        assert_eq!(
            MobankError::from(SignError::Knowledge(OpenError::KeyStore(
                KeyStoreError::NotFound
            ))),
            MobankError::KeyInvalidated
        );
        assert_eq!(
            MobankError::from(SignError::BiometricCheckFailed {
                pin_required: false
            }),
            MobankError::AuthenticationFailed {
                attempts_remaining: None
            }
        );
        assert_eq!(
            MobankError::from(SignError::BiometricCheckFailed { pin_required: true }),
            MobankError::PinRequired
        );
    }

    #[test]
    fn pin_refusals_name_the_rule_not_the_pin() {
        let error = MobankError::PinRejected {
            reason: PinRejection::Sequence,
        };
        assert_eq!(
            error.to_string(),
            "the PIN was refused: a PIN must not be a run of digits going up or down"
        );
    }

    #[test]
    fn a_refused_qr_code_gives_a_reason_a_customer_can_act_on() {
        let cases = [
            (QrError::CrcMismatch, QrRejection::Checksum),
            (QrError::TooLong { max_chars: 512 }, QrRejection::TooLong),
            (QrError::NoMobankAccount, QrRejection::NotPayable),
            (QrError::UnknownCurrency, QrRejection::CurrencyMismatch),
            (
                QrError::ZeroAmount(crate::qr::Tag::root(54)),
                QrRejection::InvalidAmount,
            ),
            (
                QrError::Duplicate(crate::qr::Tag::root(54)),
                QrRejection::Malformed,
            ),
        ];
        for (error, reason) in cases {
            assert_eq!(
                MobankError::from(error),
                MobankError::QrRejected { reason },
                "{error:?}"
            );
        }
        assert_eq!(
            MobankError::from(QrError::CrcMismatch).to_string(),
            "the QR code was refused: the QR code was misread or altered; scan it again"
        );
    }

    #[test]
    fn pin_errors_keep_their_reason() {
        assert_eq!(
            MobankError::from(PinError {
                reason: PinRejection::NotSixDigits
            }),
            MobankError::PinRejected {
                reason: PinRejection::NotSixDigits
            }
        );
    }

    #[test]
    fn setup_errors_keep_the_rule_and_hide_nothing_else() {
        assert_eq!(
            MobankError::from(SetupError::InvalidInput {
                what: "at least one SPKI pin is required"
            }),
            MobankError::InvalidInput {
                what: "at least one SPKI pin is required".to_owned()
            }
        );
        assert!(matches!(
            MobankError::from(SetupError::Unsupported { what: "no TLS" }),
            MobankError::Internal { .. }
        ));
        assert!(matches!(
            MobankError::from(TaskFailed),
            MobankError::Internal { .. }
        ));
    }

    #[test]
    fn a_locked_store_is_storage_locked_never_not_bound() {
        assert_eq!(
            MobankError::from(StateError::Store(StoreError::StorageLocked)),
            MobankError::StorageLocked
        );
    }

    #[test]
    fn a_lost_or_invalidated_store_key_means_not_bound() {
        for error in [
            StoreError::KeyLost { outbox_entries: 0 },
            StoreError::KeyInvalidated { outbox_entries: 1 },
        ] {
            assert_eq!(
                MobankError::from(StateError::Unreadable(error)),
                MobankError::NotBound
            );
        }
    }

    #[test]
    fn store_errors_lead_to_the_right_recovery() {
        let cases = [
            (StoreError::StorageLocked, MobankError::StorageLocked),
            (
                StoreError::KeyLost { outbox_entries: 2 },
                MobankError::StorageKeyLost { outbox_entries: 2 },
            ),
            (
                StoreError::KeyInvalidated { outbox_entries: 0 },
                MobankError::StorageKeyLost { outbox_entries: 0 },
            ),
            (
                StoreError::Corrupt {
                    part: StorePart::Vault,
                },
                MobankError::StorageCorrupt,
            ),
            (
                StoreError::Corrupt {
                    part: StorePart::Cache,
                },
                MobankError::HistoryDamaged,
            ),
            (
                StoreError::Integrity {
                    table: "transactions",
                },
                MobankError::HistoryDamaged,
            ),
            (
                StoreError::Integrity { table: "outbox" },
                MobankError::StorageCorrupt,
            ),
            (StoreError::Paused, MobankError::StoragePaused),
            (
                StoreError::Full {
                    part: StorePart::Vault,
                },
                MobankError::StorageFull,
            ),
            (
                StoreError::ReadOnly {
                    part: StorePart::Cache,
                },
                MobankError::StorageReadOnly,
            ),
        ];
        for (store, expected) in cases {
            assert_eq!(
                crate::storage::is_cache_damage(&store),
                expected == MobankError::HistoryDamaged,
                "{store:?}"
            );
            assert_eq!(MobankError::from(store), expected);
        }
        assert!(matches!(
            MobankError::from(StoreError::KeyWrapper("line\nbreak".to_owned())),
            MobankError::KeyStore { message } if message == "linebreak"
        ));
    }

    #[test]
    fn outside_text_is_bounded_and_single_line() {
        let long = format!("line one\nline two\r{}", "x".repeat(500));
        let MobankError::KeyStore { message } = MobankError::from(KeyStoreError::Platform(long))
        else {
            panic!("expected a key store error");
        };
        assert!(!message.contains('\n') && !message.contains('\r'));
        assert_eq!(message.chars().count(), 200);
        assert!(message.starts_with("line oneline two"));
    }
}
