//! What the bank's staff and the world around it do, through the developer API: a branch
//! issues an activation code, money arrives from a named outside party, the back office moves
//! money between a customer's accounts, a card payment is booked.

use mobank_protocol::messages::{
    AppendTransactionRequest, IssueActivationResponse, ProductKind, Transaction,
    TRANSACTION_CATEGORIES,
};
use rusqlite::{Transaction as DbTransaction, TransactionBehavior};

use super::display::{self, MAX_HISTORY_TEXT_CHARS, MAX_NAME_CHARS};
use super::{notices, notify, Bank};
use crate::db::activations;
use crate::db::customers::{self, HeldAccount};
use crate::db::seed::DEMO_CUSTOMER_ID;
use crate::dev::{Booked, CreditRequest, MoveRequest, OpenProductRequest, OpenedProduct};
use crate::error::SandboxError;
use crate::ledger::money::AmountError;
use crate::ledger::{self, Currency, EntryKind, Leg, NewEntry, Shown, SystemAccount};
use crate::{mask, random};

/// Category of a credit that names none, and of every move.
const TRANSFER: &str = "transfer";
/// Memo of a move that names none.
const MOVE_MEMO: &str = "内部转账 Internal move";

pub(crate) fn issue_activation_code(
    bank: &Bank,
    customer_id: &str,
) -> Result<IssueActivationResponse, SandboxError> {
    let internal = |_| SandboxError::Internal("the system random generator failed");
    let code = random::activation_code(&bank.rng).map_err(internal)?;
    bank.witness.issued(&code);
    let code_id = random::id(&bank.rng, "code").map_err(internal)?;
    let now = bank.clock.now_ms();
    let expires_at_ms = now.saturating_add(bank.policy.activation_ttl_ms);
    let phone = bank.with_db(|conn| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let phone = customers::phone(&tx, customer_id)?.ok_or(SandboxError::UnknownCustomer)?;
        activations::insert_code(
            &tx,
            &code_id,
            &random::sha256(code.as_bytes()),
            customer_id,
            now,
            expires_at_ms,
        )?;
        tx.commit()?;
        Ok::<_, SandboxError>(phone)
    })?;
    tracing::info!(%code_id, "activation code issued");
    Ok(IssueActivationResponse {
        activation_code: code.as_str().to_owned(),
        phone,
        expires_at_ms,
    })
}

/// Account numbers of products opened by a branch: prefix `6222026`, which no seeded or bulk
/// account uses, then a running number and the check digit.
const BRANCH_PREFIX: &str = "6222026";

/// A branch opens a product for a customer: a new account (and its ledger account, empty), in
/// the customer's list from now on, and a `product_opened` notice to every bound device.
pub(crate) fn open_product(
    bank: &Bank,
    customer_id: &str,
    request: &OpenProductRequest,
) -> Result<OpenedProduct, SandboxError> {
    let currency = currency_of(&request.currency)?;
    display::require(&request.name, MAX_NAME_CHARS, "name")?;
    let account_id = random::id(&bank.rng, "acct")
        .map_err(|_| SandboxError::Internal("the system random generator failed"))?;
    let product = product_code(request.product);
    let now = bank.clock.now_ms();
    bank.with_db(|conn| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if !customers::exists(&tx, customer_id)? {
            return Err(SandboxError::UnknownCustomer);
        }
        if let Some(parent) = &request.parent_account_id {
            let owner = customers::held_account(&tx, parent)?.map(|held| held.customer_id);
            if owner.as_deref() != Some(customer_id) {
                return Err(SandboxError::UnknownAccount);
            }
        }
        let opened: u32 = tx.query_row(
            "SELECT COUNT(*) FROM accounts WHERE account_number LIKE ?1",
            [format!("{BRANCH_PREFIX}%")],
            |row| row.get(0),
        )?;
        let body = format!("{BRANCH_PREFIX}{:08}", opened + 1);
        let check = mobank_protocol::transfer::account_number::check_digit(&body).ok_or(
            SandboxError::Internal("an account number without a check digit"),
        )?;
        let account_number = format!("{body}{check}");
        tx.execute(
            "INSERT INTO accounts (account_id, customer_id, product, name, account_number,
                                   parent_account_id, sort_order)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6,
                     (SELECT COALESCE(MAX(sort_order), -1) + 1 FROM accounts
                      WHERE customer_id = ?2))",
            rusqlite::params![
                account_id,
                customer_id,
                product,
                request.name,
                account_number,
                request.parent_account_id
            ],
        )?;
        tx.execute(
            "INSERT INTO ledger_accounts (account_id, kind, currency) VALUES (?1, 'customer', ?2)",
            rusqlite::params![account_id, currency.code()],
        )?;
        let masked_number = format!("**** {}", mask::last_four(&account_number));
        let label = format!("{} ({masked_number})", request.name);
        notices::notify_all_of_product(&tx, bank, customer_id, &label, now)
            .map_err(|_| SandboxError::Internal("the devices could not be told"))?;
        tx.commit()?;
        tracing::info!(product, "product opened by a branch");
        Ok(OpenedProduct {
            account_id,
            product: request.product,
            name: request.name.clone(),
            currency: currency.code().to_owned(),
            masked_number,
            parent_account_id: request.parent_account_id.clone(),
        })
    })
}

