//! When a transfer runs: on the day the customer asked for, and no sooner than the bank's
//! delay policy allows (docs/policy.md, "Delays"). A transfer that runs later is accepted with
//! a receipt that has no booking time, waits in `scheduled_transfers`, and is booked (or
//! refused for want of funds, with a new receipt) the first time anything reads the bank after
//! its time — a request, a developer call, the test clock moving.

use mobank_protocol::transfer::messages::{Schedule, ScheduleReason, MAX_SCHEDULE_DAYS};
use mobank_protocol::transfer::{CanonicalTransfer, RejectReason};
use mobank_protocol::ErrorCode;
use rusqlite::Connection;
use time::{Date, Duration};

use super::decide::{book, signed_receipt, Booking};
use super::{bank_day, bank_day_start};
use crate::bank::Bank;
use crate::db::schedules;
use crate::error::ApiFailure;
use crate::ledger::Currency;

/// How long the policy holds a transfer it delays.
pub(crate) const POLICY_DELAY_MS: i64 = 2 * 60 * 60 * 1000;
/// A first transfer to a payee from this amount (CNY minor units, ¥5,000.00) is delayed.
pub(crate) const NEW_PAYEE_DELAY_FROM_MINOR: i64 = 500_000;
/// Any transfer from this amount (CNY minor units, ¥50,000.00) is delayed.
pub(crate) const LARGE_AMOUNT_DELAY_FROM_MINOR: i64 = 5_000_000;

/// What the quote says about when the transfer runs.
pub(crate) struct Plan {
    /// The bank day the transfer books on: the signed `execution_date`.
    pub(crate) execution_date: String,
    pub(crate) schedule: Option<Schedule>,
}

/// What is being quoted, as far as the delay policy cares.
pub(crate) struct Asked<'a> {
    pub(crate) customer_id: &'a str,
    pub(crate) requested_date: Option<&'a str>,
    pub(crate) payee_account_number: &'a str,
    pub(crate) currency: Currency,
    pub(crate) amount_minor: i64,
}

fn date_invalid() -> ApiFailure {
    ApiFailure::new(
        ErrorCode::ExecutionDateInvalid,
        "the execution date is not a bank day from today to 30 days ahead",
    )
}

/// The execution date and, when it is not now, the time and the reason.
pub(crate) fn plan(conn: &Connection, asked: &Asked<'_>, now: i64) -> Result<Plan, ApiFailure> {
    let (today, _) = bank_day(now)?;
    let requested_start = match asked.requested_date {
        None => None,
        Some(text) => {
            let date = parse_date(text).ok_or_else(date_invalid)?;
            let today = parse_date(&today).ok_or_else(date_invalid)?;
            let last = today
                .checked_add(Duration::days(MAX_SCHEDULE_DAYS))
                .ok_or_else(date_invalid)?;
            if date < today || date > last {
                return Err(date_invalid());
            }
            Some(bank_day_start(date)?).filter(|start| *start > now)
        }
    };
    let delay = delay_reason(conn, asked)?.map(|reason| (now + POLICY_DELAY_MS, reason));
    let schedule = match (requested_start, delay) {
        (None, None) => None,
        (Some(start), None) => Some((start, ScheduleReason::Requested)),
        (None, Some(delayed)) => Some(delayed),
        (Some(start), Some((delayed, reason))) => Some(if delayed > start {
            (delayed, reason)
        } else {
            (start, ScheduleReason::Requested)
        }),
    };
    let runs_at = schedule.map_or(now, |(at, _)| at);
    Ok(Plan {
        // A delay past midnight books on the next day, and the signed date says so.
        execution_date: bank_day(runs_at)?.0,
        schedule: schedule.map(|(at, reason)| Schedule {
            runs_at_ms: u64::try_from(at).unwrap_or(0),
            reason,
        }),
    })
}

/// Why the policy delays this transfer, if it does. Limits and the policy are set in CNY.
fn delay_reason(
    conn: &Connection,
    asked: &Asked<'_>,
) -> Result<Option<ScheduleReason>, ApiFailure> {
    if asked.currency != Currency::CNY {
        return Ok(None);
    }
    if asked.amount_minor >= LARGE_AMOUNT_DELAY_FROM_MINOR {
        return Ok(Some(ScheduleReason::LargeAmount));
    }
    if asked.amount_minor >= NEW_PAYEE_DELAY_FROM_MINOR
        && !schedules::has_paid(conn, asked.customer_id, asked.payee_account_number)?
    {
        return Ok(Some(ScheduleReason::NewPayee));
    }
    Ok(None)
}

fn parse_date(text: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    (text.len() == 10)
        .then(|| Date::parse(text, &format).ok())
        .flatten()
}

/// Books every scheduled transfer whose time has come, each in its own transaction: booked
/// with a new receipt that has its booking time, or refused with one for want of funds.
/// Customers whose e-banking is suspended keep theirs waiting until the lift. A failure is
/// logged and left for the next call: nothing half-done is committed.
pub(crate) fn run_due(bank: &Bank, conn: &mut Connection) {
    let now = bank.clock.now_ms();
    let due = match schedules::due(conn, now) {
        Ok(due) => due,
        Err(error) => {
            tracing::error!(%error, "scheduled transfers could not be read");
            return;
        }
    };
    for scheduled in due {
        if let Err(error) = run_one(bank, conn, &scheduled, now) {
            tracing::error!(error = %error.message(), "a scheduled transfer could not run");
        }
    }
}

