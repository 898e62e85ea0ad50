//! Story #8, 5,000 typed for 500: after weeks of ¥500 to the landlord, ¥5,000 needs one more,
//! explicit confirmation, with the figures behind it; no acknowledgement, no signature.

use std::time::Duration;

use mobank_core::{MobankError, ProductKind, TransferState, WarningAction, WarningCode};
use mobank_protocol::transfer::IdempotencyKey;
use mobank_sandbox::DEMO_CUSTOMER_ID;

use super::confirming::{self, LANDLORD};
use super::{ensure, unexpected, Demo, OrFail, Outcome};

const WEEK: Duration = Duration::from_secs(7 * 24 * 60 * 60);
const WEEKLY: &str = "500";
const WEEKS: usize = 3;
const PARKING_MEMO: &str = "车位费 parking, weekly";
const TEN_WEEKS: &str = "5000";
const TEN_WEEKS_MEMO: &str = "车位费 parking, ten weeks ahead";

/// Memos typed here, for the scan of the phone's files.
pub const TYPED: &[&str] = &[PARKING_MEMO, TEN_WEEKS_MEMO];

pub async fn run(demo: &Demo) -> Outcome {
    demo.say.chapter("An amount far above the usual");
    weekly_parking(demo).await?;
    ten_times_as_much(demo).await
}

async fn weekly_parking(demo: &Demo) -> Outcome {
    let say = &demo.say;
    say.step("Every week Li Wei pays the landlord ¥500 for the parking space");
    for week in 1..=WEEKS {
        demo.pass(WEEK, &format!("a week later ({week} of {WEEKS})"));
        let (session, _) = confirming::log_in_again(demo).await?;
        ensure(
            session
                .limits
                .as_ref()
                .is_some_and(|l| l.cooling_off_until.is_none()),
            || unexpected("the phone is long out of its cooling-off", &session.limits),
        )?;
        let current = confirming::account(demo, ProductKind::Current).await?;
        let confirmation = confirming::draft(
            demo,
            confirming::typed(&current, LANDLORD, WEEKLY, PARKING_MEMO),
        )
        .await?;
        ensure(confirmation.warnings.is_empty(), || {
            unexpected(
                "a usual amount to a known payee raises no warning",
                confirming::codes(&confirmation),
            )
        })?;
        let done = confirming::sign(demo, &confirmation).await?;
        ensure(done.state == TransferState::Settled, || {
            unexpected("the weekly parking must settle", done.state)
        })?;
        say.ok(&format!(
            "{} to {}: settled, no warning",
            done.amount_zh, done.payee_name
        ));
    }
    Ok(())
}

async fn ten_times_as_much(demo: &Demo) -> Outcome {
    let say = &demo.say;
    say.step("The landlord offers ten weeks for ¥5,000: the confirmation asks twice");
    demo.pass(Duration::from_secs(60 * 60), "later");
    confirming::log_in_again(demo).await?;
    let current = confirming::account(demo, ProductKind::Current).await?;
    let transfers = demo.phone.transfers();
    let list_before = transfers
        .list()
        .await
        .or_fail("listing the transfers")?
        .len();
    let confirmation = confirming::draft(
        demo,
        confirming::typed(&current, LANDLORD, TEN_WEEKS, TEN_WEEKS_MEMO),
    )
    .await?;
    let unusual = confirmation
        .warnings
        .iter()
        .find(|w| w.kind == WarningCode::UnusualAmount);
    let median = unusual.and_then(|w| w.figures.iter().find(|f| f.name == "median"));
    ensure(
        confirming::codes(&confirmation) == [WarningCode::UnusualAmount]
            && unusual.is_some_and(|w| w.action == WarningAction::Acknowledge)
            && median.is_some_and(|f| f.value == "¥500.00")
            && confirmation.amount_capitals == "伍仟元整",
        || {
            unexpected(
                "¥5,000 to a payee usually sent ¥500 is unusual, with the median of ¥500",
                &confirmation.warnings,
            )
        },
    )?;
    super::transfers::show_confirmation(demo, &confirmation);
    confirming::show_warnings(demo, &confirmation);

    say.step("He taps Confirm without reading: no signature");
    match transfers
        .sign_and_submit_biometric(&confirmation.token)
        .await
    {
        Err(MobankError::WarningsNotAcknowledged { codes }) if codes == ["unusual_amount"] => say
            .refused(
                "WarningsNotAcknowledged [unusual_amount] — the phone signs nothing and asks him \
                 to read the warning",
            ),
        other => {
            return Err(unexpected(
                "signing must wait for the acknowledgement",
                other.map(|t| t.state),
            ))
        }
    }
    let list_after = transfers
        .list()
        .await
        .or_fail("listing the transfers")?
        .len();
    ensure(list_after == list_before, || {
        unexpected("nothing may be queued", (list_before, list_after))
    })?;
    say.aside(
        "Had he typed 5000 for 500, this is where he would have seen it: no face prompt appeared.",
    );

    say.step("He reads it: ten weeks, ten times as much, as he means; he acknowledges and signs");
    let acknowledged = confirming::acknowledge(demo, confirmation).await?;
    let done = confirming::sign(demo, &acknowledged).await?;
    super::transfers::show_receipt(demo, &done)?;
    let key = IdempotencyKey::parse(&acknowledged.transfer_id)
        .ok_or("the transfer id is not an idempotency key")?;
    let recorded = demo
        .bank
        .acknowledged_warnings(DEMO_CUSTOMER_ID, key)
        .map_err(|e| format!("reading what the bank recorded: {e}"))?;
    ensure(
        recorded.as_deref() == Some(&["unusual_amount".to_string()][..]),
        || unexpected("the bank records the acknowledged warning", &recorded),
    )?;
    say.bank("recorded with the transfer: the customer acknowledged [unusual_amount]");
    say.aside("The signature covers the acknowledged codes: the bank knows what he was told.");
    Ok(())
}
