//! A test phone and bank client: talks HTTPS to a started sandbox, trusting only the sandbox's
//! own certificate, and signs assertions with ring P-256 keys as a device key store would.
#![allow(dead_code)] // each test binary uses its own subset
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mobank_protocol::messages::{
    paths, ChallengeResponse, CompleteActivationRequest, CompleteActivationResponse,
    DeviceDescription, LoginChallengeRequest, LoginRequest, LoginResponse, StartActivationRequest,
    StartActivationResponse,
};
use mobank_protocol::{
    signed_bytes, ApiError, Assertion, AuthenticatorData, Ceremony, ClientData, ErrorBody, Factor,
    FLAG_USER_PRESENT, FLAG_USER_VERIFIED,
};
use mobank_sandbox::{RunningSandbox, SandboxConfig, DEMO_CUSTOMER_ID, DEMO_PHONE};
use reqwest::StatusCode;
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tempfile::TempDir;

pub const UP: u8 = FLAG_USER_PRESENT;
pub const UP_UV: u8 = FLAG_USER_PRESENT | FLAG_USER_VERIFIED;

pub struct Bank {
    pub sandbox: RunningSandbox,
    pub client: reqwest::Client,
    pub dir: TempDir,
}

impl Bank {
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(adjust: impl FnOnce(&mut SandboxConfig)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut config = SandboxConfig::new(dir.path());
        adjust(&mut config);
        let sandbox = mobank_sandbox::start(config).await.unwrap();
        let client = client_trusting(&sandbox.certificate_der());
        Self {
            sandbox,
            client,
            dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.sandbox.base_url(), path)
    }

    pub async fn post<B: Serialize>(&self, path: &str, body: &B) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_ok<B: Serialize, R: DeserializeOwned>(&self, path: &str, body: &B) -> R {
        let response = self.post(path, body).await;
        let status = response.status();
        let text = response.text().await.unwrap();
        assert!(status.is_success(), "{path}: {status} {text}");
        serde_json::from_str(&text).unwrap()
    }

    pub async fn post_err<B: Serialize>(&self, path: &str, body: &B) -> (StatusCode, ApiError) {
        expect_error(self.post(path, body).await).await
    }

    /// Issues a code in-process and starts an activation with it; returns the response and
    /// the OTP the "phone" received.
    pub async fn start_activation(&self) -> (StartActivationResponse, String) {
        let issued = self
            .sandbox
            .issue_activation_code(DEMO_CUSTOMER_ID)
            .unwrap();
        let started: StartActivationResponse = self
            .post_ok(
                paths::ACTIVATION_START,
                &StartActivationRequest {
                    activation_code: issued.activation_code,
                },
            )
            .await;
        (started, self.latest_otp())
    }

    pub fn latest_otp(&self) -> String {
        let outbox = self.sandbox.sms_outbox(DEMO_PHONE).unwrap();
        let body = &outbox.messages.last().expect("an SMS was sent").body;
        first_six_digit_run(body).expect("the SMS carries a six-digit code")
    }

    /// Binds `phone` to the demo customer through the whole activation.
    pub async fn bind(&self, phone: &mut Phone) -> CompleteActivationResponse {
        let (started, otp) = self.start_activation().await;
        let request = phone.completion(&started, &otp);
        let bound: CompleteActivationResponse =
            self.post_ok(paths::ACTIVATION_COMPLETE, &request).await;
        phone.device_id = bound.device_id.clone();
        bound
    }

    pub async fn challenge(&self, phone: &Phone) -> ChallengeResponse {
        self.post_ok(
            paths::LOGIN_CHALLENGE,
            &LoginChallengeRequest {
                device_id: phone.device_id.clone(),
            },
        )
        .await
    }

    pub async fn login(&self, phone: &mut Phone) -> LoginResponse {
        let challenge = self.challenge(phone).await;
        let request = phone.login_request(&challenge);
        self.post_ok(paths::LOGIN, &request).await
    }

    pub async fn accounts(&self, token: &str) -> reqwest::Response {
        self.client
            .get(self.url(paths::ACCOUNTS))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }
}

pub fn client_trusting(certificate_der: &[u8]) -> reqwest::Client {
    reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_der(certificate_der).unwrap())
        .https_only(true)
        .tls_info(true)
        .build()
        .unwrap()
}

pub async fn expect_error(response: reqwest::Response) -> (StatusCode, ApiError) {
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(
        status.is_client_error() || status.is_server_error(),
        "expected an error, got {status} {text}"
    );
    let body: ErrorBody = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("error body is not an ErrorBody ({e}): {status} {text:?}"));
    (status, body.error)
}

pub fn first_six_digit_run(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 6)
        .map(str::to_owned)
}

