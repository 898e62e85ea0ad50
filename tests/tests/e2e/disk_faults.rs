//! The disk fails at the one write a transfer cannot leave without: its outbox record. The
//! phone sends the rent in its own process (the `crash-phone` binary) over a data directory on
//! a file system the test controls; the core holds the process right after signing (the
//! `signed` pause point), the test fills the disk or makes it read-only, and the transfer goes
//! on to write its outbox record. Every case ends with a typed error, nothing sent to the bank,
//! the store opening afterwards with its earlier records, and a retry that goes through once
//! the disk is usable again.
//!
//! Both file systems are mounted, so these tests need root (`mobank_e2e::disk`).

use std::path::Path;

use mobank_core::{MobankError, TransferInput, TransferState, TransferSummary};
use mobank_e2e::crash_phone::{rent, DurablePhone, Ended, PhoneProcess, RENT};
use mobank_e2e::disk::{Ext4Image, TinyTmpfs};
use mobank_e2e::{pin, Bank, PIN};
use mobank_protocol::transfer::IdempotencyKey;
use mobank_sandbox::DEMO_CUSTOMER_ID;
use rust_decimal::Decimal;

const CRASH_PHONE: &str = env!("CARGO_BIN_EXE_crash-phone");
/// Signed, not yet in the outbox (`core/src/kill.rs`).
const SIGNED: &str = "signed";

/// What the phone paid the landlord before the disk broke: not the rent's amount, so the rent
/// that follows is neither a repeated payment nor an unusual one (either would wait for the
/// customer to acknowledge a warning).
const EARLIER: &str = "300";

/// A bound phone over `data_dir` that has paid the landlord once; returns it with the settled
/// transfer.
async fn phone_with_one_transfer(bank: &Bank, data_dir: &Path) -> (DurablePhone, TransferSummary) {
    let phone = DurablePhone::with_data_dir(data_dir.join("mobank")).unwrap();
    phone.bind(bank).await.unwrap();
    let sent = pay_landlord(&phone, bank, EARLIER).await.unwrap();
    assert_eq!(sent.state, TransferState::Settled);
    (phone, sent)
}

/// Opens the app over the phone's files, logs in and pays the landlord `amount` in this
/// process.
async fn pay_landlord(
    phone: &DurablePhone,
    bank: &Bank,
    amount: &str,
) -> Result<TransferSummary, MobankError> {
    let mobank = phone.open(bank.endpoint(), None).unwrap();
    mobank.auth().login_pin(pin(PIN).unwrap()).await?;
    let input = TransferInput {
        amount: amount.to_owned(),
        ..rent(&payer(bank))
    };
    let transfers = mobank.transfers();
    let confirmation = transfers.draft(input).await?;
    transfers
        .sign_and_submit_pin(&confirmation.token, pin(PIN).unwrap())
        .await
}

fn payer(bank: &Bank) -> String {
    bank.sandbox
        .accounts(DEMO_CUSTOMER_ID)
        .unwrap()
        .into_iter()
        .find(|account| account.currency == "CNY" && account.parent_account_id.is_none())
        .unwrap()
        .account_id
}

fn ledger_rows(bank: &Bank) -> usize {
    bank.sandbox.ledger(DEMO_CUSTOMER_ID).unwrap().len()
}

/// Runs the rent in a child process held at [`SIGNED`]; `break_disk` runs while it is held.
/// Returns the transfer's id and how the process ended.
async fn transfer_with_disk_broken_after_signing(
    phone: &DurablePhone,
    bank: &Bank,
    break_disk: impl FnOnce() + Send + 'static,
) -> (String, Ended) {
    let mut child: PhoneProcess = phone
        .spawn_transfer_pausing(CRASH_PHONE.as_ref(), &bank.endpoint(), &payer(bank), SIGNED)
        .unwrap();
    tokio::task::spawn_blocking(move || {
        let transfer_id = child.transfer_id().unwrap();
        child.wait_until_paused_at(SIGNED).unwrap();
        break_disk();
        child.carry_on().unwrap();
        (transfer_id, child.wait().unwrap())
    })
    .await
    .unwrap()
}

