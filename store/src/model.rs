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
    /// The bank's booking instant (Unix ms), for rules that count hours; `None` for records
    /// written before it was kept.
    pub booked_at_ms: Option<i64>,
    /// The other party's account number, when the bank gave it.
    pub counterparty_account: Option<String>,
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
    pub booked_at_ms: Option<i64>,
    pub counterparty_account: Option<&'a str>,
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
            booked_at_ms: self.booked_at_ms,
            counterparty_account: self.counterparty_account.map(str::to_owned),
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
    // Appended fields: a record that ends after the category was written before they were
    // kept, and still reads (with both unknown).
    if tx.booked_at_ms.is_some() || tx.counterparty_account.is_some() {
        w.int(tx.booked_at_ms.unwrap_or(i64::MIN));
        w.str(tx.counterparty_account.as_deref().unwrap_or(""));
    }
}

pub(crate) fn decode_transaction(plain: &[u8]) -> Option<TxView<'_>> {
    let mut r = Reader(plain);
    let mut view = TxView {
        id: r.str()?,
        amount_minor: r.int()?,
        currency: r.str()?,
        counterparty: r.str()?,
        memo: r.str()?,
        category: r.str()?,
        booked_at_ms: None,
        counterparty_account: None,
    };
    if !r.is_empty() {
        view.booked_at_ms = Some(r.int()?).filter(|at| *at != i64::MIN);
        view.counterparty_account = Some(r.str()?).filter(|account| !account.is_empty());
    }
    r.is_empty().then_some(view)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn credit(booked_at_ms: Option<i64>, counterparty_account: Option<&str>) -> Transaction {
        Transaction {
            id: "txn_1".into(),
            account_id: "acc".into(),
            booking_day: 20_000,
            amount_minor: 300_000,
            currency: "CNY".into(),
            counterparty: "李明".into(),
            memo: "".into(),
            category: "transfer".into(),
            booked_at_ms,
            counterparty_account: counterparty_account.map(str::to_owned),
        }
    }

    fn round_trip(tx: &Transaction) -> Transaction {
        let mut sealed = Vec::new();
        encode_transaction(tx, &mut sealed);
        decode_transaction(&sealed)
            .unwrap()
            .to_owned(&tx.account_id, tx.booking_day)
    }

    #[test]
    fn the_booking_instant_and_counterparty_account_are_kept_when_known() {
        let known = credit(Some(1_796_000_000_000), Some("6222021234567899"));
        assert_eq!(round_trip(&known), known);
        let only_time = credit(Some(1_796_000_000_000), None);
        assert_eq!(round_trip(&only_time), only_time);
    }

    #[test]
    fn a_record_written_before_the_appended_fields_still_reads_with_them_unknown() {
        let old = credit(None, None);
        let mut sealed = Vec::new();
        encode_transaction(&old, &mut sealed);
        let view = decode_transaction(&sealed).unwrap();
        assert_eq!(view.booked_at_ms, None);
        assert_eq!(view.counterparty_account, None);
        assert_eq!(view.counterparty, "李明");
    }
}
