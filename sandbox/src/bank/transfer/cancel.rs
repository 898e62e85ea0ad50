//! `POST /v1/transfers/{idempotency_key}/cancel`: the customer cancels a scheduled transfer
//! before it runs, signed by the device's possession key over an operation that names the
//! transfer's idempotency key. The transfer's outcome becomes a rejection (`cancelled`) with a
//! new receipt; a transfer that already ran, was refused, or never waited is `not_cancellable`.

use mobank_protocol::assertion::operations;
use mobank_protocol::transfer::messages::{CancelTransferRequest, TransferResponse};
use mobank_protocol::transfer::{CanonicalTransfer, IdempotencyKey, Outcome, RejectReason};
use mobank_protocol::ErrorCode;

use super::decide::signed_receipt;
use super::stored_receipt;
use crate::bank::challenges::{self, Purpose};
use crate::bank::factors::{authenticate, Attempt};
use crate::bank::{session, Bank};
use crate::db::{schedules, transfers};
use crate::error::ApiFailure;

pub(crate) fn cancel(
    bank: &Bank,
    token_hash: &[u8],
    key: IdempotencyKey,
    request: &CancelTransferRequest,
) -> Result<TransferResponse, ApiFailure> {
    let now = bank.clock.now_ms();
    bank.transact(|tx| {
        let owner = session::authorize(tx, bank, token_hash, now)?;
        let challenge = challenges::consume(
            tx,
            &request.challenge_id,
            Purpose::Operation,
            &owner.device_id,
            now,
        )?;
        let hex = key.to_hex();
        let operation = operations::cancel_transfer(&hex);
        authenticate(
            tx,
            bank,
            &owner.device_id,
            Attempt::possession_signed(&[&request.assertion], &challenge, &operation),
            now,
        )?;
        // Another customer's key is as unknown as one never used.
        let decided = transfers::outcome(tx, &owner.customer_id, &hex)?.ok_or_else(|| {
            ApiFailure::new(ErrorCode::NotFound, "no transfer with this idempotency key")
        })?;
        let Some(waiting) = schedules::take(tx, &owner.customer_id, &hex)? else {
            let receipt = stored_receipt(&decided.receipt)?;
            // A retry after a lost answer gets the cancellation it already made.
            if receipt.outcome == Outcome::Rejected
                && receipt.reason == Some(RejectReason::Cancelled)
            {
                return Ok(TransferResponse { receipt });
            }
            return Err(ApiFailure::new(
                ErrorCode::NotCancellable,
                "the transfer already ran, was refused, or was never scheduled",
            ));
        };
        let transfer: CanonicalTransfer = serde_json::from_str(&waiting.transfer)
            .map_err(|error| ApiFailure::internal("a scheduled transfer does not parse", &error))?;
        let receipt = signed_receipt(
            bank,
            &transfer,
            &decided.transfer_hash,
            Some(RejectReason::Cancelled),
            None,
            now,
        )?;
        let stored = serde_json::to_string(&receipt)
            .map_err(|error| ApiFailure::internal("a receipt does not serialise", &error))?;
        schedules::settle_outcome(tx, &owner.customer_id, &hex, &stored, None)?;
        tracing::info!(receipt_id = %receipt.receipt_id, "scheduled transfer cancelled");
        Ok(TransferResponse { receipt })
    })
}
