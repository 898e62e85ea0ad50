//! Story #3, the bank steps in: money in from many and straight out to one is what a mule
//! account looks like, so the bank's monitor suspends e-banking. The phone says so in plain
//! words and keeps the transfer Li Wei signed; once the bank lifts it, reconciling sends it.

use std::time::Duration;

use mobank_core::{
    Confirmation, MobankError, MobankEvent, ProductKind, TransferState, TransferSummary,
};
use mobank_sandbox::dev::{CreditRequest, MonitorRule};
use mobank_sandbox::{DEMO_CUSTOMER_ID, OTHER_BANK_ACCOUNTS};
use rust_decimal::Decimal;

use super::confirming::{self, Payee};
use super::format::money;
use super::{ensure, unexpected, Demo, OrFail, Outcome};

/// Five friends and the accounts they pay from, at other banks.
const FRIENDS: [(&str, &str); 5] = [
    ("赵敏", "6217000000200001"),
    ("钱进", "6217000000200002"),
    ("孙丽", "6217000000200003"),
    ("周杰", "6217000000200004"),
    ("吴昊", "6217000000200005"),
];
const SHARE_FEN: i64 = 300_000;
const SHARE_MEMO: &str = "周末旅行 AA trip share";
/// Who booked the holiday house, at another bank.
const ORGANISER: usize = 0;
const HOUSE: &str = "14000";
const HOUSE_MEMO: &str = "民宿 holiday house, five friends";
const OWN_SHARE: &str = "3000";
const OWN_SHARE_MEMO: &str = "民宿 holiday house, Li Wei's share";

/// Memos typed here, for the scan of the phone's files.
pub const TYPED: &[&str] = &[HOUSE_MEMO, OWN_SHARE_MEMO];

pub async fn run(demo: &Demo) -> Outcome {
    demo.say
        .chapter("The bank suspends e-banking, and nothing is lost");
    friends_pay_in(demo).await?;
    house_paid(demo).await?;
    let (queued, balance) = suspended(demo).await?;
    lifted(demo, &queued, balance).await
}

async fn friends_pay_in(demo: &Demo) -> Outcome {
    let say = &demo.say;
    say.step("A weekend away: five friends send Li Wei their shares of the holiday house");
    demo.pass(Duration::from_secs(36 * 60 * 60), "a few days later");
    confirming::log_in_again(demo).await?;
    let current = confirming::account(demo, ProductKind::Current).await?;
    let share = Decimal::new(SHARE_FEN, 2);
    for (name, account) in FRIENDS {
        demo.bank
            .credit(&CreditRequest {
                account_id: current.account_id.clone(),
                amount: share,
                currency: "CNY".to_string(),
                counterparty_name: name.to_string(),
                counterparty_account: account.to_string(),
                memo: SHARE_MEMO.to_string(),
                category: None,
            })
            .map_err(|e| format!("booking a friend's share: {e}"))?;
    }
    let names: Vec<&str> = FRIENDS.iter().map(|(name, _)| *name).collect();
    say.bank(&format!(
        "¥{} each from {}: ¥{} in",
        money(share),
        names.join(", "),
        money(share * Decimal::from(FRIENDS.len()))
    ));
    Ok(())
}

async fn house_paid(demo: &Demo) -> Outcome {
    let say = &demo.say;
    let organiser = &OTHER_BANK_ACCOUNTS[ORGANISER];
    say.step(&format!(
        "He pays {} ¥14,000 for the house: a first payment, held two hours",
        organiser.holder_name
    ));
    let current = confirming::account(demo, ProductKind::Current).await?;
    let confirmation = confirming::draft(
        demo,
        confirming::typed(&current, Payee::from(organiser), HOUSE, HOUSE_MEMO),
    )
    .await?;
    show_brief(demo, &confirmation);
    let runs_at_ms = confirming::show_schedule(demo, &confirmation)?;
    confirming::show_warnings(demo, &confirmation);
    let confirmation = confirming::acknowledge(demo, confirmation).await?;
    let held = confirming::sign(demo, &confirmation).await?;
    ensure(
        matches!(held.state, TransferState::Scheduled { .. }),
        || unexpected("the bank holds a first ¥14,000 to a new payee", held.state),
    )?;

    let wait_ms = u64::try_from(runs_at_ms - demo.bank.now_ms()).unwrap_or(0) + 60_000;
    demo.pass(Duration::from_millis(wait_ms), "the two hours are over");
    confirming::log_in_again(demo).await?;
    let looked_at = demo
        .phone
        .transfers()
        .reconcile()
        .await
        .or_fail("reconciling")?;
    let state = state_of(&looked_at, &held.transfer_id);
    ensure(state == Some(TransferState::Settled), || {
        unexpected("the held transfer ran when its time came", state)
    })?;
    say.ok(&format!(
        "{} to {}: ran at its time, settled",
        held.amount_zh, held.payee_name
    ));
    Ok(())
}

