//! Crash safety of transfers: the phone killed at each step of a transfer, the bank killed
//! or the line cut after it booked, answers lost twice, a receipt changed on the way. Every
//! case ends, after `reconcile`, with the bank's ledger holding exactly one debit for the
//! transfer or none, the ledger balanced, and the phone's list telling which.
//!
//! The phone that gets killed runs in its own process (the `crash-phone` binary) over files a
//! new process can open again: its store and its keys (`InsecureFileKeyStore`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use mobank_core::{MobankError, MobankEvent, TransferState, TransferSummary};
use mobank_e2e::crash_phone::{rent, DurablePhone, Ended, RENT};
use mobank_e2e::killable_bank::KillableBank;
use mobank_e2e::tamper_proxy::TamperingProxy;
use mobank_e2e::{pin, Bank, CountingProxy, EventRecorder, Phone, PIN};
use mobank_protocol::transfer::{IdempotencyKey, Receipt};
use mobank_sandbox::DEMO_CUSTOMER_ID;
use rust_decimal::Decimal;

const CRASH_PHONE: &str = env!("CARGO_BIN_EXE_crash-phone");
/// How long a test waits for the bank to book a transfer it holds the answer of.
const BOOKING_WAIT: Duration = Duration::from_secs(30);

/// Where the phone dies.
#[derive(Clone, Copy)]
enum Kill {
    /// The core aborts the process at this named step.
    At(&'static str),
    /// SIGKILL while the bank holds the answer of the request it has booked.
    InFlight,
}

/// The demo customer's CNY current account, as the bank keeps it.
fn current_account(bank: &Bank) -> mobank_protocol::messages::Account {
    bank.sandbox
        .accounts(DEMO_CUSTOMER_ID)
        .unwrap()
        .into_iter()
        .find(|account| account.currency == "CNY" && account.parent_account_id.is_none())
        .unwrap()
}

/// The bank's books around one transfer: read before it, checked after.
struct Books {
    payer: String,
    rows_before: usize,
}

impl Books {
    fn open(bank: &Bank) -> Self {
        Self {
            payer: current_account(bank).account_id,
            rows_before: bank.sandbox.ledger(DEMO_CUSTOMER_ID).unwrap().len(),
        }
    }

