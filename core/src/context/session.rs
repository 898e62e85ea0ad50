//! The bank session: a bearer token held only in memory, wiped when the session ends, and the
//! timers that end it on the phone before the bank has to.

use std::sync::Arc;
use std::time::Duration;

use mobank_protocol::messages::LoginResponse;

use crate::events::{DeviceNotice, MobankEvent};
use crate::limits::Limits;
use crate::secret::SecretString;

/// The longest the phone keeps a session whatever the bank says: idle (PSD2 RTS art. 4(3)(d))
/// and absolute (SP 800-63B AAL2/AAL3 reauthentication).
pub(crate) const MAX_IDLE: Duration = Duration::from_secs(5 * 60);
pub(crate) const MAX_SESSION: Duration = Duration::from_secs(12 * 60 * 60);

/// A second factor that makes an authentication strong (the possession key is always there).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum StrongFactor {
    UserVerified,
    Knowledge,
}

/// A strong authentication recent enough for an operation (the step-up policy, `auth/policy.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Requirement {
    /// Any one of these, together with the possession key.
    pub factors: &'static [StrongFactor],
    /// How long ago that authentication may have happened.
    pub max_age: Duration,
}

/// What the app may know about the current session.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SessionSummary {
    /// Bank time at which the session ends whatever the activity.
    pub expires_at: std::time::SystemTime,
    /// Inactivity after which the session ends.
    pub idle_timeout_secs: u32,
    /// What happened to the customer's devices since this device last logged in (also
    /// delivered as events), oldest first.
    pub notices: Vec<DeviceNotice>,
    /// The transfer limits of this session, if the bank sent them.
    pub limits: Option<Limits>,
}

/// A live session. All its timers run on the injected monotonic clock (milliseconds), with
/// durations taken from the bank's own timestamps, so neither a wrong phone clock nor a skew
/// between phone and bank extends or cuts it.
pub(crate) struct Session {
    /// Shared with requests in flight, which must not hold the session lock while they wait.
    token: Arc<SecretString>,
    device_id: String,
    started_ms: u64,
    lifetime_ms: u64,
    idle_ms: u64,
    last_used_ms: u64,
    /// When each strong factor last authenticated, on the phone's clock, taken when the request
    /// was sent, so the phone's view of freshness ends no later than the bank's.
    user_verified_at_ms: Option<u64>,
    knowledge_at_ms: Option<u64>,
}

/// A login response, taken apart: the session to keep and the summary to return.
pub(crate) struct Started {
    pub session: Session,
    pub summary: SessionSummary,
}

impl Session {
    /// `sent_at_ms` is when the login request left, on the phone's clock.
    pub(crate) fn start(
        response: LoginResponse,
        device_id: String,
        factor: StrongFactor,
        sent_at_ms: u64,
    ) -> Started {
        let LoginResponse {
            session_token,
            idle_timeout_secs,
            expires_at_ms,
            server_time_ms,
            notices,
            limits,
        } = response;
        // Only the bank's own difference counts; the phone's wall clock plays no part.
        let bank_lifetime_ms =
            u64::try_from(expires_at_ms.saturating_sub(server_time_ms)).unwrap_or(0);
        let mut session = Self {
            token: Arc::new(SecretString::new(session_token)),
            device_id,
            started_ms: sent_at_ms,
            lifetime_ms: bank_lifetime_ms.min(millis(MAX_SESSION)),
            idle_ms: (u64::from(idle_timeout_secs) * 1000).min(millis(MAX_IDLE)),
            last_used_ms: sent_at_ms,
            user_verified_at_ms: None,
            knowledge_at_ms: None,
        };
        session.strong_authentication(factor, sent_at_ms);
        Started {
            session,
            summary: SessionSummary {
                expires_at: crate::timestamp::from_unix_ms(expires_at_ms),
                idle_timeout_secs,
                notices: notices.into_iter().map(DeviceNotice::from).collect(),
                limits: limits.map(Limits::from),
            },
        }
    }

    pub(crate) fn token(&self) -> Arc<SecretString> {
        Arc::clone(&self.token)
    }

    pub(crate) fn device_id(&self) -> &str {
        &self.device_id
    }

    pub(crate) fn holds(&self, token: &Arc<SecretString>) -> bool {
        Arc::ptr_eq(&self.token, token)
    }

    pub(crate) fn idle_ms(&self) -> u64 {
        self.idle_ms
    }

    pub(crate) fn is_expired(&self, now_ms: u64) -> bool {
        now_ms.saturating_sub(self.last_used_ms) >= self.idle_ms
            || now_ms.saturating_sub(self.started_ms) >= self.lifetime_ms
    }

    /// Activity at `at_ms` (when a request that then succeeded was sent).
    pub(crate) fn touch(&mut self, at_ms: u64) {
        self.last_used_ms = self.last_used_ms.max(at_ms);
    }

