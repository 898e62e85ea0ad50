//! Signing with the device's factors: the possession key always, a second factor (biometric key,
//! PIN, a key not registered yet) when the ceremony needs one. Counters are reserved and
//! persisted before a signature exists; biometric failures the OS reports are counted here.

use std::sync::Arc;

use mobank_protocol::{Assertion, Ceremony, Factor};

use super::policy::BIOMETRIC_ATTEMPTS;
use crate::context::{Context, StrongFactor};
use crate::device::knowledge::KnowledgeKey;
use crate::device::signer::{make_assertion, make_knowledge_assertion, AssertionSpec};
use crate::device::state::{CounterFlush, DeviceState, SecondCounter, StateError};
use crate::error::{MobankError, SignError};
use crate::pin::Pin;
use crate::platform::KeyStoreError;
use crate::runtime::blocking;

/// The factor that joins the possession key in a signature.
pub(crate) enum Second {
    /// Possession alone (revoke, unbind).
    None,
    /// The bound biometric key.
    Biometric { prompt: String },
    /// The knowledge key the PIN opens.
    Pin(Pin),
    /// A knowledge key not stored yet (the new one of a PIN change).
    NewKnowledge(KnowledgeKey),
    /// A biometric key not registered yet (re-enrolment): its first signature.
    NewBiometric { alias: String, prompt: String },
}

impl Second {
    fn counter(&self) -> Option<SecondCounter> {
        match self {
            Second::None | Second::NewBiometric { .. } => None,
            Second::Biometric { .. } => Some(SecondCounter::UserVerified),
            Second::Pin(_) | Second::NewKnowledge(_) => Some(SecondCounter::Knowledge),
        }
    }

    pub(crate) fn strong_factor(&self) -> Option<StrongFactor> {
        match self {
            Second::Biometric { .. } | Second::NewBiometric { .. } => {
                Some(StrongFactor::UserVerified)
            }
            Second::Pin(_) | Second::NewKnowledge(_) => Some(StrongFactor::Knowledge),
            Second::None => None,
        }
    }

    /// Refuses locally what the bank would refuse or the phone cannot do.
    pub(crate) fn check_available(&self, state: &DeviceState) -> Result<(), MobankError> {
        match self {
            Second::Biometric { .. } if state.biometric_failures >= BIOMETRIC_ATTEMPTS => {
                Err(MobankError::PinRequired)
            }
            Second::Pin(_) if state.knowledge.is_none() => Err(MobankError::PinNotSet),
            _ => Ok(()),
        }
    }
}

/// What the signatures are over.
pub(crate) struct Signing {
    pub ceremony: Ceremony,
    pub challenge: Vec<u8>,
    pub operation: Option<String>,
    /// When the reserved counters must be on the disk.
    pub counters: CounterFlush,
}

/// Signs on the blocking pool: the key store may show a prompt for as long as it likes.
pub(crate) async fn sign_off_runtime(
    context: &Arc<Context>,
    device_id: &str,
    signing: Signing,
    second: Second,
) -> Result<Vec<Assertion>, MobankError> {
    let context = Arc::clone(context);
    let device_id = device_id.to_owned();
    blocking(move || sign(&context, &device_id, &signing, &second))
        .await?
        .map_err(MobankError::from)
}

/// Reserves the counters (persisted before signing), then signs with the possession key
/// and the second factor. The state lock is released before the key store is called.
fn sign(
    context: &Context,
    device_id: &str,
    signing: &Signing,
    second: &Second,
) -> Result<Vec<Assertion>, SignError> {
    let reserved = context
        .states
        .reserve(device_id, second.counter(), signing.counters)?
        .ok_or(SignError::NotBound)?;
    let state = &reserved.state;
    let second_count = reserved.second_count.unwrap_or(1);
    let spec = |factor, alias, sign_count, prompt| AssertionSpec {
        factor,
        alias,
        ceremony: signing.ceremony,
        rp_id: &state.rp_id,
        challenge: &signing.challenge,
        operation: signing.operation.as_deref(),
        sign_count,
        prompt,
    };
    // Possession first: it needs no prompt, so a missing key is found before the
    // customer is asked to look at the phone.
    let possession = make_assertion(
        context.key_store.as_ref(),
        &spec(
            Factor::Possession,
            &state.possession_key_alias,
            reserved.possession_count,
            None,
        ),
    )
    .map_err(SignError::Possession)?;
    let second = match second {
        Second::None => return Ok(vec![possession]),
        Second::Biometric { prompt } => sign_biometric(
            context,
            device_id,
            &spec(
                Factor::UserVerified,
                &state.user_verified_key_alias,
                second_count,
                Some(prompt),
            ),
        )?,
        // A new key's first signature carries 1.
        Second::NewBiometric { alias, prompt } => sign_biometric(
            context,
            device_id,
            &spec(Factor::UserVerified, alias, 1, Some(prompt)),
        )?,
        Second::Pin(pin) => {
            let record = state.knowledge.as_ref().ok_or(SignError::PinNotSet)?;
            let key = KnowledgeKey::open(context.key_store.as_ref(), record, pin)
                .map_err(SignError::Knowledge)?;
            make_knowledge_assertion(&key, &spec(Factor::Knowledge, "", second_count, None))
        }
        Second::NewKnowledge(key) => {
            make_knowledge_assertion(key, &spec(Factor::Knowledge, "", second_count, None))
        }
    };
    Ok(vec![possession, second])
}

/// A biometric signature; a failed check is counted on the phone before it is reported.
fn sign_biometric(
    context: &Context,
    device_id: &str,
    spec: &AssertionSpec<'_>,
) -> Result<Assertion, SignError> {
    match make_assertion(context.key_store.as_ref(), spec) {
        Ok(assertion) => Ok(assertion),
        Err(KeyStoreError::VerificationFailed) => {
            let failures = context
                .states
                .update(device_id, |state| {
                    state.biometric_failures = state.biometric_failures.saturating_add(1);
                    Ok(state.biometric_failures)
                })?
                .map_or(BIOMETRIC_ATTEMPTS, |(_, failures)| failures);
            tracing::info!(failures, "biometric check failed");
            Err(SignError::BiometricCheckFailed {
                pin_required: failures >= BIOMETRIC_ATTEMPTS,
            })
        }
        Err(error) => Err(SignError::UserVerified(error)),
    }
}

/// The bank accepted a strong authentication: failed biometric checks are forgiven.
pub(crate) async fn strong_authentication_succeeded(context: &Arc<Context>, device_id: &str) {
    let context = Arc::clone(context);
    let device_id = device_id.to_owned();
    let reset = blocking(move || {
        let needed = context
            .states
            .load()?
            .is_some_and(|state| state.biometric_failures > 0);
        if needed {
            context.states.update(&device_id, |state| {
                state.biometric_failures = 0;
                Ok(())
            })?;
        }
        Ok::<_, StateError>(())
    })
    .await;
    if !matches!(reset, Ok(Ok(()))) {
        tracing::warn!("could not reset the biometric failure count");
    }
}
