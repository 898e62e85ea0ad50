//! `GET /v1/transfers/{idempotency_key}`: the outcome the bank recorded for a key, so a phone
//! that lost the answer learns what happened instead of guessing.

use mobank_protocol::transfer::messages::TransferResponse;
use mobank_protocol::transfer::IdempotencyKey;
use mobank_protocol::ErrorCode;

use super::stored_receipt;
use crate::bank::{session, Bank};
use crate::db::transfers;
use crate::error::ApiFailure;

pub(crate) fn status(
    bank: &Bank,
    token_hash: &[u8],
    key: IdempotencyKey,
) -> Result<TransferResponse, ApiFailure> {
    let now = bank.clock.now_ms();
    bank.transact_unflushed(|tx| {
        let owner = session::authorize(tx, bank, token_hash, now)?;
        let decided =
            transfers::outcome(tx, &owner.customer_id, &key.to_hex())?.ok_or_else(|| {
                ApiFailure::new(ErrorCode::NotFound, "no transfer with this idempotency key")
            })?;
        Ok(TransferResponse {
            receipt: stored_receipt(&decided.receipt)?,
        })
    })
}
