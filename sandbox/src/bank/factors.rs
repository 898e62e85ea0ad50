//! A bound device's factors as the bank keeps them, the check of assertions against them, and
//! what every authentication attempt leaves behind: new counters, a failure count, a block.
//!
//! One failure counter per device covers every factor and every ceremony (login, step-up,
//! operations, PIN change), and the answer never says which factor failed (PSD2 RTS art. 4).

use mobank_protocol::assertion::{verify, verify_knowledge, Expectation, KNOWLEDGE_KEY_LEN};
use mobank_protocol::{Assertion, Ceremony, ErrorCode, Factor, VerifiedAssertion, VerifyError};
use rusqlite::Transaction;
use zeroize::Zeroizing;

use crate::bank::{Bank, MAX_FAILED_ATTEMPTS};
use crate::db::devices;
use crate::error::ApiFailure;

pub(crate) type KnowledgeKey = Zeroizing<[u8; KNOWLEDGE_KEY_LEN]>;

pub(crate) fn device_unknown() -> ApiFailure {
    ApiFailure::new(ErrorCode::DeviceUnknown, "this device is not bound")
}

pub(crate) fn device_blocked() -> ApiFailure {
    ApiFailure::new(ErrorCode::DeviceBlocked, "the device binding is blocked")
}

fn no_pin() -> ApiFailure {
    ApiFailure::bad_request("no PIN is set for this device")
}

/// Copies a stored or received knowledge key into zeroizing memory; `None` unless 32 bytes.
pub(crate) fn knowledge_key(bytes: &[u8]) -> Option<KnowledgeKey> {
    let array: [u8; KNOWLEDGE_KEY_LEN] = bytes.try_into().ok()?;
    Some(Zeroizing::new(array))
}

pub(crate) struct Device {
    pub(crate) device_id: String,
    pub(crate) customer_id: String,
    pub(crate) name: String,
    pub(crate) status: String,
    pub(crate) cooling_off_until_ms: Option<i64>,
    pub(crate) revoked_at_ms: Option<i64>,
    possession_public_key: Vec<u8>,
    user_verified_public_key: Vec<u8>,
    knowledge_key: Option<KnowledgeKey>,
    possession_sign_count: u32,
    user_verified_sign_count: u32,
    knowledge_sign_count: u32,
    failed_attempts: u32,
}

impl Device {
    pub(crate) fn load(tx: &Transaction<'_>, device_id: &str) -> Result<Option<Self>, ApiFailure> {
        let Some(row) = devices::load(tx, device_id)? else {
            return Ok(None);
        };
        let knowledge_key = match &row.knowledge_key {
            None => None,
            // The schema allows only 32 bytes; anything else is a corrupt database.
            Some(stored) => Some(knowledge_key(stored).ok_or_else(|| {
                ApiFailure::internal("stored knowledge key has the wrong length", &row.device_id)
            })?),
        };
        Ok(Some(Self {
            device_id: row.device_id,
            customer_id: row.customer_id,
            name: row.name,
            status: row.status,
            cooling_off_until_ms: row.cooling_off_until_ms,
            revoked_at_ms: row.revoked_at_ms,
            possession_public_key: row.possession_public_key,
            user_verified_public_key: row.user_verified_public_key,
            knowledge_key,
            possession_sign_count: row.possession_sign_count,
            user_verified_sign_count: row.user_verified_sign_count,
            knowledge_sign_count: row.knowledge_sign_count,
            failed_attempts: row.failed_attempts,
        }))
    }

    fn is_active(&self) -> bool {
        self.status == "active"
    }
}

/// Which second factor a ceremony takes beside possession.
#[derive(Clone, Copy)]
pub(crate) enum SecondFactor {
    /// Login, step-up: the biometric or the PIN.
    Either,
    /// The PIN change proves the PIN itself.
    Knowledge,
    /// A biometric re-enrolment brings the new key's own user-verified signature.
    UserVerified,
}

impl SecondFactor {
    fn admits(self, factor: Factor) -> bool {
        match self {
            Self::Either => matches!(factor, Factor::UserVerified | Factor::Knowledge),
            Self::Knowledge => factor == Factor::Knowledge,
            Self::UserVerified => factor == Factor::UserVerified,
        }
    }

