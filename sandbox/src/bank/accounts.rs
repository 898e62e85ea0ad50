//! The customer's accounts, sub-accounts included, with their balances from the ledger.

use mobank_protocol::messages::{Account, AccountsResponse, ProductKind};
use rusqlite::Connection;

use super::{session, Bank};
use crate::db::customers::{self, AccountRow};
use crate::error::{ApiFailure, SandboxError};
use crate::mask;

/// The accounts of the session's customer.
pub(crate) fn list(bank: &Bank, token_hash: &[u8]) -> Result<AccountsResponse, ApiFailure> {
    let now = bank.clock.now_ms();
    let accounts = bank.transact_unflushed(|tx| {
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
    customers::accounts(conn, customer_id)?
        .into_iter()
        .map(into_api)
        .collect()
}

fn into_api(row: AccountRow) -> Result<Account, SandboxError> {
    let product = match row.product.as_str() {
        "current" => ProductKind::Current,
        "savings" => ProductKind::Savings,
        "deposit" => ProductKind::Deposit,
        "card" => ProductKind::Card,
        "investment" => ProductKind::Investment,
        "margin" => ProductKind::Margin,
        _ => {
            return Err(SandboxError::Internal(
                "unknown product kind in the database",
            ))
        }
    };
    Ok(Account {
        account_id: row.account_id,
        product,
        name: row.name,
        currency: row.currency.code().to_owned(),
        balance: row.currency.to_decimal(row.balance_minor),
        masked_number: mask::account_number(&row.account_number),
        parent_account_id: row.parent_account_id,
    })
}