/// A phone's two device keys and their signature counters.
pub struct Phone {
    rng: SystemRandom,
    pub possession: EcdsaKeyPair,
    pub user_verified: EcdsaKeyPair,
    possession_pkcs8: Vec<u8>,
    user_verified_pkcs8: Vec<u8>,
    pub possession_count: u32,
    pub user_verified_count: u32,
    pub rp_id: String,
    pub device_id: String,
}

pub fn new_pkcs8() -> Vec<u8> {
    EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &SystemRandom::new())
        .unwrap()
        .as_ref()
        .to_vec()
}

pub fn key_from(pkcs8: &[u8]) -> EcdsaKeyPair {
    EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8, &SystemRandom::new()).unwrap()
}

pub fn new_key() -> EcdsaKeyPair {
    key_from(&new_pkcs8())
}

impl Phone {
    pub fn new(rp_id: &str) -> Self {
        Self::with_keys(rp_id, new_pkcs8(), new_pkcs8())
    }

    pub fn with_keys(rp_id: &str, possession_pkcs8: Vec<u8>, user_verified_pkcs8: Vec<u8>) -> Self {
        Self {
            rng: SystemRandom::new(),
            possession: key_from(&possession_pkcs8),
            user_verified: key_from(&user_verified_pkcs8),
            possession_pkcs8,
            user_verified_pkcs8,
            possession_count: 0,
            user_verified_count: 0,
            rp_id: rp_id.to_owned(),
            device_id: String::new(),
        }
    }

    /// A byte-for-byte copy of this phone's key store and state, as a cloned phone or a
    /// restored backup would have.
    pub fn copy(&self) -> Self {
        let mut copy = Self::with_keys(
            &self.rp_id,
            self.possession_pkcs8.clone(),
            self.user_verified_pkcs8.clone(),
        );
        copy.possession_count = self.possession_count;
        copy.user_verified_count = self.user_verified_count;
        copy.device_id = self.device_id.clone();
        copy
    }

    pub fn possession_pkcs8(&self) -> Vec<u8> {
        self.possession_pkcs8.clone()
    }

    /// A signature by `key` over the given fields, exactly as a device would make it.
    pub fn sign_with(
        &self,
        key: &EcdsaKeyPair,
        factor: Factor,
        ceremony: Ceremony,
        challenge: &[u8],
        flags: u8,
        count: u32,
    ) -> Assertion {
        let authenticator_data = AuthenticatorData::new(&self.rp_id, flags, count)
            .to_bytes()
            .to_vec();
        let client_data_json = ClientData {
            ceremony,
            challenge: challenge.to_vec(),
            rp_id: self.rp_id.clone(),
        }
        .to_json();
        let message = signed_bytes(&authenticator_data, &client_data_json);
        let signature = key.sign(&self.rng, &message).unwrap().as_ref().to_vec();
        Assertion {
            factor,
            authenticator_data,
            client_data_json,
            signature,
        }
    }

    /// The next assertion of one factor: counter incremented first, UV only for the
    /// user-verified key.
    pub fn assert(&mut self, factor: Factor, ceremony: Ceremony, challenge: &[u8]) -> Assertion {
        match factor {
            Factor::Possession => {
                self.possession_count += 1;
                self.sign_with(
                    &self.possession,
                    factor,
                    ceremony,
                    challenge,
                    UP,
                    self.possession_count,
                )
            }
            Factor::UserVerified => {
                self.user_verified_count += 1;
                self.sign_with(
                    &self.user_verified,
                    factor,
                    ceremony,
                    challenge,
                    UP_UV,
                    self.user_verified_count,
                )
            }
        }
    }

    pub fn possession_public_key(&self) -> Vec<u8> {
        self.possession.public_key().as_ref().to_vec()
    }

    pub fn user_verified_public_key(&self) -> Vec<u8> {
        self.user_verified.public_key().as_ref().to_vec()
    }

    pub fn completion(
        &mut self,
        started: &StartActivationResponse,
        otp: &str,
    ) -> CompleteActivationRequest {
        let proofs = vec![
            self.assert(Factor::Possession, Ceremony::Bind, &started.challenge),
            self.assert(Factor::UserVerified, Ceremony::Bind, &started.challenge),
        ];
        CompleteActivationRequest {
            activation_id: started.activation_id.clone(),
            otp: otp.to_owned(),
            device: DeviceDescription {
                name: "Test Phone".to_owned(),
                platform: "android".to_owned(),
            },
            possession_public_key: self.possession_public_key(),
            user_verified_public_key: self.user_verified_public_key(),
            proofs,
        }
    }

    pub fn login_request(&mut self, challenge: &ChallengeResponse) -> LoginRequest {
        let assertions = vec![
            self.assert(Factor::Possession, Ceremony::Login, &challenge.challenge),
            self.assert(Factor::UserVerified, Ceremony::Login, &challenge.challenge),
        ];
        LoginRequest {
            device_id: self.device_id.clone(),
            challenge_id: challenge.challenge_id.clone(),
            assertions,
        }
    }
}
