//! The business decision on a transfer whose signature and quote checked out, in the caller's
//! SQLite transaction with everything it writes: suspended → rejected; channel off →
//! rejected; over a limit of the channel or the device (`channels`) → rejected; not enough money for amount and fee → rejected; otherwise one balanced journal
//! entry, the history rows, an account notice for every debit and credit. Either way a receipt
//! signed with the bank's receipt key, stored under the customer and the idempotency key.

use mobank_protocol::transfer::{CanonicalTransfer, Outcome, Receipt, RejectReason};
use rusqlite::Transaction;

use super::ledger_currency;
use super::payee::{self, Destination};
use super::quote::payer_account;
use crate::bank::channels::{self, room::Refusal};
use crate::bank::policy::IntegrityFlags;
use crate::bank::{notify, Bank};
use crate::db::customers;
use crate::db::{schedules, transfers};
use crate::error::ApiFailure;
use crate::ledger::{self, EntryKind, LedgerError, Leg, NewEntry, Shown, SystemAccount};
use crate::{mask, random};

/// The history category of every transfer row.
const TRANSFER: &str = "transfer";

pub(crate) struct Context<'a> {
    pub(crate) customer_id: &'a str,
    /// The signing device's cooling-off, which lowers its limits.
    pub(crate) cooling_off_until_ms: Option<i64>,
    pub(crate) integrity: IntegrityFlags,
    pub(crate) transfer: &'a CanonicalTransfer,
    pub(crate) hash: &'a [u8; 32],
    pub(crate) now: i64,
    /// From the quote: when the transfer runs if accepted (`None`: now).
    pub(crate) runs_at_ms: Option<i64>,
}

pub(crate) fn decide(
    tx: &Transaction<'_>,
    bank: &Bank,
    context: &Context<'_>,
) -> Result<Receipt, ApiFailure> {
    let transfer = context.transfer;
    let currency = ledger_currency(transfer.amount.currency())?;
    let amount_minor = transfer.amount.minor_units();
    let later = context.runs_at_ms.filter(|runs_at| *runs_at > context.now);

    let rejection = if transfers::is_suspended(tx, context.customer_id)? {
        Some(RejectReason::Suspended)
    } else {
        channels::admit_or_refusal(
            tx,
            &channels::TransferAsk {
                customer_id: context.customer_id,
                cooling_off_until_ms: context.cooling_off_until_ms,
                integrity: context.integrity,
                channel: transfer.channel,
                currency,
                amount_minor,
                now: context.now,
            },
        )?
        .map(|refusal| match refusal {
            Refusal::Closed => RejectReason::ChannelClosed,
            Refusal::OverLimit => RejectReason::LimitExceeded,
        })
    };
    let (reason, entry_id) = match (rejection, later) {
        (Some(reason), _) => (Some(reason), None),
        // Accepted now, booked when its time comes (`schedule::run_due`): funds are checked then.
        (None, Some(_)) => (None, None),
        (None, None) => match book(tx, bank, context.customer_id, transfer, context.now)? {
            Booking::Booked(entry_id) => (None, Some(entry_id)),
            Booking::InsufficientFunds => (Some(RejectReason::InsufficientFunds), None),
        },
    };

    let receipt = signed_receipt(
        bank,
        transfer,
        context.hash,
        reason,
        entry_id.map(|_| context.now),
        context.now,
    )?;
    let stored = serde_json::to_string(&receipt)
        .map_err(|error| ApiFailure::internal("a receipt does not serialise", &error))?;
    let key = transfer.idempotency_key.to_hex();
    transfers::insert_outcome(
        tx,
        &transfers::NewOutcome {
            customer_id: context.customer_id,
            idempotency_key: &key,
            transfer_hash: context.hash,
            receipt: &stored,
            accepted: reason.is_none(),
            payer_account_id: &transfer.payer_account_id,
            amount_minor,
            currency,
            entry_id,
            decided_at_ms: context.now,
            payee_account_number: &transfer.payee.account_number,
            acknowledged_warnings: &transfer.acknowledged_warnings.join(","),
            channel: transfer.channel.code(),
        },
    )?;
    if let (None, Some(runs_at_ms)) = (reason, later) {
        let signed = serde_json::to_string(transfer)
            .map_err(|error| ApiFailure::internal("a transfer does not serialise", &error))?;
        schedules::insert(tx, context.customer_id, &key, runs_at_ms, &signed)?;
    }
    tracing::info!(
        receipt_id = %receipt.receipt_id,
        outcome = ?receipt.outcome,
        reason = reason.map(RejectReason::code),
        scheduled = later.is_some() && reason.is_none(),
        "transfer decided"
    );
    Ok(receipt)
}

