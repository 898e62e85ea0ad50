//! The values the app sees: what the customer entered, the confirmation, a transfer's state.

use mobank_protocol::transfer::messages::ScheduleReason;
use mobank_protocol::transfer::{Channel, Outcome, Receipt, RejectReason};
use serde::{Deserialize, Serialize};

use crate::risk::TransferWarning;

/// What the customer entered, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TransferInput {
    /// One of the customer's accounts (`accounts().list()`); its currency is the transfer's.
    pub payer_account_id: String,
    /// Digits; spaces and full-width digits as people type them are accepted.
    pub payee_account_number: String,
    /// `MOBANK` for this bank.
    pub payee_bank_code: String,
    /// As typed: `500`, `¥1,234.50`, `５００元`.
    pub amount: String,
    /// May be empty; at most 140 characters, no control or bidirectional characters.
    pub memo: String,
    pub channel: Channel,
    /// The payee's name as the customer typed it, if the app asks for it: a name that is not
    /// the one the payee's bank registered raises `payee_name_mismatch`. Never signed: the
    /// signed name is always the bank's.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub payee_name: Option<String>,
    /// `YYYY-MM-DD`, the bank day to book it (today to 30 days ahead); `None`: as soon as the
    /// bank's policy allows.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub execution_date: Option<String>,
    /// A saved payee (`payees().list()`) to send to: the core finds its account, so the full
    /// number never crosses to the app. `payee_account_number` and `payee_bank_code` must be
    /// empty then (`InvalidInput` otherwise).
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub payee_id: Option<String>,
}

/// What the customer confirms, rendered from the transfer the device will sign and nothing
/// else. Show all of it; pass `token` back to sign.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Confirmation {
    /// Opaque; bound to this draft and to the hash of the transfer shown.
    pub token: String,
    /// The transfer's idempotency key: the id `list()` and the events use.
    pub transfer_id: String,
    pub payer_account_id: String,
    /// From the accounts list: `6222 **** **** 7890`.
    pub payer_masked_number: String,
    /// As the payee's bank registered it.
    pub payee_name: String,
    /// `**** 7899`.
    pub payee_masked_number: String,
    pub payee_bank_name: String,
    /// `¥500.00`.
    pub amount_zh: String,
    /// `500.00 CNY`.
    pub amount_en: String,
    /// `人民币伍佰元整`.
    pub amount_capitals: String,
    /// ISO 4217.
    pub currency: String,
    pub fee_zh: String,
    pub fee_en: String,
    pub total_zh: String,
    pub total_en: String,
    pub memo: String,
    /// `YYYY-MM-DD`, the bank's calendar.
    pub execution_date: String,
    /// The risk warnings on this transfer, in code order: show every one. Those whose
    /// `action` is `Acknowledge` must be acknowledged (`transfers().acknowledge`) before
    /// signing.
    pub warnings: Vec<TransferWarning>,
    /// The text the biometric prompt shows: `向 王芳 (**** 7899) 转账 ¥500.00`.
    pub prompt: String,
    /// Bank time (Unix ms) after which the quote can no longer be signed.
    pub expires_at_ms: u64,
    /// Bank time (Unix ms) the transfer will run if it is not booked at once: show it, and
    /// that it can be cancelled until then.
    pub runs_at_ms: Option<u64>,
    /// Why it runs then: asked for, or the bank's delay for a new payee or a large amount.
    pub schedule_reason: Option<ScheduleReason>,
}

/// Where a transfer is. Drafts and confirmations live in memory; from `Signed` on, the state
/// is in the vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum TransferState {
    /// Signed and in the outbox; not sent yet (the app stopped before).
    Signed,
    /// Being sent, or sent with no answer stored yet.
    Submitted,
    /// The bank took it (signed receipt); the money has not moved yet.
    Accepted,
    /// The bank took it and runs it at `runs_at_ms` (bank time); until then it can be
    /// cancelled with `transfers().cancel`.
    Scheduled { runs_at_ms: u64 },
    /// The money moved (signed receipt with its booking time).
    Settled,
    /// The bank refused it (signed receipt); no money moved.
    Rejected { reason: RejectReason },
    /// The bank's answer was lost. `reconcile` finds it out; never treat it as failed.
    Unknown,
    /// The bank never recorded it and it can no longer be sent: its quote expired, or the
    /// phone signed something after it (a login after a restart), so the bank would refuse
    /// its signature. Not executed.
    Expired,
}

impl TransferState {
    /// States `reconcile` asks the bank about.
    pub(crate) fn is_open(self) -> bool {
        matches!(
            self,
            TransferState::Signed
                | TransferState::Submitted
                | TransferState::Unknown
                | TransferState::Accepted
                | TransferState::Scheduled { .. }
        )
    }
}

/// The bank's receipt, in short. The whole signed receipt is kept on the phone as evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReceiptSummary {
    pub receipt_id: String,
    pub accepted: bool,
    pub decided_at_ms: u64,
    pub booked_at_ms: Option<u64>,
    /// The receipt key that signed it.
    pub key_id: String,
}

impl From<&Receipt> for ReceiptSummary {
    fn from(receipt: &Receipt) -> Self {
        Self {
            receipt_id: receipt.receipt_id.clone(),
            accepted: receipt.outcome == Outcome::Accepted,
            decided_at_ms: receipt.decided_at_ms,
            booked_at_ms: receipt.booked_at_ms,
            key_id: receipt.key_id.clone(),
        }
    }
}

/// One transfer as `list()` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TransferSummary {
    /// The idempotency key.
    pub transfer_id: String,
    pub state: TransferState,
    pub payer_account_id: String,
    /// Wire form: `500.00`.
    pub amount: String,
    pub currency: String,
    /// `¥500.00`.
    pub amount_zh: String,
    pub payee_name: String,
    pub payee_masked_number: String,
    /// Phone time (Unix ms) it was signed.
    pub created_at_ms: u64,
    /// Phone time (Unix ms) of its last change of state.
    pub updated_at_ms: u64,
    pub receipt: Option<ReceiptSummary>,
}