/// Drafted before the monitor runs and signed after: the transfer the suspension must not lose.
async fn suspended(demo: &Demo) -> Outcome<(TransferSummary, Decimal)> {
    let say = &demo.say;
    let organiser = &OTHER_BANK_ACCOUNTS[ORGANISER];
    say.step("His own share, ¥3,000, to her too — and meanwhile the bank's monitor runs");
    let current = confirming::account(demo, ProductKind::Current).await?;
    let confirmation = confirming::draft(
        demo,
        confirming::typed(&current, Payee::from(organiser), OWN_SHARE, OWN_SHARE_MEMO),
    )
    .await?;
    show_brief(demo, &confirmation);
    confirming::show_warnings(demo, &confirmation);
    let confirmation = confirming::acknowledge(demo, confirmation).await?;

    let report = demo
        .bank
        .run_monitor(DEMO_CUSTOMER_ID)
        .map_err(|e| format!("running the bank's monitor: {e}"))?;
    let suspends = report
        .flags
        .iter()
        .any(|f| matches!(f, MonitorRule::PassThrough | MonitorRule::FanInFanOut));
    ensure(report.suspended && suspends, || {
        unexpected(
            "money in from five and out to one the same day must suspend e-banking",
            &report,
        )
    })?;
    say.bank("the bank's monitor reads the last 24 hours: e-banking suspended");
    for flag in &report.flags {
        say.line(&format!("· {}", rule_text(*flag)));
    }
    say.aside(
        "In from many and straight out to one: the pattern of the company in story #3, whose \
         millions never stayed a day. Here it is a holiday; the bank cannot tell until it asks.",
    );

    say.step("He signs: the phone tells him in plain words, and keeps the transfer");
    demo.events.take();
    let transfers = demo.phone.transfers();
    match transfers
        .sign_and_submit_biometric(&confirmation.token)
        .await
    {
        Err(MobankError::Suspended) => say.refused("Suspended — the bank refused the call"),
        other => {
            return Err(unexpected(
                "a suspended customer's transfer must be refused",
                other.map(|t| t.state),
            ))
        }
    }
    let events = demo.events.take();
    ensure(events.contains(&MobankEvent::EbankingSuspended), || {
        unexpected("the app must be told of the suspension", &events)
    })?;
    in_outbox(demo, &confirmation.transfer_id).await?;
    match transfers.reconcile().await {
        Err(MobankError::Suspended) => {}
        other => {
            return Err(unexpected(
                "reconciling during the suspension stops at the bank's word",
                other.map(|t| t.len()),
            ))
        }
    }
    let queued = in_outbox(demo, &confirmation.transfer_id).await?;
    say.ok(&format!(
        "in the outbox, signed: {} to {} — reconciling now only hears \"suspended\" again",
        queued.amount_zh, queued.payee_name
    ));
    let total = figure(&confirmation.total_en)?;
    Ok((queued, current.balance - total))
}

/// `expected` is the balance once the queued transfer and its fee are out.
async fn lifted(demo: &Demo, queued: &TransferSummary, expected: Decimal) -> Outcome {
    let say = &demo.say;
    say.step("He calls the bank: a holiday with friends, not a mule account. The bank lifts it");
    demo.pass(Duration::from_secs(2 * 60), "on the phone with the bank");
    demo.bank
        .set_suspended(DEMO_CUSTOMER_ID, false)
        .map_err(|e| format!("lifting the suspension: {e}"))?;
    say.bank("the back office lifts the suspension");
    let looked_at = demo
        .phone
        .transfers()
        .reconcile()
        .await
        .or_fail("reconciling after the lift")?;
    let state = state_of(&looked_at, &queued.transfer_id);
    ensure(state == Some(TransferState::Settled), || {
        unexpected("the queued transfer settles after the lift", state)
    })?;
    let current = confirming::account(demo, ProductKind::Current).await?;
    ensure(current.balance == expected, || {
        unexpected(
            "the amount and the fee out, once",
            (expected, current.balance),
        )
    })?;
    say.ok(&format!(
        "reconciled: the same signed transfer went out once and settled; the current account \
         holds ¥{}",
        money(current.balance)
    ));
    say.aside(
        "Nothing Li Wei queued was lost or sent twice; the bank, not the phone, decided when.",
    );
    Ok(())
}

async fn in_outbox(demo: &Demo, transfer_id: &str) -> Outcome<TransferSummary> {
    let listed = demo
        .phone
        .transfers()
        .list()
        .await
        .or_fail("listing the transfers")?;
    let transfer = listed
        .into_iter()
        .find(|t| t.transfer_id == transfer_id)
        .ok_or("the signed transfer is gone from the outbox")?;
    ensure(transfer.state == TransferState::Signed, || {
        unexpected("the signed transfer waits in the outbox", transfer.state)
    })?;
    Ok(transfer)
}

fn state_of(transfers: &[TransferSummary], transfer_id: &str) -> Option<TransferState> {
    transfers
        .iter()
        .find(|t| t.transfer_id == transfer_id)
        .map(|t| t.state)
}

/// A monitor rule as docs/policy.md words it.
fn rule_text(rule: MonitorRule) -> &'static str {
    match rule {
        MonitorRule::PassThrough => {
            "pass_through: ¥10,000 or more in, and 80 % of it out again (suspends)"
        }
        MonitorRule::FanInFanOut => "fan_in_fan_out: five or more parties in, one out (suspends)",
        MonitorRule::OutOfProfile => {
            "out_of_profile: ten times the account's usual volume (for a person to review)"
        }
    }
}

/// The amount in an English figure the confirmation shows ("3,002.00 CNY").
fn figure(text: &str) -> Outcome<Decimal> {
    text.split_whitespace()
        .next()
        .map(|figure| figure.replace(',', ""))
        .and_then(|figure| figure.parse().ok())
        .ok_or_else(|| unexpected("an amount in figures", text))
}

fn show_brief(demo: &Demo, confirmation: &Confirmation) {
    demo.say.phone(&format!(
        "{} + fee {} to {} ({}, {}), memo \"{}\"",
        confirmation.amount_zh,
        confirmation.fee_zh,
        confirmation.payee_name,
        confirmation.payee_masked_number,
        confirmation.payee_bank_name,
        confirmation.memo
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_total_in_figures_is_read_with_its_thousands() {
        assert_eq!(figure("3,002.00 CNY"), Ok(Decimal::new(300_200, 2)));
        assert_eq!(figure("1,234,567.50 CNY"), Ok(Decimal::new(123_456_750, 2)));
        assert!(figure("").is_err());
        assert!(figure("¥3,002.00").is_err());
    }
}
