//! Customers and their accounts; balances are the ledger's (`ledger_accounts`).

use rusqlite::{Connection, OptionalExtension};

use crate::ledger::Currency;

pub(crate) fn phone(conn: &Connection, customer_id: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT phone FROM customers WHERE customer_id = ?1",
        [customer_id],
        |row| row.get(0),
    )
    .optional()
}

pub(crate) fn exists(conn: &Connection, customer_id: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM customers WHERE customer_id = ?1)",
        [customer_id],
        |row| row.get(0),
    )
}

/// An account with its balance, as stored.
pub(crate) struct AccountRow {
    pub(crate) account_id: String,
    pub(crate) product: String,
    pub(crate) name: String,
    pub(crate) currency: Currency,
    pub(crate) balance_minor: i64,
    pub(crate) account_number: String,
    pub(crate) parent_account_id: Option<String>,
}

/// Every account of `customer_id` in display order.
pub(crate) fn accounts(conn: &Connection, customer_id: &str) -> rusqlite::Result<Vec<AccountRow>> {
    let mut statement = conn.prepare_cached(
        "SELECT a.account_id, a.product, a.name, l.currency, l.balance_minor, a.account_number,
                a.parent_account_id
         FROM accounts a JOIN ledger_accounts l ON l.account_id = a.account_id
         WHERE a.customer_id = ?1 ORDER BY a.sort_order",
    )?;
    let rows = statement
        .query_map([customer_id], |row| {
            Ok(AccountRow {
                account_id: row.get(0)?,
                product: row.get(1)?,
                name: row.get(2)?,
                currency: row.get(3)?,
                balance_minor: row.get(4)?,
                account_number: row.get(5)?,
                parent_account_id: row.get(6)?,
            })
        })?
        .collect();
    rows
}

/// The full account numbers of `customer_id`, in display order.
pub(crate) fn account_numbers(
    conn: &Connection,
    customer_id: &str,
) -> rusqlite::Result<Vec<String>> {
    let mut statement = conn.prepare(
        "SELECT account_number FROM accounts WHERE customer_id = ?1 ORDER BY sort_order",
    )?;
    let numbers = statement
        .query_map([customer_id], |row| row.get(0))?
        .collect();
    numbers
}

/// The customer's first current account.
pub(crate) fn current_account(
    conn: &Connection,
    customer_id: &str,
) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT account_id FROM accounts WHERE customer_id = ?1 AND product = 'current'
         ORDER BY sort_order LIMIT 1",
        [customer_id],
        |row| row.get(0),
    )
    .optional()
}

/// A customer account with what the back office needs to book on it and text its owner.
pub(crate) struct HeldAccount {
    pub(crate) account_id: String,
    pub(crate) customer_id: String,
    pub(crate) name: String,
    pub(crate) account_number: String,
    pub(crate) currency: Currency,
    pub(crate) phone: String,
}

pub(crate) fn held_account(
    conn: &Connection,
    account_id: &str,
) -> rusqlite::Result<Option<HeldAccount>> {
    conn.prepare_cached(
        "SELECT a.account_id, a.customer_id, a.name, a.account_number, l.currency, c.phone
         FROM accounts a
         JOIN ledger_accounts l ON l.account_id = a.account_id
         JOIN customers c ON c.customer_id = a.customer_id
         WHERE a.account_id = ?1",
    )?
    .query_row([account_id], |row| {
        Ok(HeldAccount {
            account_id: row.get(0)?,
            customer_id: row.get(1)?,
            name: row.get(2)?,
            account_number: row.get(3)?,
            currency: row.get(4)?,
            phone: row.get(5)?,
        })
    })
    .optional()
}
