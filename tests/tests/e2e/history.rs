//! Transaction history end to end: the phone syncs the sandbox's seeded ledger over pinned TLS
//! into its encrypted store, resumes interrupted syncs, picks up new bookings, answers queries
//! that agree with the bank's own data, and keeps none of it readable on disk.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use mobank_core::{BindingState, MobankError, SyncProgress, SyncProgressListener, Transaction};
use mobank_e2e::{assert_no_file_holds, Bank, CountingProxy, Phone, PIN};
use mobank_protocol::messages::{AppendTransactionRequest, Transaction as BankTransaction};
use mobank_sandbox::DEMO_CUSTOMER_ID;
use rust_decimal::Decimal;
use tokio::sync::Notify;

const SEEDED: u32 = 3_000;
/// The alias under which the phone's key store keeps the store's wrapping key.
const STORE_KEY: &str = "mobank.store";
const CURRENT: &str = "acct_current_01";
const DAY_MS: i64 = 86_400_000;
const BEIJING_MS: i64 = 8 * 3_600_000;

async fn seeded_bank() -> Bank {
    Bank::start_with(|config| config.seed_history = SEEDED)
        .await
        .unwrap()
}

async fn logged_in(phone: &Phone) {
    phone.login_pin(PIN).await.unwrap();
}

async fn bound_phone(bank: &Bank) -> Phone {
    let phone = Phone::bound(bank, bank.endpoint()).await.unwrap();
    logged_in(&phone).await;
    phone
}

/// A bound, logged-in phone that has synced the whole history once.
async fn synced_phone(bank: &Bank) -> Phone {
    let phone = bound_phone(bank).await;
    phone.mobank.history().sync(None).await.unwrap();
    phone
}

/// The newest ten transactions of the current account.
async fn latest_ten(phone: &Phone) -> Result<Vec<Transaction>, MobankError> {
    phone.mobank.history().recent(CURRENT, 10).await
}

fn ledger(bank: &Bank) -> Vec<BankTransaction> {
    bank.sandbox.ledger(DEMO_CUSTOMER_ID).unwrap()
}

/// Every progress event, and a signal at the first one.
#[derive(Default)]
struct Progress {
    events: Mutex<Vec<SyncProgress>>,
    first: Notify,
    on_first: Mutex<Option<Box<dyn FnOnce() + Send>>>,
}

impl Progress {
    fn events(&self) -> Vec<SyncProgress> {
        self.events.lock().unwrap().clone()
    }
}

impl SyncProgressListener for Progress {
    fn on_progress(&self, progress: SyncProgress) {
        self.events.lock().unwrap().push(progress);
        if let Some(action) = self.on_first.lock().unwrap().take() {
            action();
        }
        self.first.notify_one();
    }
}

/// The bank's calendar day (Beijing time) of an instant, as days since 1970-01-01.
fn bank_day(at_ms: i64) -> i64 {
    (at_ms + BEIJING_MS).div_euclid(DAY_MS)
}

