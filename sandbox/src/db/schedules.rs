//! Transfers accepted to run later, and the lookups their policy needs: whether the customer
//! already paid a payee, and the outcome row a run or a cancel rewrites.

use rusqlite::{params, Connection, OptionalExtension, Transaction};

/// Whether `customer_id` has an accepted transfer to `payee_account_number`.
pub(crate) fn has_paid(
    conn: &Connection,
    customer_id: &str,
    payee_account_number: &str,
) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM transfer_outcomes
                        WHERE customer_id = ?1 AND payee_account_number = ?2 AND accepted = 1)",
    )?
    .query_row(params![customer_id, payee_account_number], |row| row.get(0))
}

pub(crate) fn insert(
    tx: &Transaction<'_>,
    customer_id: &str,
    idempotency_key: &str,
    runs_at_ms: i64,
    transfer: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO scheduled_transfers (customer_id, idempotency_key, runs_at_ms, transfer)
         VALUES (?1, ?2, ?3, ?4)",
        params![customer_id, idempotency_key, runs_at_ms, transfer],
    )?;
    Ok(())
}

/// A scheduled transfer as stored.
pub(crate) struct Scheduled {
    pub(crate) customer_id: String,
    pub(crate) idempotency_key: String,
    /// The signed `CanonicalTransfer` as JSON.
    pub(crate) transfer: String,
}

/// Scheduled transfers whose time has come, oldest time first, of customers whose e-banking
/// is not suspended (theirs wait for the lift).
pub(crate) fn due(conn: &Connection, now_ms: i64) -> rusqlite::Result<Vec<Scheduled>> {
    conn.prepare_cached(
        "SELECT s.customer_id, s.idempotency_key, s.transfer
         FROM scheduled_transfers s JOIN customers c USING (customer_id)
         WHERE s.runs_at_ms <= ?1 AND c.suspended = 0
         ORDER BY s.runs_at_ms, s.customer_id, s.idempotency_key",
    )?
    .query_map([now_ms], |row| {
        Ok(Scheduled {
            customer_id: row.get(0)?,
            idempotency_key: row.get(1)?,
            transfer: row.get(2)?,
        })
    })?
    .collect()
}

/// Removes the scheduled transfer of the key and returns it; `None` if none is waiting.
pub(crate) fn take(
    tx: &Transaction<'_>,
    customer_id: &str,
    idempotency_key: &str,
) -> rusqlite::Result<Option<Scheduled>> {
    tx.query_row(
        "DELETE FROM scheduled_transfers WHERE customer_id = ?1 AND idempotency_key = ?2
         RETURNING customer_id, idempotency_key, transfer",
        params![customer_id, idempotency_key],
        |row| {
            Ok(Scheduled {
                customer_id: row.get(0)?,
                idempotency_key: row.get(1)?,
                transfer: row.get(2)?,
            })
        },
    )
    .optional()
}

/// The final decision on a transfer that was waiting: its new receipt, whether it stays
/// accepted, and the entry that booked it.
pub(crate) fn settle_outcome(
    tx: &Transaction<'_>,
    customer_id: &str,
    idempotency_key: &str,
    receipt: &str,
    entry_id: Option<i64>,
) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE transfer_outcomes SET receipt = ?3, accepted = ?4, entry_id = ?5
         WHERE customer_id = ?1 AND idempotency_key = ?2",
        params![
            customer_id,
            idempotency_key,
            receipt,
            entry_id.is_some(),
            entry_id
        ],
    )?;
    Ok(())
}
