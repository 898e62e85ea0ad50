//! The ledger's proof of itself: every entry balances, every cached balance is the sum of its
//! account's postings, no customer account is below zero, every history row is one leg of an
//! entry and every customer leg but an opening is a history row, and every transfer entry is
//! the booking of one accepted transfer outcome. Reads everything; for tests
//! and the developer API, not for the request path.

use std::collections::BTreeMap;

use rusqlite::Connection;

use super::accounts::{SystemAccount, CUSTOMER_KIND};
use super::journal::EntryKind;
use super::money::Currency;
use crate::dev::{CurrencyTotals, LedgerCheck};

fn count(conn: &Connection, sql: &str) -> rusqlite::Result<u64> {
    let n: i64 = conn.query_row(sql, [], |row| row.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

pub(crate) fn check(conn: &Connection) -> rusqlite::Result<LedgerCheck> {
    let entries = count(conn, "SELECT COUNT(*) FROM journal_entries")?;
    let postings = count(conn, "SELECT COUNT(*) FROM postings")?;
    let unbalanced_entries = count(
        conn,
        // Postings are never zero, so a lone leg cannot sum to zero either.
        "SELECT COUNT(DISTINCT entry_id) FROM (
             SELECT entry_id FROM postings GROUP BY entry_id, currency
             HAVING SUM(amount_minor) <> 0)",
    )?;
    let balance_mismatches = count(
        conn,
        "SELECT COUNT(*) FROM ledger_accounts l
         LEFT JOIN (SELECT account_id, SUM(amount_minor) AS total FROM postings
                    GROUP BY account_id) p USING (account_id)
         WHERE l.balance_minor <> COALESCE(p.total, 0)",
    )? + count(
        conn,
        "SELECT COUNT(*) FROM postings p JOIN ledger_accounts l USING (account_id)
         WHERE p.currency <> l.currency",
    )? + count(
        conn,
        &format!(
            "SELECT COUNT(*) FROM accounts a LEFT JOIN ledger_accounts l USING (account_id)
             WHERE l.kind IS NOT '{CUSTOMER_KIND}'"
        ),
    )?;
    let negative_customer_accounts = count(
        conn,
        &format!(
            "SELECT COUNT(*) FROM ledger_accounts
             WHERE kind = '{CUSTOMER_KIND}' AND balance_minor < 0"
        ),
    )?;
    // A history row is backed when its entry has a posting of the same amount on the same
    // account (a zero row from before the journal existed has none).
    let unbacked_bookings = count(
        conn,
        "SELECT COUNT(*) FROM transactions t
         WHERE t.amount_minor <> COALESCE(
                   (SELECT p.amount_minor FROM postings p
                    WHERE p.entry_id = t.entry_id AND p.account_id = t.account_id
                      AND p.currency = t.currency), 0)",
    )?;
    // With every row backed and no two rows on one leg, equal counts mean each customer leg
    // is exactly one row. Openings may show (the seeded history starts with them) or not.
    let opening = EntryKind::Opening.as_str();
    let customer_legs = count(
        conn,
        &format!(
            "SELECT COUNT(*) FROM postings p
             JOIN ledger_accounts l USING (account_id)
             JOIN journal_entries e USING (entry_id)
             WHERE l.kind = '{CUSTOMER_KIND}' AND e.kind <> '{opening}'"
        ),
    )?;
    let shown_rows = count(
        conn,
        &format!(
            "SELECT COUNT(*) FROM transactions t JOIN journal_entries e USING (entry_id)
             WHERE t.amount_minor <> 0 AND e.kind <> '{opening}'"
        ),
    )?;
    let rows_on_one_leg = count(
        conn,
        "SELECT COUNT(*) FROM (SELECT 1 FROM transactions GROUP BY entry_id, account_id
                               HAVING COUNT(*) > 1)",
    )?;
    let unshown_postings = customer_legs.abs_diff(shown_rows) + rows_on_one_leg;

    // Every transfer entry is the booking of exactly one accepted outcome, and every accepted
    // outcome has its entry unless it is scheduled to run later; a rejected one has none.
    let transfer = EntryKind::Transfer.as_str();
    let unrecorded_transfers = count(
        conn,
        &format!(
            "SELECT COUNT(*) FROM journal_entries e
             WHERE e.kind = '{transfer}'
               AND (SELECT COUNT(*) FROM transfer_outcomes o
                    WHERE o.entry_id = e.entry_id AND o.accepted = 1) <> 1"
        ),
    )? + count(
        conn,
        &format!(
            "SELECT COUNT(*) FROM transfer_outcomes o
             LEFT JOIN journal_entries e USING (entry_id)
             WHERE (o.accepted = 1 AND e.kind IS NOT '{transfer}'
                    AND NOT EXISTS (SELECT 1 FROM scheduled_transfers s
                                    WHERE s.customer_id = o.customer_id
                                      AND s.idempotency_key = o.idempotency_key))
                OR (o.accepted = 0 AND o.entry_id IS NOT NULL)"
        ),
    )?;

    let totals = totals(conn)?;
    let totals_balance = totals
        .iter()
        .all(|(_, sums)| sums.values().sum::<i128>() == 0);
    let balanced = unbalanced_entries == 0
        && balance_mismatches == 0
        && negative_customer_accounts == 0
        && unbacked_bookings == 0
        && unshown_postings == 0
        && unrecorded_transfers == 0
        && totals_balance;
    Ok(LedgerCheck {
        balanced,
        entries,
        postings,
        unbalanced_entries,
        balance_mismatches,
        negative_customer_accounts,
        unbacked_bookings,
        unshown_postings,
        unrecorded_transfers,
        totals: totals
            .into_iter()
            .map(|(currency, sums)| {
                let of = |kind: &str| {
                    let minor = sums.get(kind).copied().unwrap_or(0);
                    currency.to_decimal(i64::try_from(minor).unwrap_or(i64::MAX))
                };
                CurrencyTotals {
                    currency: currency.code().to_owned(),
                    customers: of(CUSTOMER_KIND),
                    outside_world: of(SystemAccount::OutsideWorld.kind()),
                    other_bank: of(SystemAccount::OtherBank.kind()),
                    card_network: of(SystemAccount::CardNetwork.kind()),
                    fee_income: of(SystemAccount::FeeIncome.kind()),
                }
            })
            .collect(),
    })
}

/// Cached balances summed per currency and account kind, for every currency the bank keeps.
fn totals(conn: &Connection) -> rusqlite::Result<BTreeMap<Currency, BTreeMap<String, i128>>> {
    let mut totals: BTreeMap<Currency, BTreeMap<String, i128>> = Currency::ALL
        .into_iter()
        .map(|currency| (currency, BTreeMap::new()))
        .collect();
    let mut statement =
        conn.prepare("SELECT currency, kind, balance_minor FROM ledger_accounts")?;
    let rows = statement.query_map([], |row| {
        Ok((
            row.get::<_, Currency>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, i64>(2)?,
        ))
    })?;
    for row in rows {
        let (currency, kind, balance) = row?;
        *totals.entry(currency).or_default().entry(kind).or_default() += i128::from(balance);
    }
    Ok(totals)
}
