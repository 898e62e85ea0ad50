//! What customers see of the ledger: one history row per customer leg of a journal entry, in
//! booking order, read page by page behind an opaque cursor.

use mobank_protocol::b64;
use mobank_protocol::messages::Transaction;
use rusqlite::{params, Transaction as DbTransaction};

use super::money::Currency;

pub(crate) const DEFAULT_PAGE: u32 = 500;
pub(crate) const MAX_PAGE: u32 = 1000;

/// First byte of every cursor, so the format can change without old cursors being misread.
const CURSOR_VERSION: u8 = 1;

pub(super) const INSERT: &str = "INSERT INTO transactions (transaction_id, customer_id,
        account_id, booked_at_ms, amount_minor, currency, counterparty, memo, category, entry_id)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

/// One history row as written: the customer-visible side of one leg of entry `entry_id`.
pub(crate) struct Booking<'a> {
    pub(crate) transaction_id: &'a str,
    pub(crate) customer_id: &'a str,
    pub(crate) account_id: &'a str,
    pub(crate) booked_at_ms: i64,
    pub(crate) amount_minor: i64,
    pub(crate) currency: Currency,
    pub(crate) counterparty: &'a str,
    pub(crate) memo: &'a str,
    pub(crate) category: &'a str,
    pub(crate) entry_id: i64,
}

impl Booking<'_> {
    pub(crate) fn to_transaction(&self) -> Transaction {
        Transaction {
            transaction_id: self.transaction_id.to_owned(),
            account_id: self.account_id.to_owned(),
            booked_at_ms: self.booked_at_ms,
            amount: self.currency.to_decimal(self.amount_minor),
            currency: self.currency.code().to_owned(),
            counterparty: self.counterparty.to_owned(),
            counterparty_account: None,
            memo: self.memo.to_owned(),
            category: self.category.to_owned(),
        }
    }
}

/// The position after the row with sequence number `seq`: version byte ‖ seq (u64,
/// big-endian), base64url. Position 0 is before everything.
pub(crate) fn cursor(seq: i64) -> String {
    let mut bytes = [0u8; 9];
    bytes[0] = CURSOR_VERSION;
    bytes[1..].copy_from_slice(&seq.to_be_bytes());
    b64::encode(bytes)
}

/// `None` for anything this bank did not hand out.
pub(crate) fn parse_cursor(text: &str) -> Option<i64> {
    let bytes: [u8; 9] = b64::decode(text).ok()?.try_into().ok()?;
    if bytes[0] != CURSOR_VERSION {
        return None;
    }
    let mut seq = [0u8; 8];
    seq.copy_from_slice(&bytes[1..]);
    Some(i64::from_be_bytes(seq)).filter(|seq| *seq >= 0)
}

pub(crate) struct Page {
    pub(crate) transactions: Vec<Transaction>,
    /// The sequence number of the last row returned, or the one asked from.
    pub(crate) last_seq: i64,
    pub(crate) has_more: bool,
}

/// Up to `limit` bookings of `customer_id` after position `after_seq`, in sequence order.
pub(crate) fn page(
    tx: &DbTransaction<'_>,
    customer_id: &str,
    after_seq: i64,
    limit: u32,
) -> rusqlite::Result<Page> {
    let mut statement = tx.prepare_cached(
        "SELECT t.seq, t.transaction_id, t.account_id, t.booked_at_ms, t.amount_minor,
                t.currency, t.counterparty, t.memo, t.category,
                COALESCE(e.counterparty_account,
                         (SELECT a.account_number FROM postings p
                          JOIN accounts a ON a.account_id = p.account_id
                          WHERE p.entry_id = t.entry_id AND p.account_id <> t.account_id
                            AND a.customer_id <> t.customer_id
                          LIMIT 1))
         FROM transactions t LEFT JOIN journal_entries e ON e.entry_id = t.entry_id
         WHERE t.customer_id = ?1 AND t.seq > ?2 ORDER BY t.seq LIMIT ?3",
    )?;
    // One row more than asked tells whether another page follows.
    let mut rows = statement
        .query_map(
            params![customer_id, after_seq, limit.saturating_add(1)],
            |row| {
                let currency: Currency = row.get(5)?;
                Ok((
                    row.get::<_, i64>(0)?,
                    Transaction {
                        transaction_id: row.get(1)?,
                        account_id: row.get(2)?,
                        booked_at_ms: row.get(3)?,
                        amount: currency.to_decimal(row.get(4)?),
                        currency: currency.code().to_owned(),
                        counterparty: row.get(6)?,
                        counterparty_account: row.get(9)?,
                        memo: row.get(7)?,
                        category: row.get(8)?,
                    },
                ))
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let has_more = rows.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let last_seq = rows.last().map_or(after_seq, |(seq, _)| *seq);
    Ok(Page {
        transactions: rows.into_iter().map(|(_, t)| t).collect(),
        last_seq,
        has_more,
    })
}

/// How many bookings of `customer_id` come after position `after_seq`: an index-only count,
/// so a phone can show how far its sync has come.
pub(crate) fn remaining(
    tx: &DbTransaction<'_>,
    customer_id: &str,
    after_seq: i64,
) -> rusqlite::Result<u64> {
    let count: i64 = tx
        .prepare_cached("SELECT COUNT(*) FROM transactions WHERE customer_id = ?1 AND seq > ?2")?
        .query_row(params![customer_id, after_seq], |row| row.get(0))?;
    Ok(u64::try_from(count).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_what_the_bank_never_issued() {
        for seq in [0, 1, 500, i64::MAX] {
            assert_eq!(parse_cursor(&cursor(seq)), Some(seq));
        }
        assert_eq!(cursor(2), "AQAAAAAAAAAC");
        for bad in [
            "",
            "x",
            "AQAAAAAAAAAC=",
            "AgAAAAAAAAAC",
            "AQAAAAAAAAA",
            "AYAAAAAAAAAA",
        ] {
            assert_eq!(parse_cursor(bad), None, "{bad}");
        }
    }
}
