//! The dictionary of accounts that appear in the history: each row refers to its account by a
//! small integer; the dictionary holds the account's lookup value and its sealed id. An open
//! store keeps it decrypted (`store.rs`), so it sits below the store, and the history above.

use std::collections::HashMap;

use rusqlite::{params, Connection};

use crate::columns::{blob_at, integrity, lookup_at, PART};
use crate::crypto::{begin_record, Aad, Keys, Lookup};
use crate::error::{Result, StoreError};
use crate::meta::reserve_epoch;
use crate::nonce::Nonces;

const ACCOUNT_TABLE: &str = "tx_account";
const ACCOUNTS: &str = "SELECT ref, mac, sealed FROM tx_account";
const ADD_ACCOUNT: &str = "INSERT INTO tx_account (mac, sealed) VALUES (?1, ?2)";

/// The accounts that appear in the history, decrypted once per session.
#[derive(Default)]
pub(crate) struct AccountDirectory {
    pub(crate) by_id: HashMap<String, (i64, Lookup)>,
    pub(crate) by_ref: HashMap<i64, (Lookup, String)>,
}

impl AccountDirectory {
    pub(crate) fn load(
        cache: &Connection,
        keys: &Keys,
        scratch: &mut Vec<u8>,
    ) -> Result<AccountDirectory> {
        let mut dir = AccountDirectory::default();
        let mut stmt = cache
            .prepare_cached(ACCOUNTS)
            .map_err(StoreError::sql(PART))?;
        let mut rows = stmt.query([]).map_err(StoreError::sql(PART))?;
        while let Some(row) = rows.next().map_err(StoreError::sql(PART))? {
            let reference: i64 = row.get(0).map_err(|_| integrity())?;
            let mac = lookup_at(row, 1)?;
            let sealed = blob_at(row, 2)?;
            let id = open_account_id(keys, &mac, sealed, scratch)?;
            dir.by_id.insert(id.clone(), (reference, mac));
            dir.by_ref.insert(reference, (mac, id));
        }
        Ok(dir)
    }

    pub(crate) fn account(&self, reference: i64) -> Result<&(Lookup, String)> {
        self.by_ref.get(&reference).ok_or_else(integrity)
    }

    /// The reference of an account, adding it (inside the caller's write transaction) on first
    /// sight.
    pub(crate) fn reference(
        &mut self,
        keys: &Keys,
        nonces: &mut Nonces,
        record: &mut Vec<u8>,
        db: &Connection,
        vault: &Connection,
        account_id: &str,
    ) -> Result<(i64, Lookup)> {
        if let Some(&known) = self.by_id.get(account_id) {
            return Ok(known);
        }
        let mac = account_lookup(keys, account_id);
        let nonce = nonces.next(|| reserve_epoch(vault))?;
        seal_account_id(keys, nonce, &mac, account_id, record)?;
        db.prepare_cached(ADD_ACCOUNT)
            .and_then(|mut stmt| stmt.execute(params![&mac[..], &record[..]]))
            .map_err(StoreError::sql(PART))?;
        let reference = db.last_insert_rowid();
        self.by_id.insert(account_id.to_owned(), (reference, mac));
        self.by_ref.insert(reference, (mac, account_id.to_owned()));
        Ok((reference, mac))
    }
}

/// The lookup value of an account id: the dictionary's key, and part of the associated data of
/// every history record of that account.
pub(crate) fn account_lookup(keys: &Keys, account_id: &str) -> Lookup {
    keys.lookup(ACCOUNT_TABLE.as_bytes(), account_id.as_bytes())
}

/// Seals a dictionary entry: the account id under the associated data of its lookup value.
pub(crate) fn seal_account_id(
    keys: &Keys,
    nonce: [u8; 12],
    mac: &Lookup,
    account_id: &str,
    record: &mut Vec<u8>,
) -> Result<()> {
    begin_record(record);
    record.extend_from_slice(account_id.as_bytes());
    keys.seal(nonce, &account_aad(mac), record)
}

/// The account id of a dictionary entry, or an integrity failure.
pub(crate) fn open_account_id(
    keys: &Keys,
    mac: &Lookup,
    sealed: &[u8],
    scratch: &mut Vec<u8>,
) -> Result<String> {
    let plain = keys
        .open(&account_aad(mac), sealed, scratch)
        .ok_or_else(integrity)?;
    std::str::from_utf8(plain)
        .map(str::to_owned)
        .map_err(|_| integrity())
}

pub(crate) fn account_aad(mac: &Lookup) -> Aad {
    let mut aad = Aad::new(ACCOUNT_TABLE);
    aad.push(mac);
    aad
}
