//! A new biometric key for a bound device, after an enrolment change invalidated the old one:
//! no new binding, but a possession signature over the exact operation, the new key's own
//! first signature as proof that the phone holds it, and a recent strong authentication (a PIN
//! login counts).

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use mobank_protocol::assertion::{operations, verify, Expectation, PUBLIC_KEY_LEN};
use mobank_protocol::messages::{ReenrolBiometricRequest, ReenrolBiometricResponse};
use mobank_protocol::Ceremony;
use rusqlite::{params, OptionalExtension};

use super::challenges::{self, Purpose};
use super::factors::{authenticate, Attempt, SecondFactor, TwoFactors};
use super::session;
use crate::bank::{run_blocking, Bank};
use crate::error::ApiFailure;
use crate::extract::{SessionTokenHash, StrictJson};
use crate::policy::{self, SensitiveOperation};

pub(super) async fn reenrol(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
    StrictJson(request): StrictJson<ReenrolBiometricRequest>,
) -> Result<Json<ReenrolBiometricResponse>, ApiFailure> {
    let ReenrolBiometricRequest {
        challenge_id,
        user_verified_public_key: new_key,
        assertions,
    } = request;
    if new_key.len() != PUBLIC_KEY_LEN || new_key.first() != Some(&0x04) {
        return Err(ApiFailure::bad_request(
            "user_verified_public_key must be an uncompressed P-256 point",
        ));
    }
    let TwoFactors {
        possession,
        second: proof,
    } = TwoFactors::from_assertions(assertions, SecondFactor::UserVerified)?;
    run_blocking(&bank, move |bank| {
        let now = bank.clock.now_ms();
        bank.transact(|tx| {
            let owner = session::authorize(tx, bank, &token_hash, now)?;
            let challenge =
                challenges::consume(tx, &challenge_id, Purpose::Operation, &owner.device_id, now)?;
            policy::require_fresh_strong_auth(
                SensitiveOperation::ReenrolBiometric,
                owner.strong_auth_at_ms,
                now,
            )?;
            let operation = operations::REENROL_BIOMETRIC;
            authenticate(
                tx,
                bank,
                &owner.device_id,
                Attempt::possession_signed(&[&possession], &challenge, operation),
                now,
            )?;
            // The device's own key vouched for the request; the new key only proves it exists
            // on that device. A proof that does not verify is a malformed request, not a guess
            // at any secret, so it is not counted as a failed attempt.
            let verified = verify(
                &proof,
                &new_key,
                &Expectation {
                    rp_id: &bank.policy.rp_id,
                    ceremony: Ceremony::Operation,
                    challenge: &challenge,
                    require_user_verified: true,
                    previous_sign_count: 0,
                    operation: Some(operation),
                },
            )
            .map_err(|_| ApiFailure::bad_request("the new key's proof does not verify"))?;
            let registered: Option<String> = tx
                .query_row(
                    "SELECT device_id FROM devices WHERE user_verified_public_key = ?1",
                    [&new_key],
                    |row| row.get(0),
                )
                .optional()?;
            if registered.is_some() {
                return Err(ApiFailure::bad_request("this key is already registered"));
            }
            tx.execute(
                "UPDATE devices SET user_verified_public_key = ?2, user_verified_sign_count = ?3
                 WHERE device_id = ?1",
                params![owner.device_id, new_key, verified.sign_count],
            )?;
            tracing::info!(device_id = %owner.device_id, "biometric key re-enrolled");
            Ok(ReenrolBiometricResponse {
                server_time_ms: now,
            })
        })
    })
    .await
    .map(Json)
}
