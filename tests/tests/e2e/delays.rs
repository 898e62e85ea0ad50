//! Scheduled and delayed transfers, the signed cancel, the bank's pass-through monitor and a
//! suspension honoured by the phone, all through the sandbox's test clock (never sleeping).

use std::time::Duration;

use crate::current_account;
use mobank_core::{
    Channel, MobankError, MobankEvent, RejectReason, ScheduleReason, TransferInput, TransferState,
};
use mobank_e2e::{Bank, Phone, PIN};
use mobank_sandbox::dev::{CreditRequest, MonitorRule};
use mobank_sandbox::{DEMO_CUSTOMER_ID, DEMO_PHONE, LANDLORD_ACCOUNT_NUMBER};
use rust_decimal::Decimal;

const HOUR_MS: i64 = 60 * 60 * 1000;

/// A bank with the test clock whose new bindings are out of their cooling-off at once, so the
/// policy's amounts (¥5,000 and up) can be sent.
async fn bank() -> Bank {
    Bank::start_with(|config| {
        config.test_clock = true;
        config.cooling_off = Duration::from_secs(1);
    })
    .await
    .unwrap()
}

async fn logged_in(bank: &Bank) -> Phone {
    let phone = Phone::bound(bank, bank.endpoint()).await.unwrap();
    bank.sandbox.advance_clock(Duration::from_secs(2));
    phone.login_pin(PIN).await.unwrap();
    phone
}

fn to_landlord(payer: &str, amount: &str, execution_date: Option<String>) -> TransferInput {
    TransferInput {
        payer_account_id: payer.to_owned(),
        payee_account_number: LANDLORD_ACCOUNT_NUMBER.to_owned(),
        payee_bank_code: "MOBANK".to_owned(),
        amount: amount.to_owned(),
        memo: "房租".to_owned(),
        channel: Channel::MobileTransfer,
        execution_date,
        payee_id: None,
        payee_name: None,
    }
}

