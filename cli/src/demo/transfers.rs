//! Transfers: the rent to the landlord with the confirmation as the app shows it, money moved to
//! the margin sub-account, and a transfer whose answer is lost, settled by reconciling.

use std::time::Duration;

use mobank_core::{
    Account, Channel, Confirmation, MobankError, ProductKind, TransferInput, TransferState,
    TransferSummary,
};
use mobank_sandbox::{DEMO_CUSTOMER_ID, LANDLORD_ACCOUNT_NUMBER, LANDLORD_HOLDER_NAME};
use rust_decimal::Decimal;

use super::format::{bank_time, count, pad_right};
use super::login::account_table;
use super::{ensure, unexpected, Demo, OrFail, Outcome};

const THIS_BANK: &str = "MOBANK";
/// Li Wei's precious-metal margin sub-account (sandbox/README.md): the app only ever sees it
/// masked, so the customer types it as printed on the contract.
const MARGIN_ACCOUNT_NUMBER: &str = "6222029876570001";
const RENT: &str = "¥3,500.00";
const MARGIN_TOP_UP: &str = "1000";
const UTILITIES: &str = "286.40";
/// Unique in the ledger, so the bank's books can be searched for this one transfer.
const UTILITIES_MEMO: &str = "水电费 utilities, November";
/// Reconciling more often than this without an answer means the bank lost the transfer.
const MAX_RECONCILES: usize = 3;

pub async fn run(demo: &Demo) -> Outcome {
    demo.say.chapter("Transfers");
    let current = next_day(demo).await?;
    rent(demo, &current).await?;
    margin(demo, &current).await?;
    lost_answer(demo, &current).await
}

/// The phone's binding cools off for a day with low limits; the rent waits until it is over.
async fn next_day(demo: &Demo) -> Outcome<Account> {
    let say = &demo.say;
    say.step("The next day: the new binding's cooling-off is over");
    demo.pass(Duration::from_secs(24 * 60 * 60 + 60), "the next morning");
    let session = demo
        .phone
        .auth()
        .login_biometric("Log in to Mobank")
        .await
        .or_fail("the biometric login")?;
    let limits = session.limits.ok_or("the bank sent no limits")?;
    ensure(limits.cooling_off_until.is_none(), || {
        unexpected(
            "a day later the binding must be out of cooling-off",
            &limits,
        )
    })?;
    say.ok(&format!("logged in; {}", super::app::limits_text(&limits)));
    demo.events.take();
    let accounts = demo
        .phone
        .accounts()
        .list()
        .await
        .or_fail("listing the accounts")?;
    accounts
        .into_iter()
        .find(|a| a.product == ProductKind::Current)
        .ok_or_else(|| "Li Wei has no current account".to_string())
}

async fn rent(demo: &Demo, current: &Account) -> Outcome {
    let say = &demo.say;
    say.step(&format!(
        "Pay the rent to the landlord {LANDLORD_HOLDER_NAME}"
    ));
    say.phone(&format!(
        "entered: her account number, bank {THIS_BANK}, amount \"{RENT}\", memo \"房租 rent\""
    ));
    let confirmation = draft(demo, current, LANDLORD_ACCOUNT_NUMBER, RENT, "房租 rent").await?;
    ensure(
        confirmation.payee_name == LANDLORD_HOLDER_NAME
            && confirmation.amount_capitals == "叁仟伍佰元整",
        || {
            unexpected(
                "the confirmation names the landlord and says ¥3,500 in capitals",
                (&confirmation.payee_name, &confirmation.amount_capitals),
            )
        },
    )?;
    show_confirmation(demo, &confirmation);
    say.aside(
        "Every line is rendered from the transfer the phone signs, not from the bank's quote.",
    );
    let done = demo
        .phone
        .transfers()
        .sign_and_submit_biometric(&confirmation.token)
        .await
        .or_fail("signing and submitting the rent")?;
    show_receipt(demo, &done)
}

