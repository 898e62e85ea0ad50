//! The benchmark workload on the Mobank store.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use mobank_store::{KeyWrapper, Store, Transaction, WrapError, Zeroizing};
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM};
use ring::rand::{SecureRandom, SystemRandom};

use crate::workload::{self, Checksum, Measured, Tx, MIB};

/// Stands in for the platform key store: AES-GCM in process memory. A real Keystore or Secure
/// Enclave unwrap adds the platform's own latency to `open_ms`.
struct InProcessWrapper(LessSafeKey);

impl InProcessWrapper {
    fn new() -> Result<InProcessWrapper, String> {
        let mut kek = Zeroizing::new([0u8; 32]);
        SystemRandom::new()
            .fill(&mut kek[..])
            .map_err(|_| "random")?;
        let key = UnboundKey::new(&AES_256_GCM, &kek[..]).map_err(|_| "key")?;
        Ok(InProcessWrapper(LessSafeKey::new(key)))
    }
}

impl KeyWrapper for InProcessWrapper {
    fn wrap(&self, plaintext: &[u8]) -> Result<Vec<u8>, WrapError> {
        let mut nonce = [0u8; 12];
        SystemRandom::new()
            .fill(&mut nonce)
            .map_err(|_| WrapError::Other("random".into()))?;
        let mut sealed = plaintext.to_vec();
        self.0
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::empty(),
                &mut sealed,
            )
            .map_err(|_| WrapError::Other("seal".into()))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    fn unwrap(&self, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, WrapError> {
        if wrapped.len() < 12 {
            return Err(WrapError::Other("short".into()));
        }
        let (nonce, sealed) = wrapped.split_at(12);
        let nonce = Nonce::try_assume_unique_for_key(nonce)
            .map_err(|_| WrapError::Other("nonce".into()))?;
        let mut buf = Zeroizing::new(sealed.to_vec());
        let len = self
            .0
            .open_in_place(nonce, Aad::empty(), &mut buf)
            .map_err(|_| WrapError::NotFound)?
            .len();
        buf.truncate(len);
        Ok(buf)
    }

    fn delete(&self) -> Result<(), WrapError> {
        Ok(())
    }
}

fn add(sum: &mut Checksum, t: &Transaction) {
    sum.add(
        &t.id,
        &t.account_id,
        t.booking_day,
        t.amount_minor,
        &t.currency,
        &t.counterparty,
        &t.memo,
        &t.category,
    );
}

pub fn run(dir: &Path, txs: Vec<Tx>, baseline_kib: u64) -> Result<Measured, String> {
    let err = |e: mobank_store::StoreError| e.to_string();
    let wrapper: Arc<dyn KeyWrapper> = Arc::new(InProcessWrapper::new()?);
    let ids: Vec<String> = (0..workload::POINT_LOOKUPS)
        .map(|k| txs[workload::lookup_index(k)].id.clone())
        .collect();
    // Moved, not copied: the conversion costs nothing and happens before the clock starts.
    let txs: Vec<Transaction> = txs
        .into_iter()
        .map(|t| Transaction {
            id: t.id,
            account_id: t.account_id,
            booking_day: t.booking_day,
            amount_minor: t.amount_minor,
            currency: t.currency,
            counterparty: t.counterparty,
            memo: t.memo,
            category: t.category,
            booked_at_ms: None,
            counterparty_account: None,
        })
        .collect();
    let mut sum = Checksum::default();
    let store = Store::open(dir, wrapper.clone()).map_err(err)?;

    let cpu = workload::thread_cpu_ns();
    let started = Instant::now();
    store.insert_transactions(&txs).map_err(err)?;
    let insert_100k_ms = workload::ms(started.elapsed());
    let insert_cpu_ms = workload::thread_cpu_ns().saturating_sub(cpu) as f64 / 1e6;

    let started = Instant::now();
    for id in &ids {
        let tx = store
            .transaction_by_id(id)
            .map_err(err)?
            .ok_or("lookup missed")?;
        add(&mut sum, &tx);
    }
    let point_lookup_us = workload::ms(started.elapsed()) * 1e3 / workload::POINT_LOOKUPS as f64;

    let started = Instant::now();
    for k in 0..workload::LAST50_QUERIES {
        let last = store.last_n(workload::last50_account(k), 50).map_err(err)?;
        if last.len() != 50 {
            return Err("short last-50".into());
        }
        last.iter().for_each(|t| add(&mut sum, t));
    }
    let last50_us = workload::ms(started.elapsed()) * 1e3 / workload::LAST50_QUERIES as f64;

    drop(store);

    let mut opens = Vec::with_capacity(workload::OPEN_REPEATS);
    for _ in 0..workload::OPEN_REPEATS {
        let started = Instant::now();
        let store = Store::open(dir, wrapper.clone()).map_err(err)?;
        let mut first = Checksum::default();
        store
            .last_n(workload::ACCOUNTS[0], 50)
            .map_err(err)?
            .iter()
            .for_each(|t| add(&mut first, t));
        opens.push(workload::ms(started.elapsed()));
        drop(store);
        sum.add(&first.hex(), "", 0, 0, "", "", "", "");
    }

    let peak = workload::proc_status_kib("VmHWM");

    let store = Store::open(dir, wrapper.clone()).map_err(err)?;
    // Not part of the comparison: what the decrypt-and-scan search and the summary cost here.
    let timed = |f: &dyn Fn() -> Result<usize, String>| -> Result<f64, String> {
        let mut runs = Vec::new();
        for _ in 0..5 {
            let started = Instant::now();
            f()?;
            runs.push(workload::ms(started.elapsed()));
        }
        Ok(workload::median(&mut runs))
    };
    let search_all_ms = timed(&|| Ok(store.search("starbucks", None, 50).map_err(err)?.len()))?;
    let search_account_ms = timed(&|| {
        Ok(store
            .search("物业", Some(workload::ACCOUNTS[1]), 50)
            .map_err(err)?
            .len())
    })?;
    let summary_ms = timed(&|| Ok(store.monthly_summary(2024, 6, None).map_err(err)?.len()))?;
    drop(store);
    Ok(Measured {
        insert_100k_ms,
        insert_cpu_ms,
        point_lookup_us,
        last50_us,
        open_ms: workload::median(&mut opens),
        file_mib: workload::dir_bytes(dir) as f64 / MIB,
        peak_rss_mib: peak.saturating_sub(baseline_kib) as f64 / 1024.0,
        process_peak_rss_mib: peak as f64 / 1024.0,
        checksum: sum.hex(),
        extra: vec![
            ("search_all_100k_ms", search_all_ms),
            ("search_one_account_ms", search_account_ms),
            ("monthly_summary_ms", summary_ms),
        ],
    })
}
