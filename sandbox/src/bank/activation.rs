//! Device binding: an activation code (given to the customer out of band) starts it, the OTP
//! sent to the registered phone and a proof from each new device key complete it. The PIN's
//! knowledge key comes with the completion. A new binding starts the device's cooling-off
//! period and is announced to the customer's other devices.

use mobank_protocol::assertion::{verify, Expectation, PUBLIC_KEY_LEN};
use mobank_protocol::messages::{CompleteActivationResponse, NoticeKind, StartActivationResponse};
use mobank_protocol::{Assertion, Ceremony, ErrorCode, Factor, VerifiedAssertion, VerifyError};
use rusqlite::TransactionBehavior;
use zeroize::Zeroizing;

use super::display::{self, MAX_NAME_CHARS};
use super::factors::{knowledge_key, KnowledgeKey};
use super::{notices, notify, otp, Bank, MAX_FAILED_ATTEMPTS};
use crate::db::{activations, devices};
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
    bank.witness.issued(&otp);
    let otp_tag = otp::tag(&otp_salt, &otp);
    let sms = otp::sms_body(&otp, bank.policy.otp_valid_minutes);
    let otp_expires_at_ms = now.saturating_add(bank.policy.otp_ttl_ms);

    let phone = bank.with_db(|conn| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let Some(code) = activations::find_code(&tx, &code_hash)? else {
            return Err(activation_invalid());
        };
        if code.used_at_ms.is_some()
            || now >= code.expires_at_ms
            || code.starts >= MAX_STARTS_PER_CODE
        {
            return Err(activation_invalid());
        }
        activations::count_start(&tx, &code.code_id)?;
        activations::insert(
            &tx,
            &activations::NewActivation {
                activation_id: &activation_id,
                code_id: &code.code_id,
                customer_id: &code.customer_id,
                challenge: challenge.as_slice(),
                otp_salt: otp_salt.as_slice(),
                otp_tag: &otp_tag,
                otp_expires_at_ms,
                created_at_ms: now,
            },
        )?;
        notify::send_sms(&tx, &code.phone, &sms, now)?;
        tx.commit()?;
        Ok(code.phone)
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
        let Some(activation) = activations::find_open(&tx, activation_id)? else {
            return Err(activation_invalid());
        };

        if !otp::matches(&activation.otp_salt, otp, &activation.otp_tag) {
            let failures = activation.otp_failures.saturating_add(1);
            let dead = failures >= MAX_FAILED_ATTEMPTS;
            activations::record_otp_failure(&tx, activation_id, failures, dead)?;
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

        if devices::any_key_registered(
            &tx,
            &device.possession_public_key,
            &device.user_verified_public_key,
        )? {
            return Err(ApiFailure::bad_request(
                "a device key is already registered",
            ));
        }

        if let Some(key) = &device.knowledge_key {
            bank.witness.received_key(key.as_slice());
        }
        devices::insert(
            &tx,
            &devices::NewDevice {
                device_id: &device_id,
                customer_id: &activation.customer_id,
                name: &device.name,
                platform: &device.platform,
                possession_public_key: &device.possession_public_key,
                user_verified_public_key: &device.user_verified_public_key,
                possession_sign_count: possession.sign_count,
                user_verified_sign_count: user_verified.sign_count,
                knowledge_key: device.knowledge_key.as_ref().map(|key| key.as_slice()),
                bound_at_ms: now,
                cooling_off_until_ms: now.saturating_add(bank.policy.cooling_off_ms),
            },
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
        activations::complete(&tx, activation_id, &activation.code_id, now)?;
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
