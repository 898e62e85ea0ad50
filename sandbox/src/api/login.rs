//! Login: a single-use challenge, then one assertion from each device key over it.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use mobank_protocol::assertion::{verify, Expectation};
use mobank_protocol::messages::{
    ChallengeResponse, LoginChallengeRequest, LoginRequest, LoginResponse,
};
use mobank_protocol::{Assertion, Ceremony, ErrorCode, VerifyError};
use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};

use super::activation::one_of_each;
use super::session;
use crate::bank::{run_blocking, Bank, MAX_FAILED_ATTEMPTS};
use crate::error::ApiFailure;
use crate::extract::StrictJson;
use crate::random;

pub(super) async fn challenge(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<LoginChallengeRequest>,
) -> Result<Json<ChallengeResponse>, ApiFailure> {
    run_blocking(&bank, move |bank| issue_challenge(bank, &request.device_id))
        .await
        .map(Json)
}

pub(super) async fn login(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiFailure> {
    let LoginRequest {
        device_id,
        challenge_id,
        assertions,
    } = request;
    let (possession, user_verified) = one_of_each(assertions).ok_or_else(|| {
        ApiFailure::bad_request("exactly one possession and one user-verified assertion required")
    })?;
    run_blocking(&bank, move |bank| {
        log_in(bank, &device_id, &challenge_id, &possession, &user_verified)
    })
    .await
    .map(Json)
}

fn device_unknown() -> ApiFailure {
    ApiFailure::new(ErrorCode::DeviceUnknown, "this device is not bound")
}

fn device_blocked() -> ApiFailure {
    ApiFailure::new(ErrorCode::DeviceBlocked, "the device binding is blocked")
}

fn challenge_invalid() -> ApiFailure {
    ApiFailure::new(
        ErrorCode::ChallengeInvalid,
        "the challenge is unknown, used or expired",
    )
}

fn issue_challenge(bank: &Bank, device_id: &str) -> Result<ChallengeResponse, ApiFailure> {
    let now = bank.clock.now_ms();
    let challenge_id = random::id(&bank.rng, "chl")?;
    let challenge = random::challenge(&bank.rng)?;
    let expires_at_ms = now.saturating_add(bank.policy.challenge_ttl_ms);
    bank.with_db(|conn| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let status = device_status(&tx, device_id)?.ok_or_else(device_unknown)?;
        if status != "active" {
            return Err(device_blocked());
        }
        tx.execute(
            "INSERT INTO challenges (challenge_id, challenge, purpose, device_id, created_at_ms,
                                     expires_at_ms)
             VALUES (?1, ?2, 'login', ?3, ?4, ?5)",
            params![
                challenge_id,
                challenge.as_slice(),
                device_id,
                now,
                expires_at_ms
            ],
        )?;
        tx.commit()?;
        Ok(())
    })?;
    Ok(ChallengeResponse {
        challenge_id,
        challenge: challenge.to_vec(),
        expires_at_ms,
        rp_id: bank.policy.rp_id.clone(),
        server_time_ms: now,
    })
}

fn device_status(tx: &Transaction<'_>, device_id: &str) -> rusqlite::Result<Option<String>> {
    tx.query_row(
        "SELECT status FROM devices WHERE device_id = ?1",
        [device_id],
        |row| row.get(0),
    )
    .optional()
}

struct BoundDevice {
    status: String,
    possession_public_key: Vec<u8>,
    user_verified_public_key: Vec<u8>,
    possession_sign_count: u32,
    user_verified_sign_count: u32,
    failed_attempts: u32,
}

