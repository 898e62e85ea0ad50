//! What the app does around a confirmation in the guard-rail chapters: the transfer Li Wei
//! types, the risk warnings as the phone shows them, the acknowledgement, the signature.

use mobank_core::{
    Account, Channel, Confirmation, MobankEvent, ProductKind, SessionSummary, TransferInput,
    TransferSummary, WarningAction, WarningCode,
};
use mobank_sandbox::{OtherBankAccount, LANDLORD_ACCOUNT_NUMBER};

use super::format::bank_time;
use super::{ensure, unexpected, Demo, OrFail, Outcome};

/// Whom a transfer goes to, as the customer types it.
#[derive(Clone, Copy)]
pub struct Payee {
    pub number: &'static str,
    pub bank_code: &'static str,
}

pub const LANDLORD: Payee = Payee {
    number: LANDLORD_ACCOUNT_NUMBER,
    bank_code: "MOBANK",
};

impl From<&OtherBankAccount> for Payee {
    fn from(account: &OtherBankAccount) -> Self {
        Self {
            number: account.account_number,
            bank_code: account.bank_code,
        }
    }
}

/// A mobile transfer as typed, to run as soon as the bank's policy allows.
pub fn typed(payer: &Account, to: Payee, amount: &str, memo: &str) -> TransferInput {
    TransferInput {
        payer_account_id: payer.account_id.clone(),
        payee_account_number: to.number.to_string(),
        payee_bank_code: to.bank_code.to_string(),
        amount: amount.to_string(),
        memo: memo.to_string(),
        channel: Channel::MobileTransfer,
        payee_name: None,
        execution_date: None,
        payee_id: None,
    }
}

pub async fn draft(demo: &Demo, input: TransferInput) -> Outcome<Confirmation> {
    demo.phone
        .transfers()
        .draft(input)
        .await
        .or_fail("the transfer's confirmation")
}

/// A new session after the clock moved on (the last one idled out meanwhile), with the events
/// it brought; the app has shown them already.
pub async fn log_in_again(demo: &Demo) -> Outcome<(SessionSummary, Vec<MobankEvent>)> {
    let session = demo
        .phone
        .auth()
        .login_biometric("Log in to Mobank")
        .await
        .or_fail("the biometric login")?;
    Ok((session, demo.events.take()))
}

/// Li Wei's account of this kind (current, savings), with its balance now.
pub async fn account(demo: &Demo, product: ProductKind) -> Outcome<Account> {
    demo.phone
        .accounts()
        .list()
        .await
        .or_fail("listing the accounts")?
        .into_iter()
        .find(|a| a.product == product && a.parent_account_id.is_none())
        .ok_or_else(|| format!("Li Wei has no {product:?} account"))
}

pub fn codes(confirmation: &Confirmation) -> Vec<WarningCode> {
    confirmation.warnings.iter().map(|w| w.kind).collect()
}

/// Every warning on the confirmation, with its reason in both languages and its figures.
pub fn show_warnings(demo: &Demo, confirmation: &Confirmation) {
    let say = &demo.say;
    for warning in &confirmation.warnings {
        let action = match warning.action {
            WarningAction::Inform => "for information",
            WarningAction::Acknowledge if warning.acknowledged => "acknowledged",
            WarningAction::Acknowledge => "must be acknowledged before signing",
            WarningAction::Block => "blocks the transfer",
        };
        say.warning(&format!("{} — {action}", warning.code));
        say.line(&warning.reason_zh);
        say.line(&warning.reason_en);
        if !warning.figures.is_empty() {
            let figures: Vec<String> = warning
                .figures
                .iter()
                .map(|f| format!("{} {}", f.name, f.value))
                .collect();
            say.aside(&format!("figures: {}", figures.join(" · ")));
        }
    }
}

/// When the bank will run a transfer it holds, and why: shown with the confirmation.
pub fn show_schedule(demo: &Demo, confirmation: &Confirmation) -> Outcome<i64> {
    let (Some(runs_at_ms), Some(reason)) = (confirmation.runs_at_ms, confirmation.schedule_reason)
    else {
        return Err(unexpected(
            "the bank must say when it runs a transfer it holds, and why",
            (confirmation.runs_at_ms, confirmation.schedule_reason),
        ));
    };
    let runs_at = i64::try_from(runs_at_ms).map_err(|_| "a run time out of range".to_string())?;
    demo.say.detail(
        "Runs at",
        &format!(
            "{} ({}); it can be cancelled until then",
            bank_time(runs_at),
            reason.code()
        ),
    );
    Ok(runs_at)
}

/// Acknowledges every warning that asks for it, as Li Wei does after reading them; the new
/// confirmation's token replaces the old one.
pub async fn acknowledge(demo: &Demo, confirmation: Confirmation) -> Outcome<Confirmation> {
    let codes: Vec<String> = confirmation
        .warnings
        .iter()
        .filter(|w| w.action == WarningAction::Acknowledge && !w.acknowledged)
        .map(|w| w.code.clone())
        .collect();
    if codes.is_empty() {
        return Ok(confirmation);
    }
    let acknowledged = demo
        .phone
        .transfers()
        .acknowledge(&confirmation.token, codes.clone())
        .await
        .or_fail("acknowledging the warnings")?;
    ensure(
        acknowledged.token != confirmation.token
            && acknowledged.runs_at_ms == confirmation.runs_at_ms
            && acknowledged.schedule_reason == confirmation.schedule_reason
            && acknowledged
                .warnings
                .iter()
                .all(|w| w.action != WarningAction::Acknowledge || w.acknowledged),
        || {
            unexpected(
                "the same transfer and schedule under a new token, every warning acknowledged",
                &acknowledged,
            )
        },
    )?;
    demo.say.ok(&format!(
        "acknowledged: {} — the codes go into the transfer he signs",
        codes.join(", ")
    ));
    Ok(acknowledged)
}

pub async fn sign(demo: &Demo, confirmation: &Confirmation) -> Outcome<TransferSummary> {
    demo.phone
        .transfers()
        .sign_and_submit_biometric(&confirmation.token)
        .await
        .or_fail("signing and submitting the transfer")
}
