//! Crash safety of every flow that writes, not only transfers: the phone killed right after
//! each durable write of binding, login, PIN change, history sync, payee add, limit raise and
//! the cancel of a scheduled transfer. Each case opens the same files again in the test and
//! checks what the phone must keep whatever the moment of the crash: the store opens, no
//! signature counter is used twice (the bank would take a repeated one for a cloned key and
//! refuse the next login), nothing is lost or done twice, and the list calls tell the customer
//! where things stand. A binding killed half-way leaves a phone that can bind again.
//!
//! The phone that gets killed runs in its own process (the `crash-phone` binary, one mode per
//! flow) over files a new process can open again: its store and its keys.

use std::time::Duration;

use mobank_core::{
    BindingState, Channel, Mobank, MobankError, RejectReason, TransferInput, TransferState,
};
use mobank_e2e::crash_phone::{
    rent, DurablePhone, Ended, Flow, PhoneProcess, NEW_PIN, RAISED, STARTING_LIMITS,
};
use mobank_e2e::{pin, Bank, PIN};
use mobank_sandbox::DEMO_CUSTOMER_ID;
use rust_decimal::Decimal;

const CRASH_PHONE: &str = env!("CARGO_BIN_EXE_crash-phone");
/// How `std::process::abort` ends a process on Linux.
const SIGABRT: i32 = 6;

/// A bank whose new bindings leave their cooling-off at once and whose clock the test moves,
/// so a transfer can be scheduled for tomorrow and limits are the channel's own.
async fn bank() -> Bank {
    Bank::start_with(|config| {
        config.test_clock = true;
        config.cooling_off = Duration::from_secs(1);
    })
    .await
    .unwrap()
}

/// A phone bound to `bank` with [`PIN`], its app closed, out of the binding's cooling-off.
async fn bound(bank: &Bank) -> DurablePhone {
    let phone = DurablePhone::new().unwrap();
    phone.bind(bank).await.unwrap();
    bank.sandbox.advance_clock(Duration::from_secs(2));
    phone
}

/// Waits, off the runtime, for the child to end.
fn wait(child: PhoneProcess) -> Ended {
    tokio::task::block_in_place(move || child.wait()).unwrap()
}

/// Runs `flow` in the phone's own process, which the core aborts at `kill_at`.
fn killed(bank: &Bank, phone: &DurablePhone, flow: &Flow<'_>, kill_at: &str) -> Ended {
    let child = phone
        .spawn(CRASH_PHONE.as_ref(), &bank.endpoint(), flow, Some(kill_at))
        .unwrap();
    let ended = wait(child);
    assert_died_at_the_point(&ended);
    ended
}

/// The core's abort, not an error the flow returned.
fn assert_died_at_the_point(ended: &Ended) {
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(ended.status.signal(), Some(SIGABRT), "{ended:?}");
    assert_eq!(ended.finished, None, "{ended:?}");
}

/// The app started again over the phone's files, logged in with `digits`, and logged in a
/// second time: the bank refuses a counter it has seen, so both succeed only if the restart
/// signs above every counter the killed process sent.
async fn restarted(bank: &Bank, phone: &DurablePhone, digits: &str) -> Mobank {
    let mobank = phone.open(bank.endpoint(), None).unwrap();
    mobank.auth().login_pin(pin(digits).unwrap()).await.unwrap();
    mobank.auth().login_pin(pin(digits).unwrap()).await.unwrap();
    mobank
}

