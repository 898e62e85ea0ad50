//! Strong authentication (login, step-up) and the gate every call with a session passes
//! before it touches the network: session alive, not idle, under its cap, and fresh enough for
//! the operation by the policy in `policy.rs`.

use std::sync::Arc;

use mobank_protocol::messages::{
    paths, AccountsResponse, ChallengePurpose, ChallengeRequest, ChallengeResponse,
    LoginChallengeRequest, LoginRequest, LoginResponse, StepUpRequest, StepUpResponse,
};
use mobank_protocol::{Assertion, Ceremony, Factor, CHALLENGE_LEN};

use crate::accounts::Account;
use crate::device::knowledge::KnowledgeKey;
use crate::device::signer::{make_assertion, make_knowledge_assertion, AssertionSpec};
use crate::device::state::{BindingStatus, DeviceState, SecondCounter};
use crate::error::{MobankError, SignError};
use crate::input;
use crate::mobank::{blocking, lock, Inner, Mobank};
use crate::net::NetError;
use crate::pin::Pin;
use crate::platform::{IntegritySignals, KeyStoreError, MobankEvent};
use crate::policy::{Operation, StrongFactor, BIOMETRIC_ATTEMPTS};
use crate::secret::SecretString;
use crate::session::{Session, SessionSummary, Started};

impl Mobank {
    /// Logs in with the possession key and the biometric key; the OS shows `prompt` before it
    /// releases the latter. The session token stays in memory only.
    ///
    /// `BiometryChanged`: the enrolment changed; log in with the PIN and re-enrol.
    /// `PinRequired`: five biometric checks failed on this phone; log in with the PIN.
    pub async fn login_biometric(&self, prompt: &str) -> Result<SessionSummary, MobankError> {
        let prompt = input::prompt(prompt)?.to_owned();
        self.inner.login(Second::Biometric { prompt }).await
    }

    /// Logs in with the possession key and the PIN. The phone cannot tell a wrong PIN: it signs
    /// with whatever key the PIN gives, and the bank answers `AuthenticationFailed` with the
    /// attempts left, exactly as for any other failed factor.
    pub async fn login_pin(&self, pin: Pin) -> Result<SessionSummary, MobankError> {
        self.inner.login(Second::Pin(pin)).await
    }

    /// A fresh strong authentication inside the session, with the biometric key, for the
    /// operations that need one (`StepUpRequired`).
    pub async fn step_up_biometric(&self, prompt: &str) -> Result<(), MobankError> {
        let prompt = input::prompt(prompt)?.to_owned();
        self.inner.step_up(Second::Biometric { prompt }).await
    }

    /// A fresh strong authentication inside the session, with the PIN.
    pub async fn step_up_pin(&self, pin: Pin) -> Result<(), MobankError> {
        self.inner.step_up(Second::Pin(pin)).await
    }

    /// Every account of the customer. Needs a live session.
    pub async fn accounts(&self) -> Result<Vec<Account>, MobankError> {
        let auth = self.inner.authorize(None)?;
        let result = self
            .inner
            .bank
            .get_authorized::<AccountsResponse>(paths::ACCOUNTS, &auth.token)
            .await;
        let response = self.inner.settle(&auth, result).await?;
        Ok(response.accounts.into_iter().map(Account::from).collect())
    }
}

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

    fn strong_factor(&self) -> Option<StrongFactor> {
        match self {
            Second::Biometric { .. } | Second::NewBiometric { .. } => {
                Some(StrongFactor::UserVerified)
            }
            Second::Pin(_) | Second::NewKnowledge(_) => Some(StrongFactor::Knowledge),
            Second::None => None,
        }
    }

    /// Refuses locally what the bank would refuse or the phone cannot do.
    fn check_available(&self, state: &DeviceState) -> Result<(), MobankError> {
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
}

/// A call the gate let through: the session it runs in, and when it started.
pub(crate) struct Authorized {
    pub token: Arc<SecretString>,
    pub device_id: String,
    pub at_ms: u64,
}