async fn margin(demo: &Demo, current: &Account) -> Outcome {
    let say = &demo.say;
    say.step("Move money to the precious-metal margin sub-account");
    demo.pass(Duration::from_secs(60), "later");
    let confirmation = draft(
        demo,
        current,
        MARGIN_ACCOUNT_NUMBER,
        MARGIN_TOP_UP,
        "保证金 margin",
    )
    .await?;
    say.phone(&format!(
        "{} from {} to {} ({}), fee {}",
        confirmation.amount_zh,
        confirmation.payer_masked_number,
        confirmation.payee_masked_number,
        confirmation.payee_name,
        confirmation.fee_zh
    ));
    let before = balance(demo, current).await?;
    let done = demo
        .phone
        .transfers()
        .sign_and_submit_biometric(&confirmation.token)
        .await
        .or_fail("signing and submitting the margin top-up")?;
    ensure(done.state == TransferState::Settled, || {
        unexpected("the move to the margin account must settle", done.state)
    })?;
    say.ok(&format!("{}: settled", done.amount_zh));
    let accounts = demo
        .phone
        .accounts()
        .list()
        .await
        .or_fail("listing the accounts")?;
    let balance_of = |product: ProductKind| {
        accounts
            .iter()
            .find(|a| a.product == product)
            .map(|a| a.balance)
    };
    let moved = Decimal::new(1000, 0);
    let (after, margin) = (
        balance_of(ProductKind::Current),
        balance_of(ProductKind::Margin),
    );
    ensure(
        after == Some(before - moved) && margin == Some(moved),
        || {
            unexpected(
                "¥1,000 out of the current account and into the margin account",
                (after, margin),
            )
        },
    )?;
    say.line("Balances afterwards:");
    for line in account_table(&accounts) {
        say.line(&line);
    }
    Ok(())
}

pub(super) async fn balance(demo: &Demo, of: &Account) -> Outcome<Decimal> {
    let accounts = demo
        .phone
        .accounts()
        .list()
        .await
        .or_fail("listing the accounts")?;
    accounts
        .iter()
        .find(|a| a.account_id == of.account_id)
        .map(|a| a.balance)
        .ok_or_else(|| format!("the account {} is gone", of.name))
}

async fn lost_answer(demo: &Demo, current: &Account) -> Outcome {
    let say = &demo.say;
    say.step("A transfer whose answer is lost on the way back, twice");
    demo.pass(Duration::from_secs(60), "later");
    demo.bank
        .lose_transfer_responses(1)
        .map_err(|e| format!("injecting a lost answer failed: {e}"))?;
    demo.bank
        .lose_status_responses(1)
        .map_err(|e| format!("injecting a lost status answer failed: {e}"))?;
    say.bank(
        "the answer to the next transfer is lost after the bank has booked it, and so is the \
         first answer to the phone's question about it",
    );
    let confirmation = draft(
        demo,
        current,
        LANDLORD_ACCOUNT_NUMBER,
        UTILITIES,
        UTILITIES_MEMO,
    )
    .await?;
    say.phone(&format!(
        "{} to {} ({}), memo \"{}\"",
        confirmation.amount_zh,
        confirmation.payee_name,
        confirmation.payee_masked_number,
        confirmation.memo
    ));
    let transfers = demo.phone.transfers();
    match transfers
        .sign_and_submit_biometric(&confirmation.token)
        .await
    {
        Err(MobankError::OutcomeUnknown) => say.refused(
            "OutcomeUnknown — the app says \"we are checking with the bank\", not \"failed\"",
        ),
        other => {
            return Err(unexpected(
                "the lost answer must leave the outcome unknown",
                other.map(|t| t.state),
            ))
        }
    }
    let listed = transfers.list().await.or_fail("listing the transfers")?;
    let state = listed
        .iter()
        .find(|t| t.transfer_id == confirmation.transfer_id)
        .map(|t| t.state);
    ensure(state == Some(TransferState::Unknown), || {
        unexpected("the transfer must be listed as unknown", state)
    })?;
    say.aside("Sending it again would risk paying twice; the phone asks by its idempotency key.");

    let mut settled = false;
    let mut rounds = 0;
    for round in 1..=MAX_RECONCILES {
        rounds = round;
        let looked_at = transfers.reconcile().await.or_fail("reconciling")?;
        let state = looked_at
            .iter()
            .find(|t| t.transfer_id == confirmation.transfer_id)
            .map(|t| t.state);
        say.phone(&format!("reconcile #{round}: {}", state_text(state)));
        if state == Some(TransferState::Settled) {
            settled = true;
            break;
        }
    }
    ensure(settled && rounds == 2, || {
        format!(
            "the first reconcile loses its answer and the second settles (settled: {settled}, \
             after {rounds} reconciles)"
        )
    })?;
    say.aside(
        "Lost twice: the submission's answer and the first status answer. The phone never sent the \
         transfer again; it asked by its idempotency key until the bank's stored outcome arrived.",
    );

    let listed = transfers.list().await.or_fail("listing the transfers")?;
    ensure(
        listed.len() == 3 && listed.iter().all(|t| t.state == TransferState::Settled),
        || {
            unexpected(
                "three settled transfers",
                listed.iter().map(|t| t.state).collect::<Vec<_>>(),
            )
        },
    )?;
    ensure(
        listed.first().map(|t| &t.transfer_id) == Some(&confirmation.transfer_id),
        || unexpected("the list is newest first", listed.first()),
    )?;
    say.line("The phone's transfers, newest first:");
    for transfer in &listed {
        say.line(&format!(
            "  {} {:>12}  {} {}",
            pad_right(&state_text(Some(transfer.state)), 10),
            transfer.amount_zh,
            pad_right(&transfer.payee_name, 10),
            transfer.payee_masked_number
        ));
    }
    ledger_check(demo)
}

