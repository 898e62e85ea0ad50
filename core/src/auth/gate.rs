//! The gate every call with a session passes before it touches the network: session alive, not
//! idle, under its cap, and fresh enough for the operation by the policy in `policy.rs`. And
//! what happens after the bank answered: activity recorded, or the session ended.

use std::sync::Arc;

use mobank_protocol::messages::{paths, ChallengePurpose, ChallengeRequest, ChallengeResponse};
use mobank_protocol::{Assertion, Ceremony, CHALLENGE_LEN};

use super::policy::{self, Operation};
use super::signing::{sign_off_runtime, Second, Signing};
use crate::context::{Context, Session};
use crate::device::state::CounterFlush;
use crate::error::MobankError;
use crate::events::MobankEvent;
use crate::net::NetError;
use crate::runtime::lock;
use crate::secret::SecretString;

/// A call the gate let through: the session it runs in, and when it started.
pub(crate) struct Authorized {
    context: Arc<Context>,
    pub token: Arc<SecretString>,
    pub device_id: String,
    pub at_ms: u64,
}

/// The gate. Refuses without a live session, ends an expired one (and tells the app), and
/// refuses a sensitive operation whose strong authentication is too old. Never touches the
/// network.
pub(crate) fn authorize(
    context: &Arc<Context>,
    operation: Option<Operation>,
) -> Result<Authorized, MobankError> {
    let now = context.clock.now_ms();
    let (result, event) = {
        let mut slot = lock(&context.session);
        match slot.live.as_ref() {
            None => (Err(MobankError::NotLoggedIn), None),
            Some(live) if live.is_expired(now) => {
                slot.live = None;
                (
                    Err(MobankError::SessionExpired),
                    Some(MobankEvent::SessionExpired),
                )
            }
            Some(live)
                if operation.is_some_and(|op| !live.is_fresh_for(policy::requirement(op), now)) =>
            {
                (Err(MobankError::StepUpRequired), None)
            }
            Some(live) => (
                Ok(Authorized {
                    context: Arc::clone(context),
                    token: live.token(),
                    device_id: live.device_id().to_owned(),
                    at_ms: now,
                }),
                None,
            ),
        }
    };
    context.emit(event);
    result
}

impl Authorized {
    /// After the bank answered: activity on success; the end of the session when the bank
    /// ended it; the bank's verdict on the binding recorded.
    pub(crate) async fn settle<T>(&self, result: Result<T, NetError>) -> Result<T, MobankError> {
        let result = result.map_err(MobankError::from);
        let event = {
            let mut slot = lock(&self.context.session);
            let ours = slot
                .live
                .as_ref()
                .is_some_and(|live| live.holds(&self.token));
            match (&result, slot.live.as_mut()) {
                (Ok(_), Some(live)) if ours => {
                    live.touch(self.at_ms);
                    None
                }
                (Err(error), Some(_)) if ours && ends_session(error) => {
                    slot.live = None;
                    (*error == MobankError::SessionExpired).then_some(MobankEvent::SessionExpired)
                }
                _ => None,
            }
        };
        self.context.emit(event);
        if matches!(result, Err(MobankError::Suspended)) {
            self.context.emit(Some(MobankEvent::EbankingSuspended));
        }
        if let Err(error) = &result {
            self.context
                .note_binding_error(&self.device_id, error)
                .await;
        }
        result
    }

    /// Changes the session of this call, if it is still the live one.
    pub(crate) fn with_session<T>(&self, change: impl FnOnce(&mut Session) -> T) -> Option<T> {
        let mut slot = lock(&self.context.session);
        slot.live
            .as_mut()
            .filter(|live| live.holds(&self.token))
            .map(change)
    }

    /// A fresh challenge for `purpose` in this session, signed with the possession key and
    /// `second` in the ceremony of that purpose. `operation` names what an operation authorises.
    pub(crate) async fn answer_challenge(
        &self,
        purpose: ChallengePurpose,
        operation: Option<String>,
        second: Second,
    ) -> Result<Answered, MobankError> {
        let ceremony = match purpose {
            ChallengePurpose::StepUp => Ceremony::StepUp,
            ChallengePurpose::Operation => Ceremony::Operation,
        };
        let challenge = self.challenge(purpose).await?;
        let signing = Signing {
            ceremony,
            challenge: challenge.challenge,
            operation,
            counters: CounterFlush::Now,
        };
        let assertions = sign_off_runtime(&self.context, &self.device_id, signing, second).await?;
        Ok(Answered {
            challenge_id: challenge.challenge_id,
            assertions,
        })
    }

    /// A challenge inside the session, for a step-up or an operation.
    async fn challenge(&self, purpose: ChallengePurpose) -> Result<ChallengeResponse, MobankError> {
        let result = self
            .context
            .bank
            .post_authorized::<_, ChallengeResponse>(
                paths::CHALLENGES,
                &ChallengeRequest { purpose },
                &self.token,
            )
            .await;
        let challenge = self.settle(result).await?;
        if challenge.challenge.len() != CHALLENGE_LEN {
            return Err(NetError::MalformedResponse.into());
        }
        Ok(challenge)
    }
}

/// A challenge the phone answered: what the request to the bank carries.
pub(crate) struct Answered {
    pub challenge_id: String,
    pub assertions: Vec<Assertion>,
}

/// Bank answers after which the session is gone.
fn ends_session(error: &MobankError) -> bool {
    matches!(
        error,
        MobankError::NotLoggedIn
            | MobankError::SessionExpired
            | MobankError::DeviceBlocked
            | MobankError::NotBound
    )
}
