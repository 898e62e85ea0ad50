//! Customers made in bulk for load tests: each with a funded CNY current account and a fresh
//! activation code, so a harness can bind one phone per customer through the real activation
//! (code, then the OTP sent to the customer's own phone number).

use rusqlite::{params, TransactionBehavior};

use super::Bank;
use crate::db::activations;
use crate::dev::{BulkCustomer, BulkCustomers, BulkCustomersRequest};
use crate::error::SandboxError;
use crate::ledger::{self, Currency, EntryKind, Leg, NewEntry, SystemAccount};
use crate::random;

/// Customers per request: a load test of the sandbox needs hundreds; more in one SQLite
/// transaction would hold the write lock for seconds.
pub(crate) const MAX_BULK_CUSTOMERS: u32 = 10_000;

/// `bulk_00001`, `bulk_00002`, …: numbered on from those already made, so repeated requests
/// never collide.
const ID_PREFIX: &str = "bulk_";

pub(crate) fn create(
    bank: &Bank,
    request: &BulkCustomersRequest,
) -> Result<BulkCustomers, SandboxError> {
    if !(1..=MAX_BULK_CUSTOMERS).contains(&request.count) {
        return Err(SandboxError::InvalidRequest(
            "count must be from 1 to 10000",
        ));
    }
    let currency = Currency::CNY;
    let opening_minor = currency
        .positive_minor(request.opening_balance)
        .map_err(|_| {
            SandboxError::InvalidRequest(
                "opening_balance must be greater than zero with at most two decimals",
            )
        })?;
    let internal = |_| SandboxError::Internal("the system random generator failed");
    let now = bank.clock.now_ms();
    let expires_at_ms = now.saturating_add(bank.policy.activation_ttl_ms);
    let outside_world = SystemAccount::OutsideWorld.id(currency);
    let customers = bank.with_db(|conn| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let first: u32 = tx.query_row(
            "SELECT COUNT(*) FROM customers WHERE customer_id LIKE 'bulk\\_%' ESCAPE '\\'",
            [],
            |row| row.get(0),
        )?;
        let mut made = Vec::with_capacity(usize::try_from(request.count).unwrap_or(0));
        for index in first + 1..=first + request.count {
            let customer = numbered(index)?;
            tx.execute(
                "INSERT INTO customers (customer_id, display_name, phone, holder_name)
                 VALUES (?1, ?2, ?3, ?2)",
                params![customer.customer_id, customer.holder_name, customer.phone],
            )?;
            tx.execute(
                "INSERT INTO accounts (account_id, customer_id, product, name, account_number,
                                       sort_order)
                 VALUES (?1, ?2, 'current', '活期账户 Current account', ?3, 0)",
                params![
                    customer.account_id,
                    customer.customer_id,
                    customer.account_number
                ],
            )?;
            tx.execute(
                "INSERT INTO ledger_accounts (account_id, kind, currency)
                 VALUES (?1, 'customer', ?2)",
                params![customer.account_id, currency.code()],
            )?;
            ledger::post(
                &tx,
                &bank.rng,
                &NewEntry {
                    kind: EntryKind::Opening,
                    booked_at_ms: now,
                    counterparty_account: None,
                    legs: &[
                        Leg {
                            account_id: &outside_world,
                            amount_minor: -opening_minor,
                            currency,
                            shown: None,
                        },
                        Leg {
                            account_id: &customer.account_id,
                            amount_minor: opening_minor,
                            currency,
                            shown: None,
                        },
                    ],
                },
            )?;
            let code = random::activation_code(&bank.rng).map_err(internal)?;
            bank.witness.issued(&code);
            let code_id = random::id(&bank.rng, "code").map_err(internal)?;
            activations::insert_code(
                &tx,
                &code_id,
                &random::sha256(code.as_bytes()),
                &customer.customer_id,
                now,
                expires_at_ms,
            )?;
            made.push(BulkCustomer {
                activation_code: code.as_str().to_owned(),
                activation_expires_at_ms: expires_at_ms,
                ..customer
            });
        }
        tx.commit()?;
        Ok::<_, SandboxError>(made)
    })?;
    tracing::info!(count = customers.len(), "customers created in bulk");
    Ok(BulkCustomers { customers })
}

/// The customer numbered `index`: its ids, phone, holder name and an account number with a
/// right check digit (prefix `6222027`, which no seeded account uses).
fn numbered(index: u32) -> Result<BulkCustomer, SandboxError> {
    let body = format!("6222027{index:08}");
    let check = mobank_protocol::transfer::account_number::check_digit(&body).ok_or(
        SandboxError::Internal("an account number without a check digit"),
    )?;
    Ok(BulkCustomer {
        customer_id: format!("{ID_PREFIX}{index:05}"),
        phone: format!("+86170{index:08}"),
        holder_name: format!("测试客户{index:05}"),
        account_id: format!("acct_{ID_PREFIX}{index:05}"),
        account_number: format!("{body}{check}"),
        activation_code: String::new(),
        activation_expires_at_ms: 0,
    })
}
