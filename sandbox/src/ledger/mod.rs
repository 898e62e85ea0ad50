//! The transaction ledger: bookings in sequence order, read page by page behind an opaque
//! cursor, appended by the developer API and seeded with a realistic history.

pub(crate) mod seed;

use mobank_protocol::b64;
use mobank_protocol::messages::{AppendTransactionRequest, Transaction, TRANSACTION_CATEGORIES};
use ring::rand::SystemRandom;
use rusqlite::{params, OptionalExtension, Transaction as DbTransaction};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::db::seed::DEMO_CUSTOMER_ID;
use crate::error::SandboxError;
use crate::random;

pub(crate) const DEFAULT_PAGE: u32 = 500;
pub(crate) const MAX_PAGE: u32 = 1000;

/// First byte of every cursor, so the format can change without old cursors being misread.
const CURSOR_VERSION: u8 = 1;

pub(crate) const INSERT: &str = "INSERT INTO transactions (transaction_id, customer_id, account_id,
        booked_at_ms, amount_minor, currency, counterparty, memo, category)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

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
        "SELECT seq, transaction_id, account_id, booked_at_ms, amount_minor, currency,
                counterparty, memo, category
         FROM transactions WHERE customer_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
    )?;
    // One row more than asked tells whether another page follows.
    let mut rows = statement
        .query_map(
            params![customer_id, after_seq, limit.saturating_add(1)],
            |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    Transaction {
                        transaction_id: row.get(1)?,
                        account_id: row.get(2)?,
                        booked_at_ms: row.get(3)?,
                        amount: Decimal::new(row.get(4)?, 2),
                        currency: row.get(5)?,
                        counterparty: row.get(6)?,
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

const MAX_TEXT_CHARS: usize = 200;

fn text_ok(text: &str, allow_empty: bool) -> bool {
    (allow_empty || !text.trim().is_empty())
        && text.chars().count() <= MAX_TEXT_CHARS
        && !text.chars().any(char::is_control)
}

/// An amount in fen, if it has at most two decimals and is not zero.
fn amount_minor(amount: Decimal) -> Option<i64> {
    let minor = amount.checked_mul(Decimal::ONE_HUNDRED)?;
    if !minor.fract().is_zero() || minor.is_zero() {
        return None;
    }
    minor.to_i64()
}

/// Books one transaction now, as a card payment or an incoming transfer would, and moves the
/// account's balance with it.
pub(crate) fn append(
    tx: &DbTransaction<'_>,
    rng: &SystemRandom,
    request: &AppendTransactionRequest,
    now_ms: i64,
) -> Result<Transaction, SandboxError> {
    let minor = amount_minor(request.amount).ok_or(SandboxError::InvalidRequest(
        "amount must be non-zero with at most two decimals",
    ))?;
    if !TRANSACTION_CATEGORIES.contains(&request.category.as_str()) {
        return Err(SandboxError::InvalidRequest("unknown category"));
    }
    if !text_ok(&request.counterparty, false) || !text_ok(&request.memo, true) {
        return Err(SandboxError::InvalidRequest(
            "counterparty (required) and memo must be at most 200 characters without control \
             characters",
        ));
    }
    let account_id = match &request.account_id {
        Some(id) => id.clone(),
        None => tx
            .query_row(
                "SELECT account_id FROM accounts WHERE customer_id = ?1 AND product = 'current'
                 ORDER BY sort_order LIMIT 1",
                [DEMO_CUSTOMER_ID],
                |row| row.get(0),
            )
            .optional()?
            .ok_or(SandboxError::UnknownAccount)?,
    };
    let (customer_id, currency, balance): (String, String, i64) = tx
        .query_row(
            "SELECT customer_id, currency, balance_minor FROM accounts WHERE account_id = ?1",
            [&account_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?
        .ok_or(SandboxError::UnknownAccount)?;
    let new_balance = balance
        .checked_add(minor)
        .filter(|balance| *balance >= 0)
        .ok_or(SandboxError::InvalidRequest(
            "the account's balance would go below zero",
        ))?;
    let transaction_id = random::id(rng, "txn")
        .map_err(|_| SandboxError::Internal("the system random generator failed"))?;
    tx.execute(
        INSERT,
        params![
            transaction_id,
            customer_id,
            account_id,
            now_ms,
            minor,
            currency,
            request.counterparty,
            request.memo,
            request.category
        ],
    )?;
    tx.execute(
        "UPDATE accounts SET balance_minor = ?2 WHERE account_id = ?1",
        params![account_id, new_balance],
    )?;
    Ok(Transaction {
        transaction_id,
        account_id,
        booked_at_ms: now_ms,
        amount: Decimal::new(minor, 2),
        currency,
        counterparty: request.counterparty.clone(),
        memo: request.memo.clone(),
        category: request.category.clone(),
    })
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

    #[test]
    fn amounts_need_two_decimals_at_most_and_are_not_zero() {
        assert_eq!(amount_minor(Decimal::new(-3600, 2)), Some(-3600));
        assert_eq!(amount_minor(Decimal::new(5, 0)), Some(500));
        assert_eq!(amount_minor(Decimal::new(1, 3)), None);
        assert_eq!(amount_minor(Decimal::ZERO), None);
    }
}
