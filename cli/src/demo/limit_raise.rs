//! Story #12, limits: a transfer over the limit is refused on the phone with the limit and the
//! room left; raising the limit needs a fresh authentication and waits a day before it counts.
//!
//! The limit reached is the one per transaction: a raised daily limit could not be told apart
//! from the new day that its 24-hour cooling-off always begins.

use std::time::Duration;

use mobank_core::{
    Channel, ChannelInfo, LimitKind, MobankError, Operation, ProductKind, TransferState,
};
use rust_decimal::Decimal;

use super::confirming::{self, LANDLORD};
use super::format::{bank_time, money};
use super::{ensure, unexpected, Demo, OrFail, Outcome};

/// Six months of rent at ¥3,500, paid ahead.
const HALF_A_YEAR: &str = "21000";
const HALF_A_YEAR_MEMO: &str = "房租 rent, six months ahead";
/// The new limit per transaction; daily and monthly stay as they are.
const RAISED_PER_TRANSACTION: &str = "30000";
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Memos typed here, for the scan of the phone's files.
pub const TYPED: &[&str] = &[HALF_A_YEAR_MEMO];

pub async fn run(demo: &Demo) -> Outcome {
    demo.say
        .chapter("A limit reached, and a raise that waits a day");
    let before = refused(demo).await?;
    let applies_at_ms = raise(demo, &before).await?;
    applied(demo, applies_at_ms).await
}

async fn refused(demo: &Demo) -> Outcome<ChannelInfo> {
    let say = &demo.say;
    say.step("Li Wei pays half a year's rent ahead from his savings: ¥21,000");
    demo.pass(Duration::from_secs(2 * 60 * 60), "later");
    confirming::log_in_again(demo).await?;
    let mobile = mobile_transfer(demo).await?;
    show_limits(demo, &mobile);
    let savings = confirming::account(demo, ProductKind::Savings).await?;
    let attempt = demo
        .phone
        .transfers()
        .draft(confirming::typed(
            &savings,
            LANDLORD,
            HALF_A_YEAR,
            HALF_A_YEAR_MEMO,
        ))
        .await;
    match attempt {
        Err(MobankError::LimitExceeded {
            limit: Some(LimitKind::PerTransaction),
            room: Some(room),
        }) if room == mobile.room.per_transaction => say.refused(&format!(
            "LimitExceeded — over the limit per transfer; room left ¥{}. Refused on the phone, \
             before asking the bank",
            money(room)
        )),
        other => {
            return Err(unexpected(
                "¥21,000 must be refused for the limit per transfer",
                other.map(|c| c.amount_zh),
            ))
        }
    }
    say.aside(
        "The limit and the room come from the phone's own check: the bank's refusal would name \
         neither.",
    );
    Ok(mobile)
}

async fn raise(demo: &Demo, before: &ChannelInfo) -> Outcome<i64> {
    let say = &demo.say;
    let channels = demo.phone.channels();
    say.step("He raises the limit per transfer to ¥30,000 — a sensitive operation");
    demo.pass(Duration::from_secs(3 * 60), "reading Settings → Limits");
    mobile_transfer(demo).await?;
    demo.pass(
        Duration::from_secs(2 * 60 + 30),
        "deciding: the login is now 5:30 old",
    );
    ensure(
        demo.phone.auth().needs_step_up(Operation::RaiseLimit),
        || "a login 5:30 old must not be fresh enough to raise a limit".to_string(),
    )?;
    let limits = before.limits;
    let set = || {
        channels.set_limits(
            Channel::MobileTransfer,
            RAISED_PER_TRANSACTION.to_string(),
            limits.daily.to_string(),
            limits.monthly.to_string(),
        )
    };
    match set().await {
        Err(MobankError::StepUpRequired) => {
            say.refused("StepUpRequired — the phone asks before sending anything")
        }
        other => return Err(unexpected("a raise needs a fresh authentication", other)),
    }
    demo.phone
        .auth()
        .step_up_biometric("Confirm raising your transfer limit")
        .await
        .or_fail("the step-up")?;
    let after = set().await.or_fail("raising the limit")?;
    let mobile = after
        .into_iter()
        .find(|c| c.channel == Channel::MobileTransfer)
        .ok_or("the bank no longer lists the mobile transfer")?;
    let raised = Decimal::new(30_000, 0);
    let pending = mobile
        .pending
        .ok_or_else(|| unexpected("a raise must wait for its cooling-off", &mobile))?;
    let applies_at_ms = mobank_core::unix_ms(pending.applies_at);
    let wait_ms = applies_at_ms - demo.bank.now_ms();
    ensure(
        mobile.limits == limits
            && pending.limits.per_transaction == raised
            && (DAY_MS - 60_000..=DAY_MS).contains(&wait_ms),
        || {
            unexpected(
                "the old limits stay in force and ¥30,000 applies in 24 hours",
                &mobile,
            )
        },
    )?;
    say.ok("raise accepted, signed by the phone's device key");
    say.phone(&format!(
        "\"Per transfer: ¥{} now; ¥{} from {} (the bank waits 24 hours before a raise counts)\"",
        money(mobile.limits.per_transaction),
        money(pending.limits.per_transaction),
        bank_time(applies_at_ms)
    ));
    say.aside(
        "Whoever gets hold of the phone and the face cannot raise a limit and empty the account \
         the same day; lowering one is instant.",
    );

    let savings = confirming::account(demo, ProductKind::Savings).await?;
    match demo
        .phone
        .transfers()
        .draft(confirming::typed(
            &savings,
            LANDLORD,
            HALF_A_YEAR,
            HALF_A_YEAR_MEMO,
        ))
        .await
    {
        Err(MobankError::LimitExceeded {
            limit: Some(LimitKind::PerTransaction),
            ..
        }) => say.refused("tried again at once: the old limit still holds"),
        other => {
            return Err(unexpected(
                "the raise must not count before its cooling-off",
                other.map(|c| c.amount_zh),
            ))
        }
    }
    Ok(applies_at_ms)
}

