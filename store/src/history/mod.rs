//! Transaction history: bulk insert, lookups, lists, search and the monthly summary.
//!
//! A row is `(id tag, account reference, booking day, sealed record)` (decision record 0006):
//!
//! - the id tag is a 64-bit keyed tag of the bank's transaction id. Half the size of a full lookup
//!   value, it keeps the one randomly-ordered index small, which is what bulk inserts pay for. Two
//!   ids may share a tag (about n²/2⁶⁵ for n rows); the second one then takes the next free tag
//!   (linear probing), and every reader compares the decrypted id, so a collision costs a probe,
//!   never a wrong answer;
//! - the account is a small integer into `tx_account`, a dictionary of the customer's few accounts
//!   (lookup value and sealed id), so a row carries one byte instead of a lookup value;
//! - the associated data is `format ‖ "transactions" ‖ tag ‖ account lookup ‖ day`: moving a
//!   record to another row, editing its clear day, or pointing it at another account all make it
//!   fail to open.

mod newest;
pub(crate) mod rows;
mod summary;
mod writer;

use std::borrow::Borrow;
use std::collections::HashMap;

use rusqlite::{params, Connection};

use newest::Newest;
use rows::{blob_at, collect_account_rows, day_at, integrity, open_transaction, tag_at};
use summary::{add_to_totals, month_days};
use writer::HistoryWriter;

use crate::columns::{PART, TABLE};
use crate::crypto::{Keys, Lookup};
use crate::error::{Result, StoreError};
use crate::files::explain_write_failure;
use crate::model::{CategoryTotal, Transaction};
use crate::store::{Conns, Inner, Store};
use crate::text::Matcher;
use crate::tx_account::AccountDirectory;
/// Longer probe chains than this cannot come from honest collisions (each step is a 2⁻⁶⁴ event).
const MAX_PROBES: usize = 8;

const BY_TAG: &str = "SELECT acct, day, sealed FROM tx WHERE id_tag = ?1";
const LAST_N: &str = "SELECT id_tag, day, sealed FROM tx WHERE acct = ?1 \
     ORDER BY day DESC, rowid DESC LIMIT ?2";
const RANGE: &str = "SELECT id_tag, day, sealed FROM tx WHERE acct = ?1 AND day BETWEEN ?2 AND ?3 \
     ORDER BY day DESC, rowid DESC";
const ALL: &str = "SELECT id_tag, day, sealed, acct, rowid FROM tx";
const COUNT: &str = "SELECT count(*) FROM tx";
const COUNT_ACCOUNT: &str = "SELECT count(*) FROM tx WHERE acct = ?1";

/// Everything a query needs, borrowed out of the locked store at once.
struct Reading<'a> {
    cache: &'a Connection,
    keys: &'a Keys,
    accounts: &'a AccountDirectory,
    scratch: &'a mut Vec<u8>,
}

impl Store {
    /// Inserts or replaces (by id) transactions in one database transaction: all or none.
    /// Returns how many were written.
    pub fn insert_transactions<T: Borrow<Transaction>>(
        &self,
        transactions: impl IntoIterator<Item = T>,
    ) -> Result<usize> {
        self.write_history(transactions, None)
    }

    /// [`Store::insert_transactions`] plus the sync cursor `cursor_name` (in [`Table::Sync`]) set
    /// to `cursor`, in the same database transaction: after a crash the cursor never points past
    /// what is stored, so a sync resumes without gaps.
    pub fn insert_transactions_with_cursor<T: Borrow<Transaction>>(
        &self,
        transactions: impl IntoIterator<Item = T>,
        cursor_name: &str,
        cursor: &[u8],
    ) -> Result<usize> {
        self.write_history(transactions, Some((cursor_name, cursor)))
    }

    /// The transaction with this id, or `None`.
    pub fn transaction_by_id(&self, id: &str) -> Result<Option<Transaction>> {
        self.read(|r| {
            let tag = r.keys.tag(TABLE.as_bytes(), id.as_bytes());
            find(r, tag, id)
        })
    }