/// `yyyy-mm-dd` of a day number (the proleptic Gregorian calendar; H. Hinnant's algorithm).
fn iso(day: i64) -> String {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Every transaction on the phone, by asking each account for all of time.
async fn everything_on(phone: &Phone, accounts: &BTreeSet<String>) -> Vec<Transaction> {
    let mut all = Vec::new();
    for account in accounts {
        all.extend(
            phone
                .mobank
                .history()
                .between(account, "1970-01-01", "9999-12-31")
                .await
                .unwrap(),
        );
    }
    all
}

fn accounts_of(ledger: &[BankTransaction]) -> BTreeSet<String> {
    ledger.iter().map(|t| t.account_id.clone()).collect()
}

fn ids_of(transactions: &[Transaction]) -> Vec<String> {
    transactions
        .iter()
        .map(|t| t.transaction_id.clone())
        .collect()
}

/// The phone holds exactly the bank's ledger: every id once, with the bank's values.
async fn assert_phone_holds(phone: &Phone, ledger: &[BankTransaction]) {
    let all = everything_on(phone, &accounts_of(ledger)).await;
    assert_eq!(all.len(), ledger.len(), "every transaction exactly once");
    let on_phone: BTreeMap<&str, &Transaction> =
        all.iter().map(|t| (t.transaction_id.as_str(), t)).collect();
    assert_eq!(on_phone.len(), ledger.len(), "no duplicates");
    for bank in ledger {
        let phone = on_phone[bank.transaction_id.as_str()];
        assert_eq!(phone.account_id, bank.account_id);
        assert_eq!(phone.amount, bank.amount);
        assert_eq!(phone.currency, bank.currency);
        assert_eq!(phone.counterparty, bank.counterparty);
        assert_eq!(phone.memo, bank.memo);
        assert_eq!(phone.category, bank.category);
        assert_eq!(phone.booking_date, iso(bank_day(bank.booked_at_ms)));
    }
}

fn booking(memo: &str, counterparty: &str, amount: &str) -> AppendTransactionRequest {
    AppendTransactionRequest {
        account_id: None,
        amount: amount.parse().unwrap(),
        counterparty: counterparty.to_owned(),
        memo: memo.to_owned(),
        category: "shopping".to_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_sync_stores_exactly_the_banks_history_and_reports_progress() {
    let bank = seeded_bank().await;
    let phone = bound_phone(&bank).await;
    let ledger = ledger(&bank);
    assert!(ledger.len() >= SEEDED as usize, "{}", ledger.len());

    let progress = Arc::new(Progress::default());
    let report = phone
        .mobank
        .history()
        .sync(Some(progress.clone()))
        .await
        .unwrap();
    assert_eq!(report.fetched, ledger.len() as u64);
    assert_eq!(report.stored, ledger.len() as u64);
    assert_phone_holds(&phone, &ledger).await;

    let events = progress.events();
    assert!(events.len() >= 2, "{events:?}");
    assert!(events.windows(2).all(|w| w[0].fetched <= w[1].fetched));
    assert!(events[..events.len() - 1].iter().all(|e| !e.done));
    let last = events.last().unwrap();
    assert!(last.done);
    assert_eq!(last.fetched, ledger.len() as u64);
    // The bank counts what follows each page, so the total is known from the first event on.
    assert!(events
        .iter()
        .all(|e| e.total_estimate == Some(ledger.len() as u64)));

    // Nothing new at the bank: nothing fetched.
    let again = phone.mobank.history().sync(None).await.unwrap();
    assert_eq!((again.fetched, again.stored), (0, ledger.len() as u64));
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_incremental_sync_fetches_only_new_bookings() {
    let bank = seeded_bank().await;
    let phone = synced_phone(&bank).await;
    let before = ledger(&bank).len() as u64;

    let first = bank
        .sandbox
        .append_transaction(&booking("新书 new book", "当当 Dangdang", "-58.80"))
        .unwrap();
    let second = bank
        .sandbox
        .append_transaction(&booking("Refund 退款", "京东 JD.com", "12.34"))
        .unwrap();
    let report = phone.mobank.history().sync(None).await.unwrap();
    assert_eq!((report.fetched, report.stored), (2, before + 2));

    let latest = phone.mobank.history().recent(CURRENT, 2).await.unwrap();
    assert_eq!(
        ids_of(&latest),
        [second.transaction_id.clone(), first.transaction_id.clone()]
    );
    assert_eq!(latest[0].amount, "12.34".parse::<Decimal>().unwrap());
    assert_eq!(latest[1].memo, "新书 new book");
    assert_phone_holds(&phone, &ledger(&bank)).await;
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_sync_resumes_from_its_cursor_without_duplicates() {
    let bank = seeded_bank().await;
    let phone = bound_phone(&bank).await;
    let ledger = ledger(&bank);
    let total = ledger.len() as u64;

    let progress = Arc::new(Progress::default());
    let first_page = progress.first.notified();
    let history = phone.mobank.history();
    let sync = history.sync(Some(progress.clone()));
    tokio::select! {
        biased;
        () = first_page => {}
        result = sync => panic!("the sync ended before it was cancelled: {result:?}"),
    }
    // The future is dropped: the sync stopped after storing at least its first page.
    let stored_before = progress.events()[0].fetched;
    assert!(stored_before > 0 && stored_before < total);

    let resumed = phone.mobank.history().sync(None).await.unwrap();
    assert!(
        resumed.fetched <= total - stored_before,
        "resumed from the cursor, not from the start: {resumed:?}"
    );
    assert_eq!(resumed.stored, total);
    assert_phone_holds(&phone, &ledger).await;
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_connection_interrupts_the_sync_and_a_restarted_app_resumes_it() {
    let bank = seeded_bank().await;
    let proxy = Arc::new(CountingProxy::start(&bank).await.unwrap());
    let phone = Phone::bound(&bank, proxy.endpoint(&bank)).await.unwrap();
    logged_in(&phone).await;
    let ledger = ledger(&bank);
    let total = ledger.len() as u64;

    // The line goes dead as soon as the first page is stored.
    let progress = Arc::new(Progress::default());
    let cutter = Arc::clone(&proxy);
    *progress.on_first.lock().unwrap() = Some(Box::new(move || cutter.cut()));
    let error = phone
        .mobank
        .history()
        .sync(Some(progress.clone()))
        .await
        .unwrap_err();
    let MobankError::SyncInterrupted { fetched } = error else {
        panic!("expected SyncInterrupted, got {error:?}");
    };
    assert!(fetched > 0 && fetched < total, "{fetched}");
    assert!(progress.events().iter().all(|e| !e.done));

    // The app is restarted, reaching the bank directly now.
    let phone = phone.restart(bank.endpoint()).unwrap();
    logged_in(&phone).await;
    let resumed = phone.mobank.history().sync(None).await.unwrap();
    assert_eq!(resumed.fetched, total - fetched, "exactly what was missing");
    assert_eq!(resumed.stored, total);
    assert_phone_holds(&phone, &ledger).await;
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queries_agree_with_the_banks_own_data() {
    let bank = seeded_bank().await;
    let phone = synced_phone(&bank).await;
    let ledger = ledger(&bank);

    // Last N: newest day first; within a day, latest booked first.
    let mut current: Vec<(usize, &BankTransaction)> = ledger
        .iter()
        .enumerate()
        .filter(|(_, t)| t.account_id == CURRENT)
        .collect();
    current.sort_by_key(|(seq, t)| std::cmp::Reverse((bank_day(t.booked_at_ms), *seq)));
    let expected: Vec<String> = current
        .iter()
        .take(50)
        .map(|(_, t)| t.transaction_id.clone())
        .collect();
    let latest = phone.mobank.history().recent(CURRENT, 50).await.unwrap();
    assert_eq!(ids_of(&latest), expected);

    // A date range includes both of its ends.
    let newest_day = bank_day(current[0].1.booked_at_ms);
    let (from, to) = (newest_day - 20, newest_day - 10);
    let in_range: BTreeSet<String> = current
        .iter()
        .filter(|(_, t)| (from..=to).contains(&bank_day(t.booked_at_ms)))
        .map(|(_, t)| t.transaction_id.clone())
        .collect();
    let found = phone
        .mobank
        .history()
        .between(CURRENT, &iso(from), &iso(to))
        .await
        .unwrap();
    assert_eq!(
        ids_of(&found).into_iter().collect::<BTreeSet<_>>(),
        in_range
    );
    assert_eq!(found.len(), in_range.len());
    assert_eq!(found.first().unwrap().booking_date, iso(to));
    assert_eq!(found.last().unwrap().booking_date, iso(from));
    assert!(found
        .windows(2)
        .all(|w| w[0].booking_date >= w[1].booking_date));

    // Search: Chinese as a substring, English in any case, over counterparty and memo.
    let matching = |needle: &str| -> BTreeSet<String> {
        ledger
            .iter()
            .filter(|t| {
                t.counterparty.to_lowercase().contains(needle)
                    || t.memo.to_lowercase().contains(needle)
            })
            .map(|t| t.transaction_id.clone())
            .collect()
    };
    let hotpot_zh = matching("火锅");
    assert!(!hotpot_zh.is_empty());
    let found = phone.mobank.history().search("火锅", 1000).await.unwrap();
    assert_eq!(
        ids_of(&found).into_iter().collect::<BTreeSet<_>>(),
        hotpot_zh
    );
    let starbucks = matching("starbucks");
    assert!(!starbucks.is_empty() && starbucks.len() <= 1000);
    for needle in ["STARBUCKS", "starbucks", "StarBucks", "ＳＴＡＲＢＵＣＫＳ"] {
        let found = phone.mobank.history().search(needle, 1000).await.unwrap();
        assert_eq!(
            ids_of(&found).into_iter().collect::<BTreeSet<_>>(),
            starbucks,
            "{needle}"
        );
    }
    let newest_three = phone.mobank.history().search("starbucks", 3).await.unwrap();
    assert_eq!(newest_three.len(), 3);
    assert!(newest_three
        .windows(2)
        .all(|w| w[0].booking_date >= w[1].booking_date));
    assert!(phone
        .mobank
        .history()
        .search("no such merchant 无此商户", 10)
        .await
        .unwrap()
        .is_empty());

    // The monthly summary of the newest month equals sums over the bank's rows.
    let month = &iso(newest_day)[..7];
    let (year, month_number): (i32, u8) =
        (month[..4].parse().unwrap(), month[5..].parse().unwrap());
    let mut expected: BTreeMap<(String, String), (Decimal, Decimal, u32)> = BTreeMap::new();
    for t in ledger
        .iter()
        .filter(|t| iso(bank_day(t.booked_at_ms)).starts_with(month))
    {
        let entry = expected
            .entry((t.category.clone(), t.currency.clone()))
            .or_insert((Decimal::ZERO, Decimal::ZERO, 0));
        if t.amount.is_sign_negative() {
            entry.0 -= t.amount;
        } else {
            entry.1 += t.amount;
        }
        entry.2 += 1;
    }
    assert!(!expected.is_empty());
    let summary = phone
        .mobank
        .history()
        .spending_summary(year, month_number)
        .await
        .unwrap();
    let got: BTreeMap<(String, String), (Decimal, Decimal, u32)> = summary
        .iter()
        .map(|c| {
            (
                (c.category.clone(), c.currency.clone()),
                (c.spent, c.received, c.transactions),
            )
        })
        .collect();
    assert_eq!(got, expected);
    assert!(summary.windows(2).all(|w| w[0].spent >= w[1].spent));
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_needs_a_session_and_checks_its_arguments() {
    let bank = seeded_bank().await;
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    assert_eq!(
        phone.mobank.history().sync(None).await.unwrap_err(),
        MobankError::NotLoggedIn
    );
    assert_eq!(
        latest_ten(&phone).await.unwrap_err(),
        MobankError::NotLoggedIn
    );
    logged_in(&phone).await;
    for result in [
        phone.mobank.history().recent(CURRENT, 0).await,
        phone.mobank.history().recent("", 10).await,
        phone
            .mobank
            .history()
            .between(CURRENT, "2024-02-30", "2024-03-01")
            .await,
        phone
            .mobank
            .history()
            .between(CURRENT, "2024-03-02", "2024-03-01")
            .await,
        phone.mobank.history().search(" ", 10).await,
    ] {
        assert!(
            matches!(result, Err(MobankError::InvalidInput { .. })),
            "{result:?}"
        );
    }
    assert!(matches!(
        phone.mobank.history().spending_summary(2024, 13).await,
        Err(MobankError::InvalidInput { .. })
    ));
    // Before any sync the history is empty, not an error.
    assert!(latest_ten(&phone).await.unwrap().is_empty());
    phone.mobank.auth().logout();
    assert_eq!(
        phone.mobank.history().search("hema", 10).await.unwrap_err(),
        MobankError::NotLoggedIn
    );
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_file_on_the_phone_holds_history_text_or_account_numbers() {
    let bank = seeded_bank().await;
    let phone = bound_phone(&bank).await;
    let memo = "CANARY-MEMO-51c7 金丝雀备忘";
    let counterparty = "Canary Counterparty 8e2d 金丝雀商户";
    bank.sandbox
        .append_transaction(&booking(memo, counterparty, "-123.45"))
        .unwrap();
    phone.mobank.history().sync(None).await.unwrap();
    // The phone really has them, in clear, through the API.
    let found = phone.mobank.history().search("金丝雀", 10).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].memo.as_str(), found[0].counterparty.as_str()),
        (memo, counterparty)
    );
    logged_in(&phone).await;

    let mut canaries: Vec<String> = vec![memo.to_owned(), counterparty.to_owned()];
    canaries.extend(bank.sandbox.account_numbers(DEMO_CUSTOMER_ID).unwrap());
    // A sample of the seeded text, Chinese and English, and transaction ids.
    let ledger = ledger(&bank);
    for t in ledger.iter().step_by(97).take(20) {
        canaries.push(t.memo.clone());
        canaries.push(t.transaction_id.clone());
    }
    canaries.retain(|c| c.len() >= 6);
    canaries.push("Bearer".to_owned());
    let canaries: Vec<(String, Vec<u8>)> = canaries
        .into_iter()
        .map(|c| (format!("{c:?}"), c.into_bytes()))
        .collect();

    let check = |when: &str| {
        let files = phone.files().unwrap();
        assert!(files
            .iter()
            .any(|(path, _)| path.ends_with("store/cache.db")));
        assert_no_file_holds(&files, &canaries, when);
    };
    check("while open");
    phone.mobank.pause_storage().unwrap();
    check("after pause");
    phone.mobank.resume_storage().unwrap();
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_store_key_means_rebind_never_plaintext_or_an_empty_history() {
    let bank = seeded_bank().await;
    let phone = synced_phone(&bank).await;
    assert!(phone.key_store.aliases().contains(&STORE_KEY.to_owned()));

    // The platform loses the store's key (say, a backup restored to a new phone).
    use mobank_core::platform::KeyStore;
    phone.key_store.delete(STORE_KEY).unwrap();
    let phone = phone.restart(bank.endpoint()).unwrap();
    // The binding lives in the store: it is gone with the key. No session, so no history.
    assert_eq!(
        phone.mobank.binding_state().unwrap(),
        BindingState::NotBound
    );
    assert_eq!(
        phone.login_pin(PIN).await.unwrap_err(),
        MobankError::NotBound
    );
    assert_eq!(
        latest_ten(&phone).await.unwrap_err(),
        MobankError::NotLoggedIn
    );
    assert_eq!(
        phone.mobank.history().sync(None).await.unwrap_err(),
        MobankError::NotLoggedIn
    );
    assert!(
        !phone.key_store.aliases().contains(&STORE_KEY.to_owned()),
        "no new key was made over the old store"
    );
    assert!(phone
        .files()
        .unwrap()
        .iter()
        .any(|(path, _)| path.ends_with("store/vault.db")));

    // Re-binding: unbind wipes the store with everything else (the bank cannot be told: nothing
    // can be signed without the binding); the new binding syncs afresh.
    assert!(
        !phone
            .mobank
            .devices()
            .unbind()
            .await
            .unwrap()
            .bank_confirmed
    );
    assert!(phone.files().unwrap().is_empty());
    assert_eq!(
        phone.mobank.binding_state().unwrap(),
        BindingState::NotBound
    );
    phone.bind(&bank).await.unwrap();
    logged_in(&phone).await;
    let report = phone.mobank.history().sync(None).await.unwrap();
    assert_eq!(report.stored, ledger(&bank).len() as u64);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_key_store_is_storage_locked_not_an_empty_history() {
    let bank = seeded_bank().await;
    let phone = synced_phone(&bank).await;
    let phone = phone.restart(bank.endpoint()).unwrap();

    // The store (with the binding in it) cannot be opened before the phone is unlocked: the
    // login says so, rather than "not bound"; nothing is lost.
    phone.key_store.set_locked(true);
    assert_eq!(
        phone.login_pin(PIN).await.unwrap_err(),
        MobankError::StorageLocked
    );
    assert_eq!(
        phone.mobank.binding_state().unwrap_err(),
        MobankError::StorageLocked
    );
    phone.key_store.set_locked(false);
    logged_in(&phone).await;
    assert_eq!(latest_ten(&phone).await.unwrap().len(), 10);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paused_storage_answers_paused_until_resumed() {
    let bank = seeded_bank().await;
    let phone = synced_phone(&bank).await;
    phone.mobank.pause_storage().unwrap();
    assert_eq!(
        latest_ten(&phone).await.unwrap_err(),
        MobankError::StoragePaused
    );
    assert_eq!(
        phone.mobank.history().sync(None).await.unwrap_err(),
        MobankError::StoragePaused
    );
    // Checkpointed and closed: no write-ahead log is left with data in it.
    for (path, bytes) in phone.files().unwrap() {
        if path.to_string_lossy().ends_with("-wal") {
            assert!(bytes.is_empty(), "{}", path.display());
        }
    }
    phone.mobank.resume_storage().unwrap();
    assert_eq!(latest_ten(&phone).await.unwrap().len(), 10);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_mobank_closes_its_store_at_once_though_handles_live_on() {
    let bank = seeded_bank().await;
    let phone = synced_phone(&bank).await;
    let history = phone.mobank.history();
    let store_dir = phone.data_dir.join(mobank_e2e::STORE_DIR);
    let Phone { mobank, .. } = phone;
    drop(mobank);

    // Closed, not merely unreferenced: the directory can go at once and nothing comes back.
    std::fs::remove_dir_all(&store_dir).unwrap();
    assert_eq!(
        history.sync(None).await.unwrap_err(),
        MobankError::StoragePaused
    );
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    drop(history);
    assert!(!store_dir.exists(), "a closed store wrote again");
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_binding_never_sees_the_previous_bindings_history() {
    let bank = seeded_bank().await;
    let phone = synced_phone(&bank).await;

    // The device keys are gone (a reinstall that kept the files): the phone is bound afresh.
    let possession = phone.key_alias(".possession").unwrap();
    use mobank_core::platform::KeyStore;
    phone.key_store.delete(&possession).unwrap();
    assert_eq!(
        phone.mobank.binding_state().unwrap(),
        BindingState::NotBound
    );
    let phone = phone.restart(bank.endpoint()).unwrap();
    phone.bind(&bank).await.unwrap();
    logged_in(&phone).await;
    assert!(latest_ten(&phone).await.unwrap().is_empty());
    let report = phone.mobank.history().sync(None).await.unwrap();
    assert_eq!(report.fetched, report.stored);
    assert_phone_holds(&phone, &ledger(&bank)).await;
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_history_record_is_reported_cleared_and_synced_again() {
    let bank = seeded_bank().await;
    let phone = synced_phone(&bank).await;
    phone.mobank.pause_storage().unwrap();

    // One byte of one sealed record is flipped on disk.
    let cache = phone.data_dir.join("store").join("cache.db");
    {
        let db = rusqlite::Connection::open(&cache).unwrap();
        let (rowid, mut sealed): (i64, Vec<u8>) = db
            .query_row(
                "SELECT rowid, sealed FROM tx LIMIT 1 OFFSET 1000",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .unwrap();
        let middle = sealed.len() / 2;
        sealed[middle] ^= 0x01;
        db.execute(
            "UPDATE tx SET sealed = ?1 WHERE rowid = ?2",
            rusqlite::params![sealed, rowid],
        )
        .unwrap();
    }
    phone.mobank.resume_storage().unwrap();

    // A search reads every record: it meets the damaged one.
    assert_eq!(
        phone.mobank.history().search("hema", 10).await.unwrap_err(),
        MobankError::HistoryDamaged
    );
    assert!(latest_ten(&phone).await.unwrap().is_empty());
    let report = phone.mobank.history().sync(None).await.unwrap();
    assert_eq!(report.fetched, ledger(&bank).len() as u64);
    assert_phone_holds(&phone, &ledger(&bank)).await;
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_too_large_for_the_phone_are_fetched_in_smaller_ones() {
    let bank = Bank::start().await.unwrap();
    let phone = bound_phone(&bank).await;
    // 1,200 bookings with the longest texts the bank takes: a page of 1,000 is over 1 MiB.
    let memo = "长".repeat(200);
    let counterparty = "名".repeat(200);
    for _ in 0..1_200 {
        bank.sandbox
            .append_transaction(&booking(&memo, &counterparty, "1.00"))
            .unwrap();
    }
    let ledger = ledger(&bank);
    let report = phone.mobank.history().sync(None).await.unwrap();
    assert_eq!(
        (report.fetched, report.stored),
        (ledger.len() as u64, ledger.len() as u64)
    );
    assert_phone_holds(&phone, &ledger).await;
    bank.stop().await;
}
