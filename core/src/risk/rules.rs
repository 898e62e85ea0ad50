//! The rules, as pure functions of what the phone knows at the quote's time. Times are the
//! bank's (the quote's `quoted_at_ms`, the history's booking instants), so a phone clock set
//! wrong neither raises nor hides a warning.

use mobank_protocol::messages::IntegritySignals;
use mobank_protocol::transfer::CanonicalTransfer;

use super::names::same_name;
use super::reasons::Finding;
use crate::transfers::TransferState;

/// An amount this many times the usual one is unusual.
pub(crate) const UNUSUAL_FACTOR: i64 = 5;
/// Past transfers (to anyone) needed before a first transfer's amount is judged.
pub(crate) const MIN_USUAL_TRANSFERS: usize = 3;
pub(crate) const REPEAT_WINDOW_MS: i64 = 10 * 60 * 1000;
pub(crate) const REFUND_WINDOW_MS: i64 = 72 * 3600 * 1000;
pub(crate) const NEW_DEVICE_WINDOW_MS: i64 = 24 * 3600 * 1000;
const DAY_MS: i64 = 86_400_000;
const BANK_UTC_OFFSET_MS: i64 = 8 * 3_600_000;

/// A transfer from this phone's own list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PastTransfer {
    pub payee_account: String,
    pub amount_minor: i64,
    pub currency: String,
    /// Bank time of its quote.
    pub quoted_at_ms: i64,
    pub state: TransferState,
}

impl PastTransfer {
    /// The money moved (or the bank took it).
    fn went_through(&self) -> bool {
        matches!(self.state, TransferState::Accepted | TransferState::Settled)
    }

    /// It went through or may still go through: a transfer whose outcome is not known counts.
    fn may_have_gone(&self) -> bool {
        !matches!(
            self.state,
            TransferState::Rejected { .. } | TransferState::Expired
        )
    }
}

/// Money that came in, from the phone's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Credit {
    pub counterparty: String,
    pub counterparty_account: Option<String>,
    pub amount_minor: i64,
    pub currency: String,
    /// The bank's booking instant; `None` for entries synced before it was kept.
    pub booked_at_ms: Option<i64>,
    /// The bank's calendar day (days since 1970-01-01).
    pub booking_day: i32,
    pub category: String,
}

pub(crate) struct Facts<'a> {
    /// The quote's time.
    pub now_ms: i64,
    pub transfer: &'a CanonicalTransfer,
    pub typed_payee_name: Option<&'a str>,
    pub past: &'a [PastTransfer],
    pub credits: &'a [Credit],
    /// When this phone was bound, bank time.
    pub bound_at_ms: Option<i64>,
    pub integrity: Option<IntegritySignals>,
}

/// Every warning the facts raise, in code order.
pub(crate) fn findings(facts: &Facts<'_>) -> Vec<Finding> {
    let mut found: Vec<Finding> = [
        unusual_amount(facts),
        new_payee(facts),
        new_device(facts),
        repeat_payment(facts),
        refund_scam(facts),
        payee_name_mismatch(facts),
    ]
    .into_iter()
    .flatten()
    .chain(device(facts))
    .collect();
    found.sort_by_key(|finding| finding.code);
    found
}

/// The median, taking the lower middle of an even count: warns a little earlier, never later.
fn lower_median(mut amounts: Vec<i64>) -> Option<i64> {
    amounts.sort_unstable();
    let middle = amounts.len().checked_sub(1)? / 2;
    amounts.get(middle).copied()
}

fn unusual_amount(facts: &Facts<'_>) -> Option<Finding> {
    let amount = facts.transfer.amount.minor_units();
    let currency = facts.transfer.amount.currency().code();
    let same_currency = facts
        .past
        .iter()
        .filter(|past| past.went_through() && past.currency == currency);
    let to_payee: Vec<i64> = same_currency
        .clone()
        .filter(|past| past.payee_account == facts.transfer.payee.account_number)
        .map(|past| past.amount_minor)
        .collect();
    let (usual, counted, this_payee) = if to_payee.is_empty() {
        let to_anyone: Vec<i64> = same_currency.map(|past| past.amount_minor).collect();
        if to_anyone.len() < MIN_USUAL_TRANSFERS {
            return None;
        }
        let counted = to_anyone.len();
        (lower_median(to_anyone)?, counted, false)
    } else {
        let counted = to_payee.len();
        (lower_median(to_payee)?, counted, true)
    };
    if usual <= 0 || amount < usual.saturating_mul(UNUSUAL_FACTOR) {
        return None;
    }
    Some(Finding::unusual_amount(
        facts.transfer,
        usual,
        counted,
        this_payee,
    ))
}

