//! A test phone and bank client: talks HTTPS to a started sandbox, trusting only the sandbox's
//! own certificate, and signs assertions with ring P-256 keys as a device key store would.
#![allow(dead_code)] // each test binary uses its own subset
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mobank_protocol::assertion::{knowledge_signature, operations};
use mobank_protocol::messages::{
    paths, ChallengePurpose, ChallengeRequest, ChallengeResponse, CompleteActivationRequest,
    CompleteActivationResponse, DeviceDescription, LoginChallengeRequest, LoginRequest,
    LoginResponse, SmsOutbox, StartActivationRequest, StartActivationResponse, StepUpRequest,
    StepUpResponse,
};
use mobank_protocol::money::{Amount, Currency};
use mobank_protocol::transfer::messages::{
    paths as transfer_paths, CancelTransferRequest, QuoteRequest, QuoteResponse,
    SubmitTransferRequest,
};
use mobank_protocol::transfer::{operation_text, CanonicalTransfer, Channel, IdempotencyKey};
use mobank_protocol::{
    signed_bytes, ApiError, Assertion, AuthenticatorData, Ceremony, ClientData, ErrorBody,
    ErrorCode, Factor, FLAG_USER_PRESENT, FLAG_USER_VERIFIED,
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

    /// A developer-API request over plain HTTP, as a test suite in another language makes it.
    pub async fn dev_post<B: Serialize>(&self, path: &str, body: &B) -> reqwest::Response {
        reqwest::Client::new()
            .post(format!("{}{}", self.sandbox.dev_url(), path))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn dev_post_ok<B: Serialize, R: DeserializeOwned>(&self, path: &str, body: &B) -> R {
        expect_ok(path, self.dev_post(path, body).await).await
    }

    pub async fn dev_post_err<B: Serialize>(&self, path: &str, body: &B) -> (StatusCode, ApiError) {
        expect_error(self.dev_post(path, body).await).await
    }

    pub async fn dev_get_ok<R: DeserializeOwned>(&self, path: &str) -> R {
        let response = reqwest::Client::new()
            .get(format!("{}{}", self.sandbox.dev_url(), path))
            .send()
            .await
            .unwrap();
        expect_ok(path, response).await
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
        expect_ok(path, self.post(path, body).await).await
    }

    pub async fn post_err<B: Serialize>(&self, path: &str, body: &B) -> (StatusCode, ApiError) {
        expect_error(self.post(path, body).await).await
    }

    /// Issues a code in-process and starts an activation with it; returns the response and
    /// the OTP the "phone" received.
    pub async fn start_activation(&self) -> (StartActivationResponse, String) {
        self.start_activation_for(DEMO_CUSTOMER_ID).await
    }

    /// The same for any customer; the OTP goes to that customer's registered phone.
    pub async fn start_activation_for(
        &self,
        customer_id: &str,
    ) -> (StartActivationResponse, String) {
        let issued = self.sandbox.issue_activation_code(customer_id).unwrap();
        let started: StartActivationResponse = self
            .post_ok(
                paths::ACTIVATION_START,
                &StartActivationRequest {
                    activation_code: issued.activation_code,
                },
            )
            .await;
        (started, self.latest_otp_for(&issued.phone))
    }

    /// A fresh activation code for the demo customer.
    pub fn issue_code(&self) -> String {
        self.sandbox
            .issue_activation_code(DEMO_CUSTOMER_ID)
            .unwrap()
            .activation_code
    }

    /// Starts an activation with `code` as typed, expecting success.
    pub async fn start_with_code(&self, code: &str) -> StartActivationResponse {
        self.post_ok(paths::ACTIVATION_START, &start_request(code))
            .await
    }

    /// Starts an activation with `code` as typed, expecting a refusal.
    pub async fn start_with_code_err(&self, code: &str) -> (StatusCode, ApiError) {
        self.post_err(paths::ACTIVATION_START, &start_request(code))
            .await
    }

    /// Completes an activation, expecting a refusal.
    pub async fn complete_err(
        &self,
        request: &CompleteActivationRequest,
    ) -> (StatusCode, ApiError) {
        self.post_err(paths::ACTIVATION_COMPLETE, request).await
    }

    /// Posts a login request, expecting a refusal.
    pub async fn login_err(&self, request: &LoginRequest) -> (StatusCode, ApiError) {
        self.post_err(paths::LOGIN, request).await
    }

    /// A fresh login for `phone` (biometric, or PIN when `second` is `Factor::Knowledge`) in
    /// which the assertion at `index` is replaced by what `forge` makes from the phone and
    /// the challenge bytes, expecting a refusal. `forge` runs after the phone has made the
    /// honest request, so it sees the counters that request advanced.
    pub async fn login_forged(
        &self,
        phone: &mut Phone,
        second: Factor,
        index: usize,
        forge: impl FnOnce(&Phone, &[u8]) -> Assertion,
    ) -> (StatusCode, ApiError) {
        let challenge = self.challenge(phone).await;
        let mut request = phone.login_request_with(second, &challenge);
        request.assertions[index] = forge(phone, &challenge.challenge);
        self.login_err(&request).await
    }

    /// The code of the newest binding SMS to the demo customer's phone.
    pub fn latest_otp(&self) -> String {
        self.latest_otp_for(DEMO_PHONE)
    }

    /// The code of the newest binding SMS to `phone`. The outbox keeps every message, oldest
    /// first, account notices included: an older code or a notice is never the answer.
    pub fn latest_otp_for(&self, phone: &str) -> String {
        latest_otp_in(&self.sandbox.sms_outbox(phone).unwrap())
            .expect("a binding SMS with a six-digit code was sent")
    }

    /// Binds `phone` to the demo customer through the whole activation.
    pub async fn bind(&self, phone: &mut Phone) -> CompleteActivationResponse {
        self.bind_to(phone, DEMO_CUSTOMER_ID).await
    }

    /// Binds `phone` to `customer_id` through the whole activation.
    pub async fn bind_to(
        &self,
        phone: &mut Phone,
        customer_id: &str,
    ) -> CompleteActivationResponse {
        let (started, otp) = self.start_activation_for(customer_id).await;
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

    /// The code a login challenge for this phone is refused with (a blocked or revoked
    /// binding gets none).
    pub async fn login_challenge_refusal(&self, phone: &Phone) -> ErrorCode {
        let request = LoginChallengeRequest {
            device_id: phone.device_id.clone(),
        };
        let (_, error) = self.post_err(paths::LOGIN_CHALLENGE, &request).await;
        error.code
    }

    pub async fn login(&self, phone: &mut Phone) -> LoginResponse {
        let challenge = self.challenge(phone).await;
        let request = phone.login_request(&challenge);
        self.post_ok(paths::LOGIN, &request).await
    }

    /// Login with possession + PIN, the PIN being whatever key the phone's PIN yields now.
    pub async fn login_with_pin(&self, phone: &mut Phone) -> LoginResponse {
        let challenge = self.challenge(phone).await;
        let request = phone.pin_login_request(&challenge);
        self.post_ok(paths::LOGIN, &request).await
    }

    pub async fn accounts(&self, token: &str) -> reqwest::Response {
        self.get(paths::ACCOUNTS, token).await
    }

    pub async fn get(&self, path_and_query: &str, token: &str) -> reqwest::Response {
        self.client
            .get(self.url(path_and_query))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn get_ok<R: DeserializeOwned>(&self, path_and_query: &str, token: &str) -> R {
        expect_ok(path_and_query, self.get(path_and_query, token).await).await
    }

    pub async fn post_authorized<B: Serialize>(
        &self,
        path: &str,
        token: &str,
        body: &B,
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_authorized_ok<B: Serialize, R: DeserializeOwned>(
        &self,
        path: &str,
        token: &str,
        body: &B,
    ) -> R {
        expect_ok(path, self.post_authorized(path, token, body).await).await
    }

    pub async fn post_authorized_err<B: Serialize>(
        &self,
        path: &str,
        token: &str,
        body: &B,
    ) -> (StatusCode, ApiError) {
        expect_error(self.post_authorized(path, token, body).await).await
    }

    /// A challenge inside the session.
    pub async fn session_challenge(
        &self,
        token: &str,
        purpose: ChallengePurpose,
    ) -> ChallengeResponse {
        self.post_authorized_ok(paths::CHALLENGES, token, &ChallengeRequest { purpose })
            .await
    }

    /// A step-up with possession + biometric.
    pub async fn step_up(&self, phone: &mut Phone, token: &str) -> StepUpResponse {
        let challenge = self
            .session_challenge(token, ChallengePurpose::StepUp)
            .await;
        let request = StepUpRequest {
            challenge_id: challenge.challenge_id.clone(),
            assertions: vec![
                phone.assert(Factor::Possession, Ceremony::StepUp, &challenge.challenge),
                phone.assert(Factor::UserVerified, Ceremony::StepUp, &challenge.challenge),
            ],
        };
        self.post_authorized_ok(paths::STEP_UP, token, &request)
            .await
    }
}

impl Bank {
    /// A transfer quote in the session.
    pub async fn quote(&self, token: &str, request: &QuoteRequest) -> QuoteResponse {
        self.post_authorized_ok(transfer_paths::TRANSFER_QUOTES, token, request)
            .await
    }

    pub async fn submit(&self, token: &str, request: &SubmitTransferRequest) -> reqwest::Response {
        self.post_authorized(transfer_paths::TRANSFERS, token, request)
            .await
    }
}

impl Bank {
    /// A cancel of the transfer under `key`, signed by the phone's possession key.
    /// Turns `channel` on as the app does: an `operation` challenge and a possession signature
    /// over `enable_channel:<channel>`, right after a login (a fresh strong authentication).
    pub async fn enable_channel(&self, phone: &mut Phone, token: &str, channel: Channel) {
        let challenge = self
            .session_challenge(token, ChallengePurpose::Operation)
            .await;
        let request = mobank_protocol::messages::EnableChannelRequest {
            channel,
            assertion: phone.assert_operation(
                Factor::Possession,
                Ceremony::Operation,
                &challenge.challenge,
                Some(&operations::enable_channel(channel.code())),
            ),
            challenge_id: challenge.challenge_id,
        };
        let answer = self
            .post_authorized(
                mobank_protocol::messages::paths::CHANNELS_ENABLE,
                token,
                &request,
            )
            .await;
        assert!(
            answer.status().is_success(),
            "enabling {channel:?}: {}",
            answer.status()
        );
    }

    pub async fn cancel_transfer(
        &self,
        phone: &mut Phone,
        token: &str,
        key: IdempotencyKey,
    ) -> reqwest::Response {
        let challenge = self
            .session_challenge(token, ChallengePurpose::Operation)
            .await;
        let request = CancelTransferRequest {
            assertion: phone.assert_operation(
                Factor::Possession,
                Ceremony::Operation,
                &challenge.challenge,
                Some(&operations::cancel_transfer(&key.to_hex())),
            ),
            challenge_id: challenge.challenge_id,
        };
        let path = format!(
            "{}{}{}",
            transfer_paths::TRANSFER_PREFIX,
            key.to_hex(),
            transfer_paths::CANCEL_SUFFIX
        );
        self.post_authorized(&path, token, &request).await
    }
}

/// What a customer enters for a transfer, with a fresh idempotency key.
pub fn quote_request(
    payer_account_id: &str,
    payee_account_number: &str,
    payee_bank_code: &str,
    amount: &str,
    memo: &str,
) -> QuoteRequest {
    QuoteRequest {
        payer_account_id: payer_account_id.to_owned(),
        payee_account_number: payee_account_number.to_owned(),
        payee_bank_code: payee_bank_code.to_owned(),
        amount: Amount::parse_wire(amount, Currency::Cny).unwrap(),
        memo: memo.to_owned(),
        channel: Channel::MobileTransfer,
        idempotency_key: IdempotencyKey::generate(&SystemRandom::new()).unwrap(),
        execution_date: None,
    }
}

impl Phone {
    /// Possession and `second` over `transfer` in a `mobank.transfer` ceremony, its operation
    /// text carrying the hash of the transfer's canonical bytes.
    pub fn sign_transfer(
        &mut self,
        transfer: &CanonicalTransfer,
        second: Factor,
    ) -> SubmitTransferRequest {
        let operation = operation_text(&transfer.hash().unwrap());
        let assertions = vec![
            self.assert_operation(
                Factor::Possession,
                Ceremony::Transfer,
                &transfer.challenge,
                Some(&operation),
            ),
            self.assert_operation(
                second,
                Ceremony::Transfer,
                &transfer.challenge,
                Some(&operation),
            ),
        ];
        SubmitTransferRequest {
            transfer: transfer.clone(),
            assertions,
        }
    }
}

/// A bank with the demo customer and one phone bound to it.
pub async fn bound() -> (Bank, Phone) {
    let bank = Bank::start().await;
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    bank.bind(&mut phone).await;
    (bank, phone)
}

pub fn start_request(code: &str) -> StartActivationRequest {
    StartActivationRequest {
        activation_code: code.to_owned(),
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

/// A success body, parsed; `what` names the request if it was refused.
pub async fn expect_ok<R: DeserializeOwned>(what: &str, response: reqwest::Response) -> R {
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "{what}: {status} {text}");
    serde_json::from_str(&text).unwrap()
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

/// The code in the newest message that is a binding SMS (it says 验证码, "code"), scanning
/// from the newest message back.
pub fn latest_otp_in(outbox: &SmsOutbox) -> Option<String> {
    outbox
        .messages
        .iter()
        .rev()
        .filter(|message| message.body.contains("验证码"))
        .find_map(|message| first_six_digit_run(&message.body))
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
    /// The knowledge key the bank got at binding (the PIN set then).
    pub knowledge_key: [u8; 32],
    /// What the phone's PIN entry yields now: the knowledge key for the right PIN, another
    /// key for a wrong one.
    pub entered_key: [u8; 32],
    pub knowledge_count: u32,
    pub rp_id: String,
    pub device_id: String,
    pub name: String,
    /// Sent with binding; `false` binds without a PIN.
    pub with_pin: bool,
}

pub fn new_knowledge_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    ring::rand::SecureRandom::fill(&SystemRandom::new(), &mut key).unwrap();
    key
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
        let knowledge_key = new_knowledge_key();
        Self {
            rng: SystemRandom::new(),
            possession: key_from(&possession_pkcs8),
            user_verified: key_from(&user_verified_pkcs8),
            possession_pkcs8,
            user_verified_pkcs8,
            possession_count: 0,
            user_verified_count: 0,
            knowledge_key,
            entered_key: knowledge_key,
            knowledge_count: 0,
            rp_id: rp_id.to_owned(),
            device_id: String::new(),
            name: "Test Phone".to_owned(),
            with_pin: true,
        }
    }

    /// The next PIN entry is wrong (yields some other key), or right again.
    pub fn enter_wrong_pin(&mut self) {
        self.entered_key = new_knowledge_key();
    }

    pub fn enter_right_pin(&mut self) {
        self.entered_key = self.knowledge_key;
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
        copy.knowledge_key = self.knowledge_key;
        copy.entered_key = self.entered_key;
        copy.knowledge_count = self.knowledge_count;
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
        self.sign_operation_with(key, factor, ceremony, challenge, None, flags, count)
    }

    fn bytes(
        &self,
        ceremony: Ceremony,
        challenge: &[u8],
        operation: Option<&str>,
        flags: u8,
        count: u32,
    ) -> (Vec<u8>, Vec<u8>) {
        let authenticator_data = AuthenticatorData::new(&self.rp_id, flags, count)
            .to_bytes()
            .to_vec();
        let client_data_json = ClientData {
            ceremony,
            challenge: challenge.to_vec(),
            rp_id: self.rp_id.clone(),
            operation: operation.map(str::to_owned),
        }
        .to_json();
        (authenticator_data, client_data_json)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn sign_operation_with(
        &self,
        key: &EcdsaKeyPair,
        factor: Factor,
        ceremony: Ceremony,
        challenge: &[u8],
        operation: Option<&str>,
        flags: u8,
        count: u32,
    ) -> Assertion {
        let (authenticator_data, client_data_json) =
            self.bytes(ceremony, challenge, operation, flags, count);
        let message = signed_bytes(&authenticator_data, &client_data_json);
        let signature = key.sign(&self.rng, &message).unwrap().as_ref().to_vec();
        Assertion {
            factor,
            authenticator_data,
            client_data_json,
            signature,
        }
    }

    /// An HMAC knowledge assertion with `key` over the given fields.
    pub fn tag_with(
        &self,
        key: &[u8; 32],
        ceremony: Ceremony,
        challenge: &[u8],
        operation: Option<&str>,
        flags: u8,
        count: u32,
    ) -> Assertion {
        let (authenticator_data, client_data_json) =
            self.bytes(ceremony, challenge, operation, flags, count);
        Assertion {
            factor: Factor::Knowledge,
            signature: knowledge_signature(key, &authenticator_data, &client_data_json),
            authenticator_data,
            client_data_json,
        }
    }

    /// The next assertion of one factor: counter incremented first, UV only for the
    /// user-verified key and the PIN.
    pub fn assert(&mut self, factor: Factor, ceremony: Ceremony, challenge: &[u8]) -> Assertion {
        self.assert_operation(factor, ceremony, challenge, None)
    }

    /// The same for a `mobank.operation` (or any ceremony with an operation text).
    pub fn assert_operation(
        &mut self,
        factor: Factor,
        ceremony: Ceremony,
        challenge: &[u8],
        operation: Option<&str>,
    ) -> Assertion {
        match factor {
            Factor::Possession => {
                self.possession_count += 1;
                self.sign_operation_with(
                    &self.possession,
                    factor,
                    ceremony,
                    challenge,
                    operation,
                    UP,
                    self.possession_count,
                )
            }
            Factor::UserVerified => {
                self.user_verified_count += 1;
                self.sign_operation_with(
                    &self.user_verified,
                    factor,
                    ceremony,
                    challenge,
                    operation,
                    UP_UV,
                    self.user_verified_count,
                )
            }
            Factor::Knowledge => {
                self.knowledge_count += 1;
                self.tag_with(
                    &self.entered_key,
                    ceremony,
                    challenge,
                    operation,
                    UP_UV,
                    self.knowledge_count,
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
                name: self.name.clone(),
                platform: "android".to_owned(),
            },
            possession_public_key: self.possession_public_key(),
            user_verified_public_key: self.user_verified_public_key(),
            proofs,
            knowledge_key: self.with_pin.then(|| self.knowledge_key.to_vec()),
        }
    }

    /// Possession + biometric.
    pub fn login_request(&mut self, challenge: &ChallengeResponse) -> LoginRequest {
        self.login_request_with(Factor::UserVerified, challenge)
    }

    /// Possession + PIN (with whatever key the current PIN entry yields).
    pub fn pin_login_request(&mut self, challenge: &ChallengeResponse) -> LoginRequest {
        self.login_request_with(Factor::Knowledge, challenge)
    }

    pub fn login_request_with(
        &mut self,
        second: Factor,
        challenge: &ChallengeResponse,
    ) -> LoginRequest {
        let assertions = vec![
            self.assert(Factor::Possession, Ceremony::Login, &challenge.challenge),
            self.assert(second, Ceremony::Login, &challenge.challenge),
        ];
        LoginRequest {
            device_id: self.device_id.clone(),
            challenge_id: challenge.challenge_id.clone(),
            assertions,
            integrity: None,
        }
    }
}
