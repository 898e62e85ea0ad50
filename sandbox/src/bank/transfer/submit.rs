//! `POST /v1/transfers`: a signed transfer, checked in this order — an outcome already recorded
//! for its idempotency key, the fields' rules, the quote's challenge (spent now whatever
//! follows), the assertions over the canonical bytes rebuilt from the submitted fields, the
//! fields against the quote — and then decided (`decide`). Acknowledged warnings must be codes
//! the bank knows (`WARNING_CODES`); the bank keeps them with the outcome.

use mobank_protocol::transfer::messages::{SubmitTransferRequest, TransferResponse};
use mobank_protocol::transfer::{is_known_warning, operation_text, CanonicalTransfer};
use mobank_protocol::{Ceremony, ErrorCode};

use super::{decide, stored_receipt};
use crate::bank::challenges::challenge_invalid;
use crate::bank::factors::{authenticate, Attempt, SecondFactor, TwoFactors};
use crate::bank::{session, Bank};
use crate::db::transfers;
use crate::error::ApiFailure;

pub(crate) fn submit(
    bank: &Bank,
    token_hash: &[u8],
    request: SubmitTransferRequest,
) -> Result<TransferResponse, ApiFailure> {
    let SubmitTransferRequest {
        transfer,
        assertions,
    } = request;
    let now = bank.clock.now_ms();
    bank.transact(|tx| {
        let owner = session::authorize(tx, bank, token_hash, now)?;

        // A retry of a decided transfer gets the decision again, however old its challenge.
        let key = transfer.idempotency_key.to_hex();
        if let Some(decided) = transfers::outcome(tx, &owner.customer_id, &key)? {
            let same = transfer
                .hash()
                .is_ok_and(|hash| hash.as_slice() == decided.transfer_hash.as_slice());
            if !same {
                return Err(ApiFailure::new(
                    ErrorCode::IdempotencyConflict,
                    "the idempotency key was already used for another transfer",
                ));
            }
            return Ok(TransferResponse {
                receipt: stored_receipt(&decided.receipt)?,
            });
        }

        transfer
            .validate()
            .map_err(|error| ApiFailure::bad_request(error.to_string()))?;
        // Checked before the challenge is spent: a phone that sent a code this bank does not
        // know can ask for a new quote; no message names the code it sent.
        if !transfer
            .acknowledged_warnings
            .iter()
            .all(|code| is_known_warning(code))
        {
            return Err(ApiFailure::new(
                ErrorCode::WarningUnknown,
                "the transfer acknowledges a warning code this bank does not know",
            ));
        }

        let quote = transfers::spend_quote(tx, &transfer.challenge)?
            .filter(|quote| {
                quote.customer_id == owner.customer_id
                    && quote.device_id == owner.device_id
                    && now < quote.expires_at_ms
            })
            .ok_or_else(challenge_invalid)?;

        // The hash is rebuilt from the fields the bank is about to execute: bytes the phone
        // might send alongside are never trusted.
        let hash = transfer
            .hash()
            .map_err(|error| ApiFailure::bad_request(error.to_string()))?;
        let operation = operation_text(&hash);
        let factors = TwoFactors::from_assertions(assertions, SecondFactor::Either)?;
        let device = authenticate(
            tx,
            bank,
            &owner.device_id,
            Attempt::strong(
                Ceremony::Transfer,
                &factors.both(),
                &transfer.challenge,
                Some(&operation),
            ),
            now,
        )?;

        let quoted: CanonicalTransfer = serde_json::from_str(&quote.transfer)
            .map_err(|error| ApiFailure::internal("a stored quote does not parse", &error))?;
        let mut submitted_as_quoted = transfer.clone();
        submitted_as_quoted.acknowledged_warnings = Vec::new();
        if submitted_as_quoted != quoted {
            return Err(ApiFailure::bad_request(
                "the transfer differs from its quote",
            ));
        }

        let receipt = decide::decide(
            tx,
            bank,
            &decide::Context {
                customer_id: &owner.customer_id,
                cooling_off_until_ms: device.cooling_off_until_ms,
                integrity: owner.integrity,
                transfer: &transfer,
                hash: &hash,
                now,
                runs_at_ms: quote.runs_at_ms,
            },
        )?;
        Ok(TransferResponse { receipt })
    })
}
