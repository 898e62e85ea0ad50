//! The outbox: every signed transfer, in the vault, from before its first byte is sent until
//! long after the bank answered. The record keeps the whole signed request, so a retry sends
//! the same bytes under the same idempotency key, and the bank's receipt, as dispute evidence.

use mobank_protocol::transfer::messages::SubmitTransferRequest;
use mobank_protocol::transfer::Receipt;
use mobank_protocol::{AuthenticatorData, Factor};
use mobank_store::{Store, StoreError, Table};
use serde::{Deserialize, Serialize};

use super::model::{ReceiptSummary, TransferState, TransferSummary};
use crate::money::{format_amount, Locale};
use crate::risk::PastTransfer;
use mobank_protocol::transfer::account_number::masked;

/// One transfer in the outbox, keyed by its idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct OutboxRecord {
    pub request: SubmitTransferRequest,
    pub hash: [u8; 32],
    pub state: TransferState,
    pub payee_bank_name: String,
    /// Phone time after which the bank no longer accepts the signature.
    pub deadline_ms: u64,
    pub created_at_ms: u64,
    pub updated_at_ms: u64,
    #[serde(default)]
    pub receipt: Option<Receipt>,
    /// Bank time the bank said it runs the transfer, when not at once.
    #[serde(default)]
    pub runs_at_ms: Option<u64>,
}

impl OutboxRecord {
    pub(super) fn key(&self) -> String {
        self.request.transfer.idempotency_key.to_hex()
    }

    /// The possession key's counter in the stored signature, if it reads.
    pub(super) fn possession_sign_count(&self) -> Option<u32> {
        self.request
            .assertions
            .iter()
            .find(|assertion| assertion.factor == Factor::Possession)
            .and_then(|assertion| AuthenticatorData::parse(&assertion.authenticator_data).ok())
            .map(|data| data.sign_count)
    }

    /// What the risk rules read of it.
    pub(super) fn past(&self) -> PastTransfer {
        let transfer = &self.request.transfer;
        PastTransfer {
            payee_account: transfer.payee.account_number.clone(),
            amount_minor: transfer.amount.minor_units(),
            currency: transfer.amount.currency().code().to_owned(),
            quoted_at_ms: i64::try_from(transfer.quoted_at_ms).unwrap_or(i64::MAX),
            state: self.state,
        }
    }

    pub(super) fn summary(&self) -> TransferSummary {
        let transfer = &self.request.transfer;
        TransferSummary {
            transfer_id: self.key(),
            state: self.state,
            payer_account_id: transfer.payer_account_id.clone(),
            amount: transfer.amount.to_wire(),
            currency: transfer.amount.currency().code().to_owned(),
            amount_zh: format_amount(&transfer.amount, Locale::ZhCn),
            payee_name: transfer.payee.name.clone(),
            payee_masked_number: masked(&transfer.payee.account_number),
            created_at_ms: self.created_at_ms,
            updated_at_ms: self.updated_at_ms,
            receipt: self.receipt.as_ref().map(ReceiptSummary::from),
        }
    }
}

/// Why the outbox could not be read or written.
#[derive(Debug)]
pub(super) enum OutboxError {
    Store(StoreError),
    /// A record that opened (so it is ours) but does not decode: a bug, never silently dropped.
    Undecodable,
}

impl From<StoreError> for OutboxError {
    fn from(error: StoreError) -> Self {
        OutboxError::Store(error)
    }
}

/// Writes `record` durably, in the vault and its backup copy, before returning.
pub(super) fn save(store: &Store, record: &OutboxRecord) -> Result<(), OutboxError> {
    let bytes = encode(record)?;
    store.put(Table::Outbox, &record.key(), &bytes)?;
    Ok(())
}

/// Writes a newly signed `record` durably before any byte of it is sent, together with the
/// signature counters its signing reserved (decision record 0033). Its backup copy follows
/// within a bounded number of writes (decision record 0030).
pub(super) fn queue(store: &Store, record: &OutboxRecord) -> Result<(), OutboxError> {
    let bytes = encode(record)?;
    store.put_lagging_backup(Table::Outbox, &record.key(), &bytes)?;
    Ok(())
}

/// Writes that `record` is being sent: kept if the app is killed; a power cut before the
/// next durable write may lose it, leaving the record `Signed`, and `reconcile` asks the bank
/// before it ever calls a `Signed` transfer not executed (decision record 0033).
pub(super) fn mark_sending(store: &Store, record: &OutboxRecord) -> Result<(), OutboxError> {
    let bytes = encode(record)?;
    store.put_flushed_later(Table::Outbox, &record.key(), &bytes)?;
    Ok(())
}

/// Writes what became of a record already saved: durable in the vault when this returns, in
/// its backup copy a little later (decision record 0030). A vault restored from a backup that
/// missed it holds the record as it was, still open, and `reconcile` asks the bank again.
pub(super) fn save_progress(store: &Store, record: &OutboxRecord) -> Result<(), OutboxError> {
    let bytes = encode(record)?;
    store.put_lagging_backup(Table::Outbox, &record.key(), &bytes)?;
    Ok(())
}

fn encode(record: &OutboxRecord) -> Result<zeroize::Zeroizing<Vec<u8>>, OutboxError> {
    Ok(zeroize::Zeroizing::new(
        serde_json::to_vec(record).map_err(|_| OutboxError::Undecodable)?,
    ))
}

pub(super) fn remove(store: &Store, key: &str) -> Result<(), OutboxError> {
    store.delete(Table::Outbox, key)?;
    Ok(())
}

/// Every record, newest first.
pub(super) fn load_all(store: &Store) -> Result<Vec<OutboxRecord>, OutboxError> {
    let mut records = store
        .entries(Table::Outbox)?
        .iter()
        .map(|entry| decode(&entry.value))
        .collect::<Result<Vec<_>, _>>()?;
    records.sort_by_key(|record| std::cmp::Reverse(record.created_at_ms));
    Ok(records)
}

/// One stored value as a record.
fn decode(value: &[u8]) -> Result<OutboxRecord, OutboxError> {
    serde_json::from_slice(value).map_err(|_| OutboxError::Undecodable)
}

/// A stored value read as [`load_all`] reads it and written back as the writes above write
/// it; `None` where reading refuses it. For the fuzz targets' round trip.
#[cfg(feature = "fuzzing")]
pub(crate) fn reread(value: &[u8]) -> Option<zeroize::Zeroizing<Vec<u8>>> {
    encode(&decode(value).ok()?).ok()
}
