//! The protocol's parts of a transfer, each timed alone: the canonical bytes, the phone's
//! signature over them, the bank's check of it, and the two bare operations the floor counts
//! (one ECDSA P-256 signature with a parsed key, one verification of a transfer assertion).

use std::hint::black_box;
use std::time::{Duration, Instant};

use mobank_protocol::assertion::{self, signed_bytes, AuthenticatorData, ClientData, Expectation};
use mobank_protocol::money::{Amount, Currency};
use mobank_protocol::transfer::{
    operation_text, CanonicalTransfer, Channel, IdempotencyKey, Payee,
};
use mobank_protocol::CHALLENGE_LEN;
use mobank_protocol::{Assertion, Ceremony, Factor, FLAG_USER_PRESENT, FLAG_USER_VERIFIED};
use mobank_sandbox::{LANDLORD_ACCOUNT_NUMBER, LANDLORD_HOLDER_NAME};
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};

/// A transfer like the bench's own, with a user-verified key that signed it.
pub struct TransferCrypto {
    rng: SystemRandom,
    pair: EcdsaKeyPair,
    rp_id: String,
    transfer: CanonicalTransfer,
    /// `authData ‖ SHA-256(clientDataJSON)` of the transfer assertion.
    message: Vec<u8>,
    assertion: Assertion,
}

impl TransferCrypto {
    pub fn new(rp_id: &str, payer_account_id: &str) -> Result<Self, String> {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng)
            .map_err(|_| "key generation failed")?;
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &rng)
            .map_err(|_| "generated key rejected")?;
        let mut challenge = vec![0u8; CHALLENGE_LEN];
        rng.fill(&mut challenge).map_err(|_| "random failed")?;
        let transfer = CanonicalTransfer {
            payer_account_id: payer_account_id.to_owned(),
            payee: Payee {
                account_number: LANDLORD_ACCOUNT_NUMBER.to_owned(),
                bank_code: "MOBANK".to_owned(),
                name: LANDLORD_HOLDER_NAME.to_owned(),
            },
            amount: Amount::parse_wire(crate::AMOUNT, Currency::Cny)
                .map_err(|e| format!("amount: {e}"))?,
            fee: "0.00".to_owned(),
            memo: crate::MEMO.to_owned(),
            channel: Channel::MobileTransfer,
            execution_date: "2026-12-03".to_owned(),
            idempotency_key: IdempotencyKey::generate(&rng).map_err(|_| "random failed")?,
            challenge,
            quoted_at_ms: 1_796_000_000_000,
            acknowledged_warnings: Vec::new(),
        };
        let SignedMessage {
            message,
            auth_data,
            client_data,
        } = signed_message(rp_id, &transfer)?;
        let signature = pair
            .sign(&rng, &message)
            .map_err(|_| "signing failed")?
            .as_ref()
            .to_vec();
        let crypto = Self {
            rng,
            pair,
            rp_id: rp_id.to_owned(),
            transfer,
            message,
            assertion: Assertion {
                factor: Factor::UserVerified,
                authenticator_data: auth_data,
                client_data_json: client_data,
                signature,
            },
        };
        // A verifier that refused these would time its error path.
        crypto.verify()?;
        crypto.verify_transfer()?;
        Ok(crypto)
    }

    /// One ECDSA P-256 signature of the 69-byte message with a parsed key (floor part).
    pub fn sign(&self) -> Result<Duration, String> {
        let started = Instant::now();
        let signature = self.pair.sign(&self.rng, black_box(&self.message));
        let elapsed = started.elapsed();
        black_box(signature.map_err(|_| "signing failed")?);
        Ok(elapsed)
    }

    /// `assertion::verify` of the transfer assertion, its operation text given (floor part).
    pub fn verify(&self) -> Result<Duration, String> {
        let operation = operation_text(&self.transfer.hash().map_err(|e| e.to_string())?);
        let expect = self.expectation(&operation);
        let public_key = self.pair.public_key().as_ref();
        let started = Instant::now();
        let verified = assertion::verify(black_box(&self.assertion), public_key, &expect);
        let elapsed = started.elapsed();
        black_box(verified.map_err(|e| format!("the assertion did not verify: {e}"))?);
        Ok(elapsed)
    }

    /// The canonical bytes of the transfer, its fields' rules checked.
    pub fn canonical_encode(&self) -> Result<Duration, String> {
        let started = Instant::now();
        let bytes = black_box(&self.transfer).to_bytes();
        let elapsed = started.elapsed();
        black_box(bytes.map_err(|e| e.to_string())?);
        Ok(elapsed)
    }

    /// What the phone computes to sign a transfer: the canonical bytes and their hash, the
    /// operation text, the client data and authenticator data, and the ECDSA signature.
    pub fn sign_transfer(&self) -> Result<Duration, String> {
        let started = Instant::now();
        let signed = signed_message(&self.rp_id, black_box(&self.transfer)).and_then(|signed| {
            self.pair
                .sign(&self.rng, &signed.message)
                .map_err(|_| "signing failed".to_owned())
        });
        let elapsed = started.elapsed();
        black_box(signed?);
        Ok(elapsed)
    }

    /// What the bank computes to check a transfer signature: the canonical bytes rebuilt from
    /// the fields, their hash and operation text, and `assertion::verify`.
    pub fn verify_transfer(&self) -> Result<Duration, String> {
        let public_key = self.pair.public_key().as_ref();
        let started = Instant::now();
        let verified = black_box(&self.transfer)
            .hash()
            .map_err(|e| e.to_string())
            .and_then(|hash| {
                let operation = operation_text(&hash);
                assertion::verify(&self.assertion, public_key, &self.expectation(&operation))
                    .map_err(|e| format!("the transfer assertion did not verify: {e}"))
            });
        let elapsed = started.elapsed();
        black_box(verified?);
        Ok(elapsed)
    }

    pub fn canonical_len(&self) -> Result<usize, String> {
        Ok(self.transfer.to_bytes().map_err(|e| e.to_string())?.len())
    }

    fn expectation<'a>(&'a self, operation: &'a str) -> Expectation<'a> {
        Expectation {
            rp_id: &self.rp_id,
            ceremony: Ceremony::Transfer,
            challenge: &self.transfer.challenge,
            require_user_verified: true,
            previous_sign_count: 0,
            operation: Some(operation),
        }
    }
}

/// What a device key signs for a transfer: the message, the authenticator data and the client
/// data it is built from.
struct SignedMessage {
    message: Vec<u8>,
    auth_data: Vec<u8>,
    client_data: Vec<u8>,
}

/// The message a device key signs for `transfer`, with its authenticator and client data.
fn signed_message(rp_id: &str, transfer: &CanonicalTransfer) -> Result<SignedMessage, String> {
    let hash = transfer.hash().map_err(|e| e.to_string())?;
    let client_data = ClientData {
        ceremony: Ceremony::Transfer,
        challenge: transfer.challenge.clone(),
        rp_id: rp_id.to_owned(),
        operation: Some(operation_text(&hash)),
    }
    .to_json();
    let auth_data =
        AuthenticatorData::new(rp_id, FLAG_USER_PRESENT | FLAG_USER_VERIFIED, 1).to_bytes();
    let message = signed_bytes(&auth_data, &client_data);
    Ok(SignedMessage {
        message,
        auth_data: auth_data.to_vec(),
        client_data,
    })
}
