//! Saved payees and the name checks that precede them: one row per payee of a customer, and
//! one per check not yet spent by an add (keyed by its challenge's id).

use rusqlite::{params, Connection, OptionalExtension, Transaction};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PayeeRow {
    pub(crate) payee_id: String,
    pub(crate) account_number: String,
    pub(crate) bank_code: String,
    pub(crate) bank_name: String,
    pub(crate) registered_name: String,
    pub(crate) nickname: String,
    pub(crate) added_at_ms: i64,
}

/// What a name check found, kept for the add that follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CheckRow {
    pub(crate) check_id: String,
    pub(crate) account_number: String,
    pub(crate) bank_code: String,
    pub(crate) bank_name: String,
    pub(crate) registered_name: String,
    pub(crate) expires_at_ms: i64,
}

const PAYEE_COLUMNS: &str = "payee_id, account_number, bank_code, bank_name, registered_name, \
                             nickname, added_at_ms";

fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<PayeeRow> {
    Ok(PayeeRow {
        payee_id: row.get(0)?,
        account_number: row.get(1)?,
        bank_code: row.get(2)?,
        bank_name: row.get(3)?,
        registered_name: row.get(4)?,
        nickname: row.get(5)?,
        added_at_ms: row.get(6)?,
    })
}

/// The customer's payees, oldest first.
pub(crate) fn of_customer(conn: &Connection, customer_id: &str) -> rusqlite::Result<Vec<PayeeRow>> {
    conn.prepare_cached(&format!(
        "SELECT {PAYEE_COLUMNS} FROM payees WHERE customer_id = ?1
         ORDER BY added_at_ms, payee_id"
    ))?
    .query_map(params![customer_id], read)?
    .collect()
}

/// The payee `payee_id` if it is one of `customer_id`'s.
pub(crate) fn get(
    conn: &Connection,
    customer_id: &str,
    payee_id: &str,
) -> rusqlite::Result<Option<PayeeRow>> {
    conn.prepare_cached(&format!(
        "SELECT {PAYEE_COLUMNS} FROM payees WHERE customer_id = ?1 AND payee_id = ?2"
    ))?
    .query_row(params![customer_id, payee_id], read)
    .optional()
}

pub(crate) fn exists(
    conn: &Connection,
    customer_id: &str,
    bank_code: &str,
    account_number: &str,
) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT 1 FROM payees
         WHERE customer_id = ?1 AND bank_code = ?2 AND account_number = ?3",
    )?
    .exists(params![customer_id, bank_code, account_number])
}

pub(crate) fn insert(
    tx: &Transaction<'_>,
    customer_id: &str,
    payee: &PayeeRow,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO payees (payee_id, customer_id, account_number, bank_code, bank_name,
                             registered_name, nickname, added_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            payee.payee_id,
            customer_id,
            payee.account_number,
            payee.bank_code,
            payee.bank_name,
            payee.registered_name,
            payee.nickname,
            payee.added_at_ms
        ],
    )?;
    Ok(())
}

/// Whether a payee of `customer_id` was renamed.
pub(crate) fn rename(
    tx: &Transaction<'_>,
    customer_id: &str,
    payee_id: &str,
    nickname: &str,
) -> rusqlite::Result<bool> {
    let changed = tx.execute(
        "UPDATE payees SET nickname = ?3 WHERE customer_id = ?1 AND payee_id = ?2",
        params![customer_id, payee_id, nickname],
    )?;
    Ok(changed == 1)
}

/// Whether a payee of `customer_id` was removed.
pub(crate) fn remove(
    tx: &Transaction<'_>,
    customer_id: &str,
    payee_id: &str,
) -> rusqlite::Result<bool> {
    let removed = tx.execute(
        "DELETE FROM payees WHERE customer_id = ?1 AND payee_id = ?2",
        params![customer_id, payee_id],
    )?;
    Ok(removed == 1)
}

/// Keeps a check, and drops the customer's checks that expired.
pub(crate) fn insert_check(
    tx: &Transaction<'_>,
    customer_id: &str,
    check: &CheckRow,
    now: i64,
) -> rusqlite::Result<()> {
    tx.execute(
        "DELETE FROM payee_checks WHERE customer_id = ?1 AND expires_at_ms <= ?2",
        params![customer_id, now],
    )?;
    tx.execute(
        "INSERT INTO payee_checks (check_id, customer_id, account_number, bank_code, bank_name,
                                   registered_name, expires_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            check.check_id,
            customer_id,
            check.account_number,
            check.bank_code,
            check.bank_name,
            check.registered_name,
            check.expires_at_ms
        ],
    )?;
    Ok(())
}

/// Takes the check `check_id` of `customer_id` out: one add per check, whatever its outcome.
pub(crate) fn take_check(
    tx: &Transaction<'_>,
    customer_id: &str,
    check_id: &str,
) -> rusqlite::Result<Option<CheckRow>> {
    tx.query_row(
        "DELETE FROM payee_checks WHERE customer_id = ?1 AND check_id = ?2
         RETURNING check_id, account_number, bank_code, bank_name, registered_name,
                   expires_at_ms",
        params![customer_id, check_id],
        |row| {
            Ok(CheckRow {
                check_id: row.get(0)?,
                account_number: row.get(1)?,
                bank_code: row.get(2)?,
                bank_name: row.get(3)?,
                registered_name: row.get(4)?,
                expires_at_ms: row.get(5)?,
            })
        },
    )
    .optional()
}