    /// The latest `n` transactions of an account, newest first (same day: most recently stored
    /// first).
    pub fn last_n(&self, account_id: &str, n: u32) -> Result<Vec<Transaction>> {
        self.read(|r| {
            let Some(&(reference, account_mac)) = r.accounts.by_id.get(account_id) else {
                return Ok(Vec::new());
            };
            let mut stmt = r
                .cache
                .prepare_cached(LAST_N)
                .map_err(StoreError::sql(PART))?;
            let rows = stmt
                .query(params![reference, n])
                .map_err(StoreError::sql(PART))?;
            collect_account_rows(
                r.keys,
                r.scratch,
                rows,
                &account_mac,
                account_id,
                n as usize,
            )
        })
    }

    /// Transactions of an account booked from `from_day` to `to_day` inclusive, newest first.
    pub fn range(&self, account_id: &str, from_day: i32, to_day: i32) -> Result<Vec<Transaction>> {
        self.read(|r| {
            let Some(&(reference, account_mac)) = r.accounts.by_id.get(account_id) else {
                return Ok(Vec::new());
            };
            let mut stmt = r
                .cache
                .prepare_cached(RANGE)
                .map_err(StoreError::sql(PART))?;
            let rows = stmt
                .query(params![reference, from_day, to_day])
                .map_err(StoreError::sql(PART))?;
            collect_account_rows(
                r.keys,
                r.scratch,
                rows,
                &account_mac,
                account_id,
                usize::MAX,
            )
        })
    }

    /// Case-insensitive text search over counterparty and memo (Chinese included; full-width
    /// Latin letters match their ASCII forms), newest first, at most `limit` results, in one
    /// account or in all.
    ///
    /// Nothing about the text is on disk in clear or as token hashes, so this decrypts and scans
    /// the stored records: linear in the history size (decision record 0006 has the figures). An
    /// empty `text` returns nothing.
    pub fn search(
        &self,
        text: &str,
        account_id: Option<&str>,
        limit: u32,
    ) -> Result<Vec<Transaction>> {
        let mut matcher = Matcher::new(text);
        if matcher.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        self.read(|r| {
            let only = match account_id {
                Some(id) => match r.accounts.by_id.get(id) {
                    Some(&(reference, _)) => Some(reference),
                    None => return Ok(Vec::new()),
                },
                None => None,
            };
            let mut newest = Newest::new(limit as usize);
            let mut stmt = r.cache.prepare_cached(ALL).map_err(StoreError::sql(PART))?;
            let mut rows = stmt.query([]).map_err(StoreError::sql(PART))?;
            // A scan in storage order reads each page once; keeping only the newest `limit`
            // matches bounds memory however common the word is.
            while let Some(row) = rows.next().map_err(StoreError::sql(PART))? {
                let reference: i64 = row.get(3).map_err(|_| integrity())?;
                if only.is_some_and(|only| only != reference) {
                    continue;
                }
                let (account_mac, account) = r.accounts.account(reference)?;
                let (tag, day) = (tag_at(row, 0)?, day_at(row, 1)?);
                let view =
                    open_transaction(r.keys, r.scratch, tag, account_mac, day, blob_at(row, 2)?)?;
                if matcher.matches(view.counterparty) || matcher.matches(view.memo) {
                    let rowid: i64 = row.get(4).map_err(|_| integrity())?;
                    newest.offer((day, rowid), || view.to_owned(account, day));
                }
            }
            Ok(newest.into_sorted())
        })
    }

