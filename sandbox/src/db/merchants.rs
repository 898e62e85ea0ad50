//! The merchants table: which accounts take QR payments, and what their codes say.

use rusqlite::{Connection, OptionalExtension};

use crate::ledger::Currency;

/// A merchant with its account, as its QR code prints it.
pub(crate) struct Merchant {
    pub(crate) account_number: String,
    pub(crate) currency: Currency,
    pub(crate) mcc: String,
    pub(crate) name_latin: String,
    pub(crate) city_latin: String,
    pub(crate) language: String,
    pub(crate) name_local: String,
    pub(crate) city_local: String,
}

pub(crate) fn by_id(conn: &Connection, merchant_id: &str) -> rusqlite::Result<Option<Merchant>> {
    conn.prepare_cached(
        "SELECT a.account_number, l.currency, m.mcc, m.name_latin, m.city_latin, m.language,
                m.name_local, m.city_local
         FROM merchants m
         JOIN accounts a ON a.account_id = m.account_id
         JOIN ledger_accounts l ON l.account_id = m.account_id
         WHERE m.merchant_id = ?1",
    )?
    .query_row([merchant_id], |row| {
        Ok(Merchant {
            account_number: row.get(0)?,
            currency: row.get(1)?,
            mcc: row.get(2)?,
            name_latin: row.get(3)?,
            city_latin: row.get(4)?,
            language: row.get(5)?,
            name_local: row.get(6)?,
            city_local: row.get(7)?,
        })
    })
    .optional()
}

/// Whether `account_id` is a merchant's account.
pub(crate) fn takes_qr_payments(conn: &Connection, account_id: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM merchants WHERE account_id = ?1)")?
        .query_row([account_id], |row| row.get(0))
}
