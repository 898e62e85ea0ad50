//! Assertions in the WebAuthn shape: authenticator data, client data, and the signature over
//! `authData ‖ SHA-256(clientDataJSON)`.
//!
//! The bank receives `client_data_json` as raw bytes and hashes exactly what it received, so no
//! side ever has to re-serialise JSON canonically; it parses those bytes only to check the
//! ceremony, the challenge and the relying party.

use ring::digest::{digest, SHA256};
use ring::hmac;
use ring::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_ASN1};
use serde::{Deserialize, Serialize};

use crate::b64;

/// User present: the flag WebAuthn puts in bit 0.
pub const FLAG_USER_PRESENT: u8 = 0x01;
/// User verified (biometric or PIN really checked): bit 2.
pub const FLAG_USER_VERIFIED: u8 = 0x04;
/// rpIdHash (32) ‖ flags (1) ‖ signCount (4, big-endian). No attested data, no extensions.
pub const AUTHENTICATOR_DATA_LEN: usize = 37;
/// An uncompressed SEC1 P-256 point: 0x04 ‖ X (32) ‖ Y (32).
pub const PUBLIC_KEY_LEN: usize = 65;
/// The knowledge (PIN) factor's HMAC-SHA256 key.
pub const KNOWLEDGE_KEY_LEN: usize = 32;

/// Which device key produced an assertion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Factor {
    /// The device key used without a prompt: proves this phone.
    Possession,
    /// The device key the OS releases only after biometric/face verification.
    UserVerified,
    /// The PIN: an HMAC-SHA256 key that the phone can only recover with the right PIN and
    /// that only the bank can check (docs/decisions/0010-knowledge-factor.md).
    Knowledge,
}

/// What the signature is for. Part of the signed client data, so a login assertion can never
/// be replayed as a binding proof or the other way round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Ceremony {
    #[serde(rename = "mobank.bind")]
    Bind,
    #[serde(rename = "mobank.login")]
    Login,
    /// A fresh strong authentication inside a session, for sensitive operations.
    #[serde(rename = "mobank.step_up")]
    StepUp,
    /// Authorises one named operation; the client data carries its canonical text.
    #[serde(rename = "mobank.operation")]
    Operation,
    /// Authorises one transfer; the operation text carries the hash of its canonical bytes
    /// (`crate::transfer::operation_text`).
    #[serde(rename = "mobank.transfer")]
    Transfer,
}

/// The client data a device signs (through its hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientData {
    #[serde(rename = "type")]
    pub ceremony: Ceremony,
    /// The server's challenge, base64url.
    #[serde(with = "b64")]
    pub challenge: Vec<u8>,
    /// The relying party (the bank) the device believes it talks to.
    pub rp_id: String,
    /// For `mobank.operation`: the canonical text of what is authorised (see [`operations`]);
    /// for `mobank.transfer`: `transfer:v1:` and the hash of the canonical transfer.
    /// Absent for every other ceremony, so their bytes are those of the first protocol version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
}

impl ClientData {
    pub fn to_json(&self) -> Vec<u8> {
        // Serialising a struct of strings cannot fail; an empty vector would fail verification.
        serde_json::to_vec(self).unwrap_or_default()
    }