    pub(crate) fn strong_authentication(&mut self, factor: StrongFactor, at_ms: u64) {
        let slot = match factor {
            StrongFactor::UserVerified => &mut self.user_verified_at_ms,
            StrongFactor::Knowledge => &mut self.knowledge_at_ms,
        };
        *slot = Some(slot.map_or(at_ms, |earlier| earlier.max(at_ms)));
        self.touch(at_ms);
    }

    /// Whether a strong authentication recent enough for `requirement` took place.
    pub(crate) fn is_fresh_for(&self, requirement: Requirement, now_ms: u64) -> bool {
        requirement.factors.iter().any(|factor| {
            let at = match factor {
                StrongFactor::UserVerified => self.user_verified_at_ms,
                StrongFactor::Knowledge => self.knowledge_at_ms,
            };
            at.is_some_and(|at| now_ms.saturating_sub(at) < millis(requirement.max_age))
        })
    }
}

/// The session, if any, and whether the app is in the background (since when).
#[derive(Default)]
pub(crate) struct SessionSlot {
    pub live: Option<Session>,
    pub background_since_ms: Option<u64>,
    /// The limits of the last session, to tell the app when they change. Outlives the session.
    pub last_limits: Option<Limits>,
}

impl SessionSlot {
    /// Time in the background counts as idle time.
    pub(crate) fn entered_background(&mut self, now_ms: u64) {
        self.background_since_ms.get_or_insert(now_ms);
    }

    /// Back in the foreground: after the idle window in the background the session is dropped
    /// (locked); one that expired meanwhile is dropped too. The event to tell the app, if any.
    pub(crate) fn entered_foreground(&mut self, now_ms: u64) -> Option<MobankEvent> {
        let since = self.background_since_ms.take();
        let event = match (since, self.live.as_ref()) {
            (Some(since), Some(live)) if now_ms.saturating_sub(since) >= live.idle_ms() => {
                MobankEvent::SessionLocked
            }
            (_, Some(live)) if live.is_expired(now_ms) => MobankEvent::SessionExpired,
            _ => return None,
        };
        self.live = None;
        Some(event)
    }
}

pub(crate) fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Bank time `deadline_ms` as a phone clock reading, given that the bank said `server_time_ms`
/// in answer to a request sent at `sent_at_ms`. Never later than the bank's deadline.
pub(crate) fn local_deadline(sent_at_ms: u64, server_time_ms: i64, deadline_ms: i64) -> u64 {
    let remaining = u64::try_from(deadline_ms.saturating_sub(server_time_ms)).unwrap_or(0);
    sent_at_ms.saturating_add(remaining)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(idle_secs: u32, lifetime_ms: i64) -> LoginResponse {
        LoginResponse {
            session_token: "token".to_owned(),
            idle_timeout_secs: idle_secs,
            // A phone clock far off the bank's must not matter: only the difference counts.
            expires_at_ms: 5_000_000 + lifetime_ms,
            server_time_ms: 5_000_000,
            notices: Vec::new(),
            limits: None,
        }
    }

    fn start(idle_secs: u32, lifetime_ms: i64, at: u64) -> Session {
        Session::start(
            response(idle_secs, lifetime_ms),
            "dev".to_owned(),
            StrongFactor::UserVerified,
            at,
        )
        .session
    }

    const MIN: u64 = 60_000;

    #[test]
    fn idle_timeout_runs_from_the_last_use() {
        let start_ms = 1_000;
        let mut session = start(300, 12 * 60 * MIN as i64, start_ms);
        assert!(!session.is_expired(start_ms + 299_000));
        assert!(session.is_expired(start_ms + 301_000));
        session.touch(start_ms + 200_000);
        assert!(!session.is_expired(start_ms + 499_000));
        assert!(session.is_expired(start_ms + 501_000));
    }

    #[test]
    fn absolute_cap_holds_despite_activity() {
        let mut session = start(300, 10 * MIN as i64, 0);
        for minute in 1..10 {
            session.touch(minute * MIN);
            assert!(!session.is_expired(minute * MIN + 1));
        }
        assert!(session.is_expired(10 * MIN));
    }

    #[test]
    fn the_phone_never_keeps_a_session_longer_than_its_own_bounds() {
        // A bank asking for an hour of idleness and two days of session gets 5 min and 12 h.
        let mut session = start(3600, 48 * 60 * MIN as i64, 0);
        assert!(session.is_expired(5 * MIN));
        for minute in (4..12 * 60).step_by(4) {
            session.touch(minute * MIN);
        }
        assert!(!session.is_expired(12 * 60 * MIN - 1));
        assert!(session.is_expired(12 * 60 * MIN));
    }

    #[test]
    fn an_already_expired_answer_is_expired_at_once() {
        let session = start(300, -5, 7);
        assert!(session.is_expired(7));
    }

    #[test]
    fn deadlines_convert_bank_time_by_difference_only() {
        assert_eq!(local_deadline(1_000, 9_000_000, 9_060_000), 61_000);
        assert_eq!(local_deadline(1_000, 9_000_000, 8_000_000), 1_000);
    }
}
