//! A hostile network between the phone and the bank.
//!
//! Faults on a transfer's submission (`FaultProxy`): the answer lost after the request went
//! through, cut after its first byte, held past the phone's timeout, reset mid-body, or the
//! request delivered twice. Each ends with a typed outcome on the phone (`OutcomeUnknown` when
//! the answer is lost, never a plain failure), then, after `reconcile`, with the bank's ledger
//! balanced and holding exactly one journal entry for the transfer's idempotency key or none,
//! and the phone's list telling which.
//!
//! A man in the middle with the bank's identity (`TamperingProxy`): a payee name changed in a
//! quote, a limit raised in a channels answer, an old receipt in place of a new one. And a
//! server that speaks only TLS 1.1.

use std::time::{Duration, Instant};

use mobank_core::testing::Tls11Server;
use mobank_core::{
    BankEndpoint, Confirmation, LimitKind, MobankError, TransferState, TransferSummary,
};
use mobank_e2e::crash_phone::rent;
use mobank_e2e::fault_proxy::{Fault, FaultProxy};
use mobank_e2e::tamper_proxy::TamperingProxy;
use mobank_e2e::{pin, Bank, Phone, PIN};
use mobank_protocol::transfer::{IdempotencyKey, Receipt};
use mobank_sandbox::{DEMO_CUSTOMER_ID, LANDLORD_HOLDER_NAME};
use rust_decimal::Decimal;

/// How long a test waits for the bank to book a transfer whose answer was lost.
const BOOKING_WAIT: Duration = Duration::from_secs(30);

/// The bank's books before a transfer: its journal entries and the customer's ledger rows.
struct Books {
    payer: String,
    entries_before: u64,
    rows_before: usize,
}

impl Books {
    fn open(bank: &Bank) -> Self {
        let payer = bank
            .sandbox
            .accounts(DEMO_CUSTOMER_ID)
            .unwrap()
            .into_iter()
            .find(|account| account.currency == "CNY" && account.parent_account_id.is_none())
            .unwrap()
            .account_id;
        Self {
            payer,
            entries_before: bank.sandbox.check_ledger().unwrap().entries,
            rows_before: bank.sandbox.ledger(DEMO_CUSTOMER_ID).unwrap().len(),
        }
    }

    /// Asserts the ledger balances and nothing was booked since the books were opened.
    fn assert_no_entry(&self, bank: &Bank) {
        let check = bank.sandbox.check_ledger().unwrap();
        assert!(check.balanced, "{check:?}");
        assert_eq!(check.entries, self.entries_before, "{check:?}");
        let ledger = bank.sandbox.ledger(DEMO_CUSTOMER_ID).unwrap();
        assert_eq!(ledger.len(), self.rows_before, "{ledger:?}");
    }

    /// Asserts the ledger balances, and that the transfer `listed` on the phone under
    /// `transfer_id` is settled with exactly one journal entry of `amount` (the bank's own
    /// receipt on the phone), or ended without one and nothing booked. Returns which.
    fn assert_one_entry_or_none(
        &self,
        bank: &Bank,
        listed: &[TransferSummary],
        transfer_id: &str,
        amount: &str,
    ) -> TransferState {
        let check = bank.sandbox.check_ledger().unwrap();
        assert!(check.balanced, "{check:?}");
        assert_eq!(check.unrecorded_transfers, 0, "{check:?}");
        let new_entries = check.entries - self.entries_before;
        let ledger = bank.sandbox.ledger(DEMO_CUSTOMER_ID).unwrap();
        let new_rows = &ledger[self.rows_before..];
        let outcome = recorded(bank, transfer_id);
        let shown = listed
            .iter()
            .find(|summary| summary.transfer_id == transfer_id)
            .unwrap_or_else(|| panic!("the phone does not list {transfer_id}: {listed:?}"));
        match shown.state {
            TransferState::Settled => {
                assert_eq!(new_entries, 1, "{check:?}");
                assert_eq!(new_rows.len(), 1, "{new_rows:?}");
                let debit: Decimal = amount.parse().unwrap();
                assert_eq!(new_rows[0].account_id, self.payer);
                assert_eq!(new_rows[0].amount, -debit);
                let receipt = outcome.unwrap();
                assert!(receipt.booked_at_ms.is_some(), "{receipt:?}");
                let kept = shown.receipt.as_ref().unwrap();
                assert_eq!(kept.receipt_id, receipt.receipt_id);
                assert_eq!(kept.booked_at_ms, receipt.booked_at_ms);
            }
            TransferState::Expired | TransferState::Rejected { .. } => {
                assert_eq!(new_entries, 0, "{check:?}");
                assert!(new_rows.is_empty(), "{new_rows:?}");
                assert!(outcome.is_none_or(|receipt| receipt.booked_at_ms.is_none()));
            }
            ref open => panic!("still open after reconcile: {open:?}"),
        }
        shown.state
    }
}

