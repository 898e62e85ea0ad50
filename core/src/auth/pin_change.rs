//! Changing the PIN in two steps, both signed by the device: the old PIN is proven to the bank
//! (begin), then a new knowledge key is made, stored under the new PIN and handed to the bank
//! with a proof made by it (commit). The old key dies with the commit.

use std::sync::Arc;

use mobank_protocol::assertion::operations;
use mobank_protocol::messages::{
    paths, ChallengePurpose, PinChangeBeginRequest, PinChangeCommitRequest, PinChangeResponse,
    PinChangeTicket,
};
use mobank_protocol::{Ceremony, CHALLENGE_LEN};
use zeroize::{Zeroize, Zeroizing};

use crate::auth::{Second, Signing};
use crate::device::binding::knowledge_alias;
use crate::device::knowledge::KnowledgeKey;
use crate::error::MobankError;
use crate::mobank::{blocking, Mobank};
use crate::net::NetError;
use crate::pin::Pin;
use crate::pin_policy;
use crate::policy::Operation;
use crate::policy::StrongFactor;
use crate::session::{local_deadline, PendingPinChange};

impl Mobank {
    /// Step one: proves the current PIN to the bank. Needs a fresh strong authentication
    /// (`StepUpRequired` otherwise, before anything is sent). A wrong PIN is
    /// `AuthenticationFailed` with the attempts left and counts toward the block, like any
    /// failed factor.
    pub async fn begin_pin_change(&self, old: Pin) -> Result<(), MobankError> {
        let inner = &self.inner;
        let auth = inner.authorize(Some(Operation::ChangePin))?;
        let state = inner.usable_state().await?;
        if state.knowledge.is_none() {
            return Err(MobankError::PinNotSet);
        }
        let challenge = inner
            .session_challenge(&auth, ChallengePurpose::Operation)
            .await?;
        let signing = Signing {
            ceremony: Ceremony::Operation,
            challenge: challenge.challenge,
            operation: Some(operations::PIN_CHANGE_BEGIN.to_owned()),
        };
        let assertions = inner
            .sign_off_runtime(&auth.device_id, signing, Second::Pin(old))
            .await?;
        let sent_at_ms = inner.clock.now_ms();
        let result = inner
            .bank
            .post_authorized::<_, PinChangeTicket>(
                paths::PIN_CHANGE_BEGIN,
                &PinChangeBeginRequest {
                    challenge_id: challenge.challenge_id,
                    assertions,
                },
                &auth.token,
            )
            .await;
        let ticket = inner.settle(&auth, result).await?;
        if ticket.challenge.len() != CHALLENGE_LEN || ticket.ticket_id.is_empty() {
            return Err(NetError::MalformedResponse.into());
        }
        let pending = PendingPinChange {
            ticket_id: ticket.ticket_id,
            challenge: ticket.challenge,
            deadline_ms: local_deadline(sent_at_ms, ticket.server_time_ms, ticket.expires_at_ms),
        };
        // The bank counts a proven old PIN as a strong authentication; so does the phone.
        inner
            .with_session(&auth, |session| {
                session.strong_authentication(StrongFactor::Knowledge, sent_at_ms);
                session.set_pin_change(pending)
            })
            .ok_or(MobankError::NotLoggedIn)?;
        inner.strong_authentication_succeeded(&auth.device_id).await;
        tracing::info!("PIN change begun");
        Ok(())
    }

    /// Step two: sets `new` as the PIN. A PIN that is too easy to guess is refused
    /// (`PinRejected`) before anything is sent, and the begun change stays open for another try.
    ///
    /// The new key is saved on the phone only once the bank has accepted it. If the answer is
    /// lost (`OutcomeUnknown`), the phone keeps the old PIN; should the bank have taken the new
    /// one, the old PIN then fails at the bank and the way back is biometric login and a new PIN
    /// change, or re-activation.
    pub async fn commit_pin_change(&self, new: Pin) -> Result<(), MobankError> {
        pin_policy::check_new_pin(&new)?;
        let inner = &self.inner;
        let auth = inner.authorize(Some(Operation::ChangePin))?;
        let now = inner.clock.now_ms();
        let ticket = inner
            .with_session(&auth, |session| session.pin_change(now))
            .flatten()
            .ok_or(MobankError::NoPinChangeInProgress)?;
        let state = inner.usable_state().await?;
        let wrap_alias = state.knowledge.as_ref().map_or_else(
            || knowledge_alias(&state.possession_key_alias),
            |record| record.wrap_alias.clone(),
        );

        let key_store = Arc::clone(&inner.key_store);
        let (key, record) = blocking(move || {
            let key = KnowledgeKey::generate()?;
            let record = key.seal(key_store.as_ref(), &wrap_alias, &new)?;
            Ok::<_, crate::platform::KeyStoreError>((key, record))
        })
        .await??;
        let key_bytes = Zeroizing::new(key.bytes().to_vec());
        let signing = Signing {
            ceremony: Ceremony::Operation,
            challenge: ticket.challenge.clone(),
            operation: Some(operations::pin_change_commit(&ticket.ticket_id)),
        };
        let assertions = inner
            .sign_off_runtime(&auth.device_id, signing, Second::NewKnowledge(key))
            .await?;
        let mut request = PinChangeCommitRequest {
            ticket_id: ticket.ticket_id.clone(),
            new_knowledge_key: key_bytes.to_vec(),
            assertions,
        };
        let result = inner
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
            inner.with_session(&auth, |session| session.clear_pin_change(&ticket.ticket_id));
        }
        inner.settle(&auth, result).await?;

        let saver = Arc::clone(inner);
        let device_id = auth.device_id.clone();
        blocking(move || {
            saver.states.update(&device_id, |state| {
                state.knowledge = Some(record);
                Ok(())
            })
        })
        .await??
        .ok_or(MobankError::NotBound)?;
        tracing::info!("PIN changed");
        Ok(())
    }
}
