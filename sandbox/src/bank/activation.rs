//! Device binding: an activation code (given to the customer out of band) starts it, the OTP
//! sent to the registered phone and a proof from each new device key complete it. The PIN's
//! knowledge key comes with the completion. A new binding starts the device's cooling-off
//! period and is announced to the customer's other devices.

use mobank_protocol::assertion::{verify, Expectation, PUBLIC_KEY_LEN};
use mobank_protocol::messages::{CompleteActivationResponse, NoticeKind, StartActivationResponse};
use mobank_protocol::{Assertion, Ceremony, ErrorCode, Factor, VerifiedAssertion, VerifyError};
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use zeroize::Zeroizing;

use super::display::{self, MAX_NAME_CHARS};
use super::factors::{knowledge_key, KnowledgeKey};
use super::{notices, notify, otp, Bank, MAX_FAILED_ATTEMPTS};
use crate::error::ApiFailure;
use crate::{mask, random};

/// Each start sends an SMS; a code that keeps being started is being abused.
const MAX_STARTS_PER_CODE: i64 = 5;
const PLATFORMS: [&str; 3] = ["android", "ios", "other"];

fn activation_invalid() -> ApiFailure {
    ApiFailure::new(
        ErrorCode::ActivationInvalid,
        "activation code or activation is not valid",
    )
}

/// People type codes with spaces, dashes and lower case; none of that is part of the code.
fn normalize_code(code: &str) -> Zeroizing<String> {
    Zeroizing::new(
        code.chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect(),
    )
}

pub(crate) fn start(bank: &Bank, code: &str) -> Result<StartActivationResponse, ApiFailure> {
    let code = normalize_code(code);
    if code.len() != random::ACTIVATION_CODE_LEN {
        return Err(activation_invalid());
    }
    let code_hash = random::sha256(code.as_bytes());
    let now = bank.clock.now_ms();
    let activation_id = random::id(&bank.rng, "act")?;
    let challenge = random::challenge(&bank.rng)?;
    let otp_salt: [u8; 32] = random::bytes(&bank.rng)?;
    let otp = otp::generate(&bank.rng)?;
    let otp_tag = otp::tag(&otp_salt, &otp);
    let sms = otp::sms_body(&otp, bank.policy.otp_valid_minutes);
    let otp_expires_at_ms = now.saturating_add(bank.policy.otp_ttl_ms);

    let phone = bank.with_db(|conn| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found = tx
            .query_row(
                "SELECT c.code_id, c.customer_id, c.expires_at_ms, c.used_at_ms, c.starts, u.phone
                 FROM activation_codes c JOIN customers u ON u.customer_id = c.customer_id
                 WHERE c.code_hash = ?1",
                [&code_hash],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, i64>(2)?,
                        row.get::<_, Option<i64>>(3)?,
                        row.get::<_, i64>(4)?,
                        row.get::<_, String>(5)?,
                    ))
                },
            )
            .optional()?;
        let Some((code_id, customer_id, expires_at_ms, used_at_ms, starts, phone)) = found else {
            return Err(activation_invalid());
        };
        if used_at_ms.is_some() || now >= expires_at_ms || starts >= MAX_STARTS_PER_CODE {
            return Err(activation_invalid());
        }
        tx.execute(
            "UPDATE activation_codes SET starts = starts + 1 WHERE code_id = ?1",
            [&code_id],
        )?;
        // Only the newest OTP for a code is worth anything.
        tx.execute(
            "UPDATE activations SET state = 'dead' WHERE code_id = ?1 AND state = 'open'",
            [&code_id],
        )?;
        tx.execute(
            "INSERT INTO activations (activation_id, code_id, customer_id, challenge, otp_salt,
                                      otp_tag, otp_expires_at_ms, state, created_at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8)",
            params![
                activation_id,
                code_id,
                customer_id,
                challenge.as_slice(),
                otp_salt.as_slice(),
                otp_tag,
                otp_expires_at_ms,
                now
            ],
        )?;
        notify::send_sms(&tx, &phone, &sms, now)?;
        tx.commit()?;
        Ok(phone)
    })?;
    tracing::info!(%activation_id, "activation started, OTP sent to the registered phone");
    Ok(StartActivationResponse {
        activation_id,
        challenge: challenge.to_vec(),
        masked_phone: mask::phone(&phone),
        otp_expires_at_ms,
        rp_id: bank.policy.rp_id.clone(),
        server_time_ms: now,
    })
}