    /// Asserts the ledger balances and holds exactly `debits` debits of the rent since it was
    /// opened, and nothing else for the customer.
    fn assert_debits(&self, bank: &Bank, debits: usize) {
        let check = bank.sandbox.check_ledger().unwrap();
        assert!(check.balanced, "{check:?}");
        assert_eq!(check.unrecorded_transfers, 0, "{check:?}");
        let ledger = bank.sandbox.ledger(DEMO_CUSTOMER_ID).unwrap();
        let rent: Decimal = RENT.parse().unwrap();
        let new_rows = &ledger[self.rows_before..];
        assert_eq!(new_rows.len(), debits, "{new_rows:?}");
        assert!(new_rows
            .iter()
            .all(|row| row.account_id == self.payer && row.amount == -rent));
    }
}

/// The receipt the bank recorded for the transfer, if it recorded one.
fn recorded(bank: &Bank, transfer_id: &str) -> Option<Receipt> {
    let key = IdempotencyKey::parse(transfer_id).unwrap();
    bank.sandbox
        .transfer_outcome(DEMO_CUSTOMER_ID, key)
        .unwrap()
}

async fn wait_until_booked(bank: &Bank, transfer_id: &str) -> Receipt {
    let started = Instant::now();
    loop {
        if let Some(receipt) = recorded(bank, transfer_id) {
            return receipt;
        }
        assert!(started.elapsed() < BOOKING_WAIT, "the bank never booked it");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Asserts `listed` is the one transfer, settled with the bank's own receipt.
fn assert_settled_with(listed: &[TransferSummary], transfer_id: &str, receipt: &Receipt) {
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].transfer_id, transfer_id);
    assert_eq!(listed[0].state, TransferState::Settled);
    let kept = listed[0].receipt.as_ref().unwrap();
    assert!(kept.accepted);
    assert_eq!(kept.receipt_id, receipt.receipt_id);
    assert_eq!(kept.booked_at_ms, receipt.booked_at_ms);
}

/// What a crash left, seen after the phone started again, logged in and reconciled.
struct AfterCrash {
    bank: Bank,
    books: Books,
    transfer_id: String,
    ended: Ended,
    reconciled: Vec<TransferSummary>,
    listed: Vec<TransferSummary>,
    events: Vec<MobankEvent>,
    /// Kept so its files outlive the checks.
    _phone: DurablePhone,
}

/// A bound phone sends the rent in its own process and dies at `kill`; it starts again over
/// the same files and keys, logs in and reconciles.
async fn crash(kill: Kill) -> AfterCrash {
    let bank = Bank::start().await.unwrap();
    let phone = DurablePhone::new().unwrap();
    phone.bind(&bank).await.unwrap();
    let books = Books::open(&bank);
    if matches!(kill, Kill::InFlight) {
        bank.sandbox.hold_transfer_responses(1).unwrap();
    }
    let point = match kill {
        Kill::At(point) => Some(point),
        Kill::InFlight => None,
    };
    let mut child = phone
        .spawn_transfer(CRASH_PHONE.as_ref(), &bank.endpoint(), &books.payer, point)
        .unwrap();
    let (mut child, transfer_id) = tokio::task::spawn_blocking(move || {
        let id = child.transfer_id();
        (child, id)
    })
    .await
    .unwrap();
    let transfer_id = transfer_id.unwrap();
    if matches!(kill, Kill::InFlight) {
        wait_until_booked(&bank, &transfer_id).await;
        child.kill().unwrap();
    }
    let ended = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
    // Let any held answer go: it now leaves for a phone that is gone.
    bank.sandbox.hold_transfer_responses(0).unwrap();

    let events = Arc::new(EventRecorder::default());
    let mobank = phone.open(bank.endpoint(), Some(events.clone())).unwrap();
    mobank.auth().login_pin(pin(PIN).unwrap()).await.unwrap();
    let reconciled = mobank.transfers().reconcile().await.unwrap();
    let listed = mobank.transfers().list().await.unwrap();
    // Whatever reconciling did, the binding still works: the bank saw no cloned key.
    mobank.auth().login_pin(pin(PIN).unwrap()).await.unwrap();
    AfterCrash {
        bank,
        books,
        transfer_id,
        ended,
        reconciled,
        listed,
        events: events.events(),
        _phone: phone,
    }
}

fn assert_died_before_the_answer(ended: &Ended) {
    assert!(!ended.status.success(), "{ended:?}");
    assert_eq!(ended.finished, None, "{ended:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_killed_after_signing_sent_nothing_and_keeps_no_transfer() {
    let after = crash(Kill::At("signed")).await;
    assert_died_before_the_answer(&after.ended);
    assert!(after.listed.is_empty(), "{:?}", after.listed);
    assert!(after.reconciled.is_empty());
    assert_eq!(recorded(&after.bank, &after.transfer_id), None);
    after.books.assert_debits(&after.bank, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_killed_with_the_transfer_in_the_outbox_never_sends_a_stale_signature() {
    let after = crash(Kill::At("outbox_written")).await;
    assert_died_before_the_answer(&after.ended);
    // The restart's login signed after the transfer: the bank would take the transfer's older
    // counter for a cloned key, so it is not sent, and it is listed as not executed.
    assert_eq!(after.listed.len(), 1, "{:?}", after.listed);
    assert_eq!(after.listed[0].transfer_id, after.transfer_id);
    assert_eq!(after.listed[0].state, TransferState::Expired);
    assert_eq!(after.listed[0].receipt, None);
    assert_eq!(after.reconciled, after.listed);
    assert_eq!(recorded(&after.bank, &after.transfer_id), None);
    after.books.assert_debits(&after.bank, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_killed_while_the_bank_holds_its_request_finds_it_settled_once() {
    let after = crash(Kill::InFlight).await;
    assert_died_before_the_answer(&after.ended);
    let receipt = recorded(&after.bank, &after.transfer_id).unwrap();
    assert_settled_with(&after.listed, &after.transfer_id, &receipt);
    assert_eq!(after.reconciled, after.listed);
    assert!(after.events.contains(&MobankEvent::TransferSettled {
        transfer_id: after.transfer_id.clone()
    }));
    after.books.assert_debits(&after.bank, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_killed_before_storing_the_answer_finds_it_settled_once() {
    let after = crash(Kill::At("answered")).await;
    assert_died_before_the_answer(&after.ended);
    let receipt = recorded(&after.bank, &after.transfer_id).unwrap();
    assert_settled_with(&after.listed, &after.transfer_id, &receipt);
    assert_eq!(after.reconciled, after.listed);
    after.books.assert_debits(&after.bank, 1);
}

/// A bound phone, logged in, with the rent drafted and confirmed.
async fn ready_to_send(bank: &Bank, phone: &Phone) -> (Books, mobank_core::Confirmation) {
    phone.login_pin(PIN).await.unwrap();
    let books = Books::open(bank);
    let confirmation = phone
        .mobank
        .transfers()
        .draft(rent(&books.payer))
        .await
        .unwrap();
    // From here on the events are the transfer's.
    phone.events.take();
    (books, confirmation)
}

/// Signs and submits `confirmation` with the PIN, in a task of its own.
fn send(
    phone: &Phone,
    confirmation: &mobank_core::Confirmation,
) -> tokio::task::JoinHandle<Result<TransferSummary, MobankError>> {
    let transfers = phone.mobank.transfers();
    let token = confirmation.token.clone();
    tokio::spawn(async move {
        transfers
            .sign_and_submit_pin(&token, pin(PIN).unwrap())
            .await
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bank_killed_after_booking_and_started_again_settles_the_transfer_once() {
    let mut killable = KillableBank::start().await.unwrap();
    let phone = Phone::bound(&killable.bank, killable.bank.endpoint())
        .await
        .unwrap();
    let (books, confirmation) = ready_to_send(&killable.bank, &phone).await;
    killable.bank.sandbox.hold_transfer_responses(1).unwrap();
    let sending = send(&phone, &confirmation);
    let receipt = wait_until_booked(&killable.bank, &confirmation.transfer_id).await;

    killable.kill_and_restart().await.unwrap();
    assert_eq!(
        sending.await.unwrap().unwrap_err(),
        MobankError::OutcomeUnknown
    );
    let transfers = phone.mobank.transfers();
    assert_eq!(
        transfers.list().await.unwrap()[0].state,
        TransferState::Unknown
    );
    let reconciled = transfers.reconcile().await.unwrap();
    assert_settled_with(&reconciled, &confirmation.transfer_id, &receipt);
    assert_eq!(transfers.list().await.unwrap(), reconciled);
    books.assert_debits(&killable.bank, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_cut_after_the_request_was_sent_settles_the_transfer_once() {
    let bank = Bank::start().await.unwrap();
    let proxy = CountingProxy::start(&bank).await.unwrap();
    let phone = Phone::bound(&bank, proxy.endpoint(&bank)).await.unwrap();
    let (books, confirmation) = ready_to_send(&bank, &phone).await;
    bank.sandbox.hold_transfer_responses(1).unwrap();
    let sending = send(&phone, &confirmation);
    let receipt = wait_until_booked(&bank, &confirmation.transfer_id).await;

    proxy.drop_connections();
    assert_eq!(
        sending.await.unwrap().unwrap_err(),
        MobankError::OutcomeUnknown
    );
    bank.sandbox.hold_transfer_responses(0).unwrap();
    let transfers = phone.mobank.transfers();
    let reconciled = transfers.reconcile().await.unwrap();
    assert_settled_with(&reconciled, &confirmation.transfer_id, &receipt);
    // Settled is final: a second reconcile looks at nothing and sends nothing.
    assert!(transfers.reconcile().await.unwrap().is_empty());
    books.assert_debits(&bank, 1);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_lost_and_its_first_status_lost_too_settles_once_on_the_second_reconcile() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    let (books, confirmation) = ready_to_send(&bank, &phone).await;
    bank.sandbox.lose_transfer_responses(1).unwrap();
    bank.sandbox.lose_status_responses(1).unwrap();
    let transfers = phone.mobank.transfers();

    let sent = transfers
        .sign_and_submit_pin(&confirmation.token, pin(PIN).unwrap())
        .await;
    assert_eq!(sent.unwrap_err(), MobankError::OutcomeUnknown);
    let first = transfers.reconcile().await.unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].state, TransferState::Unknown);
    assert_eq!(transfers.list().await.unwrap(), first);

    let receipt = recorded(&bank, &confirmation.transfer_id).unwrap();
    let second = transfers.reconcile().await.unwrap();
    assert_settled_with(&second, &confirmation.transfer_id, &receipt);
    let id = confirmation.transfer_id.clone();
    assert_eq!(
        phone.events.take(),
        [
            MobankEvent::TransferOutcomeUnknown {
                transfer_id: id.clone()
            },
            MobankEvent::TransferSettled { transfer_id: id }
        ]
    );
    books.assert_debits(&bank, 1);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receipt_with_one_byte_changed_is_refused_and_the_transfer_stays_unknown_until_a_good_one(
) {
    let bank = Bank::start().await.unwrap();
    let proxy = TamperingProxy::start(&bank).await.unwrap();
    let phone = Phone::bound(&bank, proxy.endpoint(&bank)).await.unwrap();
    let (books, confirmation) = ready_to_send(&bank, &phone).await;
    // The submit's answer and the first status answer both arrive changed.
    proxy.tamper_with_next_receipts(2);
    let transfers = phone.mobank.transfers();

    let sent = transfers
        .sign_and_submit_pin(&confirmation.token, pin(PIN).unwrap())
        .await;
    assert_eq!(sent.unwrap_err(), MobankError::ReceiptInvalid);
    let listed = transfers.list().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].state, TransferState::Unknown);
    assert_eq!(listed[0].receipt, None);
    // The bank did book it; the phone only refuses to take the changed receipt as evidence.
    let receipt = recorded(&bank, &confirmation.transfer_id).unwrap();
    books.assert_debits(&bank, 1);

    let first = transfers.reconcile().await.unwrap();
    assert_eq!(first, listed);
    let second = transfers.reconcile().await.unwrap();
    assert_settled_with(&second, &confirmation.transfer_id, &receipt);
    let id = confirmation.transfer_id.clone();
    assert_eq!(
        phone.events.take(),
        [
            MobankEvent::TransferOutcomeUnknown {
                transfer_id: id.clone()
            },
            MobankEvent::TransferSettled { transfer_id: id }
        ]
    );
    books.assert_debits(&bank, 1);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transfer_that_never_reached_the_bank_is_sent_again_by_reconcile_and_settles_once() {
    let bank = Bank::start().await.unwrap();
    let proxy = TamperingProxy::start(&bank).await.unwrap();
    let phone = Phone::bound(&bank, proxy.endpoint(&bank)).await.unwrap();
    let (books, confirmation) = ready_to_send(&bank, &phone).await;
    proxy.swallow_next_transfers(1);
    let transfers = phone.mobank.transfers();

    let sent = transfers
        .sign_and_submit_pin(&confirmation.token, pin(PIN).unwrap())
        .await;
    assert_eq!(sent.unwrap_err(), MobankError::OutcomeUnknown);
    assert_eq!(recorded(&bank, &confirmation.transfer_id), None);
    books.assert_debits(&bank, 0);

    // Nothing was signed since: the same signed request goes again, and is booked once.
    let reconciled = transfers.reconcile().await.unwrap();
    let receipt = recorded(&bank, &confirmation.transfer_id).unwrap();
    assert_settled_with(&reconciled, &confirmation.transfer_id, &receipt);
    books.assert_debits(&bank, 1);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transfer_that_never_reached_the_bank_is_not_resent_after_the_phone_signed_again_and_expires_with_its_quote(
) {
    let bank = Bank::start().await.unwrap();
    let proxy = TamperingProxy::start(&bank).await.unwrap();
    let phone = Phone::bound(&bank, proxy.endpoint(&bank)).await.unwrap();
    let (books, confirmation) = ready_to_send(&bank, &phone).await;
    proxy.swallow_next_transfers(1);
    let transfers = phone.mobank.transfers();
    let sent = transfers
        .sign_and_submit_pin(&confirmation.token, pin(PIN).unwrap())
        .await;
    assert_eq!(sent.unwrap_err(), MobankError::OutcomeUnknown);

    // The customer logs in again before the phone reconciles: the login's counters are newer
    // than the transfer's, so the bank would take the transfer for a cloned key. It is not
    // sent, and, having left the phone once, stays unknown while its quote could still run.
    phone.login_pin(PIN).await.unwrap();
    let reconciled = transfers.reconcile().await.unwrap();
    assert_eq!(reconciled.len(), 1);
    assert_eq!(reconciled[0].state, TransferState::Unknown);
    assert_eq!(recorded(&bank, &confirmation.transfer_id), None);

    phone.clock.advance(Duration::from_secs(6 * 60));
    phone.login_pin(PIN).await.unwrap();
    let reconciled = transfers.reconcile().await.unwrap();
    assert_eq!(reconciled.len(), 1);
    assert_eq!(reconciled[0].state, TransferState::Expired);
    assert_eq!(recorded(&bank, &confirmation.transfer_id), None);
    books.assert_debits(&bank, 0);
    // The device is not blocked, and an expired transfer is not looked at again.
    phone.login_pin(PIN).await.unwrap();
    assert!(transfers.reconcile().await.unwrap().is_empty());
    bank.stop().await;
}