impl Inner {
    async fn login(self: &Arc<Self>, second: Second) -> Result<SessionSummary, MobankError> {
        let factor = second
            .strong_factor()
            .ok_or_else(|| crate::mobank::internal("a login needs a second factor"))?;
        // Logging in ends whatever session there was.
        drop(lock(&self.session).live.take());
        let state = self.usable_state().await?;
        second.check_available(&state)?;
        let device_id = state.device_id.clone();
        let integrity = self.integrity_signals().await?;

        let challenge = self
            .bank
            .post::<_, ChallengeResponse>(
                paths::LOGIN_CHALLENGE,
                &LoginChallengeRequest {
                    device_id: device_id.clone(),
                },
            )
            .await;
        let challenge = self.refused_by_bank(&device_id, challenge).await?;
        if challenge.challenge.len() != CHALLENGE_LEN {
            return Err(NetError::MalformedResponse.into());
        }
        let signing = Signing {
            ceremony: Ceremony::Login,
            challenge: challenge.challenge,
            operation: None,
        };
        let assertions = self.sign_off_runtime(&device_id, signing, second).await?;

        let sent_at_ms = self.clock.now_ms();
        let response = self
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
        let mut response = self.refused_by_bank(&device_id, response).await?;
        if response.session_token.is_empty() || response.idle_timeout_secs == 0 {
            zeroize::Zeroize::zeroize(&mut response.session_token);
            return Err(NetError::MalformedResponse.into());
        }
        let Started { session, summary } =
            Session::start(response, device_id.clone(), factor, sent_at_ms);
        lock(&self.session).live = Some(session);
        self.strong_authentication_succeeded(&device_id).await;

        let mut events: Vec<MobankEvent> = summary.notices.iter().map(MobankEvent::from).collect();
        if let Some(limits) = &summary.limits {
            let mut last = lock(&self.last_limits);
            if last.as_ref() != Some(limits) {
                *last = Some(limits.clone());
                events.push(MobankEvent::LimitsChanged {
                    limits: limits.clone(),
                });
            }
        }
        self.emit(events);
        tracing::info!("logged in");
        Ok(summary)
    }

    async fn step_up(self: &Arc<Self>, second: Second) -> Result<(), MobankError> {
        let factor = second
            .strong_factor()
            .ok_or_else(|| crate::mobank::internal("a step-up needs a second factor"))?;
        let auth = self.authorize(None)?;
        let state = self.usable_state().await?;
        second.check_available(&state)?;
        let challenge = self
            .session_challenge(&auth, ChallengePurpose::StepUp)
            .await?;
        let signing = Signing {
            ceremony: Ceremony::StepUp,
            challenge: challenge.challenge,
            operation: None,
        };
        let assertions = self
            .sign_off_runtime(&auth.device_id, signing, second)
            .await?;
        let sent_at_ms = self.clock.now_ms();
        let result = self
            .bank
            .post_authorized::<_, StepUpResponse>(
                paths::STEP_UP,
                &StepUpRequest {
                    challenge_id: challenge.challenge_id,
                    assertions,
                },
                &auth.token,
            )
            .await;
        self.settle(&auth, result).await?;
        self.with_session(&auth, |session| {
            session.strong_authentication(factor, sent_at_ms);
        });
        self.strong_authentication_succeeded(&auth.device_id).await;
        tracing::info!("stepped up");
        Ok(())
    }

    /// The gate. Refuses without a live session, ends an expired one (and tells the app), and
    /// refuses a sensitive operation whose strong authentication is too old. Never touches the
    /// network.
    pub(crate) fn authorize(
        &self,
        operation: Option<Operation>,
    ) -> Result<Authorized, MobankError> {
        let now = self.clock.now_ms();
        let (result, event) = {
            let mut slot = lock(&self.session);
            match slot.live.as_ref() {
                None => (Err(MobankError::NotLoggedIn), None),
                Some(live) if live.is_expired(now) => {
                    slot.live = None;
                    (
                        Err(MobankError::SessionExpired),
                        Some(MobankEvent::SessionExpired),
                    )
                }
                Some(live) if operation.is_some_and(|op| !live.is_fresh_for(op, now)) => {
                    (Err(MobankError::StepUpRequired), None)
                }
                Some(live) => (
                    Ok(Authorized {
                        token: live.token(),
                        device_id: live.device_id().to_owned(),
                        at_ms: now,
                    }),
                    None,
                ),
            }
        };
        self.emit(event);
        result
    }

    /// After a call the gate let through: activity on success; the end of the session when
    /// the bank ended it; the bank's verdict on the binding recorded.
    pub(crate) async fn settle<T>(
        self: &Arc<Self>,
        auth: &Authorized,
        result: Result<T, NetError>,
    ) -> Result<T, MobankError> {
        let result = result.map_err(MobankError::from);
        let event = {
            let mut slot = lock(&self.session);
            let ours = slot
                .live
                .as_ref()
                .is_some_and(|live| live.holds(&auth.token));
            match (&result, slot.live.as_mut()) {
                (Ok(_), Some(live)) if ours => {
                    live.touch(auth.at_ms);
                    None
                }
                (Err(error), Some(_)) if ours && ends_session(error) => {
                    slot.live = None;
                    (*error == MobankError::SessionExpired).then_some(MobankEvent::SessionExpired)
                }
                _ => None,
            }
        };
        self.emit(event);
        if let Err(error) = &result {
            self.note_binding_error(&auth.device_id, error).await;
        }
        result
    }