/// A device as the phone described it, already checked for shape: what can be rejected
/// without looking anything up is rejected before the OTP attempt is counted.
pub(crate) struct DeviceProposal {
    name: String,
    platform: String,
    possession_public_key: Vec<u8>,
    user_verified_public_key: Vec<u8>,
    possession_proof: Assertion,
    user_verified_proof: Assertion,
    knowledge_key: Option<KnowledgeKey>,
}

impl DeviceProposal {
    pub(crate) fn check(
        name: String,
        platform: String,
        possession_public_key: Vec<u8>,
        user_verified_public_key: Vec<u8>,
        proofs: Vec<Assertion>,
        knowledge: Option<&[u8]>,
    ) -> Result<Self, ApiFailure> {
        // Other devices list this name in notices and the device list.
        display::require(&name, MAX_NAME_CHARS, "device name")?;
        if !PLATFORMS.contains(&platform.as_str()) {
            return Err(ApiFailure::bad_request(
                "platform must be android, ios or other",
            ));
        }
        for key in [&possession_public_key, &user_verified_public_key] {
            if key.len() != PUBLIC_KEY_LEN || key.first() != Some(&0x04) {
                return Err(ApiFailure::bad_request(
                    "public keys must be uncompressed P-256 points (65 bytes)",
                ));
            }
        }
        if possession_public_key == user_verified_public_key {
            return Err(ApiFailure::bad_request(
                "the two device keys must be different keys",
            ));
        }
        let (possession_proof, user_verified_proof) = one_of_each(proofs).ok_or_else(|| {
            ApiFailure::bad_request("exactly one possession and one user-verified proof required")
        })?;
        let knowledge_key = knowledge
            .map(|bytes| {
                knowledge_key(bytes)
                    .ok_or_else(|| ApiFailure::bad_request("knowledge_key must be 32 bytes"))
            })
            .transpose()?;
        Ok(Self {
            name,
            platform,
            possession_public_key,
            user_verified_public_key,
            possession_proof,
            user_verified_proof,
            knowledge_key,
        })
    }
}

/// Splits exactly two assertions into (possession, user-verified); `None` for any other shape.
fn one_of_each(assertions: Vec<Assertion>) -> Option<(Assertion, Assertion)> {
    let [first, second]: [Assertion; 2] = assertions.try_into().ok()?;
    match (first.factor, second.factor) {
        (Factor::Possession, Factor::UserVerified) => Some((first, second)),
        (Factor::UserVerified, Factor::Possession) => Some((second, first)),
        _ => None,
    }
}

struct OpenActivation {
    code_id: String,
    customer_id: String,
    customer_name: String,
    challenge: Vec<u8>,
    otp_salt: Vec<u8>,
    otp_tag: Vec<u8>,
    otp_expires_at_ms: i64,
    otp_failures: u32,
}

