//! The customer's accounts, sub-accounts included, for a live session.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use mobank_protocol::messages::{Account, AccountsResponse, ProductKind};
use rusqlite::TransactionBehavior;
use rust_decimal::Decimal;

use super::session;
use crate::bank::{run_blocking, Bank};
use crate::error::ApiFailure;
use crate::extract::SessionTokenHash;
use crate::mask;

pub(super) async fn list(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
) -> Result<Json<AccountsResponse>, ApiFailure> {
    run_blocking(&bank, move |bank| accounts(bank, &token_hash))
        .await
        .map(Json)
}

fn accounts(bank: &Bank, token_hash: &[u8]) -> Result<AccountsResponse, ApiFailure> {
    let now = bank.clock.now_ms();
    let accounts = bank.with_db(|conn| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let owner = session::authorize(&tx, bank, token_hash, now)?;
        let accounts = {
            let mut statement = tx.prepare(
                "SELECT account_id, product, name, currency, balance_minor, account_number,
                        parent_account_id
                 FROM accounts WHERE customer_id = ?1 ORDER BY sort_order",
            )?;
            let rows = statement.query_map([&owner.customer_id], |row| {
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
                row.map_err(ApiFailure::from)
                    .and_then(StoredAccount::into_api)
            })
            .collect::<Result<Vec<_>, _>>()?
        };
        tx.commit()?;
        Ok::<_, ApiFailure>(accounts)
    })?;
    Ok(AccountsResponse {
        accounts,
        server_time_ms: now,
    })
}

struct StoredAccount {
    account_id: String,
    product: String,
    name: String,
    currency: String,
    balance_minor: i64,
    account_number: String,
    parent_account_id: Option<String>,
}

impl StoredAccount {
    fn into_api(self) -> Result<Account, ApiFailure> {
        let product = match self.product.as_str() {
            "current" => ProductKind::Current,
            "savings" => ProductKind::Savings,
            "deposit" => ProductKind::Deposit,
            "card" => ProductKind::Card,
            "investment" => ProductKind::Investment,
            "margin" => ProductKind::Margin,
            _ => {
                return Err(ApiFailure::internal(
                    "unknown product kind in the ledger",
                    &self.product,
                ))
            }
        };
        Ok(Account {
            account_id: self.account_id,
            product,
            name: self.name,
            currency: self.currency,
            balance: Decimal::new(self.balance_minor, 2),
            masked_number: mask::account_number(&self.account_number),
            parent_account_id: self.parent_account_id,
        })
    }
}