/// The bank's receipt for `transfer`, signed: rejected for `reason`, else accepted, booked
/// at `booked_at_ms` if the money moved.
pub(super) fn signed_receipt(
    bank: &Bank,
    transfer: &CanonicalTransfer,
    hash: &[u8],
    reason: Option<RejectReason>,
    booked_at_ms: Option<i64>,
    now: i64,
) -> Result<Receipt, ApiFailure> {
    let mut receipt = Receipt {
        receipt_id: random::id(&bank.rng, "rcp")?,
        idempotency_key: transfer.idempotency_key,
        transfer_hash: hash.to_vec(),
        outcome: if reason.is_some() {
            Outcome::Rejected
        } else {
            Outcome::Accepted
        },
        reason,
        payer_account_id: transfer.payer_account_id.clone(),
        amount: transfer.amount,
        fee: transfer.fee.clone(),
        execution_date: transfer.execution_date.clone(),
        decided_at_ms: u64::try_from(now).unwrap_or(0),
        booked_at_ms: booked_at_ms.map(|at| u64::try_from(at).unwrap_or(0)),
        key_id: String::new(),
        signature: Vec::new(),
    };
    receipt
        .sign(&bank.receipt_key, &bank.rng)
        .map_err(|error| ApiFailure::internal("the receipt could not be signed", &error))?;
    Ok(receipt)
}

pub(super) enum Booking {
    Booked(i64),
    InsufficientFunds,
}

/// The entry: payer → payee account (or the other-bank account), fee → fee income; a history
/// row for the payer (amount and fee in one) and for a payee at this bank; a notice for each.
pub(super) fn book(
    tx: &Transaction<'_>,
    bank: &Bank,
    customer_id: &str,
    transfer: &CanonicalTransfer,
    now: i64,
) -> Result<Booking, ApiFailure> {
    let currency = ledger_currency(transfer.amount.currency())?;
    let amount_minor = transfer.amount.minor_units();
    let fee_minor = transfer
        .fee_minor_units()
        .ok_or_else(|| ApiFailure::bad_request("the field `fee` is not valid"))?;
    let payer = payer_account(tx, customer_id, &transfer.payer_account_id)?;
    let resolved = payee::resolve(
        tx,
        &transfer.payee.bank_code,
        &transfer.payee.account_number,
    )?;
    let payer_name = transfers::holder_name(tx, customer_id)?;
    let debit = amount_minor
        .checked_add(fee_minor)
        .ok_or_else(|| ApiFailure::bad_request("amount and fee are too large"))?;
    let other_bank = SystemAccount::OtherBank.id(currency);
    let fee_income = SystemAccount::FeeIncome.id(currency);
    let payee_held = match &resolved.destination {
        Destination::Here { account_id, .. } => Some(
            customers::held_account(tx, account_id)?
                .ok_or_else(|| ApiFailure::internal("a payee account vanished", account_id))?,
        ),
        Destination::OtherBank { .. } => None,
    };
    let mut legs = vec![Leg {
        account_id: &payer.account_id,
        amount_minor: -debit,
        currency,
        shown: Some(Shown {
            counterparty: &transfer.payee.name,
            memo: &transfer.memo,
            category: TRANSFER,
        }),
    }];
    match &payee_held {
        Some(payee) => legs.push(Leg {
            account_id: &payee.account_id,
            amount_minor,
            currency,
            shown: Some(Shown {
                counterparty: &payer_name,
                memo: &transfer.memo,
                category: TRANSFER,
            }),
        }),
        None => legs.push(Leg {
            account_id: &other_bank,
            amount_minor,
            currency,
            shown: None,
        }),
    }
    if fee_minor > 0 {
        legs.push(Leg {
            account_id: &fee_income,
            amount_minor: fee_minor,
            currency,
            shown: None,
        });
    }
    let posted = match ledger::post(
        tx,
        &bank.rng,
        &NewEntry {
            kind: EntryKind::Transfer,
            booked_at_ms: now,
            // As a bank's books keep the other side's number; inside the bank the legs do.
            counterparty_account: payee_held
                .is_none()
                .then_some(transfer.payee.account_number.as_str()),
            legs: &legs,
        },
    ) {
        Ok(posted) => posted,
        Err(LedgerError::InsufficientFunds) => return Ok(Booking::InsufficientFunds),
        Err(LedgerError::Database(error)) => return Err(error.into()),
        Err(error) => {
            return Err(ApiFailure::internal(
                "the ledger refused a transfer",
                &error,
            ))
        }
    };
    let mut notices = vec![(&payer, -debit)];
    if let Some(payee) = &payee_held {
        notices.push((payee, amount_minor));
    }
    for (booking, (account, amount)) in posted.bookings.iter().zip(notices) {
        notify::movement(
            tx,
            &account.phone,
            &account.account_number,
            booking,
            currency,
            amount,
        )?;
    }
    tracing::info!(
        entry_id = posted.entry_id,
        payer = %mask::last_four(&payer.account_number),
        "transfer booked"
    );
    Ok(Booking::Booked(posted.entry_id))
}