    pub fn parse(bytes: &[u8]) -> Result<Self, VerifyError> {
        serde_json::from_slice(bytes).map_err(|_| VerifyError::MalformedClientData)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthenticatorData {
    pub rp_id_hash: [u8; 32],
    pub flags: u8,
    pub sign_count: u32,
}

impl AuthenticatorData {
    pub fn new(rp_id: &str, flags: u8, sign_count: u32) -> Self {
        Self {
            rp_id_hash: rp_id_hash(rp_id),
            flags,
            sign_count,
        }
    }

    pub fn to_bytes(&self) -> [u8; AUTHENTICATOR_DATA_LEN] {
        let mut out = [0u8; AUTHENTICATOR_DATA_LEN];
        out[..32].copy_from_slice(&self.rp_id_hash);
        out[32] = self.flags;
        out[33..].copy_from_slice(&self.sign_count.to_be_bytes());
        out
    }

    pub fn parse(bytes: &[u8]) -> Result<Self, VerifyError> {
        let bytes: &[u8; AUTHENTICATOR_DATA_LEN] = bytes
            .try_into()
            .map_err(|_| VerifyError::MalformedAuthenticatorData)?;
        let mut rp_id_hash = [0u8; 32];
        rp_id_hash.copy_from_slice(&bytes[..32]);
        let mut count = [0u8; 4];
        count.copy_from_slice(&bytes[33..]);
        Ok(Self {
            rp_id_hash,
            flags: bytes[32],
            sign_count: u32::from_be_bytes(count),
        })
    }

    pub fn user_present(&self) -> bool {
        self.flags & FLAG_USER_PRESENT != 0
    }

    pub fn user_verified(&self) -> bool {
        self.flags & FLAG_USER_VERIFIED != 0
    }
}

pub fn rp_id_hash(rp_id: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(digest(&SHA256, rp_id.as_bytes()).as_ref());
    out
}

/// The exact bytes a device key signs: `authData ‖ SHA-256(clientDataJSON)`.
pub fn signed_bytes(authenticator_data: &[u8], client_data_json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(authenticator_data.len() + 32);
    out.extend_from_slice(authenticator_data);
    out.extend_from_slice(digest(&SHA256, client_data_json).as_ref());
    out
}

/// The knowledge factor's "signature": HMAC-SHA256 under the knowledge key over the same
/// signed bytes an ECDSA key signs. 32 bytes.
pub fn knowledge_signature(
    key: &[u8; KNOWLEDGE_KEY_LEN],
    authenticator_data: &[u8],
    client_data_json: &[u8],
) -> Vec<u8> {
    let key = hmac::Key::new(hmac::HMAC_SHA256, key);
    hmac::sign(&key, &signed_bytes(authenticator_data, client_data_json))
        .as_ref()
        .to_vec()
}

/// A short, human-comparable fingerprint of a public key: the first 8 bytes of its SHA-256,
/// in groups of four hex digits.
pub fn key_fingerprint(public_key: &[u8]) -> String {
    let hash = digest(&SHA256, public_key);
    hash.as_ref()[..8]
        .chunks(2)
        .map(|pair| format!("{:02x}{:02x}", pair[0], pair[1]))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One signature by one device key, as sent to the bank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Assertion {
    pub factor: Factor,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::base64url))]
    #[serde(with = "b64")]
    pub authenticator_data: Vec<u8>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::base64url))]
    #[serde(with = "b64")]
    pub client_data_json: Vec<u8>,
    /// ECDSA P-256 / SHA-256, DER-encoded (what Android Keystore and the Secure Enclave return);
    /// for the knowledge factor the 32-byte HMAC-SHA256 of [`knowledge_signature`].
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::base64url))]
    #[serde(with = "b64")]
    pub signature: Vec<u8>,
}

/// What the verifier expects of an assertion.
#[derive(Debug, Clone, Copy)]
pub struct Expectation<'a> {
    pub rp_id: &'a str,
    pub ceremony: Ceremony,
    pub challenge: &'a [u8],
    pub require_user_verified: bool,
    /// The highest counter accepted so far for this key; the new one must be strictly greater.
    pub previous_sign_count: u32,
    /// The operation text the client data must carry: `Some` exactly for `mobank.operation` and
    /// `mobank.transfer`, `None` for every other ceremony (then the client data must not carry one).
    pub operation: Option<&'a str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifiedAssertion {
    pub sign_count: u32,
    pub user_verified: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("authenticator data is not 37 bytes")]
    MalformedAuthenticatorData,
    #[error("client data is not the expected JSON")]
    MalformedClientData,
    #[error("public key is not an uncompressed P-256 point")]
    MalformedPublicKey,
    #[error("assertion was made for another relying party")]
    RpIdMismatch,
    #[error("assertion was made for another ceremony")]
    CeremonyMismatch,
    #[error("assertion signs another challenge")]
    ChallengeMismatch,
    /// The client data names another operation than the one being authorised, or names one
    /// where none is expected, or none where one is.
    #[error("assertion authorises another operation")]
    OperationMismatch,
    #[error("user-present flag not set")]
    UserNotPresent,
    #[error("user-verified flag required but not set")]
    UserNotVerified,
    #[error("signature does not verify")]
    BadSignature,
    /// A correctly signed assertion whose counter did not increase: a cloned key or a restored
    /// copy of the device state.
    #[error("signature counter did not increase")]
    CounterNotIncreasing { stored: u32, received: u32 },
}

/// Verifies one assertion against the device's public key.
///
/// The counter is checked last, so `CounterNotIncreasing` is only ever reported for an assertion
/// the key really signed, which is what makes it a clone signal rather than noise.
pub fn verify(
    assertion: &Assertion,
    public_key: &[u8],
    expect: &Expectation<'_>,
) -> Result<VerifiedAssertion, VerifyError> {
    if public_key.len() != PUBLIC_KEY_LEN || public_key[0] != 0x04 {
        return Err(VerifyError::MalformedPublicKey);
    }
    let auth = check_signed_fields(assertion, expect)?;
    let message = signed_bytes(&assertion.authenticator_data, &assertion.client_data_json);
    UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, public_key)
        .verify(&message, &assertion.signature)
        .map_err(|_| VerifyError::BadSignature)?;
    check_counter(&auth, expect)
}