    fn wrong_shape(self) -> ApiFailure {
        ApiFailure::bad_request(match self {
            Self::Either => {
                "exactly one possession and one user_verified or knowledge assertion required"
            }
            Self::Knowledge => "exactly one possession and one knowledge assertion required",
            Self::UserVerified => "exactly one possession and one user_verified assertion required",
        })
    }
}

/// A possession assertion and one second-factor assertion, received in either order.
pub(crate) struct TwoFactors {
    pub(crate) possession: Assertion,
    pub(crate) second: Assertion,
}

impl TwoFactors {
    /// A bad request for any other shape: another count, a factor twice, a second factor the
    /// ceremony does not take.
    pub(crate) fn from_assertions(
        assertions: Vec<Assertion>,
        expected: SecondFactor,
    ) -> Result<Self, ApiFailure> {
        let [first, second]: [Assertion; 2] =
            assertions.try_into().map_err(|_| expected.wrong_shape())?;
        let (possession, second) = match (first.factor, second.factor) {
            (Factor::Possession, _) => (first, second),
            (_, Factor::Possession) => (second, first),
            _ => return Err(expected.wrong_shape()),
        };
        if !expected.admits(second.factor) {
            return Err(expected.wrong_shape());
        }
        Ok(Self { possession, second })
    }

    pub(crate) fn both(&self) -> [&Assertion; 2] {
        [&self.possession, &self.second]
    }
}

/// Which key a knowledge assertion is checked with.
pub(crate) enum KnowledgeCheck<'a> {
    OnFile,
    /// A PIN change commit proves the new key it brings.
    NewKey(&'a KnowledgeKey),
}

/// Whether a success clears the failure count: a full two-factor authentication does, an
/// operation signed by the possession key alone does not.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum OnSuccess {
    ResetFailures,
    KeepFailures,
}

/// One authentication attempt: the assertions and what they must have signed.
pub(crate) struct Attempt<'a> {
    pub(crate) assertions: &'a [&'a Assertion],
    pub(crate) ceremony: Ceremony,
    pub(crate) challenge: &'a [u8],
    pub(crate) operation: Option<&'a str>,
    pub(crate) knowledge: KnowledgeCheck<'a>,
    pub(crate) on_success: OnSuccess,
}

impl<'a> Attempt<'a> {
    /// Possession and a second factor with the PIN on file: a full strong authentication,
    /// which clears the failure count.
    pub(crate) fn strong(
        ceremony: Ceremony,
        assertions: &'a [&'a Assertion],
        challenge: &'a [u8],
        operation: Option<&'a str>,
    ) -> Self {
        Self {
            assertions,
            ceremony,
            challenge,
            operation,
            knowledge: KnowledgeCheck::OnFile,
            on_success: OnSuccess::ResetFailures,
        }
    }

    /// An operation signed by the possession key alone, which leaves the failure count as it
    /// is.
    pub(crate) fn possession_signed(
        possession: &'a [&'a Assertion],
        challenge: &'a [u8],
        operation: &'a str,
    ) -> Self {
        Self {
            assertions: possession,
            ceremony: Ceremony::Operation,
            challenge,
            operation: Some(operation),
            knowledge: KnowledgeCheck::OnFile,
            on_success: OnSuccess::KeepFailures,
        }
    }
}

/// A sensitive operation of the session's own device: its last strong authentication fresh
/// enough for `rule` (`step_up_required` otherwise, before any attempt is counted), then the
/// possession key's signature over `operation` on the spent `challenge`. The device, once it
/// has passed.
#[allow(clippy::too_many_arguments)]
pub(crate) fn authenticate_sensitive(
    tx: &Transaction<'_>,
    bank: &Bank,
    owner: &crate::bank::session::SessionOwner,
    rule: crate::bank::policy::SensitiveOperation,
    assertion: &Assertion,
    challenge: &[u8],
    operation: &str,
    now: i64,
) -> Result<Device, ApiFailure> {
    crate::bank::policy::require_fresh_strong_auth(rule, owner.strong_auth_at_ms, now)?;
    authenticate(
        tx,
        bank,
        &owner.device_id,
        Attempt::possession_signed(&[assertion], challenge, operation),
        now,
    )
}

