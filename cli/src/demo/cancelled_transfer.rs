//! Story #8, the cancel window: the bank holds a large first payment to a new payee for two
//! hours, the phone shows when it will run, and a signed cancel stops it with no money moved.

use std::time::Duration;

use mobank_core::{ProductKind, RejectReason, ScheduleReason, TransferState};
use mobank_sandbox::{DEMO_CUSTOMER_ID, OTHER_BANK_ACCOUNTS};

use super::confirming::{self, Payee};
use super::format::{bank_time, money};
use super::{ensure, unexpected, Demo, OrFail, Outcome};

/// The property management company, at another bank.
const PROPERTY_COMPANY: usize = 2;
const PROPERTY_FEE: &str = "6000";
/// Unique in the ledger, so the bank's books can be searched for it.
const PROPERTY_FEE_MEMO: &str = "物业费 property fee 2027";
const HOUR_MS: i64 = 60 * 60 * 1000;

/// Memos typed here, for the scan of the phone's files.
pub const TYPED: &[&str] = &[PROPERTY_FEE_MEMO];

pub async fn run(demo: &Demo) -> Outcome {
    demo.say.chapter("A transfer that waits, and is cancelled");
    let (transfer_id, runs_at_ms, balance) = held(demo).await?;
    cancelled(demo, &transfer_id).await?;
    never_ran(demo, runs_at_ms, balance).await
}

async fn held(demo: &Demo) -> Outcome<(String, i64, rust_decimal::Decimal)> {
    let say = &demo.say;
    let company = &OTHER_BANK_ACCOUNTS[PROPERTY_COMPANY];
    say.step("Next year's property fee, ¥6,000, to the management company: a first payment");
    demo.pass(Duration::from_secs(60 * 60), "later");
    confirming::log_in_again(demo).await?;
    let savings = confirming::account(demo, ProductKind::Savings).await?;
    let confirmation = confirming::draft(
        demo,
        confirming::typed(
            &savings,
            Payee::from(company),
            PROPERTY_FEE,
            PROPERTY_FEE_MEMO,
        ),
    )
    .await?;
    ensure(
        confirmation.schedule_reason == Some(ScheduleReason::NewPayee)
            && confirmation.payee_name == company.holder_name,
        || {
            unexpected(
                "the bank holds a first ¥6,000 to a new payee",
                (&confirmation.payee_name, confirmation.schedule_reason),
            )
        },
    )?;
    super::transfers::show_confirmation(demo, &confirmation);
    let runs_at_ms = confirming::show_schedule(demo, &confirmation)?;
    ensure(
        (runs_at_ms - demo.bank.now_ms() - 2 * HOUR_MS).abs() < 60_000,
        || unexpected("it runs two hours after the quote", bank_time(runs_at_ms)),
    )?;
    confirming::show_warnings(demo, &confirmation);
    let confirmation = confirming::acknowledge(demo, confirmation).await?;
    let done = confirming::sign(demo, &confirmation).await?;
    let runs_at = u64::try_from(runs_at_ms).map_err(|_| "a run time out of range")?;
    ensure(
        done.state
            == TransferState::Scheduled {
                runs_at_ms: runs_at,
            },
        || unexpected("the bank takes it and holds it", done.state),
    )?;
    let balance = super::transfers::balance(demo, &savings).await?;
    ensure(balance == savings.balance, || {
        unexpected("no money moves while it waits", (savings.balance, balance))
    })?;
    say.ok(&format!(
        "accepted and waiting: runs at {}; the savings account still holds ¥{}",
        bank_time(runs_at_ms),
        money(balance)
    ));
    say.aside(
        "A fraudster's first large transfer to a new account waits too: two hours to notice.",
    );
    Ok((confirmation.transfer_id, runs_at_ms, balance))
}

async fn cancelled(demo: &Demo, transfer_id: &str) -> Outcome {
    let say = &demo.say;
    say.step("The building manager calls: the fee was paid by direct debit. He cancels");
    demo.pass(Duration::from_secs(60 * 60), "an hour later");
    confirming::log_in_again(demo).await?;
    let cancelled = demo
        .phone
        .transfers()
        .cancel(transfer_id)
        .await
        .or_fail("cancelling the held transfer")?;
    let receipt = cancelled.receipt.as_ref();
    ensure(
        cancelled.state
            == TransferState::Rejected {
                reason: RejectReason::Cancelled,
            }
            && receipt.is_some_and(|r| !r.accepted),
        || unexpected("the bank cancels it with a signed receipt", &cancelled),
    )?;
    say.ok(&format!(
        "cancel signed by the phone's device key; the bank's receipt {}: cancelled, no money moved",
        receipt.map_or("", |r| r.receipt_id.as_str())
    ));
    Ok(())
}

async fn never_ran(demo: &Demo, runs_at_ms: i64, balance: rust_decimal::Decimal) -> Outcome {
    let say = &demo.say;
    say.step("The time it would have run comes and goes");
    let wait_ms = u64::try_from(runs_at_ms - demo.bank.now_ms()).unwrap_or(0) + 60_000;
    demo.pass(
        Duration::from_millis(wait_ms),
        "past the time it would have run",
    );
    confirming::log_in_again(demo).await?;
    let savings = confirming::account(demo, ProductKind::Savings).await?;
    let debits = demo
        .bank
        .ledger(DEMO_CUSTOMER_ID)
        .map_err(|e| format!("reading the bank's ledger: {e}"))?
        .into_iter()
        .filter(|t| t.memo == PROPERTY_FEE_MEMO)
        .count();
    ensure(savings.balance == balance && debits == 0, || {
        unexpected(
            "the balance as it was and nothing in the books",
            (balance, savings.balance, debits),
        )
    })?;
    let listed = demo
        .phone
        .transfers()
        .list()
        .await
        .or_fail("listing the transfers")?;
    let newest = listed.first().ok_or("the phone lists no transfer")?;
    ensure(
        newest.state
            == TransferState::Rejected {
                reason: RejectReason::Cancelled,
            },
        || unexpected("the list shows it cancelled", newest),
    )?;
    say.ok(&format!(
        "savings still ¥{}; the bank's books have no such payment; the phone lists it as {} to {}",
        money(savings.balance),
        super::transfers::state_text(Some(newest.state)),
        newest.payee_name
    ));
    Ok(())
}