fn new_payee(facts: &Facts<'_>) -> Option<Finding> {
    let known = facts.past.iter().any(|past| {
        past.went_through() && past.payee_account == facts.transfer.payee.account_number
    });
    (!known).then(|| Finding::new_payee(facts.transfer))
}

fn new_device(facts: &Facts<'_>) -> Option<Finding> {
    let bound_at = facts.bound_at_ms?;
    let age = facts.now_ms.checked_sub(bound_at)?;
    ((0..NEW_DEVICE_WINDOW_MS).contains(&age)).then(|| Finding::new_device(age))
}

fn repeat_payment(facts: &Facts<'_>) -> Option<Finding> {
    let transfer = facts.transfer;
    facts
        .past
        .iter()
        .filter(|past| {
            past.may_have_gone()
                && past.payee_account == transfer.payee.account_number
                && past.amount_minor == transfer.amount.minor_units()
                && past.currency == transfer.amount.currency().code()
        })
        .filter_map(|past| facts.now_ms.checked_sub(past.quoted_at_ms))
        .filter(|ago| (0..REPEAT_WINDOW_MS).contains(ago))
        .min()
        .map(|ago| Finding::repeat_payment(transfer, ago))
}

fn bank_day(at_ms: i64) -> i64 {
    at_ms.saturating_add(BANK_UTC_OFFSET_MS).div_euclid(DAY_MS)
}

fn refund_scam(facts: &Facts<'_>) -> Option<Finding> {
    let payee = &facts.transfer.payee;
    let window_start = facts.now_ms.saturating_sub(REFUND_WINDOW_MS);
    facts
        .credits
        .iter()
        .filter(|credit| credit.amount_minor > 0 && credit.category != "salary")
        .filter(|credit| match &credit.counterparty_account {
            Some(account) => *account == payee.account_number,
            None => same_name(&credit.counterparty, &payee.name),
        })
        .filter(|credit| match credit.booked_at_ms {
            Some(at) => (window_start..=facts.now_ms).contains(&at),
            // Only the day is known: the whole day counts, so the window is never shorter.
            None => (bank_day(window_start)..=bank_day(facts.now_ms))
                .contains(&i64::from(credit.booking_day)),
        })
        .filter(|credit| {
            // Expected: money from someone the customer had paid before it came.
            !facts.past.iter().any(|past| {
                past.went_through()
                    && past.payee_account == payee.account_number
                    && credit.booked_at_ms.is_none_or(|at| past.quoted_at_ms < at)
            })
        })
        .max_by_key(|credit| credit.booked_at_ms.unwrap_or(i64::MIN))
        .map(|credit| Finding::refund_scam(credit, facts.now_ms))
}

fn payee_name_mismatch(facts: &Facts<'_>) -> Option<Finding> {
    name_mismatch(facts.typed_payee_name?, &facts.transfer.payee.name)
}

/// The one rule for a typed name against the registered one: a transfer's draft and a payee's
/// name check both ask it.
pub(crate) fn name_mismatch(typed: &str, registered: &str) -> Option<Finding> {
    (!same_name(typed, registered)).then(|| Finding::payee_name_mismatch(typed, registered))
}

fn device(facts: &Facts<'_>) -> Vec<Finding> {
    let Some(signals) = facts.integrity else {
        return Vec::new();
    };
    let mut found = Vec::new();
    if signals.rooted || signals.emulator {
        found.push(Finding::device_rooted(signals));
    }
    if signals.hooking || signals.debugger {
        found.push(Finding::device_tampered(signals));
    }
    found
}

/// The codes of `findings`, for tests.
#[cfg(test)]
fn codes(findings: &[Finding]) -> Vec<super::model::WarningCode> {
    findings.iter().map(|finding| finding.code).collect()
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
