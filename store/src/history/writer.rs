//! Writing history: one database transaction per batch, each row sealed and placed in the first
//! free slot of its tag's probe chain.

use std::borrow::Borrow;

use rusqlite::{params, Connection, Statement, TransactionBehavior};

use super::rows::{blob_at, day_at, integrity, open_transaction, seal_transaction};
use super::{BY_TAG, MAX_PROBES, PART, TABLE};
use crate::crypto::Keys;
use crate::error::{Result, StoreError};
use crate::kv::seal_entry;
use crate::meta::reserve_epoch;
use crate::model::Transaction;
use crate::nonce::Nonces;
use crate::store::Conns;
use crate::table::Table;
use crate::tx_account::AccountDirectory;

pub(super) const INSERT: &str =
    "INSERT INTO tx (id_tag, acct, day, sealed) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id_tag) DO NOTHING";
const UPDATE: &str = "UPDATE tx SET acct = ?2, day = ?3, sealed = ?4 WHERE id_tag = ?1";

pub(super) struct HistoryWriter<'a> {
    pub(super) keys: &'a Keys,
    pub(super) nonces: &'a mut Nonces,
    pub(super) record: &'a mut Vec<u8>,
    pub(super) scratch: &'a mut Vec<u8>,
    pub(super) directory: &'a mut AccountDirectory,
}

impl HistoryWriter<'_> {
    pub(super) fn write<T: Borrow<Transaction>>(
        &mut self,
        conns: &mut Conns,
        transactions: impl IntoIterator<Item = T>,
        cursor: Option<(&str, &[u8])>,
    ) -> Result<usize> {
        let Conns { vault, cache } = conns;
        let db = cache
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::sql(PART))?;
        let mut written = 0;
        {
            // Prepared once per batch, not looked up in the statement cache per row.
            let mut insert = db.prepare_cached(INSERT).map_err(StoreError::sql(PART))?;
            for tx in transactions {
                let tx = tx.borrow();
                let tag = self.keys.tag(TABLE.as_bytes(), tx.id.as_bytes());
                self.upsert(&db, &mut insert, vault, tag, tx)?;
                written += 1;
            }
        }
        if let Some((name, value)) = cursor {
            let nonce = self.nonces.next(|| reserve_epoch(vault))?;
            let mac = seal_entry(self.keys, nonce, Table::Sync, name, value, self.record)?;
            db.prepare_cached(Table::Sync.sql().put)
                .and_then(|mut stmt| stmt.execute(params![&mac[..], &self.record[..]]))
                .map_err(StoreError::sql(PART))?;
        }
        db.commit().map_err(StoreError::sql(PART))?;
        Ok(written)
    }

    /// Stores `tx` in the first slot of its probe chain that is free or already holds this id.
    pub(super) fn upsert(
        &mut self,
        db: &Connection,
        insert: &mut Statement<'_>,
        vault: &Connection,
        tag: i64,
        tx: &Transaction,
    ) -> Result<()> {
        if tx.id.is_empty() || tx.account_id.is_empty() {
            return Err(StoreError::InvalidInput(
                "transaction id and account id must not be empty",
            ));
        }
        let (reference, account_mac) = self.directory.reference(
            self.keys,
            self.nonces,
            self.record,
            db,
            vault,
            &tx.account_id,
        )?;
        let mut slot = tag;
        for _ in 0..MAX_PROBES {
            let nonce = self.nonces.next(|| reserve_epoch(vault))?;
            seal_transaction(self.keys, nonce, slot, &account_mac, tx, self.record)?;
            let row = params![slot, reference, tx.booking_day, &self.record[..]];
            if insert.execute(row).map_err(StoreError::sql(PART))? == 1 {
                return Ok(());
            }
            // The slot is taken: by this transaction (an update from a later sync page) or by
            // another one whose tag collided.
            if occupant_is(self.keys, self.scratch, self.directory, db, slot, &tx.id)? {
                db.prepare_cached(UPDATE)
                    .and_then(|mut update| update.execute(row))
                    .map_err(StoreError::sql(PART))?;
                return Ok(());
            }
            slot = slot.wrapping_add(1);
        }
        Err(integrity())
    }
}

/// Whether the slot holds the transaction `id` (rather than another whose tag collided).
fn occupant_is(
    keys: &Keys,
    scratch: &mut Vec<u8>,
    directory: &AccountDirectory,
    db: &Connection,
    slot: i64,
    id: &str,
) -> Result<bool> {
    let mut stmt = db.prepare_cached(BY_TAG).map_err(StoreError::sql(PART))?;
    let mut rows = stmt.query([slot]).map_err(StoreError::sql(PART))?;
    let row = rows
        .next()
        .map_err(StoreError::sql(PART))?
        .ok_or_else(integrity)?;
    let (account_mac, _) = directory.account(row.get(0).map_err(|_| integrity())?)?;
    let day = day_at(row, 1)?;
    let view = open_transaction(keys, scratch, slot, account_mac, day, blob_at(row, 2)?)?;
    Ok(view.id == id)
}