/// Nothing reached the bank: no outcome under the transfer's key, no new ledger row, the
/// ledger balanced.
fn assert_bank_saw_nothing(bank: &Bank, transfer_id: &str, rows_before: usize) {
    let key = IdempotencyKey::parse(transfer_id).unwrap();
    assert_eq!(
        bank.sandbox
            .transfer_outcome(DEMO_CUSTOMER_ID, key)
            .unwrap(),
        None
    );
    assert_eq!(ledger_rows(bank), rows_before);
    assert!(bank.sandbox.check_ledger().unwrap().balanced);
}

/// After the disk is usable again: the store opens, the list holds the earlier transfer as it
/// was and nothing of the failed one, and a new transfer goes through once.
async fn assert_store_intact_and_a_retry_goes_through(
    phone: &DurablePhone,
    bank: &Bank,
    earlier: &TransferSummary,
    failed_id: &str,
) {
    let mobank = phone.open(bank.endpoint(), None).unwrap();
    let listed = mobank.transfers().list().await.unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].transfer_id, earlier.transfer_id);
    assert_eq!(listed[0].state, TransferState::Settled);
    assert_eq!(listed[0].receipt, earlier.receipt);
    assert!(listed.iter().all(|t| t.transfer_id != failed_id));
    drop(mobank);

    let rows_before = ledger_rows(bank);
    let retried = pay_landlord(phone, bank, RENT).await.unwrap();
    assert_eq!(retried.state, TransferState::Settled);
    assert_ne!(retried.transfer_id, failed_id, "a new intent, a new key");
    let ledger = bank.sandbox.ledger(DEMO_CUSTOMER_ID).unwrap();
    let rent: Decimal = RENT.parse().unwrap();
    let new_rows = &ledger[rows_before..];
    assert_eq!(new_rows.len(), 1, "{new_rows:?}");
    assert_eq!(new_rows[0].amount, -rent);
    assert!(bank.sandbox.check_ledger().unwrap().balanced);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_at_the_outbox_write_is_storage_full_sends_nothing_and_a_retry_goes_through() {
    let disk = std::sync::Arc::new(TinyTmpfs::mount(4096).unwrap());
    let bank = Bank::start().await.unwrap();
    let (phone, earlier) = phone_with_one_transfer(&bank, disk.path()).await;
    let rows_before = ledger_rows(&bank);

    let filled = std::sync::Arc::clone(&disk);
    let (transfer_id, ended) = transfer_with_disk_broken_after_signing(&phone, &bank, move || {
        filled.fill().unwrap();
    })
    .await;

    assert_eq!(
        ended.finished.as_deref(),
        Some(format!("{:?}", Err::<TransferState, _>(MobankError::StorageFull)).as_str()),
        "{ended:?}"
    );
    assert_bank_saw_nothing(&bank, &transfer_id, rows_before);

    disk.free().unwrap();
    assert_store_intact_and_a_retry_goes_through(&phone, &bank, &earlier, &transfer_id).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_data_directory_turned_read_only_at_the_outbox_write_is_storage_read_only_sends_nothing_and_a_retry_goes_through(
) {
    let mut disk = Ext4Image::mount(32).unwrap();
    let bank = Bank::start().await.unwrap();
    let (phone, earlier) = phone_with_one_transfer(&bank, disk.path()).await;
    let rows_before = ledger_rows(&bank);

    let device = disk.trigger().unwrap();
    let (transfer_id, ended) = transfer_with_disk_broken_after_signing(&phone, &bank, move || {
        device.fail_read_only().unwrap();
    })
    .await;

    assert_eq!(
        ended.finished.as_deref(),
        Some(
            format!(
                "{:?}",
                Err::<TransferState, _>(MobankError::StorageReadOnly)
            )
            .as_str()
        ),
        "{ended:?}"
    );
    assert_bank_saw_nothing(&bank, &transfer_id, rows_before);

    // The phone's answer to a file-system error: the app quits, the file system is checked
    // and mounted writable again, the app starts.
    disk.repair().unwrap();
    assert_store_intact_and_a_retry_goes_through(&phone, &bank, &earlier, &transfer_id).await;
}
