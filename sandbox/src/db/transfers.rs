//! Transfer quotes with their single-use challenges, transfer outcomes by idempotency key, and
//! the lookups a transfer needs: a payee account at this bank, a customer's suspension, what
//! the customer already sent today.

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::ledger::Currency;

/// An account of this bank as a payee: where the money goes and whose name is shown.
pub(crate) struct AccountHere {
    pub(crate) account_id: String,
    pub(crate) holder_name: String,
    pub(crate) currency: Currency,
}

pub(crate) fn account_by_number(
    conn: &Connection,
    account_number: &str,
) -> rusqlite::Result<Option<AccountHere>> {
    conn.prepare_cached(
        "SELECT a.account_id, c.holder_name, l.currency
         FROM accounts a
         JOIN customers c ON c.customer_id = a.customer_id
         JOIN ledger_accounts l ON l.account_id = a.account_id
         WHERE a.account_number = ?1",
    )?
    .query_row([account_number], |row| {
        Ok(AccountHere {
            account_id: row.get(0)?,
            holder_name: row.get(1)?,
            currency: row.get(2)?,
        })
    })
    .optional()
}

pub(crate) fn is_suspended(conn: &Connection, customer_id: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT suspended FROM customers WHERE customer_id = ?1",
        [customer_id],
        |row| row.get(0),
    )
}

pub(crate) fn set_suspended(
    conn: &Connection,
    customer_id: &str,
    suspended: bool,
) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE customers SET suspended = ?2 WHERE customer_id = ?1",
        params![customer_id, suspended],
    )
}

pub(crate) struct NewQuote<'a> {
    pub(crate) challenge: &'a [u8],
    pub(crate) customer_id: &'a str,
    pub(crate) device_id: &'a str,
    /// The quoted `CanonicalTransfer` as JSON.
    pub(crate) transfer: &'a str,
    pub(crate) expires_at_ms: i64,
    /// When the transfer runs if accepted; `None`: when it is submitted.
    pub(crate) runs_at_ms: Option<i64>,
}

pub(crate) fn insert_quote(tx: &Transaction<'_>, quote: &NewQuote<'_>) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO transfer_quotes (challenge, customer_id, device_id, transfer, expires_at_ms,
                                      runs_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            quote.challenge,
            quote.customer_id,
            quote.device_id,
            quote.transfer,
            quote.expires_at_ms,
            quote.runs_at_ms
        ],
    )?;
    Ok(())
}

/// An unused quote, now marked used.
pub(crate) struct SpentQuote {
    pub(crate) customer_id: String,
    pub(crate) device_id: String,
    pub(crate) transfer: String,
    pub(crate) expires_at_ms: i64,
    pub(crate) runs_at_ms: Option<i64>,
}

/// Marks the unused quote of `challenge` used and returns it; `None` if there is none.
pub(crate) fn spend_quote(
    tx: &Transaction<'_>,
    challenge: &[u8],
) -> rusqlite::Result<Option<SpentQuote>> {
    let found = tx
        .query_row(
            "SELECT customer_id, device_id, transfer, expires_at_ms, runs_at_ms FROM transfer_quotes
             WHERE challenge = ?1 AND used = 0",
            [challenge],
            |row| {
                Ok(SpentQuote {
                    customer_id: row.get(0)?,
                    device_id: row.get(1)?,
                    transfer: row.get(2)?,
                    expires_at_ms: row.get(3)?,
                    runs_at_ms: row.get(4)?,
                })
            },
        )
        .optional()?;
    if found.is_some() {
        tx.execute(
            "UPDATE transfer_quotes SET used = 1 WHERE challenge = ?1",
            [challenge],
        )?;
    }
    Ok(found)
}

/// A decided transfer as stored.
pub(crate) struct OutcomeRow {
    pub(crate) transfer_hash: Vec<u8>,
    /// The signed `Receipt` as JSON.
    pub(crate) receipt: String,
}

pub(crate) fn outcome(
    conn: &Connection,
    customer_id: &str,
    idempotency_key: &str,
) -> rusqlite::Result<Option<OutcomeRow>> {
    conn.prepare_cached(
        "SELECT transfer_hash, receipt FROM transfer_outcomes
         WHERE customer_id = ?1 AND idempotency_key = ?2",
    )?
    .query_row(params![customer_id, idempotency_key], |row| {
        Ok(OutcomeRow {
            transfer_hash: row.get(0)?,
            receipt: row.get(1)?,
        })
    })
    .optional()
}

pub(crate) struct NewOutcome<'a> {
    pub(crate) customer_id: &'a str,
    pub(crate) idempotency_key: &'a str,
    pub(crate) transfer_hash: &'a [u8],
    pub(crate) receipt: &'a str,
    pub(crate) accepted: bool,
    pub(crate) payer_account_id: &'a str,
    pub(crate) amount_minor: i64,
    pub(crate) currency: Currency,
    pub(crate) entry_id: Option<i64>,
    pub(crate) decided_at_ms: i64,
    pub(crate) payee_account_number: &'a str,
    /// The acknowledged warning codes joined by `,`.
    pub(crate) acknowledged_warnings: &'a str,
    /// `Channel::code`.
    pub(crate) channel: &'a str,
}

pub(crate) fn insert_outcome(
    tx: &Transaction<'_>,
    outcome: &NewOutcome<'_>,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO transfer_outcomes (customer_id, idempotency_key, transfer_hash, receipt,
                                        accepted, payer_account_id, amount_minor, currency,
                                        entry_id, decided_at_ms, payee_account_number,
                                        acknowledged_warnings, channel)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            outcome.customer_id,
            outcome.idempotency_key,
            outcome.transfer_hash,
            outcome.receipt,
            outcome.accepted,
            outcome.payer_account_id,
            outcome.amount_minor,
            outcome.currency,
            outcome.entry_id,
            outcome.decided_at_ms,
            outcome.payee_account_number,
            outcome.acknowledged_warnings,
            outcome.channel
        ],
    )?;
    Ok(())
}

/// The warning codes recorded with the outcome of a key, `None` if there is no outcome.
pub(crate) fn acknowledged_warnings(
    conn: &Connection,
    customer_id: &str,
    idempotency_key: &str,
) -> rusqlite::Result<Option<Vec<String>>> {
    let joined: Option<String> = conn
        .query_row(
            "SELECT acknowledged_warnings FROM transfer_outcomes
             WHERE customer_id = ?1 AND idempotency_key = ?2",
            params![customer_id, idempotency_key],
            |row| row.get(0),
        )
        .optional()?;
    Ok(joined.map(|joined| {
        joined
            .split(',')
            .filter(|code| !code.is_empty())
            .map(str::to_owned)
            .collect()
    }))
}

/// What the customer's accepted transfers in `currency` since `since_ms` add up to.
pub(crate) fn accepted_since(
    conn: &Connection,
    customer_id: &str,
    currency: Currency,
    since_ms: i64,
) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COALESCE(SUM(amount_minor), 0) FROM transfer_outcomes
         WHERE customer_id = ?1 AND currency = ?2 AND accepted = 1 AND decided_at_ms >= ?3",
        params![customer_id, currency, since_ms],
        |row| row.get(0),
    )
}

/// The name the customer's accounts are registered to.
pub(crate) fn holder_name(conn: &Connection, customer_id: &str) -> rusqlite::Result<String> {
    conn.query_row(
        "SELECT holder_name FROM customers WHERE customer_id = ?1",
        [customer_id],
        |row| row.get(0),
    )
}