/// Verifies one knowledge-factor assertion against the knowledge key the bank holds.
///
/// The same checks as [`verify`], in the same order, with an HMAC instead of ECDSA; the tag is
/// compared in constant time. A wrong PIN gives the phone a wrong key and so a `BadSignature`,
/// which is why the counter (checked after the tag) is again a clone signal only.
pub fn verify_knowledge(
    assertion: &Assertion,
    key: &[u8; KNOWLEDGE_KEY_LEN],
    expect: &Expectation<'_>,
) -> Result<VerifiedAssertion, VerifyError> {
    let auth = check_signed_fields(assertion, expect)?;
    let message = signed_bytes(&assertion.authenticator_data, &assertion.client_data_json);
    hmac::verify(
        &hmac::Key::new(hmac::HMAC_SHA256, key),
        &message,
        &assertion.signature,
    )
    .map_err(|_| VerifyError::BadSignature)?;
    check_counter(&auth, expect)
}

/// Everything before the signature: the parsed fields against what the bank expects.
fn check_signed_fields(
    assertion: &Assertion,
    expect: &Expectation<'_>,
) -> Result<AuthenticatorData, VerifyError> {
    let auth = AuthenticatorData::parse(&assertion.authenticator_data)?;
    let client = ClientData::parse(&assertion.client_data_json)?;
    if client.ceremony != expect.ceremony {
        return Err(VerifyError::CeremonyMismatch);
    }
    // Challenges are public; a plain comparison is fine.
    if client.challenge != expect.challenge {
        return Err(VerifyError::ChallengeMismatch);
    }
    // An operation assertion must name what it authorises, whatever the caller expected: a
    // bank-side slip (no operation text expected) must not accept one that authorises nothing.
    let operation_required = matches!(client.ceremony, Ceremony::Operation | Ceremony::Transfer);
    if client.operation.as_deref() != expect.operation
        || (operation_required && client.operation.is_none())
    {
        return Err(VerifyError::OperationMismatch);
    }
    if client.rp_id != expect.rp_id || auth.rp_id_hash != rp_id_hash(expect.rp_id) {
        return Err(VerifyError::RpIdMismatch);
    }
    if !auth.user_present() {
        return Err(VerifyError::UserNotPresent);
    }
    if expect.require_user_verified && !auth.user_verified() {
        return Err(VerifyError::UserNotVerified);
    }
    Ok(auth)
}

fn check_counter(
    auth: &AuthenticatorData,
    expect: &Expectation<'_>,
) -> Result<VerifiedAssertion, VerifyError> {
    if auth.sign_count <= expect.previous_sign_count {
        return Err(VerifyError::CounterNotIncreasing {
            stored: expect.previous_sign_count,
            received: auth.sign_count,
        });
    }
    Ok(VerifiedAssertion {
        sign_count: auth.sign_count,
        user_verified: auth.user_verified(),
    })
}

/// The canonical operation texts of `mobank.operation` assertions. Device and bank build them
/// with these functions, so the bytes agree.
pub mod operations {
    /// Revoking another device of the same customer.
    pub fn revoke_device(device_id: &str) -> String {
        format!("revoke_device:{device_id}")
    }

    /// Cancelling the scheduled transfer of this idempotency key (lower-case hex).
    pub fn cancel_transfer(idempotency_key: &str) -> String {
        format!("cancel_transfer:{idempotency_key}")
    }

    /// Unbinding the device that signs.
    pub fn unbind(device_id: &str) -> String {
        format!("unbind:{device_id}")
    }

    /// The first step of a PIN change, signed with the old PIN.
    pub const PIN_CHANGE_BEGIN: &str = "pin_change:begin";

    /// Registering a new biometric key for the device that signs.
    pub const REENROL_BIOMETRIC: &str = "reenrol_biometric";

    /// The second step of a PIN change, signed with the new PIN, for the ticket of the first.
    pub fn pin_change_commit(ticket_id: &str) -> String {
        format!("pin_change:commit:{ticket_id}")
    }

    /// Turning a payment channel on (`mobile_transfer`, `qr_payment`, `quick_pay`).
    pub fn enable_channel(channel: &str) -> String {
        format!("enable_channel:{channel}")
    }

    /// Setting a channel's limits, each as its decimal string: signed when one is raised.
    pub fn set_limits(channel: &str, per_transaction: &str, daily: &str, monthly: &str) -> String {
        format!("set_limits:{channel}:{per_transaction}:{daily}:{monthly}")
    }

    /// Saving a payee: the bank code, the account as every screen masks it
    /// (`transfer::account_number::masked`, `**** 6509`) and the holder name the payee's bank
    /// registered, as the name check returned it. The name comes last, so a `:` in it is
    /// still unambiguous.
    pub fn add_payee(bank_code: &str, masked_account: &str, registered_name: &str) -> String {
        format!("add_payee:{bank_code}:{masked_account}:{registered_name}")
    }
}
