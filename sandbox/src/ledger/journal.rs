//! Journal entries: every movement of money is one entry whose legs (postings) sum to zero in
//! each currency, written together with the history rows its customers see, in the caller's
//! SQLite transaction.

use std::collections::BTreeMap;

use mobank_protocol::messages::Transaction;
use ring::rand::SystemRandom;
use rusqlite::{
    params, CachedStatement, Connection, OptionalExtension, Transaction as DbTransaction,
};

use super::accounts::CUSTOMER_KIND;
use super::history;
use super::money::Currency;
use crate::random;

/// What kind of movement an entry is. Stored as text; the ledger's reports and checks only
/// single out openings, so a new kind needs no schema change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EntryKind {
    /// A balance the account had before the bank's records of it start.
    Opening,
    CardPayment,
    /// Utilities and other billers, paid to their accounts at other banks.
    BillPayment,
    /// Money from a named party outside the bank: salary, a transfer, a refund.
    IncomingCredit,
    /// Between two accounts of this bank.
    InternalTransfer,
    Interest,
    /// A customer's signed transfer: to an account of this bank or another bank, with its fee.
    Transfer,
}

impl EntryKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Opening => "opening",
            Self::CardPayment => "card_payment",
            Self::BillPayment => "bill_payment",
            Self::IncomingCredit => "incoming_credit",
            Self::InternalTransfer => "internal_transfer",
            Self::Interest => "interest",
            Self::Transfer => "transfer",
        }
    }
}

/// How a leg appears in its account owner's history.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shown<'a> {
    pub(crate) counterparty: &'a str,
    pub(crate) memo: &'a str,
    /// One of `TRANSACTION_CATEGORIES`.
    pub(crate) category: &'a str,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Leg<'a> {
    pub(crate) account_id: &'a str,
    /// Signed: negative takes money out of the account.
    pub(crate) amount_minor: i64,
    pub(crate) currency: Currency,
    /// Only customer accounts have a history, and every customer leg but an opening balance
    /// must appear in it: money never moves on a customer's account unseen.
    pub(crate) shown: Option<Shown<'a>>,
}

pub(crate) struct NewEntry<'a> {
    pub(crate) kind: EntryKind,
    pub(crate) booked_at_ms: i64,
    /// The outside party's account number, for money from or to outside the bank.
    pub(crate) counterparty_account: Option<&'a str>,
    pub(crate) legs: &'a [Leg<'a>],
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum LedgerError {
    #[error("an entry needs two or more non-zero legs, each on a different account")]
    MalformedLegs,
    #[error("the legs of an entry do not sum to zero in every currency")]
    Unbalanced,
    #[error("no such account")]
    UnknownAccount,
    #[error("the currency is not the account's currency")]
    CurrencyMismatch,
    /// A customer account would go below zero. Nothing of the entry was written.
    #[error("the account's balance would go below zero")]
    InsufficientFunds,
    #[error("every customer leg but an opening must show in a history, and only those")]
    Visibility,
    #[error("the system random generator failed")]
    Random,
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
}

/// A posted entry and the history rows it booked, in leg order.
pub(crate) struct Posted {
    pub(crate) entry_id: i64,
    pub(crate) bookings: Vec<Transaction>,
}

struct Target {
    kind: String,
    currency: Currency,
    balance_minor: i64,
    customer_id: Option<String>,
}

/// Checks `entry` in full, then writes it: the entry, its postings, the new cached balances and
/// a history row for each shown leg. A refusal writes nothing, so it leaves the rest of the
/// caller's transaction free to commit.
pub(crate) fn post(
    tx: &DbTransaction<'_>,
    rng: &SystemRandom,
    entry: &NewEntry<'_>,
) -> Result<Posted, LedgerError> {
    check_shape(entry.legs)?;
    let mut targets = Vec::with_capacity(entry.legs.len());
    for leg in entry.legs {
        let target = load(tx, leg.account_id)?.ok_or(LedgerError::UnknownAccount)?;
        if target.currency != leg.currency {
            return Err(LedgerError::CurrencyMismatch);
        }
        let is_customer = target.kind == CUSTOMER_KIND;
        let must_show = is_customer && entry.kind != EntryKind::Opening;
        if leg.shown.is_some() != must_show {
            return Err(LedgerError::Visibility);
        }
        let new_balance = target
            .balance_minor
            .checked_add(leg.amount_minor)
            .ok_or(LedgerError::InsufficientFunds)?;
        if is_customer && new_balance < 0 {
            return Err(LedgerError::InsufficientFunds);
        }
        targets.push((target, new_balance));
    }

    let mut writer = Writer::new(tx)?;
    let entry_id = writer.entry(entry.kind, entry.booked_at_ms, entry.counterparty_account)?;
    let mut bookings = Vec::new();
    for (leg, (target, new_balance)) in entry.legs.iter().zip(&targets) {
        writer.posting(entry_id, leg.account_id, leg.amount_minor, leg.currency)?;
        tx.prepare_cached("UPDATE ledger_accounts SET balance_minor = ?2 WHERE account_id = ?1")?
            .execute(params![leg.account_id, new_balance])?;
        if let (Some(shown), Some(customer_id)) = (leg.shown, &target.customer_id) {
            let transaction_id = random::id(rng, "txn").map_err(|_| LedgerError::Random)?;
            let booking = history::Booking {
                transaction_id: &transaction_id,
                customer_id,
                account_id: leg.account_id,
                booked_at_ms: entry.booked_at_ms,
                amount_minor: leg.amount_minor,
                currency: leg.currency,
                counterparty: shown.counterparty,
                memo: shown.memo,
                category: shown.category,
                entry_id,
            };
            writer.booking(&booking)?;
            let mut shown = booking.to_transaction();
            shown.counterparty_account = entry.counterparty_account.map(str::to_owned);
            bookings.push(shown);
        }
    }
    Ok(Posted { entry_id, bookings })
}