/// The bank day after the bank's today (Beijing), `YYYY-MM-DD`.
pub(crate) fn tomorrow_at_the_bank(bank: &Bank) -> String {
    let days = (bank.sandbox.now_ms() + 8 * HOUR_MS).div_euclid(24 * HOUR_MS) + 1;
    // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Moves the bank's clock past `runs_at_ms` and logs in again (the old session idled out).
async fn pass(bank: &Bank, phone: &Phone, runs_at_ms: u64) {
    let wait_ms = i64::try_from(runs_at_ms).unwrap() - bank.sandbox.now_ms() + 60_000;
    bank.sandbox
        .advance_clock(Duration::from_millis(u64::try_from(wait_ms).unwrap()));
    phone.login_pin(PIN).await.unwrap();
}

async fn sign(phone: &Phone, token: &str) -> Result<mobank_core::TransferSummary, MobankError> {
    phone
        .mobank
        .transfers()
        .sign_and_submit_pin(token, mobank_e2e::pin(PIN).unwrap())
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transfer_scheduled_for_tomorrow_runs_when_the_bank_clock_reaches_it() {
    let bank = bank().await;
    let phone = logged_in(&bank).await;
    let payer = current_account(&phone).await;
    let tomorrow = tomorrow_at_the_bank(&bank);

    let confirmation = phone
        .mobank
        .transfers()
        .draft(to_landlord(
            &payer.account_id,
            "100",
            Some(tomorrow.clone()),
        ))
        .await
        .unwrap();
    assert_eq!(confirmation.execution_date, tomorrow);
    assert_eq!(
        confirmation.schedule_reason,
        Some(ScheduleReason::Requested)
    );
    let runs_at_ms = confirmation.runs_at_ms.unwrap();
    assert!(i64::try_from(runs_at_ms).unwrap() > bank.sandbox.now_ms());

    let sent = sign(&phone, &confirmation.token).await.unwrap();
    assert_eq!(sent.state, TransferState::Scheduled { runs_at_ms });
    assert_eq!(current_account(&phone).await.balance, payer.balance);
    let listed = phone.mobank.transfers().list().await.unwrap();
    assert_eq!(listed[0].state, TransferState::Scheduled { runs_at_ms });
    let notices_before = bank.sms_count().unwrap();

    pass(&bank, &phone, runs_at_ms).await;
    let reconciled = phone.mobank.transfers().reconcile().await.unwrap();
    assert_eq!(reconciled.len(), 1);
    assert_eq!(reconciled[0].state, TransferState::Settled);
    assert!(phone
        .events
        .events()
        .contains(&MobankEvent::TransferSettled {
            transfer_id: confirmation.transfer_id.clone()
        }));
    assert_eq!(
        payer.balance - current_account(&phone).await.balance,
        Decimal::new(10_000, 2)
    );
    // The debit was announced when it ran.
    let outbox = bank.sandbox.sms_outbox(DEMO_PHONE).unwrap();
    assert!(outbox.messages.len() > notices_before);
    assert!(bank.sandbox.check_ledger().unwrap().balanced);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delayed_first_transfer_to_a_payee_cancelled_before_it_runs_leaves_no_debit() {
    let bank = bank().await;
    let phone = logged_in(&bank).await;
    let payer = current_account(&phone).await;

    let confirmation = phone
        .mobank
        .transfers()
        .draft(to_landlord(&payer.account_id, "6000", None))
        .await
        .unwrap();
    assert_eq!(confirmation.schedule_reason, Some(ScheduleReason::NewPayee));
    let runs_at_ms = confirmation.runs_at_ms.unwrap();
    let quoted_at = bank.sandbox.now_ms();
    assert!((i64::try_from(runs_at_ms).unwrap() - quoted_at - 2 * HOUR_MS).abs() < 60_000);
    let sent = sign(&phone, &confirmation.token).await.unwrap();
    assert_eq!(sent.state, TransferState::Scheduled { runs_at_ms });

    let cancelled = phone
        .mobank
        .transfers()
        .cancel(&confirmation.transfer_id)
        .await
        .unwrap();
    assert_eq!(
        cancelled.state,
        TransferState::Rejected {
            reason: RejectReason::Cancelled
        }
    );
    assert!(cancelled.receipt.is_some_and(|receipt| !receipt.accepted));

    pass(&bank, &phone, runs_at_ms).await;
    assert_eq!(current_account(&phone).await.balance, payer.balance);
    assert!(phone
        .mobank
        .transfers()
        .reconcile()
        .await
        .unwrap()
        .is_empty());
    // Cancelling twice is refused on the phone, without the bank.
    assert_eq!(
        phone
            .mobank
            .transfers()
            .cancel(&confirmation.transfer_id)
            .await
            .unwrap_err(),
        MobankError::NotCancellable
    );
    assert!(bank.sandbox.check_ledger().unwrap().balanced);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancel_after_the_delayed_transfer_ran_is_refused_and_the_list_shows_it_settled() {
    let bank = bank().await;
    let phone = logged_in(&bank).await;
    let payer = current_account(&phone).await;
    let confirmation = phone
        .mobank
        .transfers()
        .draft(to_landlord(&payer.account_id, "6000", None))
        .await
        .unwrap();
    let runs_at_ms = confirmation.runs_at_ms.unwrap();
    sign(&phone, &confirmation.token).await.unwrap();

    pass(&bank, &phone, runs_at_ms).await;
    let refused = phone
        .mobank
        .transfers()
        .cancel(&confirmation.transfer_id)
        .await;
    assert_eq!(refused.unwrap_err(), MobankError::NotCancellable);
    let listed = phone.mobank.transfers().list().await.unwrap();
    assert_eq!(listed[0].state, TransferState::Settled);
    assert_eq!(
        payer.balance - current_account(&phone).await.balance,
        Decimal::new(600_000, 2)
    );
    // Bad ids are refused on the phone.
    for bad in ["", "not-an-id", &"0".repeat(32)] {
        assert!(matches!(
            phone.mobank.transfers().cancel(bad).await,
            Err(MobankError::InvalidInput { .. })
        ));
    }
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_monitor_flags_money_passed_straight_through_and_the_phone_is_told_it_is_suspended() {
    let bank = bank().await;
    let phone = logged_in(&bank).await;
    let payer = current_account(&phone).await;
    for (i, name) in ["赵一", "钱二", "孙三", "李四", "周五"].iter().enumerate() {
        bank.sandbox
            .credit(&CreditRequest {
                account_id: payer.account_id.clone(),
                amount: Decimal::new(300_000, 2),
                currency: "CNY".to_owned(),
                counterparty_name: (*name).to_owned(),
                counterparty_account: format!("62170000000000{i}"),
                memo: String::new(),
                category: None,
            })
            .unwrap();
    }
    let confirmation = phone
        .mobank
        .transfers()
        .draft(to_landlord(&payer.account_id, "14000", None))
        .await
        .unwrap();
    sign(&phone, &confirmation.token).await.unwrap();
    pass(&bank, &phone, confirmation.runs_at_ms.unwrap()).await;
    phone.mobank.transfers().reconcile().await.unwrap();

    let report = bank.sandbox.run_monitor(DEMO_CUSTOMER_ID).unwrap();
    assert!(report.flags.contains(&MonitorRule::PassThrough));
    assert!(report.flags.contains(&MonitorRule::FanInFanOut));
    assert!(report.suspended);

    let refused = phone.mobank.accounts().list().await;
    assert_eq!(refused.unwrap_err(), MobankError::Suspended);
    assert!(phone
        .events
        .events()
        .contains(&MobankEvent::EbankingSuspended));
    assert_eq!(
        phone.login_pin(PIN).await.unwrap_err(),
        MobankError::Suspended
    );
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transfer_sent_while_suspended_stays_queued_and_settles_after_the_lift() {
    let bank = bank().await;
    let phone = logged_in(&bank).await;
    let payer = current_account(&phone).await;
    let confirmation = phone
        .mobank
        .transfers()
        .draft(to_landlord(&payer.account_id, "100", None))
        .await
        .unwrap();

    bank.sandbox.set_suspended(DEMO_CUSTOMER_ID, true).unwrap();
    let refused = sign(&phone, &confirmation.token).await;
    assert_eq!(refused.unwrap_err(), MobankError::Suspended);
    assert!(phone
        .events
        .events()
        .contains(&MobankEvent::EbankingSuspended));
    let listed = phone.mobank.transfers().list().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].state, TransferState::Signed);
    // Reconciling during the suspension stops at the bank's word and keeps it.
    assert_eq!(
        phone.mobank.transfers().reconcile().await.unwrap_err(),
        MobankError::Suspended
    );
    assert_eq!(
        phone.mobank.transfers().list().await.unwrap()[0].state,
        TransferState::Signed
    );

    bank.sandbox.set_suspended(DEMO_CUSTOMER_ID, false).unwrap();
    let settled = phone.mobank.transfers().reconcile().await.unwrap();
    assert_eq!(settled[0].state, TransferState::Settled);
    assert_eq!(
        payer.balance - current_account(&phone).await.balance,
        Decimal::new(10_000, 2)
    );
    assert!(phone
        .mobank
        .transfers()
        .reconcile()
        .await
        .unwrap()
        .is_empty());
    bank.stop().await;
}
