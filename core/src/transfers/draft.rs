//! Drafts: quoted transfers waiting for the customer's confirmation, in memory only, and the
//! token that ties a signature to the confirmation the customer saw.
//!
//! The token is the draft's random id and the base64url hash of the canonical bytes the
//! confirmation was rendered from. Signing looks the draft up by id and recomputes the hash:
//! a token of another draft, of a draft that is gone, or of a transfer that changed since, is
//! refused before any key is used.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use mobank_protocol::b64;
use mobank_protocol::transfer::messages::Schedule;
use mobank_protocol::transfer::CanonicalTransfer;
use ring::rand::{SecureRandom, SystemRandom};

use super::past::PastTransfers;
use crate::accounts::Account;
use crate::error::{internal, MobankError};
use crate::risk::TransferWarning;
use crate::runtime::lock;
use crate::secret::SecretString;

/// Drafts kept at once. An app shows one confirmation at a time; old ones are dropped first.
const MAX_DRAFTS: usize = 8;

/// A quoted transfer, rendered as a confirmation.
#[derive(Debug, Clone)]
pub(super) struct Draft {
    pub transfer: CanonicalTransfer,
    pub hash: [u8; 32],
    pub payee_bank_name: String,
    pub payer_masked_number: String,
    /// The warnings assessed on the quote; their `acknowledged` follows the transfer's
    /// `acknowledged_warnings` when rendered.
    pub warnings: Vec<TransferWarning>,
    /// Bank time the quote expires, as shown.
    pub expires_at_ms: u64,
    /// Phone time after which the quote's challenge is no longer accepted.
    pub deadline_ms: u64,
    /// When the bank will run it, if not at once.
    pub schedule: Option<Schedule>,
    /// The phone's wipe count when it was drafted: a wipe ends it.
    pub wipes: u64,
    order: u64,
}

/// The transfer flow's state, shared by every [`super::TransfersClient`] of one Mobank.
#[derive(Default)]
pub(crate) struct TransfersState {
    drafts: Mutex<Drafts>,
    accounts: Mutex<Option<CachedAccounts>>,
    pub(super) past: PastTransfers,
}

#[derive(Default)]
struct Drafts {
    by_id: HashMap<String, Draft>,
    next_order: u64,
}

/// The accounts list of one session.
struct CachedAccounts {
    session: Weak<SecretString>,
    accounts: Vec<Account>,
}

impl TransfersState {
    /// Keeps `draft` and returns its confirmation token.
    pub(super) fn keep(&self, mut draft: Draft) -> Result<String, MobankError> {
        let mut id = [0u8; 16];
        SystemRandom::new()
            .fill(&mut id)
            .map_err(|_| internal("no randomness for a draft id"))?;
        let id = b64::encode(id);
        let token = format!("{id}.{}", b64::encode(draft.hash));
        let mut drafts = lock(&self.drafts);
        draft.order = drafts.next_order;
        drafts.next_order += 1;
        if drafts.by_id.len() >= MAX_DRAFTS {
            let oldest = drafts
                .by_id
                .iter()
                .min_by_key(|(_, draft)| draft.order)
                .map(|(id, _)| id.clone());
            if let Some(oldest) = oldest {
                drafts.by_id.remove(&oldest);
            }
        }
        drafts.by_id.insert(id, draft);
        Ok(token)
    }

    /// The draft `token` confirms, if the transfer is still the one it was rendered from.
    pub(super) fn confirmed(&self, token: &str, wipes: u64) -> Result<Draft, MobankError> {
        let (id, hash) = token
            .split_once('.')
            .ok_or(MobankError::ConfirmationInvalid)?;
        let drafts = lock(&self.drafts);
        let draft = drafts
            .by_id
            .get(id)
            .filter(|draft| draft.wipes == wipes)
            .ok_or(MobankError::ConfirmationInvalid)?;
        let current = draft
            .transfer
            .hash()
            .map_err(|_| MobankError::ConfirmationInvalid)?;
        if current != draft.hash || b64::encode(current) != hash {
            return Err(MobankError::ConfirmationInvalid);
        }
        Ok(draft.clone())
    }

    /// Replaces the draft `token` names by `draft` (the same transfer with acknowledged
    /// warnings): the old token stops working and the new one is returned.
    pub(super) fn replace(&self, token: &str, draft: Draft) -> Result<String, MobankError> {
        let new_token = self.keep(draft)?;
        self.forget(token);
        Ok(new_token)
    }

    /// Ends the draft `token` names: it was signed and queued, or it expired.
    pub(super) fn forget(&self, token: &str) {
        if let Some((id, _)) = token.split_once('.') {
            lock(&self.drafts).by_id.remove(id);
        }
    }

    /// The accounts fetched in the session of `session`, if any.
    pub(super) fn accounts(&self, session: &Arc<SecretString>) -> Option<Vec<Account>> {
        lock(&self.accounts)
            .as_ref()
            .filter(|cached| std::ptr::eq(cached.session.as_ptr(), Arc::as_ptr(session)))
            .map(|cached| cached.accounts.clone())
    }

