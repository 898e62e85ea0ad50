//! A new biometric key for a bound device, after an enrolment change invalidated the old one:
//! no new binding, but a possession signature over the exact operation, the new key's own
//! first signature as proof that the phone holds it, and a recent strong authentication (a PIN
//! login counts).

use mobank_protocol::assertion::{operations, verify, Expectation, PUBLIC_KEY_LEN};
use mobank_protocol::messages::ReenrolBiometricResponse;
use mobank_protocol::{Assertion, Ceremony};

use super::challenges::{self, Purpose};
use super::factors::{authenticate, Attempt, SecondFactor, TwoFactors};
use super::policy::{self, SensitiveOperation};
use super::{session, Bank};
use crate::db::devices;
use crate::error::ApiFailure;

/// The new key's shape and the two assertions, checked before anything is looked up.
pub(crate) struct Reenrolment {
    new_key: Vec<u8>,
    possession: Assertion,
    proof: Assertion,
}

impl Reenrolment {
    pub(crate) fn check(new_key: Vec<u8>, assertions: Vec<Assertion>) -> Result<Self, ApiFailure> {
        if new_key.len() != PUBLIC_KEY_LEN || new_key.first() != Some(&0x04) {
            return Err(ApiFailure::bad_request(
                "user_verified_public_key must be an uncompressed P-256 point",
            ));
        }
        let TwoFactors {
            possession,
            second: proof,
        } = TwoFactors::from_assertions(assertions, SecondFactor::UserVerified)?;
        Ok(Self {
            new_key,
            possession,
            proof,
        })
    }
}

pub(crate) fn reenrol(
    bank: &Bank,
    token_hash: &[u8],
    challenge_id: &str,
    reenrolment: &Reenrolment,
) -> Result<ReenrolBiometricResponse, ApiFailure> {
    let Reenrolment {
        new_key,
        possession,
        proof,
    } = reenrolment;
    let now = bank.clock.now_ms();
    bank.transact(|tx| {
        let owner = session::authorize(tx, bank, token_hash, now)?;
        let challenge =
            challenges::consume(tx, challenge_id, Purpose::Operation, &owner.device_id, now)?;
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
            Attempt::possession_signed(&[possession], &challenge, operation),
            now,
        )?;
        // The device's own key vouched for the request; the new key only proves it exists
        // on that device. A proof that does not verify is a malformed request, not a guess
        // at any secret, so it is not counted as a failed attempt.
        let verified = verify(
            proof,
            new_key,
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
        if devices::user_verified_key_registered(tx, new_key)? {
            return Err(ApiFailure::bad_request("this key is already registered"));
        }
        devices::replace_user_verified_key(tx, &owner.device_id, new_key, verified.sign_count)?;
        tracing::info!(device_id = %owner.device_id, "biometric key re-enrolled");
        Ok(ReenrolBiometricResponse {
            server_time_ms: now,
        })
    })
}
