//! What the payees flow keeps in memory only: the name checks waiting for their add, and the
//! session's payee list with the full account numbers a draft by payee id needs.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use mobank_protocol::b64;
use mobank_protocol::messages::PayeesResponse;
use ring::rand::{SecureRandom, SystemRandom};

use crate::error::{internal, MobankError};
use crate::runtime::lock;
use crate::secret::SecretString;

/// Checks kept at once; the oldest make room.
const MAX_CHECKS: usize = 8;

/// A name check the bank answered, waiting for the customer's add.
#[derive(Clone)]
pub(super) struct PendingCheck {
    pub check_id: String,
    pub challenge: Vec<u8>,
    pub bank_code: String,
    pub masked_account_number: String,
    pub registered_name: String,
    /// The typed name was not the registered one: the add needs an acknowledgement.
    pub mismatch: bool,
    pub session: Weak<SecretString>,
    order: u64,
}

impl PendingCheck {
    pub(super) fn new(
        check_id: String,
        challenge: Vec<u8>,
        bank_code: String,
        masked_account_number: String,
        registered_name: String,
        mismatch: bool,
        session: &Arc<SecretString>,
    ) -> Self {
        Self {
            check_id,
            challenge,
            bank_code,
            masked_account_number,
            registered_name,
            mismatch,
            session: Arc::downgrade(session),
            order: 0,
        }
    }
}

#[derive(Default)]
pub(crate) struct PayeesState {
    checks: Mutex<Checks>,
    list: Mutex<Option<CachedList>>,
}

#[derive(Default)]
struct Checks {
    by_token: HashMap<String, PendingCheck>,
    next_order: u64,
}

struct CachedList {
    session: Weak<SecretString>,
    payees: PayeesResponse,
}

fn same_session(kept: &Weak<SecretString>, session: &Arc<SecretString>) -> bool {
    std::ptr::eq(kept.as_ptr(), Arc::as_ptr(session))
}

impl PayeesState {
    /// Keeps `check` and returns its token.
    pub(super) fn keep(&self, mut check: PendingCheck) -> Result<String, MobankError> {
        let mut token = [0u8; 16];
        SystemRandom::new()
            .fill(&mut token)
            .map_err(|_| internal("no randomness for a payee check token"))?;
        let token = b64::encode(token);
        let mut checks = lock(&self.checks);
        check.order = checks.next_order;
        checks.next_order += 1;
        if checks.by_token.len() >= MAX_CHECKS {
            let oldest = checks
                .by_token
                .iter()
                .min_by_key(|(_, check)| check.order)
                .map(|(token, _)| token.clone());
            if let Some(oldest) = oldest {
                checks.by_token.remove(&oldest);
            }
        }
        checks.by_token.insert(token.clone(), check);
        Ok(token)
    }

    /// Takes the check `token` names out, if it was made in this session: one add per check.
    pub(super) fn take(&self, token: &str, session: &Arc<SecretString>) -> Option<PendingCheck> {
        let mut checks = lock(&self.checks);
        let check = checks.by_token.remove(token)?;
        same_session(&check.session, session).then_some(check)
    }

    /// Whether `token` names a check of this session whose typed name was another, without
    /// taking it.
    pub(super) fn peek(&self, token: &str, session: &Arc<SecretString>) -> Option<bool> {
        lock(&self.checks)
            .by_token
            .get(token)
            .filter(|check| same_session(&check.session, session))
            .map(|check| check.mismatch)
    }

    /// The payee list fetched in this session, if any.
    pub(crate) fn list(&self, session: &Arc<SecretString>) -> Option<PayeesResponse> {
        lock(&self.list)
            .as_ref()
            .filter(|cached| same_session(&cached.session, session))
            .map(|cached| cached.payees.clone())
    }

    pub(super) fn remember(&self, session: &Arc<SecretString>, payees: PayeesResponse) {
        *lock(&self.list) = Some(CachedList {
            session: Arc::downgrade(session),
            payees,
        });
    }

    pub(super) fn forget_list(&self) {
        *lock(&self.list) = None;
    }
}
