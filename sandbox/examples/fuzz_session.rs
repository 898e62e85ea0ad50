//! Binds a software test device to the demo customer of a running sandbox and logs it in, the
//! way a phone does (activation code, SMS OTP, a proof from each device key, then a login with
//! possession and biometric assertions), and prints the session token on stdout. The API fuzz
//! run (`make test-api`) sends that token, so the session routes are fuzzed behind a real
//! session rather than seen answering 401 only.
//!
//! Usage: `fuzz_session ANNOUNCEMENT_FILE DATA_DIR`: the sandbox's start line and its data
//! directory (whose `tls-cert.pem` this client trusts as its only root).

use std::error::Error;

use mobank_protocol::messages::{
    paths, ChallengeResponse, CompleteActivationRequest, CompleteActivationResponse,
    DeviceDescription, IssueActivationRequest, IssueActivationResponse, LoginChallengeRequest,
    LoginRequest, LoginResponse, SmsOutbox, StartActivationRequest, StartActivationResponse,
};
use mobank_protocol::{
    signed_bytes, Assertion, AuthenticatorData, Ceremony, ClientData, Factor, FLAG_USER_PRESENT,
    FLAG_USER_VERIFIED,
};
use mobank_sandbox::{Announcement, DEMO_CUSTOMER_ID};
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};
use serde::de::DeserializeOwned;
use serde::Serialize;

type Failure = Box<dyn Error>;

/// One software device key and its signature counter.
struct DeviceKey {
    pair: EcdsaKeyPair,
    factor: Factor,
    flags: u8,
    count: u32,
}

impl DeviceKey {
    fn new(factor: Factor, flags: u8, rng: &SystemRandom) -> Result<Self, Failure> {
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, rng)
            .map_err(|_| "cannot generate a P-256 key")?;
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), rng)
            .map_err(|_| "cannot load the generated P-256 key")?;
        Ok(Self {
            pair,
            factor,
            flags,
            count: 0,
        })
    }

    fn assert(
        &mut self,
        rp_id: &str,
        ceremony: Ceremony,
        challenge: &[u8],
        rng: &SystemRandom,
    ) -> Result<Assertion, Failure> {
        self.count += 1;
        let authenticator_data = AuthenticatorData::new(rp_id, self.flags, self.count)
            .to_bytes()
            .to_vec();
        let client_data_json = ClientData {
            ceremony,
            challenge: challenge.to_vec(),
            rp_id: rp_id.to_owned(),
            operation: None,
        }
        .to_json();
        let signature = self
            .pair
            .sign(rng, &signed_bytes(&authenticator_data, &client_data_json))
            .map_err(|_| "cannot sign")?;
        Ok(Assertion {
            factor: self.factor,
            authenticator_data,
            client_data_json,
            signature: signature.as_ref().to_vec(),
        })
    }
}

async fn post<B: Serialize, R: DeserializeOwned>(
    client: &reqwest::Client,
    url: String,
    body: &B,
) -> Result<R, Failure> {
    let response = client.post(&url).json(body).send().await?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("{url} answered {status}").into());
    }
    Ok(response.json().await?)
}

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let mut args = std::env::args().skip(1);
    let (Some(announcement), Some(data_dir)) = (args.next(), args.next()) else {
        return Err("usage: fuzz_session ANNOUNCEMENT_FILE DATA_DIR".into());
    };
    let announcement: Announcement = serde_json::from_str(&std::fs::read_to_string(announcement)?)?;
    let certificate = std::fs::read(std::path::Path::new(&data_dir).join("tls-cert.pem"))?;
    let bank = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(&certificate)?)
        .https_only(true)
        .build()?;
    let developer = reqwest::Client::new();
    let rng = SystemRandom::new();
    let rp_id = announcement.rp_id.as_str();
    let base = announcement.base_url.as_str();
    let dev = announcement.dev_url.as_str();

    let issued: IssueActivationResponse = post(
        &developer,
        format!("{dev}{}", paths::DEV_ACTIVATION_CODES),
        &IssueActivationRequest {
            customer_id: DEMO_CUSTOMER_ID.to_owned(),
        },
    )
    .await?;
    let started: StartActivationResponse = post(
        &bank,
        format!("{base}{}", paths::ACTIVATION_START),
        &StartActivationRequest {
            activation_code: issued.activation_code.clone(),
        },
    )
    .await?;
    let outbox: SmsOutbox = developer
        .get(format!("{dev}{}{}", paths::DEV_SMS_PREFIX, issued.phone))
        .send()
        .await?
        .json()
        .await?;
    let otp = outbox
        .messages
        .last()
        .and_then(|message| {
            message
                .body
                .split(|c: char| !c.is_ascii_digit())
                .find(|run| run.len() == 6)
        })
        .ok_or("no OTP in the SMS outbox")?
        .to_owned();

    let mut possession = DeviceKey::new(Factor::Possession, FLAG_USER_PRESENT, &rng)?;
    let mut biometric = DeviceKey::new(
        Factor::UserVerified,
        FLAG_USER_PRESENT | FLAG_USER_VERIFIED,
        &rng,
    )?;
    let proofs = vec![
        possession.assert(rp_id, Ceremony::Bind, &started.challenge, &rng)?,
        biometric.assert(rp_id, Ceremony::Bind, &started.challenge, &rng)?,
    ];
    let bound: CompleteActivationResponse = post(
        &bank,
        format!("{base}{}", paths::ACTIVATION_COMPLETE),
        &CompleteActivationRequest {
            activation_id: started.activation_id,
            otp,
            device: DeviceDescription {
                name: "API fuzz device".to_owned(),
                platform: "other".to_owned(),
            },
            possession_public_key: possession.pair.public_key().as_ref().to_vec(),
            user_verified_public_key: biometric.pair.public_key().as_ref().to_vec(),
            proofs,
            knowledge_key: None,
        },
    )
    .await?;

    let challenge: ChallengeResponse = post(
        &bank,
        format!("{base}{}", paths::LOGIN_CHALLENGE),
        &LoginChallengeRequest {
            device_id: bound.device_id.clone(),
        },
    )
    .await?;
    let assertions = vec![
        possession.assert(rp_id, Ceremony::Login, &challenge.challenge, &rng)?,
        biometric.assert(rp_id, Ceremony::Login, &challenge.challenge, &rng)?,
    ];
    let session: LoginResponse = post(
        &bank,
        format!("{base}{}", paths::LOGIN),
        &LoginRequest {
            device_id: bound.device_id,
            challenge_id: challenge.challenge_id,
            assertions,
            integrity: None,
        },
    )
    .await?;
    println!("{}", session.session_token);
    Ok(())
}
