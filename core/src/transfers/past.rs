//! What the risk rules read of this phone's own transfers, kept in memory once read from the
//! outbox: decrypting every record for every draft would make a draft slower with each
//! transfer the phone ever made.

use std::collections::HashMap;
use std::sync::Mutex;

use super::outbox::OutboxRecord;
use crate::risk::PastTransfer;
use crate::runtime::lock;

/// The outbox as the risk rules see it, by idempotency key, for one store (a wipe ends it).
#[derive(Default)]
pub(super) struct PastTransfers {
    memo: Mutex<Option<Memo>>,
}

struct Memo {
    wipes: u64,
    by_key: HashMap<String, PastTransfer>,
}

impl PastTransfers {
    /// Every transfer, newest first, if the outbox of the store of `wipes` was read since it was opened.
    pub(super) fn get(&self, wipes: u64) -> Option<Vec<PastTransfer>> {
        lock(&self.memo)
            .as_ref()
            .filter(|memo| memo.wipes == wipes)
            .map(|memo| {
                let mut past: Vec<PastTransfer> = memo.by_key.values().cloned().collect();
                past.sort_by_key(|transfer| std::cmp::Reverse(transfer.quoted_at_ms));
                past
            })
    }

    /// Remembers the whole outbox, as just read.
    pub(super) fn fill(&self, wipes: u64, records: &[OutboxRecord]) {
        let by_key = records
            .iter()
            .map(|record| (record.key(), record.past()))
            .collect();
        *lock(&self.memo) = Some(Memo { wipes, by_key });
    }

    /// Follows a write of `record` that succeeded.
    pub(super) fn written(&self, wipes: u64, record: &OutboxRecord) {
        if let Some(memo) = lock(&self.memo).as_mut().filter(|memo| memo.wipes == wipes) {
            memo.by_key.insert(record.key(), record.past());
        }
    }

    /// Follows the removal of the record under `key`.
    pub(super) fn removed(&self, wipes: u64, key: &str) {
        if let Some(memo) = lock(&self.memo).as_mut().filter(|memo| memo.wipes == wipes) {
            memo.by_key.remove(key);
        }
    }
}
