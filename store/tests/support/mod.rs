//! Shared by the integration tests and the fixture writer: a key wrapper with failure knobs and
//! deterministic sample data.
#![allow(dead_code, clippy::unwrap_used)]

pub mod fixture;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use mobank_store::{KeyWrapper, Store, Transaction, WrapError, Zeroizing};
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM};
use ring::rand::{SecureRandom, SystemRandom};

/// The key-encryption key of the committed fixtures (test data only).
pub const FIXTURE_KEK: [u8; 32] = *b"mobank-store fixture kek, tests!";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    NotFound,
    Invalidated,
    Locked,
    /// Unwrap "succeeds" with a key that is not the store's.
    WrongKey,
}

/// AES-GCM wrapping in memory, standing in for Android Keystore / the Secure Enclave.
pub struct TestWrapper {
    kek: LessSafeKey,
    mode: Mutex<Mode>,
    deletes: AtomicUsize,
    unwraps: AtomicUsize,
}

impl TestWrapper {
    pub fn new() -> Arc<TestWrapper> {
        let mut kek = [0u8; 32];
        SystemRandom::new().fill(&mut kek).unwrap();
        TestWrapper::with_kek(kek)
    }

    pub fn fixture() -> Arc<TestWrapper> {
        TestWrapper::with_kek(FIXTURE_KEK)
    }

    fn with_kek(kek: [u8; 32]) -> Arc<TestWrapper> {
        Arc::new(TestWrapper {
            kek: LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &kek).unwrap()),
            mode: Mutex::new(Mode::Normal),
            deletes: AtomicUsize::new(0),
            unwraps: AtomicUsize::new(0),
        })
    }

    pub fn set_mode(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }

    pub fn deletes(&self) -> usize {
        self.deletes.load(Ordering::SeqCst)
    }

    pub fn unwraps(&self) -> usize {
        self.unwraps.load(Ordering::SeqCst)
    }

    fn mode(&self) -> Mode {
        *self.mode.lock().unwrap()
    }
}

impl KeyWrapper for TestWrapper {
    fn wrap(&self, plaintext: &[u8]) -> Result<Vec<u8>, WrapError> {
        match self.mode() {
            Mode::Locked => return Err(WrapError::Locked),
            Mode::Invalidated => return Err(WrapError::Invalidated),
            _ => {}
        }
        let mut nonce = [0u8; 12];
        SystemRandom::new().fill(&mut nonce).unwrap();
        let mut out = plaintext.to_vec();
        self.kek
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut out)
            .unwrap();
        let mut wrapped = nonce.to_vec();
        wrapped.extend_from_slice(&out);
        Ok(wrapped)
    }

    fn unwrap(&self, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, WrapError> {
        self.unwraps.fetch_add(1, Ordering::SeqCst);
        match self.mode() {
            Mode::NotFound => return Err(WrapError::NotFound),
            Mode::Invalidated => return Err(WrapError::Invalidated),
            Mode::Locked => return Err(WrapError::Locked),
            Mode::WrongKey => return Ok(Zeroizing::new(vec![0x5a; 32])),
            Mode::Normal => {}
        }
        let (nonce, sealed) = wrapped.split_at(12);
        let mut buf = Zeroizing::new(sealed.to_vec());
        let nonce = Nonce::try_assume_unique_for_key(nonce).unwrap();
        let len = self
            .kek
            .open_in_place(nonce, Aad::empty(), &mut buf)
            .map_err(|_| WrapError::Other("unwrap failed".into()))?
            .len();
        buf.truncate(len);
        Ok(buf)
    }

    fn delete(&self) -> Result<(), WrapError> {
        self.deletes.fetch_add(1, Ordering::SeqCst);
        self.set_mode(Mode::NotFound);
        Ok(())
    }
}

pub fn open(dir: &Path, wrapper: &Arc<TestWrapper>) -> Store {
    Store::open(dir, wrapper.clone()).unwrap()
}

pub const CURRENT: &str = "acc-cny-current";
pub const SAVINGS: &str = "acc-cny-savings";

/// `n` transactions over two accounts, ten per day, mixing Chinese and English text.
pub fn transactions(n: usize) -> Vec<Transaction> {
    const PARTIES: [(&str, &str, &str); 6] = [
        ("北京华联超市", "每周采购 groceries", "groceries"),
        ("国家电网", "电费 March electricity", "utilities"),
        ("Starbucks Coffee Shanghai", "拿铁 latte", "dining"),
        ("上海某某物业管理有限公司", "房租 rent", "rent"),
        ("Apple Services", "iCloud storage", "subscriptions"),
        ("某某科技有限公司", "工资 salary", "salary"),
    ];
    (0..n)
        .map(|i| {
            let (counterparty, memo, category) = PARTIES[i % PARTIES.len()];
            let salary = category == "salary";
            Transaction {
                id: format!("TX{:08}", i),
                account_id: if i % 3 == 0 { SAVINGS } else { CURRENT }.to_owned(),
                booking_day: 19_700 + (i / 10) as i32,
                amount_minor: if salary {
                    1_500_000
                } else {
                    -((i as i64 % 900) + 100)
                },
                currency: "CNY".to_owned(),
                counterparty: counterparty.to_owned(),
                memo: format!("{memo} #{i}"),
                category: category.to_owned(),
                booked_at_ms: None,
                counterparty_account: None,
            }
        })
        .collect()
}

/// Whether `needle` occurs anywhere in any file of `dir`.
pub fn any_file_contains(dir: &Path, needle: &[u8]) -> Vec<String> {
    let mut hits = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            if bytes.windows(needle.len()).any(|w| w == needle) {
                hits.push(path.display().to_string());
            }
        }
    }
    hits
}