    /// Changes the session of `auth`, if it is still the live one.
    pub(crate) fn with_session<T>(
        &self,
        auth: &Authorized,
        change: impl FnOnce(&mut Session) -> T,
    ) -> Option<T> {
        let mut slot = lock(&self.session);
        slot.live
            .as_mut()
            .filter(|live| live.holds(&auth.token))
            .map(change)
    }

    /// A challenge inside the session, for a step-up or an operation.
    pub(crate) async fn session_challenge(
        self: &Arc<Self>,
        auth: &Authorized,
        purpose: ChallengePurpose,
    ) -> Result<ChallengeResponse, MobankError> {
        let result = self
            .bank
            .post_authorized::<_, ChallengeResponse>(
                paths::CHALLENGES,
                &ChallengeRequest { purpose },
                &auth.token,
            )
            .await;
        let challenge = self.settle(auth, result).await?;
        if challenge.challenge.len() != CHALLENGE_LEN {
            return Err(NetError::MalformedResponse.into());
        }
        Ok(challenge)
    }

    /// The saved binding, if it can still authenticate: not blocked, not revoked.
    pub(crate) async fn usable_state(self: &Arc<Self>) -> Result<DeviceState, MobankError> {
        let inner = Arc::clone(self);
        let state = blocking(move || inner.states.load())
            .await??
            .ok_or(MobankError::NotBound)?;
        match state.status {
            BindingStatus::Active => Ok(state),
            BindingStatus::Blocked => Err(MobankError::DeviceBlocked),
            BindingStatus::Revoked => Err(MobankError::NotBound),
        }
    }

    /// Signs on the blocking pool: the key store may show a prompt for as long as it likes.
    pub(crate) async fn sign_off_runtime(
        self: &Arc<Self>,
        device_id: &str,
        signing: Signing,
        second: Second,
    ) -> Result<Vec<Assertion>, MobankError> {
        let inner = Arc::clone(self);
        let device_id = device_id.to_owned();
        blocking(move || inner.sign(&device_id, &signing, &second))
            .await?
            .map_err(MobankError::from)
    }

    /// Reserves the counters (persisted before signing), then signs with the possession key
    /// and the second factor. The state lock is released before the key store is called.
    fn sign(
        &self,
        device_id: &str,
        signing: &Signing,
        second: &Second,
    ) -> Result<Vec<Assertion>, SignError> {
        let reserved = self
            .states
            .reserve(device_id, second.counter())?
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
            self.key_store.as_ref(),
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
            Second::Biometric { prompt } => self.sign_biometric(
                device_id,
                &spec(
                    Factor::UserVerified,
                    &state.user_verified_key_alias,
                    second_count,
                    Some(prompt),
                ),
            )?,
            // A new key's first signature carries 1.
            Second::NewBiometric { alias, prompt } => self.sign_biometric(
                device_id,
                &spec(Factor::UserVerified, alias, 1, Some(prompt)),
            )?,
            Second::Pin(pin) => {
                let record = state.knowledge.as_ref().ok_or(SignError::PinNotSet)?;
                let key = KnowledgeKey::open(self.key_store.as_ref(), record, pin)
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
        &self,
        device_id: &str,
        spec: &AssertionSpec<'_>,
    ) -> Result<Assertion, SignError> {
        match make_assertion(self.key_store.as_ref(), spec) {
            Ok(assertion) => Ok(assertion),
            Err(KeyStoreError::VerificationFailed) => {
                let failures = self
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
    pub(crate) async fn strong_authentication_succeeded(self: &Arc<Self>, device_id: &str) {
        let inner = Arc::clone(self);
        let device_id = device_id.to_owned();
        let reset = blocking(move || {
            let needed = inner
                .states
                .load()?
                .is_some_and(|state| state.biometric_failures > 0);
            if needed {
                inner.states.update(&device_id, |state| {
                    state.biometric_failures = 0;
                    Ok(())
                })?;
            }
            Ok::<_, crate::device::state::StateError>(())
        })
        .await;
        if !matches!(reset, Ok(Ok(()))) {
            tracing::warn!("could not reset the biometric failure count");
        }
    }

    /// A bank answer outside a session: its verdict on the binding is recorded.
    async fn refused_by_bank<T>(
        self: &Arc<Self>,
        device_id: &str,
        result: Result<T, NetError>,
    ) -> Result<T, MobankError> {
        let result = result.map_err(MobankError::from);
        if let Err(error) = &result {
            self.note_binding_error(device_id, error).await;
        }
        result
    }

    async fn integrity_signals(self: &Arc<Self>) -> Result<Option<IntegritySignals>, MobankError> {
        let Some(hook) = self.integrity.clone() else {
            return Ok(None);
        };
        // The app's code may take its time (or probe the system): not on a runtime worker.
        blocking(move || hook.signals()).await.map(Some)
    }
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
