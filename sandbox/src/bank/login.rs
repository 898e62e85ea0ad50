//! Login: a single-use challenge, then a possession assertion and a biometric or PIN
//! assertion over it. The answer opens a session and carries the device's undelivered notices
//! and the session's transfer limits.

use mobank_protocol::messages::{ChallengeResponse, IntegritySignals, LoginResponse};
use mobank_protocol::Ceremony;

use super::challenges::{self, Purpose};
use super::factors::{authenticate, device_blocked, device_unknown, Attempt, TwoFactors};
use super::policy::{self, IntegrityFlags};
use super::{notices, session, Bank};
use crate::db::{devices, transfers};
use crate::error::ApiFailure;

pub(crate) fn issue_challenge(
    bank: &Bank,
    device_id: &str,
) -> Result<ChallengeResponse, ApiFailure> {
    let now = bank.clock.now_ms();
    let issued = bank.transact(|tx| {
        let status = devices::status(tx, device_id)?.ok_or_else(device_unknown)?;
        if status != "active" {
            return Err(device_blocked());
        }
        challenges::issue(
            tx,
            bank,
            device_id,
            Purpose::Login,
            bank.policy.challenge_ttl_ms,
            now,
        )
    })?;
    Ok(issued.into_response(bank, now))
}

pub(crate) fn log_in(
    bank: &Bank,
    device_id: &str,
    challenge_id: &str,
    factors: &TwoFactors,
    integrity: Option<IntegritySignals>,
) -> Result<LoginResponse, ApiFailure> {
    let now = bank.clock.now_ms();
    let integrity = IntegrityFlags::from_signals(integrity);
    bank.transact(|tx| {
        let challenge = challenges::consume(tx, challenge_id, Purpose::Login, device_id, now)?;
        let device = authenticate(
            tx,
            bank,
            device_id,
            Attempt::strong(Ceremony::Login, &factors.both(), &challenge, None),
            now,
        )?;
        if transfers::is_suspended(tx, &device.customer_id)? {
            return Err(session::suspended());
        }
        let issued = session::issue(tx, bank, device_id, integrity, now)?;
        let notices = notices::take_undelivered(tx, device_id, now)?;
        tracing::info!(%device_id, second_factor = ?factors.second.factor, "login succeeded");
        Ok(LoginResponse {
            session_token: issued.token.as_str().to_owned(),
            idle_timeout_secs: bank.policy.idle_timeout_secs,
            expires_at_ms: issued.expires_at_ms,
            server_time_ms: now,
            notices,
            limits: Some(policy::limits(device.cooling_off_until_ms, integrity, now)),
        })
    })
}