async fn applied(demo: &Demo, applies_at_ms: i64) -> Outcome {
    let say = &demo.say;
    say.step("A day later the raise is in force, and the rent goes");
    let wait_ms = u64::try_from(applies_at_ms - demo.bank.now_ms()).unwrap_or(0) + 60_000;
    demo.pass(
        Duration::from_millis(wait_ms),
        "the raise's cooling-off is over",
    );
    confirming::log_in_again(demo).await?;
    let mobile = mobile_transfer(demo).await?;
    ensure(
        mobile.limits.per_transaction == Decimal::new(30_000, 0) && mobile.pending.is_none(),
        || unexpected("the raise must be in force", &mobile),
    )?;
    show_limits(demo, &mobile);
    let savings = confirming::account(demo, ProductKind::Savings).await?;
    let before = super::transfers::balance(demo, &savings).await?;
    let confirmation = confirming::draft(
        demo,
        confirming::typed(&savings, LANDLORD, HALF_A_YEAR, HALF_A_YEAR_MEMO),
    )
    .await?;
    say.phone(&format!(
        "{} ({}) to {} {}, memo \"{}\"",
        confirmation.amount_zh,
        confirmation.amount_capitals,
        confirmation.payee_name,
        confirmation.payee_masked_number,
        confirmation.memo
    ));
    confirming::show_warnings(demo, &confirmation);
    let confirmation = confirming::acknowledge(demo, confirmation).await?;
    let done = confirming::sign(demo, &confirmation).await?;
    ensure(done.state == TransferState::Settled, || {
        unexpected("the rent must settle", done.state)
    })?;
    let after = super::transfers::balance(demo, &savings).await?;
    ensure(before - after == Decimal::new(21_000, 0), || {
        unexpected("¥21,000 out of the savings account", (before, after))
    })?;
    say.ok(&format!(
        "{} to {}: settled; the savings account now holds ¥{}",
        done.amount_zh,
        done.payee_name,
        money(after)
    ));
    Ok(())
}

async fn mobile_transfer(demo: &Demo) -> Outcome<ChannelInfo> {
    demo.phone
        .channels()
        .list()
        .await
        .or_fail("listing the payment channels")?
        .into_iter()
        .find(|c| c.channel == Channel::MobileTransfer)
        .ok_or_else(|| "the bank does not list the mobile transfer".to_string())
}

fn show_limits(demo: &Demo, mobile: &ChannelInfo) {
    let say = &demo.say;
    say.phone("Settings → Limits → Mobile transfer");
    say.detail(
        "Limits",
        &format!(
            "¥{} per transfer · ¥{} a day · ¥{} a month",
            money(mobile.limits.per_transaction),
            money(mobile.limits.daily),
            money(mobile.limits.monthly)
        ),
    );
    say.detail(
        "Room left now",
        &format!(
            "¥{} per transfer · ¥{} today · ¥{} this month",
            money(mobile.room.per_transaction),
            money(mobile.room.today),
            money(mobile.room.this_month)
        ),
    );
}