/// The bank's side: the books balance, and the utilities were debited once.
fn ledger_check(demo: &Demo) -> Outcome {
    let say = &demo.say;
    let check = demo
        .bank
        .check_ledger()
        .map_err(|e| format!("checking the ledger failed: {e}"))?;
    ensure(check.balanced, || {
        unexpected("the ledger must balance", &check)
    })?;
    let debits = demo
        .bank
        .ledger(DEMO_CUSTOMER_ID)
        .map_err(|e| format!("reading the bank's ledger failed: {e}"))?
        .into_iter()
        .filter(|t| t.memo == UTILITIES_MEMO && t.amount < Decimal::ZERO)
        .count();
    ensure(debits == 1, || {
        unexpected("the utilities must be debited exactly once", debits)
    })?;
    say.bank(&format!(
        "ledger check: balanced ({} entries, {} postings); the utilities debited once",
        count(check.entries),
        count(check.postings)
    ));
    Ok(())
}

async fn draft(
    demo: &Demo,
    payer: &Account,
    payee_number: &str,
    amount: &str,
    memo: &str,
) -> Outcome<Confirmation> {
    demo.phone
        .transfers()
        .draft(TransferInput {
            payer_account_id: payer.account_id.clone(),
            payee_account_number: payee_number.to_string(),
            payee_bank_code: THIS_BANK.to_string(),
            amount: amount.to_string(),
            memo: memo.to_string(),
            channel: Channel::MobileTransfer,
            payee_name: None,
            execution_date: None,
            payee_id: None,
        })
        .await
        .or_fail("the transfer's confirmation")
}

pub(super) fn show_confirmation(demo: &Demo, confirmation: &Confirmation) {
    let say = &demo.say;
    say.phone("Confirm transfer / 确认转账");
    say.detail("From", &confirmation.payer_masked_number);
    say.detail(
        "To",
        &format!(
            "{}  {}  {}",
            confirmation.payee_name, confirmation.payee_masked_number, confirmation.payee_bank_name
        ),
    );
    say.detail("Amount", &confirmation.amount_zh);
    say.detail("", &confirmation.amount_en);
    say.detail("大写", &confirmation.amount_capitals);
    say.detail(
        "Fee",
        &format!("{}  ({})", confirmation.fee_zh, confirmation.fee_en),
    );
    say.detail(
        "Total",
        &format!("{}  ({})", confirmation.total_zh, confirmation.total_en),
    );
    say.detail("Memo", &confirmation.memo);
    say.detail("Execution date", &confirmation.execution_date);
    say.detail("Prompt", &format!("\"{}\"", confirmation.prompt));
}

pub(super) fn show_receipt(demo: &Demo, done: &TransferSummary) -> Outcome {
    let say = &demo.say;
    let booked = done
        .receipt
        .as_ref()
        .and_then(|r| r.booked_at_ms)
        .and_then(|ms| i64::try_from(ms).ok());
    let (Some(receipt), Some(booked), TransferState::Settled) =
        (done.receipt.as_ref(), booked, done.state)
    else {
        return Err(unexpected("a settled transfer with a booked receipt", done));
    };
    say.bank(&format!(
        "receipt {}: {}, booked {}",
        receipt.receipt_id,
        if receipt.accepted {
            "accepted"
        } else {
            "rejected"
        },
        bank_time(booked)
    ));
    say.ok(&format!(
        "{} to {} settled; receipt signature checked with the bank's receipt key ({})",
        done.amount_zh, done.payee_name, receipt.key_id
    ));
    Ok(())
}

pub(super) fn state_text(state: Option<TransferState>) -> String {
    match state {
        None => "not looked at".to_string(),
        Some(TransferState::Rejected { reason }) => format!("rejected ({reason:?})"),
        Some(state) => format!("{state:?}").to_lowercase(),
    }
}
