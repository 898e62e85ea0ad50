//! The bank's rules: binding, login and its factors, step-up, devices, the PIN, history,
//! notices, limits and policy, and what the back office does. Each operation runs in one
//! SQLite transaction, reading and writing through `crate::db` and `crate::ledger`, and answers
//! with a protocol message or a typed refusal; the HTTP layers (`api`, `dev::routes`) only
//! carry requests to it.
//!
//! This module also holds the state every operation shares: the database, the clock, the
//! random generator and the policy numbers derived from the configuration.

pub(crate) mod accounts;
pub(crate) mod activation;
pub(crate) mod back_office;
pub(crate) mod biometric;
pub(crate) mod bulk_customers;
pub(crate) mod challenges;
pub(crate) mod channels;
pub(crate) mod clock_control;
pub(crate) mod devices;
pub(crate) mod display;
pub(crate) mod factors;
pub(crate) mod history;
pub(crate) mod login;
pub(crate) mod merchants;
pub(crate) mod monitor;
pub(crate) mod notices;
pub(crate) mod notify;
pub(crate) mod otp;
pub(crate) mod outboxes;
pub(crate) mod payees;
pub(crate) mod pin;
pub(crate) mod policy;
pub(crate) mod session;
pub(crate) mod step_up;
pub(crate) mod transfer;
pub(crate) mod witness;

use std::sync::{Arc, Mutex, PoisonError};

use ring::rand::SystemRandom;
use ring::signature::EcdsaKeyPair;
use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::clock::{duration_ms, Clock};
use crate::config::SandboxConfig;
use crate::db;
use crate::dev::faults::Faults;
use crate::error::ApiFailure;

/// Consecutive failures (wrong OTPs for an activation, failed logins for a device) after which
/// the bank stops accepting attempts. PSD2 RTS art. 4(3)(b) allows at most five.
pub(crate) const MAX_FAILED_ATTEMPTS: u32 = 5;

pub(crate) struct Policy {
    pub(crate) rp_id: String,
    pub(crate) otp_ttl_ms: i64,
    pub(crate) otp_valid_minutes: u64,
    pub(crate) challenge_ttl_ms: i64,
    pub(crate) activation_ttl_ms: i64,
    pub(crate) idle_timeout_ms: i64,
    pub(crate) idle_timeout_secs: u32,
    pub(crate) session_cap_ms: i64,
    pub(crate) cooling_off_ms: i64,
    /// Whether the developer API may move the clock.
    pub(crate) test_clock: bool,
}

impl Policy {
    fn from_config(config: &SandboxConfig) -> Self {
        Self {
            rp_id: config.rp_id.clone(),
            otp_ttl_ms: duration_ms(config.otp_ttl),
            otp_valid_minutes: config.otp_ttl.as_secs().div_ceil(60).max(1),
            challenge_ttl_ms: duration_ms(config.challenge_ttl),
            activation_ttl_ms: duration_ms(config.activation_ttl),
            idle_timeout_ms: duration_ms(config.idle_timeout),
            idle_timeout_secs: u32::try_from(config.idle_timeout.as_secs()).unwrap_or(u32::MAX),
            session_cap_ms: duration_ms(config.session_cap),
            cooling_off_ms: duration_ms(config.cooling_off),
            test_clock: config.test_clock,
        }
    }
}

pub(crate) struct Bank {
    db: Mutex<Connection>,
    pub(crate) clock: Clock,
    pub(crate) rng: SystemRandom,
    pub(crate) policy: Policy,
    /// Signs transfer receipts; not the TLS key.
    pub(crate) receipt_key: EcdsaKeyPair,
    /// What the developer API injected into the transfer answers.
    pub(crate) faults: Faults,
    /// Where a test run's leak scan learns the secrets handed out.
    pub(crate) witness: witness::Witness,
}

impl Bank {
    pub(crate) fn new(
        db: Connection,
        clock: Clock,
        config: &SandboxConfig,
        rng: SystemRandom,
        receipt_key: EcdsaKeyPair,
    ) -> Self {
        Self {
            db: Mutex::new(db),
            clock,
            rng,
            policy: Policy::from_config(config),
            receipt_key,
            faults: Faults::default(),
            witness: witness::Witness::new(config.issued_secrets_file.clone()),
        }
    }

    /// Runs `work` with the one database connection.
    pub(crate) fn with_db<T, E>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, E>,
    ) -> Result<T, E> {
        // A panic while the lock was held dropped its open transaction, which rolled back, so
        // the connection is still consistent: carry on rather than fail every later request.
        let mut conn = self.db.lock().unwrap_or_else(PoisonError::into_inner);
        // Whatever reads the bank sees every scheduled transfer whose time has come as run.
        transfer::schedule::run_due(self, &mut conn);
        work(&mut conn)
    }

    /// Runs `work` in one transaction that takes the write lock at once.
    ///
    /// A refusal still commits: what the request used up or counted on its way (a spent
    /// challenge, a failed attempt, a blocked device) stands whatever the answer. Only an
    /// internal failure rolls back, because then the work stopped somewhere unplanned.
    pub(crate) fn transact<T>(
        &self,
        work: impl FnOnce(&Transaction<'_>) -> Result<T, ApiFailure>,
    ) -> Result<T, ApiFailure> {
        self.with_db(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let outcome = work(&tx);
            match &outcome {
                Err(failure) if failure.is_internal() => {} // dropped: rolled back
                _ => tx.commit()?,
            }
            outcome
        })
    }

    /// [`Bank::transact`] whose commit is not flushed to the disk (`synchronous = NORMAL`):
    /// it survives the bank's process being killed, and reaches the disk with the next flushed
    /// commit. For what a power cut may lose without harm (decision record 0033): a quote and
    /// its challenge, which the phone then cannot sign, so the customer asks again; a read,
    /// whose only writes are the session's and the device's last use (a session restored older
    /// only expires sooner). Whatever moves money, spends a challenge or changes what a device
    /// or a customer may do is flushed; scheduled transfers that fall due run before, flushed.
    pub(crate) fn transact_unflushed<T>(
        &self,
        work: impl FnOnce(&Transaction<'_>) -> Result<T, ApiFailure>,
    ) -> Result<T, ApiFailure> {
        self.with_db(|conn| {
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            let outcome = (|| {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let outcome = work(&tx);
                match &outcome {
                    Err(failure) if failure.is_internal() => {}
                    _ => tx.commit()?,
                }
                outcome
            })();
            conn.pragma_update(None, "synchronous", db::SYNCHRONOUS)?;
            outcome
        })
    }
}

/// Runs a request's synchronous work (SQLite, signature checks) off the async workers.
pub(crate) async fn run_blocking<T>(
    bank: &Arc<Bank>,
    work: impl FnOnce(&Bank) -> Result<T, ApiFailure> + Send + 'static,
) -> Result<T, ApiFailure>
where
    T: Send + 'static,
{
    let bank = Arc::clone(bank);
    tokio::task::spawn_blocking(move || work(&bank))
        .await
        .map_err(|error| ApiFailure::internal("request task failed", &error))?
}
