//! GCM nonces without a system call per record (decision record 0003).
//!
//! nonce = epoch (32 bits, persisted counter) ‖ salt (32 bits, random per epoch) ‖ counter (32
//! bits, in memory). An epoch is reserved with one durable write to the vault before its first
//! nonce is used, so two sessions never share an epoch; the random salt additionally guards
//! against a vault rolled back to an older copy while the key survived.

use ring::aead::NONCE_LEN;

use crate::crypto::random_u32;
use crate::error::{Result, StoreError};

#[derive(Default)]
pub(crate) struct Nonces {
    current: Option<Epoch>,
    /// An epoch was reserved after the vault backup was last refreshed.
    unsaved_reservation: bool,
}

struct Epoch {
    prefix: [u8; 8],
    next: u32,
}

impl Nonces {
    /// Starts at an epoch the caller already reserved (at store creation).
    pub fn starting_at(epoch: u32) -> Result<Nonces> {
        Ok(Nonces {
            current: Some(Epoch::new(epoch)?),
            unsaved_reservation: false,
        })
    }

    /// The next nonce of the current epoch, if there is one with nonces left.
    pub fn next_in_epoch(&mut self) -> Option<[u8; NONCE_LEN]> {
        let epoch = self.current.as_mut().filter(|e| e.next < u32::MAX)?;
        let mut nonce = [0u8; NONCE_LEN];
        nonce[..8].copy_from_slice(&epoch.prefix);
        nonce[8..].copy_from_slice(&epoch.next.to_be_bytes());
        epoch.next += 1;
        Some(nonce)
    }

    /// The next nonce. `reserve` durably claims a fresh epoch and returns it; it runs once per
    /// session, and again only after 2^32 records in one session.
    pub fn next(&mut self, reserve: impl FnOnce() -> Result<u32>) -> Result<[u8; NONCE_LEN]> {
        if let Some(nonce) = self.next_in_epoch() {
            return Ok(nonce);
        }
        self.current = Some(Epoch::new(reserve()?)?);
        self.unsaved_reservation = true;
        self.next_in_epoch()
            .ok_or(StoreError::InvalidInput("a fresh nonce epoch had no nonce"))
    }
}

impl Epoch {
    fn new(epoch: u32) -> Result<Epoch> {
        let mut prefix = [0u8; 8];
        prefix[..4].copy_from_slice(&epoch.to_be_bytes());
        prefix[4..].copy_from_slice(&random_u32()?.to_be_bytes());
        Ok(Epoch { prefix, next: 0 })
    }
}

impl Nonces {
    /// Whether the vault backup lacks the latest epoch reservation; clears the mark, since the
    /// caller is about to refresh the backup.
    pub fn take_unsaved_reservation(&mut self) -> bool {
        std::mem::take(&mut self.unsaved_reservation)
    }
}

/// The epoch after `epoch`, or an error once the 32-bit space is spent (2^32 sessions under one
/// data key: the key must then be replaced by re-binding).
pub(crate) fn following(epoch: u32) -> Result<u32> {
    epoch.checked_add(1).ok_or(StoreError::InvalidInput(
        "nonce epochs exhausted for this data key; re-bind",
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn nonces_within_and_across_epochs_are_distinct() {
        let mut seen = HashSet::new();
        let mut next_epoch = 0u32;
        for _session in 0..20 {
            let mut nonces = Nonces::default();
            for _ in 0..500 {
                let nonce = nonces
                    .next(|| {
                        next_epoch += 1;
                        Ok(next_epoch)
                    })
                    .unwrap();
                assert!(seen.insert(nonce));
            }
        }
        assert_eq!(next_epoch, 20, "one reservation per session");
    }
}
