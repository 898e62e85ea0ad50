//! Story #4, the refund scam: money arrives from a stranger, a caller asks for it back "by
//! transfer", and the confirmation tells Li Wei why that is a known scam. He stops.

use std::time::Duration;

use mobank_core::{ProductKind, WarningAction, WarningCode};
use mobank_sandbox::dev::CreditRequest;
use mobank_sandbox::{DEMO_PHONE, OTHER_BANK_ACCOUNTS};
use rust_decimal::Decimal;

use super::confirming::{self, Payee};
use super::format::money;
use super::{ensure, unexpected, Demo, OrFail, Outcome};

/// The stranger: an account at another bank that the bank can name.
const STRANGER: usize = 1;
const CREDIT_FEN: i64 = 188_000;
const CREDIT_MEMO: &str = "货款 payment for goods";
const REFUND: &str = "1880";
const REFUND_MEMO: &str = "退款 refund of a mistaken payment";

/// Memos typed here, for the scan of the phone's files.
pub const TYPED: &[&str] = &[REFUND_MEMO];

pub async fn run(demo: &Demo) -> Outcome {
    demo.say.chapter("The refund scam");
    let credited = unexpected_credit(demo).await?;
    asked_back(demo, credited).await
}

async fn unexpected_credit(demo: &Demo) -> Outcome<Decimal> {
    let say = &demo.say;
    let stranger = &OTHER_BANK_ACCOUNTS[STRANGER];
    say.step("Money Li Wei did not expect arrives from a stranger");
    demo.pass(Duration::from_secs(3 * 60 * 60), "later");
    confirming::log_in_again(demo).await?;
    let current = confirming::account(demo, ProductKind::Current).await?;
    let amount = Decimal::new(CREDIT_FEN, 2);
    demo.bank
        .credit(&CreditRequest {
            account_id: current.account_id,
            amount,
            currency: "CNY".to_string(),
            counterparty_name: stranger.holder_name.to_string(),
            counterparty_account: stranger.account_number.to_string(),
            memo: CREDIT_MEMO.to_string(),
            category: None,
        })
        .map_err(|e| format!("booking the stranger's credit: {e}"))?;
    say.bank(&format!(
        "{} at {} sends ¥{} to Li Wei's current account",
        stranger.holder_name,
        stranger.bank_name,
        money(amount)
    ));
    let sms = demo
        .bank
        .sms_outbox(DEMO_PHONE)
        .map_err(|e| format!("reading the SMS outbox: {e}"))?
        .messages
        .pop()
        .ok_or("no SMS announced the credit")?;
    ensure(sms.body.contains(stranger.holder_name), || {
        unexpected("the SMS names who sent the money", &sms.body)
    })?;
    say.phone(&format!("SMS: {}", sms.body));
    say.step("A call: \"I sent that to you by mistake — please transfer it back to me\"");
    say.aside(
        "The scam: the money came from someone else's stolen account, or is taken back later; \
         what Li Wei sends back is his own.",
    );
    Ok(amount)
}

async fn asked_back(demo: &Demo, credited: Decimal) -> Outcome {
    let say = &demo.say;
    let stranger = &OTHER_BANK_ACCOUNTS[STRANGER];
    demo.pass(
        Duration::from_secs(2 * 60 * 60),
        "two hours later he opens the app to send it back",
    );
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
        confirming::typed(&current, Payee::from(stranger), REFUND, REFUND_MEMO),
    )
    .await?;
    let scam = confirmation
        .warnings
        .iter()
        .find(|w| w.kind == WarningCode::RefundScam);
    let credit_figure = scam.and_then(|w| w.figures.iter().find(|f| f.name == "credit_amount"));
    ensure(
        confirming::codes(&confirmation) == [WarningCode::NewPayee, WarningCode::RefundScam]
            && scam.is_some_and(|w| {
                w.action == WarningAction::Acknowledge
                    && !w.reason_zh.contains(stranger.account_number)
                    && !w.reason_en.contains(stranger.account_number)
            })
            && credit_figure.is_some_and(|f| f.value == format!("¥{}", money(credited))),
        || {
            unexpected(
                "sending money back to whoever sent an unexpected credit is a refund scam",
                &confirmation.warnings,
            )
        },
    )?;
    say.phone(&format!(
        "{} to {} ({}, {}), memo \"{}\"",
        confirmation.amount_zh,
        confirmation.payee_name,
        confirmation.payee_masked_number,
        confirmation.payee_bank_name,
        confirmation.memo
    ));
    confirming::show_warnings(demo, &confirmation);

    say.step("He reads it, and stops: no acknowledgement, no signature");
    let list_after = transfers
        .list()
        .await
        .or_fail("listing the transfers")?
        .len();
    let balance = super::transfers::balance(demo, &current).await?;
    ensure(
        list_after == list_before && balance == current.balance,
        || {
            unexpected(
                "nothing signed, nothing sent, the balance as it was",
                (list_before, list_after, current.balance, balance),
            )
        },
    )?;
    say.ok(&format!(
        "nothing was signed or sent; the current account still holds ¥{}",
        money(balance)
    ));
    say.aside(
        "A real mistake is undone by the banks, from the sending bank's side: he tells the \
         caller to ask their bank, and reports the call to his.",
    );
    Ok(())
}