/// Loads the device a spent challenge was issued to and authenticates the attempt against it;
/// the device, once it has passed. An unknown device, a device that is not active and a
/// knowledge assertion from a device with no PIN are refused before anything is counted.
pub(crate) fn authenticate(
    tx: &Transaction<'_>,
    bank: &Bank,
    device_id: &str,
    attempt: Attempt<'_>,
    now: i64,
) -> Result<Device, ApiFailure> {
    let device = Device::load(tx, device_id)?.ok_or_else(device_unknown)?;
    if !device.is_active() {
        return Err(device_blocked());
    }
    check_and_settle(tx, bank, &device, attempt, now)?;
    Ok(device)
}

/// Checks each assertion with the key of its factor, then records the outcome: on success the
/// new counters; on a counter that did not move forward a block (a clone signs); on any other
/// failure one more failed attempt, and a block at the fifth.
fn check_and_settle(
    tx: &Transaction<'_>,
    bank: &Bank,
    device: &Device,
    attempt: Attempt<'_>,
    now: i64,
) -> Result<(), ApiFailure> {
    let mut outcomes = Vec::with_capacity(attempt.assertions.len());
    for assertion in attempt.assertions {
        let (stored, require_user_verified) = match assertion.factor {
            Factor::Possession => (device.possession_sign_count, false),
            Factor::UserVerified => (device.user_verified_sign_count, true),
            Factor::Knowledge => (device.knowledge_sign_count, true),
        };
        let expect = Expectation {
            rp_id: &bank.policy.rp_id,
            ceremony: attempt.ceremony,
            challenge: attempt.challenge,
            require_user_verified,
            previous_sign_count: stored,
            operation: attempt.operation,
        };
        let outcome = match assertion.factor {
            Factor::Possession => verify(assertion, &device.possession_public_key, &expect),
            Factor::UserVerified => verify(assertion, &device.user_verified_public_key, &expect),
            Factor::Knowledge => {
                let key = match &attempt.knowledge {
                    KnowledgeCheck::NewKey(key) => *key,
                    // Not a guess at the PIN: nothing is counted.
                    KnowledgeCheck::OnFile => device.knowledge_key.as_ref().ok_or_else(no_pin)?,
                };
                verify_knowledge(assertion, key, &expect)
            }
        };
        outcomes.push((assertion.factor, outcome));
    }
    settle(tx, device, &outcomes, attempt.on_success, now)
}

fn settle(
    tx: &Transaction<'_>,
    device: &Device,
    outcomes: &[(Factor, Result<VerifiedAssertion, VerifyError>)],
    on_success: OnSuccess,
    now: i64,
) -> Result<(), ApiFailure> {
    let device_id = device.device_id.as_str();
    if let Some((factor, stored, received)) =
        outcomes.iter().find_map(|(factor, outcome)| match outcome {
            Err(VerifyError::CounterNotIncreasing { stored, received }) => {
                Some((factor, stored, received))
            }
            _ => None,
        })
    {
        // Only a key's real signature (or the real knowledge key's tag) gets this far, so a
        // counter that did not move forward means a second copy of the key is signing: a
        // cloned phone or a restored backup.
        devices::block(tx, device_id, "counter_regression")?;
        tracing::warn!(%device_id, ?factor, stored, received, "signature counter went backwards: device blocked as a suspected clone");
        return Err(device_blocked());
    }
    if let Some(error) = outcomes
        .iter()
        .find_map(|(_, outcome)| outcome.as_ref().err())
    {
        let failures = device.failed_attempts.saturating_add(1);
        devices::set_failed_attempts(tx, device_id, failures)?;
        let blocked = failures >= MAX_FAILED_ATTEMPTS;
        if blocked {
            // Its sessions end with it: `session::authorize` checks the device's status.
            devices::block(tx, device_id, "too_many_failures")?;
        }
        tracing::info!(%device_id, %error, failures, blocked, "authentication failed");
        return Err(if blocked {
            device_blocked()
        } else {
            // Which factor failed stays unsaid (PSD2 RTS art. 4(3)(a)).
            ApiFailure::new(ErrorCode::AuthenticationFailed, "authentication failed")
                .with_attempts_remaining(MAX_FAILED_ATTEMPTS - failures)
        });
    }
    for (factor, outcome) in outcomes {
        if let Ok(verified) = outcome {
            devices::set_sign_count(tx, device_id, *factor, verified.sign_count)?;
        }
    }
    devices::record_success(tx, device_id, now, on_success == OnSuccess::ResetFailures)?;
    Ok(())
}