    pub(super) fn remember_accounts(&self, session: &Arc<SecretString>, accounts: Vec<Account>) {
        *lock(&self.accounts) = Some(CachedAccounts {
            session: Arc::downgrade(session),
            accounts,
        });
    }

    #[cfg(test)]
    fn change_draft(&self, token: &str, change: impl FnOnce(&mut Draft)) {
        let id = token.split_once('.').map(|(id, _)| id).unwrap_or_default();
        if let Some(draft) = lock(&self.drafts).by_id.get_mut(id) {
            change(draft);
        }
    }
}

impl Draft {
    pub(super) fn new(
        transfer: CanonicalTransfer,
        payee_bank_name: String,
        deadline_ms: u64,
        wipes: u64,
    ) -> Result<Self, MobankError> {
        let hash = transfer.hash().map_err(|_| MobankError::QuoteMismatch)?;
        Ok(Self {
            transfer,
            hash,
            payee_bank_name,
            payer_masked_number: String::new(),
            warnings: Vec::new(),
            expires_at_ms: 0,
            deadline_ms,
            schedule: None,
            wipes,
            order: 0,
        })
    }
}

#[cfg(test)]
pub(super) mod tests {
    use mobank_protocol::money::{Amount, Currency};
    use mobank_protocol::transfer::{Channel, IdempotencyKey, Payee};

    use super::*;

    pub(in crate::transfers) fn transfer(amount_minor: i64) -> CanonicalTransfer {
        CanonicalTransfer {
            payer_account_id: "acc-current".to_owned(),
            payee: Payee {
                account_number: "4111111111111111".to_owned(),
                bank_code: "MOBANK".to_owned(),
                name: "王芳".to_owned(),
            },
            amount: Amount::from_minor_units(amount_minor, Currency::Cny).unwrap(),
            fee: "0.00".to_owned(),
            memo: "房租".to_owned(),
            channel: Channel::MobileTransfer,
            execution_date: "2026-12-03".to_owned(),
            idempotency_key: IdempotencyKey::from_bytes([7; 16]),
            challenge: vec![9; 32],
            quoted_at_ms: 1_000,
            acknowledged_warnings: Vec::new(),
        }
    }

    fn draft(amount_minor: i64, wipes: u64) -> Draft {
        Draft::new(transfer(amount_minor), "Mobank".to_owned(), 10_000, wipes).unwrap()
    }

    #[test]
    fn a_token_finds_the_draft_it_was_issued_for() {
        let state = TransfersState::default();
        let token = state.keep(draft(50_000, 0)).unwrap();
        let other = state.keep(draft(60_000, 0)).unwrap();
        assert_eq!(
            state.confirmed(&token, 0).unwrap().transfer,
            transfer(50_000)
        );
        assert_eq!(
            state.confirmed(&other, 0).unwrap().transfer,
            transfer(60_000)
        );
    }

    #[test]
    fn a_token_of_another_draft_or_a_changed_draft_is_refused() {
        let state = TransfersState::default();
        let first = state.keep(draft(50_000, 0)).unwrap();
        let second = state.keep(draft(60_000, 0)).unwrap();
        // The first draft's id with the second draft's hash.
        let (id, _) = first.split_once('.').unwrap();
        let (_, hash) = second.split_once('.').unwrap();
        assert_eq!(
            state.confirmed(&format!("{id}.{hash}"), 0).unwrap_err(),
            MobankError::ConfirmationInvalid
        );
        state.change_draft(&first, |draft| {
            draft.transfer.amount = Amount::from_minor_units(500_000, Currency::Cny).unwrap();
        });
        assert_eq!(
            state.confirmed(&first, 0).unwrap_err(),
            MobankError::ConfirmationInvalid
        );
        assert_eq!(
            state.confirmed("garbage", 0).unwrap_err(),
            MobankError::ConfirmationInvalid
        );
    }

    #[test]
    fn a_wipe_or_forgetting_ends_a_draft() {
        let state = TransfersState::default();
        let token = state.keep(draft(50_000, 0)).unwrap();
        assert_eq!(
            state.confirmed(&token, 1).unwrap_err(),
            MobankError::ConfirmationInvalid
        );
        state.forget(&token);
        assert_eq!(
            state.confirmed(&token, 0).unwrap_err(),
            MobankError::ConfirmationInvalid
        );
    }

    #[test]
    fn the_oldest_drafts_make_room_for_new_ones() {
        let state = TransfersState::default();
        let first = state.keep(draft(1, 0)).unwrap();
        let tokens: Vec<String> = (2..=MAX_DRAFTS as i64 + 1)
            .map(|minor| state.keep(draft(minor, 0)).unwrap())
            .collect();
        assert!(state.confirmed(&first, 0).is_err());
        assert!(tokens.iter().all(|token| state.confirmed(token, 0).is_ok()));
    }
}