/// The receipt the bank recorded for the transfer, if it recorded one.
fn recorded(bank: &Bank, transfer_id: &str) -> Option<Receipt> {
    let key = IdempotencyKey::parse(transfer_id).unwrap();
    bank.sandbox
        .transfer_outcome(DEMO_CUSTOMER_ID, key)
        .unwrap()
}

async fn wait_until_booked(bank: &Bank, transfer_id: &str) {
    let started = Instant::now();
    while recorded(bank, transfer_id).is_none() {
        assert!(started.elapsed() < BOOKING_WAIT, "the bank never booked it");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A transfer sent through a proxy armed with one fault, and what the phone made of it.
struct Faulted {
    bank: Bank,
    proxy: FaultProxy,
    phone: Phone,
    books: Books,
    confirmation: Confirmation,
    sent: Result<TransferSummary, MobankError>,
}

/// A bound phone, logged in through the fault proxy, sends the rent with `fault` armed.
async fn send_through(fault: Fault) -> Faulted {
    let bank = Bank::start().await.unwrap();
    let proxy = FaultProxy::start(&bank).await.unwrap();
    let phone = Phone::bound(&bank, proxy.endpoint(&bank)).await.unwrap();
    phone.login_pin(PIN).await.unwrap();
    let books = Books::open(&bank);
    let transfers = phone.mobank.transfers();
    let confirmation = transfers.draft(rent(&books.payer)).await.unwrap();
    proxy.arm(fault);
    let sent = transfers
        .sign_and_submit_pin(&confirmation.token, pin(PIN).unwrap())
        .await;
    assert_eq!(proxy.armed(), 0, "the submission never met the fault");
    Faulted {
        bank,
        proxy,
        phone,
        books,
        confirmation,
        sent,
    }
}

/// The answer was lost: the phone says unknown and lists the transfer so; the bank booked
/// it; reconcile settles it with the bank's receipt and exactly one entry.
async fn assert_lost_answer_settles_once(faulted: Faulted) {
    let Faulted {
        bank,
        phone,
        books,
        confirmation,
        sent,
        ..
    } = faulted;
    assert_eq!(sent.unwrap_err(), MobankError::OutcomeUnknown);
    let transfers = phone.mobank.transfers();
    let listed = transfers.list().await.unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].state, TransferState::Unknown);
    wait_until_booked(&bank, &confirmation.transfer_id).await;

    let reconciled = transfers.reconcile().await.unwrap();
    assert_eq!(transfers.list().await.unwrap(), reconciled);
    let state = books.assert_one_entry_or_none(
        &bank,
        &reconciled,
        &confirmation.transfer_id,
        &rent(&books.payer).amount,
    );
    assert_eq!(state, TransferState::Settled);
    // Settled is final, and the device was never taken for a clone.
    assert!(transfers.reconcile().await.unwrap().is_empty());
    phone.login_pin(PIN).await.unwrap();
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_dropped_right_after_the_request_is_unknown_then_settles_once() {
    assert_lost_answer_settles_once(send_through(Fault::DropAfterRequest).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_dropped_after_the_first_answer_byte_is_unknown_then_settles_once() {
    assert_lost_answer_settles_once(send_through(Fault::DropAfterFirstAnswerByte).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_held_past_the_phones_timeout_is_unknown_then_settles_once() {
    // The phone's request timeout is fixed in the core (30 s), so this test waits it out.
    let started = Instant::now();
    let faulted = send_through(Fault::HoldAnswer).await;
    assert!(started.elapsed() >= Duration::from_secs(30));
    assert_lost_answer_settles_once(faulted).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_in_the_middle_of_the_answers_body_is_unknown_then_settles_once() {
    assert_lost_answer_settles_once(send_through(Fault::ResetMidBody).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_delivered_twice_is_booked_once_and_both_copies_get_the_same_receipt() {
    let Faulted {
        bank,
        proxy,
        phone,
        books,
        confirmation,
        sent,
    } = send_through(Fault::Duplicate).await;
    let settled = sent.unwrap();
    assert_eq!(settled.state, TransferState::Settled);
    let duplicates = proxy.duplicate_answers();
    assert_eq!(duplicates.len(), 1);
    let (head, body) = &duplicates[0];
    assert!(head.starts_with(b"HTTP/1.1 200 "), "{head:?}");
    let duplicate: serde_json::Value = serde_json::from_slice(body).unwrap();
    let receipt = recorded(&bank, &confirmation.transfer_id).unwrap();
    assert_eq!(
        duplicate["receipt"]["receipt_id"].as_str(),
        Some(receipt.receipt_id.as_str())
    );

    let transfers = phone.mobank.transfers();
    assert!(transfers.reconcile().await.unwrap().is_empty());
    let listed = transfers.list().await.unwrap();
    assert_eq!(listed, [settled]);
    books.assert_one_entry_or_none(
        &bank,
        &listed,
        &confirmation.transfer_id,
        &rent(&books.payer).amount,
    );
    // The second copy carried the same counters: the bank did not take it for a clone.
    phone.login_pin(PIN).await.unwrap();
    bank.stop().await;
}

/// A bound phone logged in through a tampering proxy.
async fn through_a_man_in_the_middle() -> (Bank, TamperingProxy, Phone) {
    let bank = Bank::start().await.unwrap();
    let proxy = TamperingProxy::start(&bank).await.unwrap();
    let phone = Phone::bound(&bank, proxy.endpoint(&bank)).await.unwrap();
    phone.login_pin(PIN).await.unwrap();
    (bank, proxy, phone)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payee_name_changed_in_the_quote_cannot_execute() {
    let (bank, proxy, phone) = through_a_man_in_the_middle().await;
    let books = Books::open(&bank);
    let transfers = phone.mobank.transfers();
    proxy.change_payee_name_in_next_quotes(1);

    // The phone shows and signs the changed name: only the bank knows the real one.
    let confirmation = transfers.draft(rent(&books.payer)).await.unwrap();
    assert_ne!(confirmation.payee_name, LANDLORD_HOLDER_NAME);
    assert_eq!(
        confirmation.payee_name.chars().count(),
        LANDLORD_HOLDER_NAME.chars().count()
    );
    let sent = transfers
        .sign_and_submit_pin(&confirmation.token, pin(PIN).unwrap())
        .await;
    let error = sent.unwrap_err();
    assert!(
        matches!(&error, MobankError::ServerRejected { code, .. } if code == "bad_request"),
        "{error:?}"
    );
    assert_eq!(recorded(&bank, &confirmation.transfer_id), None);

    // A typed refusal before the bank recorded anything leaves nothing on the phone to send
    // later (decision record 0019): the customer was told it did not go.
    assert!(transfers.reconcile().await.unwrap().is_empty());
    assert!(transfers.list().await.unwrap().is_empty());
    books.assert_no_entry(&bank);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_limit_raised_in_the_channels_answer_does_not_let_a_transfer_over_the_real_limit_through()
{
    let (bank, proxy, phone) = through_a_man_in_the_middle().await;
    let books = Books::open(&bank);
    proxy.raise_room_in_next_channels(1);
    // A new device may send ¥500 at a time; the forged room says ¥900.
    let mut over = rent(&books.payer);
    over.amount = "800".to_owned();

    // The phone let it through to a quote; the bank refused it (its refusal names no limit,
    // the phone's own does).
    let drafted = phone.mobank.transfers().draft(over).await;
    assert_eq!(
        drafted.unwrap_err(),
        MobankError::LimitExceeded {
            limit: None,
            room: None
        }
    );
    books.assert_no_entry(&bank);
    assert!(phone.mobank.transfers().list().await.unwrap().is_empty());

    // Control: in a new session the channels arrive untouched, and the phone itself refuses
    // the same amount, naming the real room.
    phone.login_pin(PIN).await.unwrap();
    let mut again = rent(&books.payer);
    again.amount = "800".to_owned();
    assert_eq!(
        phone.mobank.transfers().draft(again).await.unwrap_err(),
        MobankError::LimitExceeded {
            limit: Some(LimitKind::PerTransaction),
            room: Some(Decimal::new(50_000, 2))
        }
    );
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_receipt_replayed_in_place_of_a_new_one_is_refused_and_the_transfer_settles_with_its_own(
) {
    let (bank, proxy, phone) = through_a_man_in_the_middle().await;
    let transfers = phone.mobank.transfers();
    let mut first = rent(&Books::open(&bank).payer);
    first.amount = "200".to_owned();
    let confirmation = transfers.draft(first).await.unwrap();
    let old = transfers
        .sign_and_submit_pin(&confirmation.token, pin(PIN).unwrap())
        .await
        .unwrap();
    assert_eq!(old.state, TransferState::Settled);

    let books = Books::open(&bank);
    let mut second = rent(&books.payer);
    second.amount = "300".to_owned();
    let confirmation = transfers.draft(second).await.unwrap();
    proxy.replay_old_receipt_in_next(1);
    let sent = transfers
        .sign_and_submit_pin(&confirmation.token, pin(PIN).unwrap())
        .await;
    assert_eq!(sent.unwrap_err(), MobankError::ReceiptInvalid);
    let open = transfers.list().await.unwrap();
    let shown = open
        .iter()
        .find(|summary| summary.transfer_id == confirmation.transfer_id)
        .unwrap();
    assert_eq!(shown.state, TransferState::Unknown);
    assert_eq!(shown.receipt, None);

    let reconciled = transfers.reconcile().await.unwrap();
    let state =
        books.assert_one_entry_or_none(&bank, &reconciled, &confirmation.transfer_id, "300");
    assert_eq!(state, TransferState::Settled);
    let own = reconciled[0].receipt.as_ref().unwrap();
    assert_ne!(Some(own), old.receipt.as_ref());
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bank_that_answers_in_tls_1_1_is_refused_before_any_request_byte() {
    let bank = Bank::start().await.unwrap();
    let server = Tls11Server::start().await.unwrap();
    let phone = Phone::new(BankEndpoint {
        base_url: format!("https://127.0.0.1:{}", server.port),
        spki_pins: vec![bank.sandbox.spki_pin()],
        receipt_keys: bank.receipt_keys(),
    })
    .unwrap();

    let result = phone
        .mobank
        .activation()
        .start(bank.issue_code().unwrap())
        .await;
    assert!(matches!(result, Err(MobankError::Tls { .. })), "{result:?}");
    let seen = server.seen().await.unwrap();
    assert_eq!(seen.first_record, 22, "a handshake first");
    // At most an alert follows: no record of application data, so no request.
    assert!(!seen.application_data);
    bank.stop().await;
}
