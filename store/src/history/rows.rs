//! Reading and opening history rows.

use super::{PART, TABLE};
pub(super) use crate::columns::{blob_at, day_at, integrity, tag_at};
use crate::crypto::{begin_record, Aad, Keys, Lookup};
use crate::error::{Result, StoreError};
use crate::model::{decode_transaction, encode_transaction, Transaction, TxView};

pub(super) fn collect_account_rows(
    keys: &Keys,
    scratch: &mut Vec<u8>,
    mut rows: rusqlite::Rows<'_>,
    account_mac: &Lookup,
    account_id: &str,
    capacity_hint: usize,
) -> Result<Vec<Transaction>> {
    let mut out = Vec::with_capacity(capacity_hint.min(256));
    while let Some(row) = rows.next().map_err(StoreError::sql(PART))? {
        let (tag, day) = (tag_at(row, 0)?, day_at(row, 1)?);
        let view = open_transaction(keys, scratch, tag, account_mac, day, blob_at(row, 2)?)?;
        out.push(view.to_owned(account_id, day));
    }
    Ok(out)
}

pub(crate) fn open_transaction<'s>(
    keys: &Keys,
    scratch: &'s mut Vec<u8>,
    slot: i64,
    account_mac: &Lookup,
    day: i32,
    sealed: &[u8],
) -> Result<TxView<'s>> {
    let plain = keys
        .open(&transaction_aad(slot, account_mac, day), sealed, scratch)
        .ok_or_else(integrity)?;
    decode_transaction(plain).ok_or_else(integrity)
}

pub(crate) fn transaction_aad(slot: i64, account_mac: &Lookup, day: i32) -> Aad {
    let mut aad = Aad::new(TABLE);
    aad.push(&slot.to_be_bytes())
        .push(account_mac)
        .push(&day.to_be_bytes());
    aad
}

/// Seals `tx` for `slot` of the account `account_mac` into `record`.
pub(crate) fn seal_transaction(
    keys: &Keys,
    nonce: [u8; 12],
    slot: i64,
    account_mac: &Lookup,
    tx: &Transaction,
    record: &mut Vec<u8>,
) -> Result<()> {
    begin_record(record);
    encode_transaction(tx, record);
    keys.seal(
        nonce,
        &transaction_aad(slot, account_mac, tx.booking_day),
        record,
    )
}