    /// Spending and income per category and currency for one calendar month (`month` 1-12), in
    /// one account or all, largest spending first.
    pub fn monthly_summary(
        &self,
        year: i32,
        month: u8,
        account_id: Option<&str>,
    ) -> Result<Vec<CategoryTotal>> {
        let (from_day, to_day) = month_days(year, month)?;
        self.read(|r| {
            let accounts: Vec<(i64, Lookup)> = match account_id {
                Some(id) => r.accounts.by_id.get(id).copied().into_iter().collect(),
                None => r
                    .accounts
                    .by_ref
                    .iter()
                    .map(|(&reference, (mac, _))| (reference, *mac))
                    .collect(),
            };
            let mut totals: HashMap<(String, String), CategoryTotal> = HashMap::new();
            let mut stmt = r
                .cache
                .prepare_cached(RANGE)
                .map_err(StoreError::sql(PART))?;
            for (reference, account_mac) in accounts {
                let mut rows = stmt
                    .query(params![reference, from_day, to_day])
                    .map_err(StoreError::sql(PART))?;
                while let Some(row) = rows.next().map_err(StoreError::sql(PART))? {
                    let (tag, day) = (tag_at(row, 0)?, day_at(row, 1)?);
                    let view = open_transaction(
                        r.keys,
                        r.scratch,
                        tag,
                        &account_mac,
                        day,
                        blob_at(row, 2)?,
                    )?;
                    add_to_totals(&mut totals, &view)?;
                }
            }
            let mut totals: Vec<CategoryTotal> = totals.into_values().collect();
            totals.sort_by(|a, b| {
                b.spent_minor
                    .cmp(&a.spent_minor)
                    .then_with(|| b.received_minor.cmp(&a.received_minor))
                    .then_with(|| a.category.cmp(&b.category))
                    .then_with(|| a.currency.cmp(&b.currency))
            });
            Ok(totals)
        })
    }

    /// Number of stored transactions, in one account or all.
    pub fn transaction_count(&self, account_id: Option<&str>) -> Result<u64> {
        self.read(|r| {
            let count = match account_id {
                None => r
                    .cache
                    .prepare_cached(COUNT)
                    .and_then(|mut s| s.query_row([], |row| row.get::<_, i64>(0))),
                Some(id) => match r.accounts.by_id.get(id) {
                    None => return Ok(0),
                    Some(&(reference, _)) => r
                        .cache
                        .prepare_cached(COUNT_ACCOUNT)
                        .and_then(|mut s| s.query_row([reference], |row| row.get::<_, i64>(0))),
                },
            };
            count
                .map(|n| n.unsigned_abs())
                .map_err(StoreError::sql(PART))
        })
    }

