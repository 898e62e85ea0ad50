//! `mobank.transfers()`: a transfer from the customer's entry to the bank's signed receipt.
//!
//! The steps: `draft` checks what was typed on the phone, asks the bank for a quote, checks
//! that the quote echoes what was asked and renders the confirmation from the canonical
//! transfer alone; `sign_and_submit_*` signs exactly that transfer, writes the signed request
//! to the outbox in the vault before a byte is sent, submits it and keeps the verified receipt;
//! `reconcile` settles whatever a crash or a lost answer left open, by idempotency key, never
//! by a new transfer. Decision record 0019 gives the reasons. `draft_qr` makes a scanned
//! merchant QR code into such a transfer (decision record 0029).

mod acknowledgement;
mod client;
mod confirmation;
mod draft;
mod model;
mod outbox;
mod outcome;
mod past;
mod qr_payment;
mod quote_check;
mod receipt_check;

pub use crate::risk::TransferWarning;
pub use client::TransfersClient;
pub(crate) use draft::TransfersState;
pub use model::{Confirmation, ReceiptSummary, TransferInput, TransferState, TransferSummary};
#[cfg(feature = "fuzzing")]
pub(crate) use outbox::reread as reread_outbox_record;
pub use qr_payment::{QrConfirmation, QrPaymentInput};