fn product_code(product: ProductKind) -> &'static str {
    match product {
        ProductKind::Current => "current",
        ProductKind::Savings => "savings",
        ProductKind::Deposit => "deposit",
        ProductKind::Card => "card",
        ProductKind::Investment => "investment",
        ProductKind::Margin => "margin",
    }
}

/// The account as the back office sees it; an unknown account, or a system account, is
/// `UnknownAccount`.
fn held_account(tx: &DbTransaction<'_>, account_id: &str) -> Result<HeldAccount, SandboxError> {
    customers::held_account(tx, account_id)?.ok_or(SandboxError::UnknownAccount)
}

/// How an account is named in the history of the customer's other account:
/// `贵金属保证金 Precious-metal margin ****0001`.
fn label(account: &HeldAccount) -> String {
    format!(
        "{} ****{}",
        account.name,
        mask::last_four(&account.account_number)
    )
}

fn currency_of(code: &str) -> Result<Currency, SandboxError> {
    Currency::parse(code).ok_or(SandboxError::InvalidRequest(
        "currency must be one the bank keeps: CNY, USD, EUR, HKD or JPY",
    ))
}

fn amount_refused(error: AmountError) -> SandboxError {
    SandboxError::InvalidRequest(match error {
        AmountError::TooPrecise => {
            "amount has more decimals than its currency (JPY none, the others two)"
        }
        AmountError::NotPositive => "amount must be greater than zero",
    })
}

fn category(requested: Option<&str>) -> Result<&str, SandboxError> {
    let category = requested.unwrap_or(TRANSFER);
    if TRANSACTION_CATEGORIES.contains(&category) {
        Ok(category)
    } else {
        Err(SandboxError::InvalidRequest("unknown category"))
    }
}

/// An outside party's account number: 8 to 34 ASCII digits or capital letters (a domestic
/// account number or an IBAN), nothing else.
fn outside_account_number(number: &str) -> Result<(), SandboxError> {
    let well_formed = (8..=34).contains(&number.len())
        && number
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
    if well_formed {
        Ok(())
    } else {
        Err(SandboxError::InvalidRequest(
            "counterparty_account must be 8 to 34 digits or capital letters",
        ))
    }
}

/// Money from a named party outside the bank: an entry from the outside world, a history row
/// and an SMS to the customer.
pub(crate) fn credit(bank: &Bank, request: &CreditRequest) -> Result<Booked, SandboxError> {
    let currency = currency_of(&request.currency)?;
    let minor = currency
        .positive_minor(request.amount)
        .map_err(amount_refused)?;
    display::require(
        &request.counterparty_name,
        MAX_NAME_CHARS,
        "counterparty_name",
    )?;
    display::require_or_empty(&request.memo, MAX_HISTORY_TEXT_CHARS, "memo")?;
    outside_account_number(&request.counterparty_account)?;
    let category = category(request.category.as_deref())?;
    let now = bank.clock.now_ms();
    let outside_world = SystemAccount::OutsideWorld.id(currency);
    let booked = bank.with_db(|conn| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let account = held_account(&tx, &request.account_id)?;
        let legs = [
            Leg {
                account_id: &outside_world,
                amount_minor: -minor,
                currency,
                shown: None,
            },
            Leg {
                account_id: &account.account_id,
                amount_minor: minor,
                currency,
                shown: Some(Shown {
                    counterparty: &request.counterparty_name,
                    memo: &request.memo,
                    category,
                }),
            },
        ];
        let posted = ledger::post(
            &tx,
            &bank.rng,
            &NewEntry {
                kind: EntryKind::IncomingCredit,
                booked_at_ms: now,
                counterparty_account: Some(&request.counterparty_account),
                legs: &legs,
            },
        )?;
        for booking in &posted.bookings {
            notify::movement(
                &tx,
                &account.phone,
                &account.account_number,
                booking,
                currency,
                minor,
            )?;
        }
        tx.commit()?;
        Ok::<_, SandboxError>(Booked {
            entry_id: posted.entry_id,
            transactions: posted.bookings,
        })
    })?;
    tracing::info!(
        entry_id = booked.entry_id,
        "credit from outside the bank booked"
    );
    Ok(booked)
}

