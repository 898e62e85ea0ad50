//! The bank session: a bearer token held only in memory, wiped when the session ends.

use std::sync::Arc;
use std::time::{Duration, Instant};

use mobank_protocol::messages::LoginResponse;

use crate::secret::SecretString;

/// What the app may know about the current session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionSummary {
    /// Bank time (Unix ms) at which the session ends whatever the activity.
    pub expires_at_ms: i64,
    /// Inactivity after which the session ends.
    pub idle_timeout_secs: u32,
}

/// A live session. Expiry is tracked on the monotonic clock, with durations taken from the
/// bank's own timestamps, so a wrong or changed phone clock neither extends nor cuts it.
pub(crate) struct Session {
    /// Shared with requests in flight, which must not hold the session lock while they wait.
    token: Arc<SecretString>,
    summary: SessionSummary,
    started: Instant,
    lifetime: Duration,
    idle_timeout: Duration,
    last_used: Instant,
}

impl Session {
    pub(crate) fn new(response: LoginResponse, now: Instant) -> Self {
        let lifetime_ms = response
            .expires_at_ms
            .saturating_sub(response.server_time_ms)
            .max(0);
        Self {
            token: Arc::new(SecretString::new(response.session_token)),
            summary: SessionSummary {
                expires_at_ms: response.expires_at_ms,
                idle_timeout_secs: response.idle_timeout_secs,
            },
            started: now,
            lifetime: Duration::from_millis(u64::try_from(lifetime_ms).unwrap_or(0)),
            idle_timeout: Duration::from_secs(u64::from(response.idle_timeout_secs)),
            last_used: now,
        }
    }

    pub(crate) fn summary(&self) -> SessionSummary {
        self.summary
    }

    pub(crate) fn token(&self) -> Arc<SecretString> {
        Arc::clone(&self.token)
    }

    pub(crate) fn holds(&self, token: &Arc<SecretString>) -> bool {
        Arc::ptr_eq(&self.token, token)
    }

    pub(crate) fn is_expired(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.last_used) >= self.idle_timeout
            || now.saturating_duration_since(self.started) >= self.lifetime
    }

    pub(crate) fn touch(&mut self, now: Instant) {
        self.last_used = self.last_used.max(now);
    }
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
        }
    }

    #[test]
    fn idle_timeout_runs_from_the_last_use() {
        let start = Instant::now();
        let mut session = Session::new(response(300, 12 * 3600 * 1000), start);
        assert!(!session.is_expired(start + Duration::from_secs(299)));
        assert!(session.is_expired(start + Duration::from_secs(301)));
        session.touch(start + Duration::from_secs(200));
        assert!(!session.is_expired(start + Duration::from_secs(499)));
        assert!(session.is_expired(start + Duration::from_secs(501)));
    }

    #[test]
    fn absolute_cap_holds_despite_activity() {
        let start = Instant::now();
        let mut session = Session::new(response(300, 600_000), start);
        for minute in 1..10 {
            session.touch(start + Duration::from_secs(60 * minute));
            assert!(!session.is_expired(start + Duration::from_secs(60 * minute + 1)));
        }
        assert!(session.is_expired(start + Duration::from_secs(600)));
    }

    #[test]
    fn an_already_expired_answer_is_expired_at_once() {
        let start = Instant::now();
        let session = Session::new(response(300, -5), start);
        assert!(session.is_expired(start));
    }
}
