//! The decoding of stored records, reachable only with the `fuzzing` feature (the fuzz targets
//! turn it on; no app build does). Each function runs the store's own code: a row's sealed
//! record opened under the associated data its table and clear columns give it, then its
//! plaintext decoded into a key-value entry, a history transaction or an account of the
//! history's dictionary. The clear columns come from the caller instead of from SQLite, so
//! arbitrary bytes reach the decoders without a database file in between.

use zeroize::Zeroizing;

use crate::crypto::{begin_record, Aad, Keys, Lookup};
use crate::error::{Result, StoreError};
use crate::history::rows::{open_transaction, seal_transaction, transaction_aad};
use crate::kv::{aad, open_entry, seal_entry, Entry};
use crate::model::Transaction;
use crate::table::Table;
use crate::tx_account::{account_aad, account_lookup, open_account_id, seal_account_id};

/// Where a record sits: what its associated data is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row<'a> {
    /// The row of `key` in a key-value table.
    Entry { table: Table, key: &'a str },
    /// A history row with these clear columns.
    Transaction {
        slot: i64,
        account_id: &'a str,
        booking_day: i32,
    },
    /// The row of `account_id` in the history's account dictionary.
    Account { account_id: &'a str },
}

/// A record read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Entry(Entry),
    Transaction(Transaction),
    Account(String),
}

/// The record key and lookup key derived from one data key, as an open store holds them.
pub struct RecordKeys {
    keys: Keys,
}

impl RecordKeys {
    /// `None` for a data key of the wrong length, as [`crate::Store::open`] refuses one.
    pub fn derive(data_key: &[u8]) -> Option<RecordKeys> {
        Keys::derive(data_key).map(|keys| RecordKeys { keys })
    }

    /// The record [`crate::Store::put`] writes for `key` in `table`, sealed with `nonce`.
    pub fn seal_entry(
        &self,
        nonce: [u8; 12],
        table: Table,
        key: &str,
        value: &[u8],
    ) -> Result<Vec<u8>> {
        let mut record = Vec::new();
        seal_entry(&self.keys, nonce, table, key, value, &mut record)?;
        Ok(record)
    }

    /// `sealed` read from the row of `key` in `table`, as [`crate::Store::get`] reads it: the
    /// entry, or [`StoreError::Integrity`] if it does not open there or names another key.
    pub fn open_entry(&self, table: Table, key: &str, sealed: &[u8]) -> Result<Entry> {
        let mac = self.keys.lookup(table.name().as_bytes(), key.as_bytes());
        let mut scratch = Zeroizing::new(Vec::new());
        let (stored_key, value) = open_entry(&self.keys, table, &mac, sealed, &mut scratch)?;
        if stored_key != key {
            return Err(StoreError::Integrity {
                table: table.name(),
            });
        }
        Ok(Entry {
            key: stored_key.to_owned(),
            value: Zeroizing::new(value.to_vec()),
        })
    }

    /// The record the history writer keeps for `tx` in probe slot `slot`, sealed with `nonce`.
    pub fn seal_transaction(
        &self,
        nonce: [u8; 12],
        slot: i64,
        tx: &Transaction,
    ) -> Result<Vec<u8>> {
        let mut record = Vec::new();
        let mac = self.account(&tx.account_id);
        seal_transaction(&self.keys, nonce, slot, &mac, tx, &mut record)?;
        Ok(record)
    }

    /// `sealed` read from a history row with these clear columns (slot, account, booking day),
    /// as every history query reads it: the transaction, or [`StoreError::Integrity`].
    pub fn open_transaction(
        &self,
        slot: i64,
        account_id: &str,
        booking_day: i32,
        sealed: &[u8],
    ) -> Result<Transaction> {
        let mac = self.account(account_id);
        let mut scratch = Zeroizing::new(Vec::new());
        let view = open_transaction(&self.keys, &mut scratch, slot, &mac, booking_day, sealed)?;
        Ok(view.to_owned(account_id, booking_day))
    }

    /// The dictionary entry of `account_id` in the history's account table.
    pub fn seal_account(&self, nonce: [u8; 12], account_id: &str) -> Result<Vec<u8>> {
        let mut record = Vec::new();
        let mac = self.account(account_id);
        seal_account_id(&self.keys, nonce, &mac, account_id, &mut record)?;
        Ok(record)
    }

    /// `sealed` read from the dictionary row whose lookup value is that of `account_id`: the
    /// account id it holds, or [`StoreError::Integrity`].
    pub fn open_account(&self, account_id: &str, sealed: &[u8]) -> Result<String> {
        let mut scratch = Zeroizing::new(Vec::new());
        open_account_id(&self.keys, &self.account(account_id), sealed, &mut scratch)
    }

    /// `sealed` read from `row`, as the store reads that kind of row.
    pub fn open(&self, row: Row<'_>, sealed: &[u8]) -> Result<Record> {
        match row {
            Row::Entry { table, key } => self.open_entry(table, key, sealed).map(Record::Entry),
            Row::Transaction {
                slot,
                account_id,
                booking_day,
            } => self
                .open_transaction(slot, account_id, booking_day, sealed)
                .map(Record::Transaction),
            Row::Account { account_id } => {
                self.open_account(account_id, sealed).map(Record::Account)
            }
        }
    }

    /// `plain` sealed for `row` as it is, so that bytes no encoder writes reach the decoders
    /// behind a tag that verifies.
    pub fn seal_plaintext(&self, nonce: [u8; 12], row: Row<'_>, plain: &[u8]) -> Result<Vec<u8>> {
        let aad = self.aad(row);
        let mut record = Vec::new();
        begin_record(&mut record);
        record.extend_from_slice(plain);
        self.keys.seal(nonce, &aad, &mut record)?;
        Ok(record)
    }

    fn aad(&self, row: Row<'_>) -> Aad {
        match row {
            Row::Entry { table, key } => aad(
                table,
                &self.keys.lookup(table.name().as_bytes(), key.as_bytes()),
            ),
            Row::Transaction {
                slot,
                account_id,
                booking_day,
            } => transaction_aad(slot, &self.account(account_id), booking_day),
            Row::Account { account_id } => account_aad(&self.account(account_id)),
        }
    }

    fn account(&self, account_id: &str) -> Lookup {
        account_lookup(&self.keys, account_id)
    }
}

/// The plaintext the history writer seals for `tx`: what a transaction row's record decodes from.
pub fn encode_transaction(tx: &Transaction) -> Vec<u8> {
    let mut plain = Vec::new();
    crate::model::encode_transaction(tx, &mut plain);
    plain
}
