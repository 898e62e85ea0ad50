//! `client.transfers()`: draft and confirm, sign and submit, reconcile, list.

use mobank_core::{
    self as core, Confirmation, MobankError, QrConfirmation, QrPaymentInput, TransferInput,
    TransferSummary,
};

use crate::pin::pin_from_ffi;

#[derive(uniffi::Object)]
pub struct TransfersClient(pub(crate) core::TransfersClient);

#[uniffi::export(async_runtime = "tokio")]
impl TransfersClient {
    /// Checks what the customer entered, asks the bank for a quote and returns the
    /// confirmation to show, rendered from the transfer that will be signed. Input the phone
    /// can judge (`AmountRejected`, `PayeeAccountRejected`, `PayerAccountUnknown`,
    /// `InvalidInput`) is refused before anything is sent. Needs a live session.
    pub async fn draft(&self, input: TransferInput) -> Result<Confirmation, MobankError> {
        self.0.draft(input).await
    }

    /// Reads a scanned merchant QR code into a transfer on the QR payment channel and drafts
    /// it like `draft`: same confirmation, same signing. The amount comes from the code, or
    /// from `input.amount` when the code has none (the same amount if both). A code that
    /// cannot be paid is `QrRejected` with a reason the customer can act on, and nothing is
    /// sent. `confirmation.payee_name` is the bank's registered name; `name_differs` says when
    /// the code named someone else. Needs a live session.
    pub async fn draft_qr(&self, input: QrPaymentInput) -> Result<QrConfirmation, MobankError> {
        self.0.draft_qr(input).await
    }

    /// Acknowledges warnings the confirmation showed, by code, and returns the new
    /// confirmation: its token replaces the old one. Signing is refused
    /// (`WarningsNotAcknowledged`) while a warning whose action is `Acknowledge` is not
    /// acknowledged; a code that was not shown is `WarningNotShown`.
    pub async fn acknowledge(
        &self,
        token: String,
        codes: Vec<String>,
    ) -> Result<Confirmation, MobankError> {
        self.0.acknowledge(&token, codes).await
    }

    /// Signs the confirmed transfer with the biometric key (the platform shows the
    /// confirmation's `prompt`) and submits it. Returns the state the bank's verified receipt
    /// gives it. `OutcomeUnknown` means the answer was lost, not that it failed: call
    /// `reconcile`.
    pub async fn sign_and_submit_biometric(
        &self,
        token: String,
    ) -> Result<TransferSummary, MobankError> {
        self.0.sign_and_submit_biometric(&token).await
    }

    /// Signs the confirmed transfer with the PIN (six ASCII digit bytes) and submits it. A
    /// wrong PIN is `AuthenticationFailed` with the attempts left, and nothing stays queued.
    pub async fn sign_and_submit_pin(
        &self,
        token: String,
        pin: Vec<u8>,
    ) -> Result<TransferSummary, MobankError> {
        self.0.sign_and_submit_pin(&token, pin_from_ffi(pin)?).await
    }

    /// Every transfer this phone signed, newest first, with its state and receipt. Local: no
    /// session, no network.
    pub async fn list(&self) -> Result<Vec<TransferSummary>, MobankError> {
        self.0.list().await
    }

    /// Settles every transfer whose outcome the phone does not know, by asking the bank under
    /// its idempotency key; never makes a new transfer. Call it after a restart and after
    /// `OutcomeUnknown`. Returns the transfers it looked at. Needs a live session.
    pub async fn reconcile(&self) -> Result<Vec<TransferSummary>, MobankError> {
        self.0.reconcile().await
    }

    /// Cancels a `Scheduled` transfer before it runs, signed by this phone's possession key.
    /// Returns it `Rejected` with reason `Cancelled`; one that already ran is
    /// `NotCancellable`. Needs a live session.
    pub async fn cancel(&self, transfer_id: String) -> Result<TransferSummary, MobankError> {
        self.0.cancel(&transfer_id).await
    }
}