    /// Runs a read with the account directory loaded.
    fn read<R>(&self, f: impl FnOnce(&mut Reading<'_>) -> Result<R>) -> Result<R> {
        let mut guard = self.lock();
        let Inner {
            conns,
            keys,
            accounts,
            scratch,
            ..
        } = &mut *guard;
        let conns = conns.as_ref().ok_or(StoreError::Paused)?;
        if accounts.is_none() {
            *accounts = Some(AccountDirectory::load(&conns.cache, keys, scratch)?);
        }
        let accounts = accounts.get_or_insert_with(AccountDirectory::default);
        f(&mut Reading {
            cache: &conns.cache,
            keys,
            accounts,
            scratch,
        })
    }

    fn write_history<T: Borrow<Transaction>>(
        &self,
        transactions: impl IntoIterator<Item = T>,
        cursor: Option<(&str, &[u8])>,
    ) -> Result<usize> {
        self.write_with(|writer, conns| writer.write(conns, transactions, cursor))
            .map_err(|error| explain_write_failure(error, PART, self.paths()))
    }

    /// Runs a history write with the account directory loaded; forgets the directory if the
    /// write fails, since accounts it added were rolled back with it.
    fn write_with<R>(
        &self,
        f: impl FnOnce(&mut HistoryWriter<'_>, &mut Conns) -> Result<R>,
    ) -> Result<R> {
        let mut guard = self.lock();
        let Inner {
            conns,
            keys,
            nonces,
            accounts,
            scratch,
            record,
            ..
        } = &mut *guard;
        let conns = conns.as_mut().ok_or(StoreError::Paused)?;
        if accounts.is_none() {
            *accounts = Some(AccountDirectory::load(&conns.cache, keys, scratch)?);
        }
        let directory = accounts.get_or_insert_with(AccountDirectory::default);
        let mut writer = HistoryWriter {
            keys,
            nonces,
            record,
            scratch,
            directory,
        };
        let result = f(&mut writer, conns);
        if result.is_err() {
            *accounts = None;
        }
        result
    }
}

/// The transaction `id` whose probe chain starts at `tag`.
fn find(r: &mut Reading<'_>, tag: i64, id: &str) -> Result<Option<Transaction>> {
    let mut stmt = r
        .cache
        .prepare_cached(BY_TAG)
        .map_err(StoreError::sql(PART))?;
    let mut slot = tag;
    for _ in 0..MAX_PROBES {
        let mut rows = stmt.query([slot]).map_err(StoreError::sql(PART))?;
        let Some(row) = rows.next().map_err(StoreError::sql(PART))? else {
            return Ok(None);
        };
        let (account_mac, account_id) = r.accounts.account(row.get(0).map_err(|_| integrity())?)?;
        let day = day_at(row, 1)?;
        let view = open_transaction(r.keys, r.scratch, slot, account_mac, day, blob_at(row, 2)?)?;
        if view.id == id {
            return Ok(Some(view.to_owned(account_id, day)));
        }
        slot = slot.wrapping_add(1);
    }
    Err(integrity())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::Arc;

    use super::writer::INSERT;
    use super::*;
    use crate::{KeyWrapper, WrapError};
    use zeroize::Zeroizing;

    struct PlainWrapper;

    impl KeyWrapper for PlainWrapper {
        fn wrap(&self, plaintext: &[u8]) -> Result<Vec<u8>, WrapError> {
            Ok(plaintext.to_vec())
        }
        fn unwrap(&self, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, WrapError> {
            Ok(Zeroizing::new(wrapped.to_vec()))
        }
        fn delete(&self) -> Result<(), WrapError> {
            Ok(())
        }
    }

    fn tx(id: &str, memo: &str) -> Transaction {
        Transaction {
            id: id.into(),
            account_id: "acc".into(),
            booking_day: 1,
            amount_minor: -1,
            currency: "CNY".into(),
            counterparty: "x".into(),
            memo: memo.into(),
            category: "c".into(),
            booked_at_ms: None,
            counterparty_account: None,
        }
    }

    /// A 64-bit tag collision cannot be produced through the public API, so force one: every id
    /// below is written and read at tag 41.
    #[test]
    fn colliding_tags_probe_to_the_next_slot_and_stay_correct() {
        const TAG: i64 = 41;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), Arc::new(PlainWrapper)).unwrap();
        let write = |t: &Transaction| {
            store.write_with(|w, conns| {
                let Conns { vault, cache } = conns;
                let db = cache.unchecked_transaction().unwrap();
                let mut insert = db.prepare_cached(INSERT).unwrap();
                w.upsert(&db, &mut insert, vault, TAG, t)?;
                drop(insert);
                db.commit().unwrap();
                Ok(())
            })
        };
        let find_at = |id: &str| store.read(|r| find(r, TAG, id));

        write(&tx("A", "first")).unwrap();
        write(&tx("B", "second")).unwrap();
        write(&tx("C", "third")).unwrap();
        assert_eq!(find_at("A").unwrap(), Some(tx("A", "first")));
        assert_eq!(find_at("B").unwrap(), Some(tx("B", "second")));
        assert_eq!(find_at("C").unwrap(), Some(tx("C", "third")));
        assert_eq!(
            find_at("D").unwrap(),
            None,
            "probing stops at the first free slot"
        );

        // An update of B lands in B's slot, not in a new one.
        write(&tx("B", "second, corrected")).unwrap();
        assert_eq!(find_at("B").unwrap(), Some(tx("B", "second, corrected")));
        assert_eq!(store.transaction_count(None).unwrap(), 3);
        let slots: Vec<i64> = store
            .read(|r| {
                let mut stmt = r
                    .cache
                    .prepare("SELECT id_tag FROM tx ORDER BY id_tag")
                    .unwrap();
                let slots = stmt
                    .query_map([], |row| row.get(0))
                    .unwrap()
                    .map(|s| s.unwrap())
                    .collect();
                Ok(slots)
            })
            .unwrap();
        assert_eq!(slots, [41, 42, 43]);
        // Lists see all three.
        assert_eq!(store.last_n("acc", 10).unwrap().len(), 3);
    }
}
