//! The customer's accounts, sub-accounts included, with their balances from the ledger.

use mobank_protocol::messages::{Account, AccountsResponse, ProductKind};
use rusqlite::Connection;

use super::{session, Bank};
use crate::error::{ApiFailure, SandboxError};
use crate::ledger::Currency;
use crate::mask;

/// The accounts of the session's customer.
pub(crate) fn list(bank: &Bank, token_hash: &[u8]) -> Result<AccountsResponse, ApiFailure> {
    let now = bank.clock.now_ms();
    let accounts = bank.transact(|tx| {
        let owner = session::authorize(tx, bank, token_hash, now)?;
        Ok(of_customer(tx, &owner.customer_id)?)
    })?;
    Ok(AccountsResponse {
        accounts,
        server_time_ms: now,
    })
}

/// Every account of `customer_id` in display order, full numbers masked.
pub(crate) fn of_customer(
    conn: &Connection,
    customer_id: &str,
) -> Result<Vec<Account>, SandboxError> {
    let mut statement = conn.prepare_cached(
        "SELECT a.account_id, a.product, a.name, l.currency, l.balance_minor, a.account_number,
                a.parent_account_id
         FROM accounts a JOIN ledger_accounts l ON l.account_id = a.account_id
         WHERE a.customer_id = ?1 ORDER BY a.sort_order",
    )?;
    let rows = statement.query_map([customer_id], |row| {
        Ok(StoredAccount {
            account_id: row.get(0)?,
            product: row.get(1)?,
            name: row.get(2)?,
            currency: row.get(3)?,
            balance_minor: row.get(4)?,
            account_number: row.get(5)?,
            parent_account_id: row.get(6)?,
        })
    })?;
    rows.map(|row| {
        row.map_err(SandboxError::from)
            .and_then(StoredAccount::into_api)
    })
    .collect()
}

struct StoredAccount {
    account_id: String,
    product: String,
    name: String,
    currency: Currency,
    balance_minor: i64,
    account_number: String,
    parent_account_id: Option<String>,
}

impl StoredAccount {
    fn into_api(self) -> Result<Account, SandboxError> {
        let product = match self.product.as_str() {
            "current" => ProductKind::Current,
            "savings" => ProductKind::Savings,
            "deposit" => ProductKind::Deposit,
            "card" => ProductKind::Card,
            "investment" => ProductKind::Investment,
            "margin" => ProductKind::Margin,
            _ => return Err(SandboxError::Internal("unknown product kind in the ledger")),
        };
        Ok(Account {
            account_id: self.account_id,
            product,
            name: self.name,
            currency: self.currency.code().to_owned(),
            balance: self.currency.to_decimal(self.balance_minor),
            masked_number: mask::account_number(&self.account_number),
            parent_account_id: self.parent_account_id,
        })
    }
}