/// At least two legs, none zero, each on its own account, summing to zero per currency.
fn check_shape(legs: &[Leg<'_>]) -> Result<(), LedgerError> {
    if legs.len() < 2 || legs.iter().any(|leg| leg.amount_minor == 0) {
        return Err(LedgerError::MalformedLegs);
    }
    for (index, leg) in legs.iter().enumerate() {
        if legs[..index]
            .iter()
            .any(|earlier| earlier.account_id == leg.account_id)
        {
            return Err(LedgerError::MalformedLegs);
        }
    }
    let mut sums: BTreeMap<Currency, i128> = BTreeMap::new();
    for leg in legs {
        *sums.entry(leg.currency).or_default() += i128::from(leg.amount_minor);
    }
    if sums.values().any(|sum| *sum != 0) {
        return Err(LedgerError::Unbalanced);
    }
    Ok(())
}

fn load(tx: &DbTransaction<'_>, account_id: &str) -> rusqlite::Result<Option<Target>> {
    tx.prepare_cached(
        "SELECT l.kind, l.currency, l.balance_minor, a.customer_id
         FROM ledger_accounts l LEFT JOIN accounts a ON a.account_id = l.account_id
         WHERE l.account_id = ?1",
    )?
    .query_row([account_id], |row| {
        Ok(Target {
            kind: row.get(0)?,
            currency: row.get(1)?,
            balance_minor: row.get(2)?,
            customer_id: row.get(3)?,
        })
    })
    .optional()
}

/// The three inserts every entry is made of, prepared once. `post` uses it for one entry;
/// the history seed for a hundred thousand, keeping the balances in memory meanwhile.
pub(crate) struct Writer<'c> {
    entries: CachedStatement<'c>,
    postings: CachedStatement<'c>,
    bookings: CachedStatement<'c>,
}

impl<'c> Writer<'c> {
    pub(crate) fn new(conn: &'c Connection) -> rusqlite::Result<Self> {
        Ok(Self {
            entries: conn.prepare_cached(
                "INSERT INTO journal_entries (booked_at_ms, kind, counterparty_account)
                 VALUES (?1, ?2, ?3)",
            )?,
            postings: conn.prepare_cached(
                "INSERT INTO postings (entry_id, account_id, amount_minor, currency)
                 VALUES (?1, ?2, ?3, ?4)",
            )?,
            bookings: conn.prepare_cached(history::INSERT)?,
        })
    }

    /// A new entry's id. Its postings must follow in the same transaction.
    pub(crate) fn entry(
        &mut self,
        kind: EntryKind,
        booked_at_ms: i64,
        counterparty_account: Option<&str>,
    ) -> rusqlite::Result<i64> {
        self.entries
            .insert(params![booked_at_ms, kind.as_str(), counterparty_account])
    }

    pub(crate) fn posting(
        &mut self,
        entry_id: i64,
        account_id: &str,
        amount_minor: i64,
        currency: Currency,
    ) -> rusqlite::Result<()> {
        self.postings
            .execute(params![entry_id, account_id, amount_minor, currency])?;
        Ok(())
    }

    pub(crate) fn booking(&mut self, booking: &history::Booking<'_>) -> rusqlite::Result<()> {
        self.bookings.execute(params![
            booking.transaction_id,
            booking.customer_id,
            booking.account_id,
            booking.booked_at_ms,
            booking.amount_minor,
            booking.currency,
            booking.counterparty,
            booking.memo,
            booking.category,
            booking.entry_id,
        ])?;
        Ok(())
    }
}