/// Binds in a process killed at `point`, then binds again in the test; returns the devices the
/// bank lists for the customer afterwards.
async fn binding_killed_at(point: &str) -> Vec<mobank_core::DeviceInfo> {
    let bank = bank().await;
    let phone = DurablePhone::new().unwrap();
    let code = bank.issue_code().unwrap();
    let flow = Flow::Bind {
        code: code.expose_secret(),
    };
    let mut child = phone
        .spawn(CRASH_PHONE.as_ref(), &bank.endpoint(), &flow, Some(point))
        .unwrap();
    tokio::task::block_in_place(|| child.wait_for_otp_prompt()).unwrap();
    let otp = bank.latest_otp().unwrap();
    child.type_otp(otp.expose_secret()).unwrap();
    assert_died_at_the_point(&wait(child));

    let mobank = phone.open(bank.endpoint(), None).unwrap();
    assert_eq!(mobank.binding_state().unwrap(), BindingState::NotBound);
    drop(mobank);
    phone.bind(&bank).await.unwrap();
    let mobank = restarted(&bank, &phone, PIN).await;
    let devices = mobank.devices().list().await.unwrap();
    assert_eq!(
        devices.iter().filter(|device| device.this_device).count(),
        1,
        "{devices:?}"
    );
    devices
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_binding_killed_after_the_keys_were_made_leaves_a_phone_that_binds_again() {
    let devices = binding_killed_at("binding_keys_made").await;
    assert_eq!(devices.len(), 1, "{devices:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_binding_killed_after_the_bank_confirmed_binds_again_and_lists_the_half_bound_device() {
    let devices = binding_killed_at("binding_confirmed").await;
    // The bank bound a device whose keys the phone never kept: listed, so it can be revoked.
    assert_eq!(devices.len(), 2, "{devices:?}");
    assert_eq!(
        devices.iter().filter(|device| !device.this_device).count(),
        1
    );
}

async fn login_killed_at(point: &str) {
    let bank = bank().await;
    let phone = bound(&bank).await;
    killed(&bank, &phone, &Flow::Login, point);
    let mobank = restarted(&bank, &phone, PIN).await;
    assert!(!mobank.accounts().list().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_killed_after_its_counters_were_reserved_never_reuses_them() {
    login_killed_at("login_signed").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_killed_after_the_banks_answer_never_reuses_its_counters() {
    login_killed_at("login_answered").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pin_change_killed_after_its_first_step_keeps_the_old_pin() {
    let bank = bank().await;
    let phone = bound(&bank).await;
    killed(&bank, &phone, &Flow::ChangePin, "pin_change_begun");
    restarted(&bank, &phone, PIN).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pin_change_killed_before_the_new_key_was_sent_keeps_the_old_pin_and_can_be_done_again() {
    let bank = bank().await;
    let phone = bound(&bank).await;
    killed(&bank, &phone, &Flow::ChangePin, "pin_change_signed");
    let mobank = restarted(&bank, &phone, PIN).await;
    mobank.pin().begin_change(pin(PIN).unwrap()).await.unwrap();
    mobank
        .pin()
        .commit_change(pin(NEW_PIN).unwrap())
        .await
        .unwrap();
    drop(mobank);
    restarted(&bank, &phone, NEW_PIN).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pin_change_killed_after_the_bank_took_the_new_key_logs_in_with_the_new_pin() {
    let bank = bank().await;
    let phone = bound(&bank).await;
    killed(&bank, &phone, &Flow::ChangePin, "pin_change_committed");
    let mobank = restarted(&bank, &phone, NEW_PIN).await;
    // The new key is the phone's one key now: the old PIN is refused like any wrong PIN.
    assert!(matches!(
        mobank.auth().login_pin(pin(PIN).unwrap()).await,
        Err(MobankError::AuthenticationFailed { .. })
    ));
    mobank
        .auth()
        .login_pin(pin(NEW_PIN).unwrap())
        .await
        .unwrap();
}

/// Three of the bank's largest pages.
const SEEDED_HISTORY: u32 = 3_000;
/// The rows of the bank's largest page.
const PAGE_ROWS: u64 = 1_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_history_sync_killed_after_a_page_was_stored_keeps_it_and_resumes_without_doubling() {
    let bank = Bank::start_with(|config| {
        config.test_clock = true;
        config.cooling_off = Duration::from_secs(1);
        config.seed_history = SEEDED_HISTORY;
    })
    .await
    .unwrap();
    let phone = bound(&bank).await;
    let total = u64::try_from(bank.sandbox.ledger(DEMO_CUSTOMER_ID).unwrap().len()).unwrap();
    killed(&bank, &phone, &Flow::History, "history_page_written");

    let mobank = restarted(&bank, &phone, PIN).await;
    let account = current_account_id(&mobank).await;
    let kept = mobank.history().recent(&account, 1_000).await.unwrap();
    assert!(!kept.is_empty(), "the stored page was lost");
    let resumed = mobank.history().sync(None).await.unwrap();
    assert!(
        resumed.fetched <= total - PAGE_ROWS,
        "resumed from the cursor, not from the start: {resumed:?}"
    );
    assert_eq!(resumed.stored, total);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payee_add_killed_after_signing_adds_nothing_and_can_be_done_once_again() {
    let bank = bank().await;
    let phone = bound(&bank).await;
    killed(&bank, &phone, &Flow::AddPayee, "payee_signed");

    let mobank = restarted(&bank, &phone, PIN).await;
    assert!(mobank.payees().list().await.unwrap().is_empty());
    drop(mobank);
    let ended = wait(
        phone
            .spawn(
                CRASH_PHONE.as_ref(),
                &bank.endpoint(),
                &Flow::AddPayee,
                None,
            )
            .unwrap(),
    );
    assert!(ended.status.success(), "{ended:?}");
    let mobank = restarted(&bank, &phone, PIN).await;
    let payees = mobank.payees().list().await.unwrap();
    assert_eq!(payees.len(), 1, "{payees:?}");
}

/// The customer's CNY current account, as the phone lists it.
async fn current_account_id(mobank: &Mobank) -> String {
    mobank
        .accounts()
        .list()
        .await
        .unwrap()
        .into_iter()
        .find(|account| account.currency == "CNY" && account.parent_account_id.is_none())
        .unwrap()
        .account_id
}

fn cny(units: &str) -> Decimal {
    units.parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_limit_raise_killed_after_signing_leaves_the_limits_lowered_and_no_raise_pending() {
    let bank = bank().await;
    let phone = bound(&bank).await;
    killed(&bank, &phone, &Flow::RaiseLimits, "limits_signed");

    let mobank = restarted(&bank, &phone, PIN).await;
    let mobile = |channels: Vec<mobank_core::ChannelInfo>| {
        channels
            .into_iter()
            .find(|info| info.channel == Channel::MobileTransfer)
            .unwrap()
    };
    let listed = mobile(mobank.channels().list().await.unwrap());
    assert_eq!(listed.limits.per_transaction, cny(STARTING_LIMITS[0]));
    assert_eq!(listed.pending, None);

    let [per_transaction, daily, monthly] = RAISED.map(str::to_owned);
    let raised = mobank
        .channels()
        .set_limits(Channel::MobileTransfer, per_transaction, daily, monthly)
        .await
        .unwrap();
    let raised = mobile(raised);
    assert_eq!(raised.limits.per_transaction, cny(STARTING_LIMITS[0]));
    let pending = raised.pending.unwrap();
    assert_eq!(pending.limits.per_transaction, cny(RAISED[0]));
}

/// The rent, scheduled for the bank's tomorrow by a phone that then closed its app.
async fn scheduled_rent(bank: &Bank, phone: &DurablePhone) -> String {
    let mobank = restarted(bank, phone, PIN).await;
    let payer = current_account_id(&mobank).await;
    let input = TransferInput {
        execution_date: Some(crate::delays::tomorrow_at_the_bank(bank)),
        ..rent(&payer)
    };
    let transfers = mobank.transfers();
    let confirmation = transfers.draft(input).await.unwrap();
    let sent = transfers
        .sign_and_submit_pin(&confirmation.token, pin(PIN).unwrap())
        .await
        .unwrap();
    assert!(matches!(sent.state, TransferState::Scheduled { .. }));
    confirmation.transfer_id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancel_killed_after_signing_leaves_the_transfer_scheduled_and_cancellable_once() {
    let bank = bank().await;
    let phone = bound(&bank).await;
    let transfer_id = scheduled_rent(&bank, &phone).await;
    let rows_before = bank.sandbox.ledger(DEMO_CUSTOMER_ID).unwrap().len();
    let flow = Flow::Cancel {
        transfer_id: &transfer_id,
    };
    killed(&bank, &phone, &flow, "cancel_signed");

    let mobank = restarted(&bank, &phone, PIN).await;
    let transfers = mobank.transfers();
    transfers.reconcile().await.unwrap();
    let listed = transfers.list().await.unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert!(
        matches!(listed[0].state, TransferState::Scheduled { .. }),
        "{listed:?}"
    );
    let cancelled = transfers.cancel(&transfer_id).await.unwrap();
    assert_eq!(
        cancelled.state,
        TransferState::Rejected {
            reason: RejectReason::Cancelled
        }
    );
    assert_eq!(
        transfers.cancel(&transfer_id).await.unwrap_err(),
        MobankError::NotCancellable
    );
    assert_eq!(transfers.list().await.unwrap(), vec![cancelled]);
    assert_eq!(
        bank.sandbox.ledger(DEMO_CUSTOMER_ID).unwrap().len(),
        rows_before
    );
}
