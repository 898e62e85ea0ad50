//! The typed records the store keeps for the core.

use crate::codec::{Reader, Writer};

/// One booked transaction of the customer's history, as the bank reports it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Transaction {
    /// The bank's transaction reference; unique across the customer's accounts.
    pub id: String,
    /// The account the transaction was booked on (the bank's account id, not the full account
    /// number).
    pub account_id: String,
    /// Booking date as days since 1970-01-01 in the bank's calendar. Kept in clear on disk to
    /// order and range-scan the history (docs/threat-model.md).
    pub booking_day: i32,
    /// Signed amount in minor units of `currency`: negative is money out.
    pub amount_minor: i64,
    /// ISO 4217 code.
    pub currency: String,
    pub counterparty: String,
    pub memo: String,
    pub category: String,
}

/// Totals of one category and currency within a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryTotal {
    pub category: String,
    pub currency: String,
    /// Sum of the money that went out, as a positive number of minor units.
    pub spent_minor: i64,
    /// Sum of the money that came in, in minor units.
    pub received_minor: i64,
    pub transactions: u32,
}

/// A decrypted transaction borrowed from the scratch buffer: matching and summing read these
/// without allocating; only results become [`Transaction`]s.
pub(crate) struct TxView<'a> {
    pub id: &'a str,
    pub amount_minor: i64,
    pub currency: &'a str,
    pub counterparty: &'a str,
    pub memo: &'a str,
    pub category: &'a str,
}

impl TxView<'_> {
    pub fn to_owned(&self, account_id: &str, booking_day: i32) -> Transaction {
        Transaction {
            id: self.id.to_owned(),
            account_id: account_id.to_owned(),
            booking_day,
            amount_minor: self.amount_minor,
            currency: self.currency.to_owned(),
            counterparty: self.counterparty.to_owned(),
            memo: self.memo.to_owned(),
            category: self.category.to_owned(),
        }
    }
}

/// The sealed part of a transaction. The account and the booking day are not repeated inside:
/// they are bound to the record through its associated data instead (see `history.rs`).
pub(crate) fn encode_transaction(tx: &Transaction, out: &mut Vec<u8>) {
    let mut w = Writer(out);
    w.str(&tx.id);
    w.int(tx.amount_minor);
    w.str(&tx.currency);
    w.str(&tx.counterparty);
    w.str(&tx.memo);
    w.str(&tx.category);
}

pub(crate) fn decode_transaction(plain: &[u8]) -> Option<TxView<'_>> {
    let mut r = Reader(plain);
    let view = TxView {
        id: r.str()?,
        amount_minor: r.int()?,
        currency: r.str()?,
        counterparty: r.str()?,
        memo: r.str()?,
        category: r.str()?,
    };
    r.is_empty().then_some(view)
}
