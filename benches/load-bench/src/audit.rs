//! After a run: does the bank's book add up, and is every accepted transfer booked once with a
//! receipt that verifies? Compares the ledger check from before the run with the one after,
//! against what the phones were told.

use mobank_protocol::transfer::{IdempotencyKey, Outcome, ReceiptKey};
use mobank_sandbox::dev::{CurrencyTotals, LedgerCheck};
use mobank_sandbox::RunningSandbox;
use rust_decimal::Decimal;

use crate::workload::Accepted;

/// The fee for a transfer to another bank, CNY fen (sandbox/README.md).
const OTHER_BANK_FEE_FEN: i64 = 200;

pub struct Audit {
    /// The check passes, no customer account is negative, money left the customers only to
    /// the other-bank sink and the fee income, exactly as much as the accepted transfers say,
    /// and came from nowhere.
    pub ledger_balanced: bool,
    /// The run added exactly one journal entry per accepted transfer, and every transfer
    /// entry is the booking of exactly one accepted outcome.
    pub one_entry_per_transfer: bool,
    pub entries_added: u64,
    pub receipts_verified: u64,
    pub receipts_failed: u64,
    /// What failed, for the report.
    pub findings: Vec<String>,
}

pub fn check(bank: &RunningSandbox) -> Result<LedgerCheck, String> {
    bank.check_ledger()
        .map_err(|e| format!("ledger check: {e}"))
}

pub fn audit(
    bank: &RunningSandbox,
    before: &LedgerCheck,
    after: &LedgerCheck,
    accepted: &[Accepted],
) -> Audit {
    let mut findings = Vec::new();
    let fen = |value: i64| Decimal::new(value, 2);
    let paid_out: i64 = accepted
        .iter()
        .filter(|t| t.to_other_bank)
        .map(|t| t.amount_fen)
        .sum();
    let fees = OTHER_BANK_FEE_FEN * accepted.iter().filter(|t| t.to_other_bank).count() as i64;

    let (b, a) = (cny(before), cny(after));
    let delta = |pick: fn(&CurrencyTotals) -> Decimal| match (&b, &a) {
        (Some(b), Some(a)) => Some(pick(a) - pick(b)),
        _ => None,
    };
    let expectations = [
        ("customers", delta(|t| t.customers), -fen(paid_out + fees)),
        ("other bank", delta(|t| t.other_bank), fen(paid_out)),
        ("fee income", delta(|t| t.fee_income), fen(fees)),
        ("outside world", delta(|t| t.outside_world), Decimal::ZERO),
        ("card network", delta(|t| t.card_network), Decimal::ZERO),
    ];
    let mut ledger_balanced = after.balanced && after.negative_customer_accounts == 0;
    if !after.balanced {
        findings.push(format!("the ledger check fails: {after:?}"));
    }
    for (what, moved, expected) in expectations {
        if moved != Some(expected) {
            ledger_balanced = false;
            findings.push(format!("{what} moved {moved:?}, expected {expected}"));
        }
    }

    let entries_added = after.entries.saturating_sub(before.entries);
    let one_entry_per_transfer =
        entries_added == accepted.len() as u64 && after.unrecorded_transfers == 0;
    if !one_entry_per_transfer {
        findings.push(format!(
            "{entries_added} entries for {} accepted transfers; {} unrecorded",
            accepted.len(),
            after.unrecorded_transfers
        ));
    }

    let trusted = ReceiptKey::from_public_key(&bank.receipt_public_key());
    let (mut receipts_verified, mut receipts_failed) = (0, 0);
    for transfer in accepted {
        if receipt_verifies(bank, trusted.as_ref(), transfer) {
            receipts_verified += 1;
        } else {
            receipts_failed += 1;
            if receipts_failed <= 5 {
                findings.push(format!(
                    "no verifying acceptance for {}'s transfer {}",
                    transfer.customer_id, transfer.transfer_id
                ));
            }
        }
    }
    Audit {
        ledger_balanced,
        one_entry_per_transfer,
        entries_added,
        receipts_verified,
        receipts_failed,
        findings,
    }
}

fn cny(check: &LedgerCheck) -> Option<CurrencyTotals> {
    check.totals.iter().find(|t| t.currency == "CNY").cloned()
}

/// The bank's stored receipt for the transfer is an acceptance signed by its receipt key.
fn receipt_verifies(
    bank: &RunningSandbox,
    trusted: Option<&ReceiptKey>,
    transfer: &Accepted,
) -> bool {
    let (Some(trusted), Some(key)) = (trusted, IdempotencyKey::parse(&transfer.transfer_id)) else {
        return false;
    };
    match bank.transfer_outcome(&transfer.customer_id, key) {
        Ok(Some(receipt)) => {
            receipt.outcome == Outcome::Accepted
                && receipt.verify(std::slice::from_ref(trusted)).is_ok()
        }
        _ => false,
    }
}