fn log_in(
    bank: &Bank,
    device_id: &str,
    challenge_id: &str,
    possession: &Assertion,
    user_verified: &Assertion,
) -> Result<LoginResponse, ApiFailure> {
    let now = bank.clock.now_ms();
    bank.with_db(|conn| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found = tx
            .query_row(
                "SELECT device_id, challenge, expires_at_ms FROM challenges
                 WHERE challenge_id = ?1 AND purpose = 'login' AND used = 0",
                [challenge_id],
                |row| Ok((row.get::<_, String>(0)?, row.get::<_, Vec<u8>>(1)?, row.get::<_, i64>(2)?)),
            )
            .optional()?;
        let Some((challenge_device, challenge, expires_at_ms)) = found else {
            return Err(challenge_invalid());
        };
        // Spent by this attempt whatever its outcome, so no answer can ever be replayed.
        tx.execute("UPDATE challenges SET used = 1 WHERE challenge_id = ?1", [challenge_id])?;
        if challenge_device != device_id || now >= expires_at_ms {
            tx.commit()?;
            return Err(challenge_invalid());
        }
        let Some(device) = load_device(&tx, device_id)? else {
            tx.commit()?;
            return Err(device_unknown());
        };
        if device.status != "active" {
            tx.commit()?;
            return Err(device_blocked());
        }

        let check = |assertion: &Assertion, key: &[u8], stored: u32, require_user_verified| {
            verify(
                assertion,
                key,
                &Expectation {
                    rp_id: &bank.policy.rp_id,
                    ceremony: Ceremony::Login,
                    challenge: &challenge,
                    require_user_verified,
                    previous_sign_count: stored,
                },
            )
        };
        let possession_result = check(
            possession,
            &device.possession_public_key,
            device.possession_sign_count,
            false,
        );
        let user_verified_result = check(
            user_verified,
            &device.user_verified_public_key,
            device.user_verified_sign_count,
            true,
        );

        match (possession_result, user_verified_result) {
            (Ok(possession), Ok(user_verified)) => {
                tx.execute(
                    "UPDATE devices SET possession_sign_count = ?2, user_verified_sign_count = ?3,
                                        failed_attempts = 0, last_seen_ms = ?4
                     WHERE device_id = ?1",
                    params![device_id, possession.sign_count, user_verified.sign_count, now],
                )?;
                let issued = session::issue(&tx, bank, device_id, now)?;
                tx.commit()?;
                tracing::info!(%device_id, "login succeeded");
                Ok(LoginResponse {
                    session_token: issued.token.as_str().to_owned(),
                    idle_timeout_secs: bank.policy.idle_timeout_secs,
                    expires_at_ms: issued.expires_at_ms,
                    server_time_ms: now,
                })
            }
            (Err(VerifyError::CounterNotIncreasing { stored, received }), _)
            | (_, Err(VerifyError::CounterNotIncreasing { stored, received })) => {
                // Only a key's real signature gets this far, so a counter that did not move
                // forward means a second copy of the key (a cloned phone or a restored backup)
                // is signing.
                block(&tx, device_id, "counter_regression")?;
                tx.commit()?;
                tracing::warn!(%device_id, stored, received, "signature counter went backwards: device blocked as a suspected clone");
                Err(device_blocked())
            }
            (Err(error), _) | (_, Err(error)) => {
                let failures = device.failed_attempts.saturating_add(1);
                tx.execute(
                    "UPDATE devices SET failed_attempts = ?2 WHERE device_id = ?1",
                    params![device_id, failures],
                )?;
                let blocked = failures >= MAX_FAILED_ATTEMPTS;
                if blocked {
                    block(&tx, device_id, "too_many_failures")?;
                }
                tx.commit()?;
                tracing::info!(%device_id, %error, failures, blocked, "login failed");
                if blocked {
                    Err(device_blocked())
                } else {
                    // Which factor failed stays unsaid (PSD2 RTS art. 4(3)(a)).
                    Err(ApiFailure::new(ErrorCode::AuthenticationFailed, "authentication failed")
                        .with_attempts_remaining(MAX_FAILED_ATTEMPTS - failures))
                }
            }
        }
    })
}

fn load_device(tx: &Transaction<'_>, device_id: &str) -> rusqlite::Result<Option<BoundDevice>> {
    tx.query_row(
        "SELECT status, possession_public_key, user_verified_public_key, possession_sign_count,
                user_verified_sign_count, failed_attempts
         FROM devices WHERE device_id = ?1",
        [device_id],
        |row| {
            Ok(BoundDevice {
                status: row.get(0)?,
                possession_public_key: row.get(1)?,
                user_verified_public_key: row.get(2)?,
                possession_sign_count: row.get(3)?,
                user_verified_sign_count: row.get(4)?,
                failed_attempts: row.get(5)?,
            })
        },
    )
    .optional()
}

fn block(tx: &Transaction<'_>, device_id: &str, reason: &str) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE devices SET status = 'blocked', blocked_reason = ?2 WHERE device_id = ?1",
        params![device_id, reason],
    )?;
    // Its sessions end with it: `session::authorize` checks the device's status on every use.
    Ok(())
}
