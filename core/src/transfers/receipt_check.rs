//! A receipt is evidence only if the bank's receipt key signed it and it speaks of the transfer
//! this phone signed: same idempotency key, same canonical hash, same amount, same payer.

use mobank_protocol::transfer::{CanonicalTransfer, Receipt, ReceiptKey};

/// Why a receipt is not accepted as the answer to a transfer. Either way the transfer stays
/// unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ReceiptProblem {
    /// Unknown key, bad signature or inconsistent fields.
    Signature,
    /// Signed, but for another transfer.
    OtherTransfer,
}

pub(super) fn check_receipt(
    receipt: &Receipt,
    signed: &CanonicalTransfer,
    signed_hash: &[u8; 32],
    trusted: &[ReceiptKey],
) -> Result<(), ReceiptProblem> {
    receipt
        .verify(trusted)
        .map_err(|_| ReceiptProblem::Signature)?;
    let ours = receipt.idempotency_key == signed.idempotency_key
        && receipt.transfer_hash.as_slice() == signed_hash.as_slice()
        && receipt.amount == signed.amount
        && receipt.payer_account_id == signed.payer_account_id;
    if ours {
        Ok(())
    } else {
        Err(ReceiptProblem::OtherTransfer)
    }
}