/// The back office moving money between two accounts of the same customer: one entry, a row
/// in the history of each account, an SMS for each.
pub(crate) fn move_funds(bank: &Bank, request: &MoveRequest) -> Result<Booked, SandboxError> {
    let currency = currency_of(&request.currency)?;
    let minor = currency
        .positive_minor(request.amount)
        .map_err(amount_refused)?;
    display::require_or_empty(&request.memo, MAX_HISTORY_TEXT_CHARS, "memo")?;
    if request.from_account_id == request.to_account_id {
        return Err(SandboxError::InvalidRequest(
            "from_account_id and to_account_id must be two different accounts",
        ));
    }
    let memo = if request.memo.is_empty() {
        MOVE_MEMO
    } else {
        &request.memo
    };
    let now = bank.clock.now_ms();
    let booked = bank.with_db(|conn| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let from = held_account(&tx, &request.from_account_id)?;
        let to = held_account(&tx, &request.to_account_id)?;
        if from.customer_id != to.customer_id {
            return Err(SandboxError::InvalidRequest(
                "the back office moves money only between accounts of the same customer",
            ));
        }
        let (from_label, to_label) = (label(&from), label(&to));
        let legs = [
            Leg {
                account_id: &from.account_id,
                amount_minor: -minor,
                currency,
                shown: Some(Shown {
                    counterparty: &to_label,
                    memo,
                    category: TRANSFER,
                }),
            },
            Leg {
                account_id: &to.account_id,
                amount_minor: minor,
                currency,
                shown: Some(Shown {
                    counterparty: &from_label,
                    memo,
                    category: TRANSFER,
                }),
            },
        ];
        let posted = ledger::post(
            &tx,
            &bank.rng,
            &NewEntry {
                kind: EntryKind::InternalTransfer,
                booked_at_ms: now,
                counterparty_account: None,
                legs: &legs,
            },
        )?;
        for (booking, (account, amount)) in
            posted.bookings.iter().zip([(&from, -minor), (&to, minor)])
        {
            notify::movement(
                &tx,
                &account.phone,
                &account.account_number,
                booking,
                currency,
                amount,
            )?;
        }
        tx.commit()?;
        Ok(Booked {
            entry_id: posted.entry_id,
            transactions: posted.bookings,
        })
    })?;
    tracing::info!(entry_id = booked.entry_id, "back-office move booked");
    Ok(booked)
}

/// Books one transaction now, as a card payment (money out, to the card network) or an
/// incoming payment (money in, from the outside world) would. No SMS: this is the stand-in for
/// everyday card traffic, booked in bulk by tests.
pub(crate) fn append_transaction(
    bank: &Bank,
    request: &AppendTransactionRequest,
) -> Result<Transaction, SandboxError> {
    if !TRANSACTION_CATEGORIES.contains(&request.category.as_str()) {
        return Err(SandboxError::InvalidRequest("unknown category"));
    }
    display::require(
        &request.counterparty,
        MAX_HISTORY_TEXT_CHARS,
        "counterparty",
    )?;
    display::require_or_empty(&request.memo, MAX_HISTORY_TEXT_CHARS, "memo")?;
    let now = bank.clock.now_ms();
    let booked = bank.with_db(|conn| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let account_id = match &request.account_id {
            Some(id) => id.clone(),
            None => customers::current_account(&tx, DEMO_CUSTOMER_ID)?
                .ok_or(SandboxError::UnknownAccount)?,
        };
        let account = held_account(&tx, &account_id)?;
        let currency = account.currency;
        let minor = currency
            .to_minor(request.amount)
            .filter(|minor| *minor != 0)
            .ok_or(SandboxError::InvalidRequest(
                "amount must be non-zero, with no more decimals than the account's currency",
            ))?;
        let (kind, other_side) = if minor < 0 {
            (EntryKind::CardPayment, SystemAccount::CardNetwork)
        } else {
            (EntryKind::IncomingCredit, SystemAccount::OutsideWorld)
        };
        let other_side = other_side.id(currency);
        let legs = [
            Leg {
                account_id: &other_side,
                amount_minor: -minor,
                currency,
                shown: None,
            },
            Leg {
                account_id: &account.account_id,
                amount_minor: minor,
                currency,
                shown: Some(Shown {
                    counterparty: &request.counterparty,
                    memo: &request.memo,
                    category: &request.category,
                }),
            },
        ];
        let posted = ledger::post(
            &tx,
            &bank.rng,
            &NewEntry {
                kind,
                booked_at_ms: now,
                counterparty_account: None,
                legs: &legs,
            },
        )?;
        tx.commit()?;
        posted
            .bookings
            .into_iter()
            .next()
            .ok_or(SandboxError::Internal(
                "a booked entry showed no history row",
            ))
    })?;
    tracing::info!(transaction_id = %booked.transaction_id, "transaction booked");
    Ok(booked)
}