pub(crate) fn complete(
    bank: &Bank,
    activation_id: &str,
    otp: &str,
    device: DeviceProposal,
) -> Result<CompleteActivationResponse, ApiFailure> {
    let now = bank.clock.now_ms();
    let device_id = random::id(&bank.rng, "dev")?;
    let with_pin = device.knowledge_key.is_some();
    let customer_name = bank.with_db(|conn| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found = tx
            .query_row(
                "SELECT a.code_id, a.customer_id, u.display_name, a.challenge, a.otp_salt,
                        a.otp_tag, a.otp_expires_at_ms, a.otp_failures
                 FROM activations a
                 JOIN activation_codes c ON c.code_id = a.code_id
                 JOIN customers u ON u.customer_id = a.customer_id
                 WHERE a.activation_id = ?1 AND a.state = 'open' AND c.used_at_ms IS NULL",
                [activation_id],
                |row| {
                    Ok(OpenActivation {
                        code_id: row.get(0)?,
                        customer_id: row.get(1)?,
                        customer_name: row.get(2)?,
                        challenge: row.get(3)?,
                        otp_salt: row.get(4)?,
                        otp_tag: row.get(5)?,
                        otp_expires_at_ms: row.get(6)?,
                        otp_failures: row.get(7)?,
                    })
                },
            )
            .optional()?;
        let Some(activation) = found else {
            return Err(activation_invalid());
        };

        if !otp::matches(&activation.otp_salt, otp, &activation.otp_tag) {
            let failures = activation.otp_failures.saturating_add(1);
            let dead = failures >= MAX_FAILED_ATTEMPTS;
            tx.execute(
                "UPDATE activations
                 SET otp_failures = ?2, state = CASE WHEN ?3 THEN 'dead' ELSE state END
                 WHERE activation_id = ?1",
                params![activation_id, failures, dead],
            )?;
            tx.commit()?;
            tracing::info!(%activation_id, failures, dead, "wrong OTP");
            return Err(if dead {
                activation_invalid()
            } else {
                ApiFailure::new(ErrorCode::OtpInvalid, "the one-time password is not right")
                    .with_attempts_remaining(MAX_FAILED_ATTEMPTS - failures)
            });
        }
        if now >= activation.otp_expires_at_ms {
            return Err(ApiFailure::new(
                ErrorCode::OtpExpired,
                "the one-time password has expired; start the activation again",
            ));
        }

        let bind = |proof: &Assertion, key: &[u8], require_user_verified: bool| {
            verify(
                proof,
                key,
                &Expectation {
                    rp_id: &bank.policy.rp_id,
                    ceremony: Ceremony::Bind,
                    challenge: &activation.challenge,
                    require_user_verified,
                    previous_sign_count: 0,
                    operation: None,
                },
            )
            .map_err(proof_failure)
        };
        let possession = bind(
            &device.possession_proof,
            &device.possession_public_key,
            false,
        );
        let user_verified = bind(
            &device.user_verified_proof,
            &device.user_verified_public_key,
            true,
        );
        let (possession, user_verified): (VerifiedAssertion, VerifiedAssertion) =
            match (possession, user_verified) {
                (Ok(p), Ok(u)) => (p, u),
                (Err(failure), _) | (_, Err(failure)) => return Err(failure),
            };

        let already_registered: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM devices
                            WHERE possession_public_key IN (?1, ?2)
                               OR user_verified_public_key IN (?1, ?2))",
            params![
                device.possession_public_key,
                device.user_verified_public_key
            ],
            |row| row.get(0),
        )?;
        if already_registered {
            return Err(ApiFailure::bad_request(
                "a device key is already registered",
            ));
        }

        tx.execute(
            "INSERT INTO devices (device_id, customer_id, name, platform, possession_public_key,
                                  user_verified_public_key, possession_sign_count,
                                  user_verified_sign_count, status, bound_at_ms, last_seen_ms,
                                  knowledge_key, cooling_off_until_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'active', ?9, ?9, ?10, ?11)",
            params![
                device_id,
                activation.customer_id,
                device.name,
                device.platform,
                device.possession_public_key,
                device.user_verified_public_key,
                possession.sign_count,
                user_verified.sign_count,
                now,
                device.knowledge_key.as_ref().map(|key| key.as_slice()),
                now.saturating_add(bank.policy.cooling_off_ms),
            ],
        )?;
        notices::notify_others(
            &tx,
            bank,
            &activation.customer_id,
            &[device_id.as_str()],
            &notices::Event {
                kind: NoticeKind::NewDeviceBound,
                subject_device_id: &device_id,
                subject_name: &device.name,
            },
            now,
        )?;
        tx.execute(
            "UPDATE activations SET state = 'completed' WHERE activation_id = ?1",
            [activation_id],
        )?;
        tx.execute(
            "UPDATE activation_codes SET used_at_ms = ?2 WHERE code_id = ?1",
            params![activation.code_id, now],
        )?;
        tx.commit()?;
        Ok(activation.customer_name)
    })?;
    tracing::info!(%device_id, %activation_id, with_pin, "device bound");
    Ok(CompleteActivationResponse {
        device_id,
        customer_name,
        bound_at_ms: now,
        server_time_ms: now,
    })
}

fn proof_failure(error: VerifyError) -> ApiFailure {
    tracing::info!(%error, "device key proof rejected");
    match error {
        VerifyError::MalformedAuthenticatorData
        | VerifyError::MalformedClientData
        | VerifyError::MalformedPublicKey => {
            ApiFailure::bad_request("a device key proof is malformed")
        }
        _ => ApiFailure::new(
            ErrorCode::AuthenticationFailed,
            "a device key proof did not verify",
        ),
    }
}
