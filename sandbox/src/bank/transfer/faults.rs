//! What the developer API does around transfers: lose or hold answers, read outcomes, suspend
//! a customer.

use mobank_protocol::transfer::{IdempotencyKey, Receipt};

use super::stored_receipt;
use crate::bank::Bank;
use crate::db::{customers, transfers};
use crate::dev::{LoseResponsesRequest, SuspensionRequest};
use crate::error::SandboxError;

const MAX_LOST: u32 = 100;

pub(crate) fn lose_responses(
    bank: &Bank,
    request: LoseResponsesRequest,
) -> Result<LoseResponsesRequest, SandboxError> {
    if request.count > MAX_LOST {
        return Err(SandboxError::InvalidRequest("count must be 0 to 100"));
    }
    bank.faults.lose_transfer_answers(request.count);
    Ok(request)
}

pub(crate) fn lose_status_responses(
    bank: &Bank,
    request: LoseResponsesRequest,
) -> Result<LoseResponsesRequest, SandboxError> {
    if request.count > MAX_LOST {
        return Err(SandboxError::InvalidRequest("count must be 0 to 100"));
    }
    bank.faults.lose_status_answers(request.count);
    Ok(request)
}

pub(crate) fn hold_responses(
    bank: &Bank,
    request: LoseResponsesRequest,
) -> Result<LoseResponsesRequest, SandboxError> {
    if request.count > MAX_LOST {
        return Err(SandboxError::InvalidRequest("count must be 0 to 100"));
    }
    bank.faults.hold_transfer_answers(request.count);
    Ok(request)
}

/// The receipt recorded for the customer's idempotency key, if any.
pub(crate) fn outcome(
    bank: &Bank,
    customer_id: &str,
    key: IdempotencyKey,
) -> Result<Option<Receipt>, SandboxError> {
    bank.with_db(|conn| {
        if !customers::exists(conn, customer_id)? {
            return Err(SandboxError::UnknownCustomer);
        }
        match transfers::outcome(conn, customer_id, &key.to_hex())? {
            None => Ok(None),
            Some(decided) => stored_receipt(&decided.receipt)
                .map(Some)
                .map_err(|_| SandboxError::Internal("a stored receipt does not parse")),
        }
    })
}

/// The warning codes the customer acknowledged for the key, if the bank decided it.
pub(crate) fn acknowledged_warnings(
    bank: &Bank,
    customer_id: &str,
    key: IdempotencyKey,
) -> Result<Option<Vec<String>>, SandboxError> {
    Ok(bank.with_db(|conn| transfers::acknowledged_warnings(conn, customer_id, &key.to_hex()))?)
}

pub(crate) fn suspend(
    bank: &Bank,
    customer_id: &str,
    request: SuspensionRequest,
) -> Result<SuspensionRequest, SandboxError> {
    let changed =
        bank.with_db(|conn| transfers::set_suspended(conn, customer_id, request.suspended))?;
    if changed == 0 {
        return Err(SandboxError::UnknownCustomer);
    }
    tracing::info!(
        suspended = request.suspended,
        "customer's e-banking suspension set"
    );
    Ok(request)
}
