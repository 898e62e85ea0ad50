//! Logging in: possession plus biometric or PIN, proven to the bank, for a new session.

use std::sync::Arc;

use mobank_protocol::messages::{
    paths, ChallengeResponse, IntegritySignals, LoginChallengeRequest, LoginRequest, LoginResponse,
};
use mobank_protocol::{Ceremony, CHALLENGE_LEN};

use super::signing::{sign_off_runtime, strong_authentication_succeeded, Second, Signing};
use crate::context::{Context, Session, SessionSummary, Started};
use crate::device::knowledge::KnowledgeKey;
use crate::device::state::CounterFlush;
use crate::error::{internal, MobankError};
use crate::events::MobankEvent;
use crate::kill;
use crate::net::NetError;
use crate::runtime::{blocking, lock};

/// Logs in with `second`. While a PIN change's outcome is unknown (`pending_knowledge`), a PIN
/// the bank refuses is tried once more with the other knowledge key, and the one the bank took
/// is kept: a wrong PIN then costs two attempts, the price of never stranding the customer
/// between two PINs.
pub(super) async fn login(
    context: &Arc<Context>,
    second: Second,
) -> Result<SessionSummary, MobankError> {
    let (second, other) = other_knowledge(context, second).await?;
    let first = login_once(context, second).await;
    let Some(other) = other else {
        return first;
    };
    let (result, took_other) = match first {
        Err(MobankError::AuthenticationFailed { .. }) => {
            (login_once(context, Second::NewKnowledge(other)).await, true)
        }
        first => (first, false),
    };
    if result.is_ok() && settle_pending_knowledge(context, took_other).await.is_err() {
        // Both keys stay; the next PIN login settles it.
        tracing::warn!("could not store which knowledge key the bank holds");
    }
    result
}

/// For a PIN login while a PIN change's outcome is unknown: the pending knowledge key opened
/// with the same PIN.
async fn other_knowledge(
    context: &Arc<Context>,
    second: Second,
) -> Result<(Second, Option<KnowledgeKey>), MobankError> {
    let Second::Pin(pin) = second else {
        return Ok((second, None));
    };
    let Some(pending) = context.usable_state().await?.pending_knowledge else {
        return Ok((Second::Pin(pin), None));
    };
    let key_store = Arc::clone(&context.key_store);
    let (pin, key) = blocking(move || {
        let key = KnowledgeKey::open(key_store.as_ref(), &pending, &pin);
        (pin, key)
    })
    .await?;
    // A key store that cannot open it leaves the login as it was.
    Ok((Second::Pin(pin), key.ok()))
}

/// The bank accepted one of the two knowledge keys: it is the PIN's from now on.
async fn settle_pending_knowledge(
    context: &Arc<Context>,
    took_pending: bool,
) -> Result<(), MobankError> {
    let saver = Arc::clone(context);
    blocking(move || {
        let Some(state) = saver.states.load()? else {
            return Ok(());
        };
        saver.states.update(&state.device_id, |state| {
            let pending = state.pending_knowledge.take();
            if took_pending {
                state.knowledge = pending;
            }
            Ok(())
        })?;
        Ok::<_, crate::device::state::StateError>(())
    })
    .await??;
    Ok(())
}

async fn login_once(context: &Arc<Context>, second: Second) -> Result<SessionSummary, MobankError> {
    let factor = second
        .strong_factor()
        .ok_or_else(|| internal("a login needs a second factor"))?;
    // Logging in ends whatever session there was.
    drop(lock(&context.session).live.take());
    let state = context.usable_state().await?;
    second.check_available(&state)?;
    let device_id = state.device_id.clone();
    let integrity = integrity_signals(context).await?;

    let challenge = context
        .bank
        .post::<_, ChallengeResponse>(
            paths::LOGIN_CHALLENGE,
            &LoginChallengeRequest {
                device_id: device_id.clone(),
            },
        )
        .await;
    let challenge = refused_by_bank(context, &device_id, challenge).await?;
    if challenge.challenge.len() != CHALLENGE_LEN {
        return Err(NetError::MalformedResponse.into());
    }
    let signing = Signing {
        ceremony: Ceremony::Login,
        challenge: challenge.challenge,
        operation: None,
        counters: CounterFlush::Now,
    };
    let assertions = sign_off_runtime(context, &device_id, signing, second).await?;
    kill::point(kill::LOGIN_SIGNED);

    let sent_at_ms = context.clock.now_ms();
    let response = context
        .bank
        .post::<_, LoginResponse>(
            paths::LOGIN,
            &LoginRequest {
                device_id: device_id.clone(),
                challenge_id: challenge.challenge_id,
                assertions,
                integrity,
            },
        )
        .await;
    let mut response = refused_by_bank(context, &device_id, response).await?;
    kill::point(kill::LOGIN_ANSWERED);
    if response.session_token.is_empty() || response.idle_timeout_secs == 0 {
        zeroize::Zeroize::zeroize(&mut response.session_token);
        return Err(NetError::MalformedResponse.into());
    }
    let Started { session, summary } =
        Session::start(response, device_id.clone(), factor, sent_at_ms);
    let mut events: Vec<MobankEvent> = summary.notices.iter().map(MobankEvent::from).collect();
    {
        let mut slot = lock(&context.session);
        slot.live = Some(session);
        if let Some(limits) = &summary.limits {
            if slot.last_limits.as_ref() != Some(limits) {
                slot.last_limits = Some(limits.clone());
                events.push(MobankEvent::LimitsChanged {
                    limits: limits.clone(),
                });
            }
        }
    }
    strong_authentication_succeeded(context, &device_id).await;
    context.emit(events);
    tracing::info!("logged in");
    Ok(summary)
}

/// A bank answer outside a session: its verdict on the binding is recorded.
async fn refused_by_bank<T>(
    context: &Arc<Context>,
    device_id: &str,
    result: Result<T, NetError>,
) -> Result<T, MobankError> {
    let result = result.map_err(MobankError::from);
    if let Err(error) = &result {
        context.note_binding_error(device_id, error).await;
    }
    if matches!(result, Err(MobankError::Suspended)) {
        context.emit(Some(MobankEvent::EbankingSuspended));
    }
    result
}

async fn integrity_signals(
    context: &Arc<Context>,
) -> Result<Option<IntegritySignals>, MobankError> {
    let Some(hook) = context.integrity.clone() else {
        return Ok(None);
    };
    // The app's code may take its time (or probe the system): not on a runtime worker.
    Ok(Some(blocking(move || hook.signals()).await?))
}
