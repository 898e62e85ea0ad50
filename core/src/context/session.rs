//! The bank session: a bearer token held only in memory, wiped when the session ends, and the
//! timers that end it on the phone before the bank has to.

use std::sync::Arc;
use std::time::Duration;

use mobank_protocol::messages::{self, LimitReason, LoginResponse, NoticeKind};
use rust_decimal::Decimal;

use crate::policy::{self, Operation, StrongFactor, MAX_IDLE, MAX_SESSION};
use crate::secret::SecretString;

/// What the app may know about the current session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSummary {
    /// Bank time (Unix ms) at which the session ends whatever the activity.
    pub expires_at_ms: i64,
    /// Inactivity after which the session ends.
    pub idle_timeout_secs: u32,
    /// What happened to the customer's devices since this device last logged in (also
    /// delivered as events), oldest first.
    pub notices: Vec<DeviceNotice>,
    /// The transfer limits of this session, if the bank sent them.
    pub limits: Option<Limits>,
}

/// Something that happened to one of the customer's devices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceNotice {
    pub kind: NoticeKind,
    /// The device it happened to.
    pub device_name: Option<String>,
    /// Bank time, Unix ms.
    pub at_ms: i64,
}

/// Transfer limits as the bank set them for this session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    pub per_transaction: Decimal,
    pub daily: Decimal,
    pub currency: String,
    /// The strictest reason that applies.
    pub reason: LimitReason,
    /// Bank time (Unix ms) at which a new device's cooling-off period ends.
    pub cooling_off_until_ms: Option<i64>,
}

impl From<messages::Limits> for Limits {
    fn from(limits: messages::Limits) -> Self {
        Self {
            per_transaction: limits.per_transaction,
            daily: limits.daily,
            currency: limits.currency,
            reason: limits.reason,
            cooling_off_until_ms: limits.cooling_off_until_ms,
        }
    }
}

impl From<messages::Notice> for DeviceNotice {
    fn from(notice: messages::Notice) -> Self {
        Self {
            kind: notice.kind,
            device_name: notice.device_name,
            at_ms: notice.at_ms,
        }
    }
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
    pin_change: Option<PendingPinChange>,
}

/// The first step of a PIN change, accepted by the bank, waiting for the new PIN.
#[derive(Clone)]
pub(crate) struct PendingPinChange {
    pub ticket_id: String,
    pub challenge: Vec<u8>,
    pub deadline_ms: u64,
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
            pin_change: None,
        };
        session.strong_authentication(factor, sent_at_ms);
        Started {
            session,
            summary: SessionSummary {
                expires_at_ms,
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

    /// Whether a strong authentication recent enough for `operation` took place.
    pub(crate) fn is_fresh_for(&self, operation: Operation, now_ms: u64) -> bool {
        let requirement = policy::requirement(operation);
        requirement.factors.iter().any(|factor| {
            let at = match factor {
                StrongFactor::UserVerified => self.user_verified_at_ms,
                StrongFactor::Knowledge => self.knowledge_at_ms,
            };
            at.is_some_and(|at| now_ms.saturating_sub(at) < millis(requirement.max_age))
        })
    }

    pub(crate) fn set_pin_change(&mut self, ticket: PendingPinChange) {
        self.pin_change = Some(ticket);
    }

    /// The pending PIN change, if one exists and has not expired (an expired one is dropped).
    pub(crate) fn pin_change(&mut self, now_ms: u64) -> Option<PendingPinChange> {
        if self
            .pin_change
            .as_ref()
            .is_some_and(|ticket| now_ms >= ticket.deadline_ms)
        {
            self.pin_change = None;
        }
        self.pin_change.clone()
    }

    pub(crate) fn clear_pin_change(&mut self, ticket_id: &str) {
        if self
            .pin_change
            .as_ref()
            .is_some_and(|ticket| ticket.ticket_id == ticket_id)
        {
            self.pin_change = None;
        }
    }
}

/// The session, if any, and whether the app is in the background (since when).
#[derive(Default)]
pub(crate) struct SessionSlot {
    pub live: Option<Session>,
    pub background_since_ms: Option<u64>,
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
    fn step_up_freshness_follows_the_policy() {
        let mut session = start(300, 12 * 60 * MIN as i64, 0);
        assert!(session.is_fresh_for(Operation::RevokeDevice, 5 * MIN - 1));
        assert!(!session.is_fresh_for(Operation::RevokeDevice, 5 * MIN));
        // A biometric login does not count for re-enrolling the biometric key.
        assert!(!session.is_fresh_for(Operation::ReenrolBiometric, 1));
        session.strong_authentication(StrongFactor::Knowledge, 6 * MIN);
        assert!(session.is_fresh_for(Operation::ReenrolBiometric, 6 * MIN + 1));
        assert!(session.is_fresh_for(Operation::ChangePin, 11 * MIN - 1));
        assert!(!session.is_fresh_for(Operation::ChangePin, 11 * MIN));
    }

    #[test]
    fn deadlines_convert_bank_time_by_difference_only() {
        assert_eq!(local_deadline(1_000, 9_000_000, 9_060_000), 61_000);
        assert_eq!(local_deadline(1_000, 9_000_000, 8_000_000), 1_000);
    }

    #[test]
    fn pin_change_tickets_expire_and_are_cleared_by_id() {
        let mut session = start(300, 12 * 60 * MIN as i64, 0);
        let ticket = PendingPinChange {
            ticket_id: "t1".to_owned(),
            challenge: vec![1; 32],
            deadline_ms: 1_000,
        };
        session.set_pin_change(ticket.clone());
        assert!(session.pin_change(999).is_some());
        session.clear_pin_change("other");
        assert!(session.pin_change(999).is_some());
        session.clear_pin_change("t1");
        assert!(session.pin_change(999).is_none());
        session.set_pin_change(ticket);
        assert!(session.pin_change(1_000).is_none());
    }
}
