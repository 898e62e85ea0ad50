//! The bank's double-entry ledger. Every movement of money is a journal entry whose postings
//! sum to zero in each currency; an account's balance is the sum of its postings (cached in
//! `ledger_accounts` and proven by [`check::check`]); customer accounts never go below zero,
//! the system accounts that stand for the world outside the bank's customers may. What a
//! customer sees of an entry is a history row per leg on their accounts, written in the same
//! SQLite transaction as the entry (decision record 0015).

pub(crate) mod accounts;
pub(crate) mod check;
pub(crate) mod history;
pub(crate) mod journal;
pub(crate) mod money;
pub(crate) mod seed;

pub(crate) use accounts::SystemAccount;
pub(crate) use journal::{post, EntryKind, LedgerError, Leg, NewEntry, Shown};
pub(crate) use money::Currency;
