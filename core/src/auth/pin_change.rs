//! `mobank.pin()`: changing the PIN in two steps, both signed by the device: the old PIN is
//! proven to the bank (begin), then a new knowledge key is made, stored under the new PIN and
//! handed to the bank with a proof made by it (commit). The old key dies with the commit.
//!
//! It lives with login and step-up because it is one of the session's signed flows; the PIN
//! itself and its policy are in `pin/`.

use std::sync::{Arc, Mutex, Weak};

use mobank_protocol::assertion::operations;
use mobank_protocol::messages::{
    paths, ChallengePurpose, PinChangeBeginRequest, PinChangeCommitRequest, PinChangeResponse,
    PinChangeTicket,
};
use mobank_protocol::{Ceremony, CHALLENGE_LEN};
use zeroize::{Zeroize, Zeroizing};

use super::gate::authorize;
use super::policy::Operation;
use super::signing::{sign_off_runtime, strong_authentication_succeeded, Second, Signing};
use crate::context::{local_deadline, Context, StrongFactor};
use crate::device::binding::knowledge_alias;
use crate::device::knowledge::{KnowledgeKey, KnowledgeRecord};
use crate::device::state::CounterFlush;
use crate::error::MobankError;
use crate::kill;
use crate::net::NetError;
use crate::pin::{check_new_pin, Pin};
use crate::platform::KeyStoreError;
use crate::runtime::{blocking, lock};
use crate::secret::SecretString;

/// The PIN change. A cheap handle: get one from [`crate::Mobank::pin`] per use; the change
/// begun with one handle is committed with another.
pub struct PinClient {
    context: Arc<Context>,
    state: Arc<PinChangeState>,
}

impl PinClient {
    pub(crate) fn new(context: Arc<Context>, state: Arc<PinChangeState>) -> Self {
        Self { context, state }
    }

    /// Step one: proves the current PIN to the bank. Needs a fresh strong authentication
    /// (`StepUpRequired` otherwise, before anything is sent). A wrong PIN is
    /// `AuthenticationFailed` with the attempts left and counts toward the block, like any
    /// failed factor.
    pub async fn begin_change(&self, old: Pin) -> Result<(), MobankError> {
        let context = &self.context;
        let auth = authorize(context, Some(Operation::ChangePin))?;
        let state = context.usable_state().await?;
        if state.knowledge.is_none() {
            return Err(MobankError::PinNotSet);
        }
        let answered = auth
            .answer_challenge(
                ChallengePurpose::Operation,
                Some(operations::PIN_CHANGE_BEGIN.to_owned()),
                Second::Pin(old),
            )
            .await?;
        let sent_at_ms = context.clock.now_ms();
        let result = context
            .bank
            .post_authorized::<_, PinChangeTicket>(
                paths::PIN_CHANGE_BEGIN,
                &PinChangeBeginRequest {
                    challenge_id: answered.challenge_id,
                    assertions: answered.assertions,
                },
                &auth.token,
            )
            .await;
        let ticket = auth.settle(result).await?;
        if ticket.challenge.len() != CHALLENGE_LEN || ticket.ticket_id.is_empty() {
            return Err(NetError::MalformedResponse.into());
        }
        let pending = PendingPinChange {
            ticket_id: ticket.ticket_id,
            challenge: ticket.challenge,
            deadline_ms: local_deadline(sent_at_ms, ticket.server_time_ms, ticket.expires_at_ms),
        };
        // The bank counts a proven old PIN as a strong authentication; so does the phone.
        auth.with_session(|session| {
            session.strong_authentication(StrongFactor::Knowledge, sent_at_ms);
        })
        .ok_or(MobankError::NotLoggedIn)?;
        self.state.begin(&auth.token, pending);
        strong_authentication_succeeded(context, &auth.device_id).await;
        kill::point(kill::PIN_CHANGE_BEGUN);
        tracing::info!("PIN change begun");
        Ok(())
    }

