//! Reading and opening history rows.

use super::{PART, TABLE};
pub(super) use crate::columns::{blob_at, day_at, integrity, tag_at};
use crate::crypto::{Aad, Keys, Lookup};
use crate::error::{Result, StoreError};
use crate::model::{decode_transaction, Transaction, TxView};

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

pub(super) fn open_transaction<'s>(
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

pub(super) fn transaction_aad(slot: i64, account_mac: &Lookup, day: i32) -> Aad {
    let mut aad = Aad::new(TABLE);
    aad.push(&slot.to_be_bytes())
        .push(account_mac)
        .push(&day.to_be_bytes());
    aad
}