fn run_one(
    bank: &Bank,
    conn: &mut Connection,
    scheduled: &schedules::Scheduled,
    now: i64,
) -> Result<(), ApiFailure> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    if schedules::take(&tx, &scheduled.customer_id, &scheduled.idempotency_key)?.is_none() {
        return Ok(());
    }
    let transfer: CanonicalTransfer = serde_json::from_str(&scheduled.transfer)
        .map_err(|error| ApiFailure::internal("a scheduled transfer does not parse", &error))?;
    let hash = transfer
        .hash()
        .map_err(|error| ApiFailure::internal("a scheduled transfer does not encode", &error))?;
    let (reason, entry_id) = match book(&tx, bank, &scheduled.customer_id, &transfer, now)? {
        Booking::Booked(entry_id) => (None, Some(entry_id)),
        Booking::InsufficientFunds => (Some(RejectReason::InsufficientFunds), None),
    };
    let receipt = signed_receipt(bank, &transfer, &hash, reason, entry_id.map(|_| now), now)?;
    let stored = serde_json::to_string(&receipt)
        .map_err(|error| ApiFailure::internal("a receipt does not serialise", &error))?;
    schedules::settle_outcome(
        &tx,
        &scheduled.customer_id,
        &scheduled.idempotency_key,
        &stored,
        entry_id,
    )?;
    tx.commit()?;
    tracing::info!(
        receipt_id = %receipt.receipt_id,
        reason = reason.map(RejectReason::code),
        "scheduled transfer ran"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bank's schema and seed, in a directory removed when the test ends.
    fn bank_with_schema() -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::db::open(dir.path()).unwrap();
        (dir, conn)
    }

    fn asked<'a>(requested: Option<&'a str>, amount_minor: i64) -> Asked<'a> {
        Asked {
            customer_id: "demo",
            requested_date: requested,
            payee_account_number: "6222020000000000",
            currency: Currency::CNY,
            amount_minor,
        }
    }

    // 2024-05-03 10:00 Beijing.
    const NOW: i64 = 1_714_701_600_000;

    #[test]
    fn a_small_transfer_today_runs_at_once() {
        let (_dir, conn) = bank_with_schema();
        let plan = plan(&conn, &asked(None, 50_000), NOW).unwrap();
        assert_eq!(plan.execution_date, "2024-05-03");
        assert_eq!(plan.schedule, None);
        let plan = plan_for(&conn, Some("2024-05-03"), 50_000);
        assert_eq!(plan.schedule, None);
    }

    fn plan_for(conn: &Connection, requested: Option<&str>, amount: i64) -> Plan {
        plan(conn, &asked(requested, amount), NOW).unwrap()
    }

    #[test]
    fn a_later_day_runs_at_the_start_of_that_bank_day() {
        let (_dir, conn) = bank_with_schema();
        let plan = plan_for(&conn, Some("2024-05-06"), 50_000);
        assert_eq!(plan.execution_date, "2024-05-06");
        let schedule = plan.schedule.unwrap();
        assert_eq!(schedule.reason, ScheduleReason::Requested);
        // 2024-05-06 00:00 Beijing is 2024-05-05 16:00 UTC.
        assert_eq!(schedule.runs_at_ms, 1_714_924_800_000);
    }

    #[test]
    fn a_first_large_transfer_to_a_payee_waits_two_hours_and_a_very_large_one_always() {
        let (_dir, conn) = bank_with_schema();
        let new_payee = plan_for(&conn, None, NEW_PAYEE_DELAY_FROM_MINOR)
            .schedule
            .unwrap();
        assert_eq!(new_payee.reason, ScheduleReason::NewPayee);
        assert_eq!(new_payee.runs_at_ms, (NOW + POLICY_DELAY_MS) as u64);
        assert_eq!(
            plan_for(&conn, None, NEW_PAYEE_DELAY_FROM_MINOR - 1).schedule,
            None
        );
        let large = plan_for(&conn, None, LARGE_AMOUNT_DELAY_FROM_MINOR)
            .schedule
            .unwrap();
        assert_eq!(large.reason, ScheduleReason::LargeAmount);
    }

    #[test]
    fn a_delay_past_midnight_moves_the_execution_date() {
        let (_dir, conn) = bank_with_schema();
        // 23:00 Beijing: two hours later is the next bank day.
        let late = NOW + 13 * 60 * 60 * 1000;
        let plan = plan(&conn, &asked(None, LARGE_AMOUNT_DELAY_FROM_MINOR), late).unwrap();
        assert_eq!(plan.execution_date, "2024-05-04");
    }

    #[test]
    fn a_date_in_the_past_too_far_ahead_or_malformed_is_refused() {
        let (_dir, conn) = bank_with_schema();
        for bad in [
            "2024-05-02",
            "2024-06-03",
            "2024-5-06",
            "2024-02-30",
            "tomorrow",
            "",
        ] {
            let refused = plan(&conn, &asked(Some(bad), 50_000), NOW);
            assert!(
                matches!(&refused, Err(failure) if failure.code() == ErrorCode::ExecutionDateInvalid),
                "{bad}"
            );
        }
        assert!(plan(&conn, &asked(Some("2024-06-02"), 50_000), NOW).is_ok());
    }
}