    /// Step two: sets `new` as the PIN. A PIN that is too easy to guess is refused
    /// (`PinRejected`) before anything is sent, and the begun change stays open for another try.
    ///
    /// The new key is kept beside the old one before it is sent, and replaces it once the bank
    /// has accepted it. If the answer is lost (`OutcomeUnknown`) or the app is killed before
    /// it is stored, both stay: the next PIN login tries the key the bank refused with the other
    /// one, so whichever PIN the bank now holds works (see `login.rs`).
    pub async fn commit_change(&self, new: Pin) -> Result<(), MobankError> {
        check_new_pin(&new)?;
        let context = &self.context;
        let auth = authorize(context, Some(Operation::ChangePin))?;
        let now = context.clock.now_ms();
        let ticket = self
            .state
            .current(&auth.token, now)
            .ok_or(MobankError::NoPinChangeInProgress)?;
        let state = context.usable_state().await?;
        let wrap_alias = state.knowledge.as_ref().map_or_else(
            || knowledge_alias(&state.possession_key_alias),
            |record| record.wrap_alias.clone(),
        );

        let key_store = Arc::clone(&context.key_store);
        let (key, record) = blocking(move || {
            let key = KnowledgeKey::generate()?;
            let record = key.seal(key_store.as_ref(), &wrap_alias, &new)?;
            Ok::<_, KeyStoreError>((key, record))
        })
        .await??;
        let key_bytes = Zeroizing::new(key.bytes().to_vec());
        keep_pending(context, &auth.device_id, Some(record.clone())).await?;
        let signing = Signing {
            ceremony: Ceremony::Operation,
            challenge: ticket.challenge.clone(),
            operation: Some(operations::pin_change_commit(&ticket.ticket_id)),
            counters: CounterFlush::Now,
        };
        let assertions =
            sign_off_runtime(context, &auth.device_id, signing, Second::NewKnowledge(key)).await?;
        kill::point(kill::PIN_CHANGE_SIGNED);
        let mut request = PinChangeCommitRequest {
            ticket_id: ticket.ticket_id.clone(),
            new_knowledge_key: key_bytes.to_vec(),
            assertions,
        };
        let result = context
            .bank
            .post_authorized::<_, PinChangeResponse>(
                paths::PIN_CHANGE_COMMIT,
                &request,
                &auth.token,
            )
            .await;
        request.new_knowledge_key.zeroize();
        // Nothing sent: the ticket may be used again. Anything else spent it.
        if !matches!(result, Err(NetError::Connect(_) | NetError::PinMismatch)) {
            self.state.clear(&ticket.ticket_id);
        }
        let settled = auth.settle(result).await;
        if settled
            .as_ref()
            .is_err_and(|error| *error != MobankError::OutcomeUnknown)
        {
            // Refused, or never sent: the bank kept the old key.
            keep_pending(context, &auth.device_id, None).await?;
        }
        settled?;
        kill::point(kill::PIN_CHANGE_COMMITTED);

        let saver = Arc::clone(context);
        let device_id = auth.device_id.clone();
        blocking(move || {
            saver.states.update(&device_id, |state| {
                state.knowledge = Some(record);
                state.pending_knowledge = None;
                Ok(())
            })
        })
        .await??
        .ok_or(MobankError::NotBound)?;
        tracing::info!("PIN changed");
        Ok(())
    }
}

/// Stores (or forgets) the new knowledge key of a PIN change whose outcome the phone does not
/// know yet.
async fn keep_pending(
    context: &Arc<Context>,
    device_id: &str,
    pending: Option<KnowledgeRecord>,
) -> Result<(), MobankError> {
    let saver = Arc::clone(context);
    let device_id = device_id.to_owned();
    blocking(move || {
        saver.states.update(&device_id, |state| {
            state.pending_knowledge = pending;
            Ok(())
        })
    })
    .await??
    .ok_or(MobankError::NotBound)?;
    Ok(())
}

/// The first step of a PIN change, accepted by the bank, waiting for the new PIN.
#[derive(Clone)]
struct PendingPinChange {
    ticket_id: String,
    challenge: Vec<u8>,
    deadline_ms: u64,
}

/// The PIN change begun in a session, kept by [`crate::Mobank`] for every [`PinClient`]. It
/// belongs to the session that began it and ends with it: another session (a new login, after a
/// logout or an expiry) finds none.
#[derive(Default)]
pub(crate) struct PinChangeState {
    begun: Mutex<Option<Begun>>,
}

struct Begun {
    change: PendingPinChange,
    /// The token of the session that began it. Weak: the ended session's token is still wiped
    /// when the session drops it.
    session: Weak<SecretString>,
}

impl PinChangeState {
    fn begin(&self, session: &Arc<SecretString>, change: PendingPinChange) {
        *lock(&self.begun) = Some(Begun {
            change,
            session: Arc::downgrade(session),
        });
    }

    /// The change begun in the session of `session`, if it has not expired. One that expired or
    /// belongs to another session is dropped.
    fn current(&self, session: &Arc<SecretString>, now_ms: u64) -> Option<PendingPinChange> {
        let mut begun = lock(&self.begun);
        let usable = begun.as_ref().is_some_and(|begun| {
            std::ptr::eq(begun.session.as_ptr(), Arc::as_ptr(session))
                && now_ms < begun.change.deadline_ms
        });
        if !usable {
            *begun = None;
        }
        begun.as_ref().map(|begun| begun.change.clone())
    }

    fn clear(&self, ticket_id: &str) {
        let mut begun = lock(&self.begun);
        if begun
            .as_ref()
            .is_some_and(|begun| begun.change.ticket_id == ticket_id)
        {
            *begun = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket(ticket_id: &str, deadline_ms: u64) -> PendingPinChange {
        PendingPinChange {
            ticket_id: ticket_id.to_owned(),
            challenge: vec![1; 32],
            deadline_ms,
        }
    }

    #[test]
    fn pin_change_tickets_expire_and_are_cleared_by_id() {
        let state = PinChangeState::default();
        let session = Arc::new(SecretString::from("token"));
        state.begin(&session, ticket("t1", 1_000));
        assert!(state.current(&session, 999).is_some());
        state.clear("other");
        assert!(state.current(&session, 999).is_some());
        state.clear("t1");
        assert!(state.current(&session, 999).is_none());
        state.begin(&session, ticket("t1", 1_000));
        assert!(state.current(&session, 1_000).is_none());
    }

    #[test]
    fn a_begun_change_ends_with_its_session() {
        let state = PinChangeState::default();
        let first = Arc::new(SecretString::from("first"));
        state.begin(&first, ticket("t1", 1_000));
        let second = Arc::new(SecretString::from("second"));
        assert!(state.current(&second, 1).is_none());
        // Dropped for good: the first session does not get it back.
        assert!(state.current(&first, 1).is_none());

        state.begin(&second, ticket("t2", 1_000));
        let ticket_id = state.current(&second, 1).map(|change| change.ticket_id);
        assert_eq!(ticket_id.as_deref(), Some("t2"));
    }
}
