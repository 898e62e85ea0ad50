//! The parts a login cannot go below, each timed alone: an ECDSA P-256 signature, the bank's
//! verification of a real assertion, and an HTTPS round trip on an open connection to the same
//! bank. Also the extra parts of a PIN login (PBKDF2, the knowledge tag and its check) and
//! references that help read the gap: the software key store's signature, the login-challenge
//! round trip, and a durable small-file replace like the one the phone makes before it signs.

use std::fs;
use std::hint::black_box;
use std::io::Write;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mobank_core::platform::{InsecureSoftwareKeyStore, KeyPurpose, KeyStore};
use mobank_protocol::assertion::{
    self, knowledge_signature, signed_bytes, AuthenticatorData, ClientData, Expectation,
    FLAG_USER_PRESENT, FLAG_USER_VERIFIED, KNOWLEDGE_KEY_LEN,
};
use mobank_protocol::messages::{paths, LoginChallengeRequest};
use mobank_protocol::{Assertion, Ceremony, Factor, CHALLENGE_LEN};
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};
use ring::{pbkdf2, signature};

/// What core derives the PIN pad with (core/src/device/knowledge.rs); private there, so
/// repeated here. A change in core must be mirrored.
pub const CORE_PBKDF2_ITERATIONS: u32 = 100_000;
const SIGNED_MESSAGE_LEN: usize = 69;
const KEY_STORE_ALIAS: &str = "bench-possession";

/// The signing and verifying parts, with a login assertion built the way the phone builds one.
pub struct Crypto {
    rng: SystemRandom,
    pair: EcdsaKeyPair,
    /// `authData ‖ SHA-256(clientDataJSON)`: what each device key signs in a login.
    message: Vec<u8>,
    rp_id: String,
    challenge: Vec<u8>,
    assertion: Assertion,
    knowledge_key: [u8; KNOWLEDGE_KEY_LEN],
    knowledge_assertion: Assertion,
    key_store: InsecureSoftwareKeyStore,
}

impl Crypto {
    pub fn new(rp_id: &str) -> Result<Self, String> {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng)
            .map_err(|_| "key generation failed")?;
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &rng)
            .map_err(|_| "generated key rejected")?;
        let mut challenge = vec![0u8; CHALLENGE_LEN];
        rng.fill(&mut challenge).map_err(|_| "random failed")?;
        let client_data = ClientData {
            ceremony: Ceremony::Login,
            challenge: challenge.clone(),
            rp_id: rp_id.to_owned(),
            operation: None,
        }
        .to_json();
        let auth_data =
            AuthenticatorData::new(rp_id, FLAG_USER_PRESENT | FLAG_USER_VERIFIED, 1).to_bytes();
        let message = signed_bytes(&auth_data, &client_data);
        if message.len() != SIGNED_MESSAGE_LEN {
            return Err(format!("signed bytes are {} long", message.len()));
        }
        let signature = pair
            .sign(&rng, &message)
            .map_err(|_| "signing failed")?
            .as_ref()
            .to_vec();
        let assertion = Assertion {
            factor: Factor::UserVerified,
            authenticator_data: auth_data.to_vec(),
            client_data_json: client_data.clone(),
            signature,
        };

        let mut knowledge_key = [0u8; KNOWLEDGE_KEY_LEN];
        rng.fill(&mut knowledge_key).map_err(|_| "random failed")?;
        let knowledge_auth = AuthenticatorData::new(rp_id, FLAG_USER_PRESENT, 1).to_bytes();
        let knowledge_assertion = Assertion {
            factor: Factor::Knowledge,
            authenticator_data: knowledge_auth.to_vec(),
            client_data_json: client_data.clone(),
            signature: knowledge_signature(&knowledge_key, &knowledge_auth, &client_data),
        };

        let key_store = InsecureSoftwareKeyStore::new();
        key_store
            .generate(KEY_STORE_ALIAS, KeyPurpose::Possession)
            .map_err(|e| e.to_string())?;

        let crypto = Self {
            rng,
            pair,
            message,
            rp_id: rp_id.to_owned(),
            challenge,
            assertion,
            knowledge_key,
            knowledge_assertion,
            key_store,
        };
        // A verifier that refused these would time its error path.
        crypto.verify()?;
        crypto.knowledge_verify()?;
        Ok(crypto)
    }

    pub fn message_len(&self) -> usize {
        self.message.len()
    }

    /// One ECDSA P-256 signature with a parsed key (what a hardware key store's signing costs
    /// at least, in software).
    pub fn sign(&self) -> Result<Duration, String> {
        let started = Instant::now();
        let signature = self.pair.sign(&self.rng, black_box(&self.message));
        let elapsed = started.elapsed();
        black_box(signature.map_err(|_| "signing failed")?);
        Ok(elapsed)
    }

    /// The bank's check of one login assertion: `mobank_protocol::assertion::verify`.
    pub fn verify(&self) -> Result<Duration, String> {
        let expect = self.expectation(true);
        let public_key = self.pair.public_key().as_ref();
        let started = Instant::now();
        let verified = assertion::verify(black_box(&self.assertion), public_key, &expect);
        let elapsed = started.elapsed();
        black_box(verified.map_err(|e| format!("the assertion did not verify: {e}"))?);
        Ok(elapsed)
    }

    /// The PIN factor's tag: HMAC-SHA256 under the knowledge key.
    pub fn knowledge_tag(&self) -> Duration {
        let started = Instant::now();
        let tag = knowledge_signature(
            &self.knowledge_key,
            black_box(&self.knowledge_assertion.authenticator_data),
            &self.knowledge_assertion.client_data_json,
        );
        let elapsed = started.elapsed();
        black_box(tag);
        elapsed
    }

    /// The bank's check of the PIN factor's assertion.
    pub fn knowledge_verify(&self) -> Result<Duration, String> {
        let expect = self.expectation(false);
        let started = Instant::now();
        let verified = assertion::verify_knowledge(
            black_box(&self.knowledge_assertion),
            &self.knowledge_key,
            &expect,
        );
        let elapsed = started.elapsed();
        black_box(verified.map_err(|e| format!("the knowledge assertion did not verify: {e}"))?);
        Ok(elapsed)
    }

    /// The PIN pad core derives on every PIN login: PBKDF2-HMAC-SHA256 over the PIN.
    pub fn pbkdf2(&self) -> Duration {
        let iterations = NonZeroU32::new(CORE_PBKDF2_ITERATIONS).unwrap_or(NonZeroU32::MIN);
        let mut out = [0u8; KNOWLEDGE_KEY_LEN];
        let started = Instant::now();
        pbkdf2::derive(
            pbkdf2::PBKDF2_HMAC_SHA256,
            iterations,
            black_box(&self.challenge[..16]),
            crate::phone::PIN.as_bytes(),
            &mut out,
        );
        let elapsed = started.elapsed();
        black_box(out);
        elapsed
    }

    /// One signature through the software key store the bench phone uses (reference only).
    pub fn key_store_sign(&self) -> Result<Duration, String> {
        let started = Instant::now();
        let signed = self
            .key_store
            .sign(KEY_STORE_ALIAS, black_box(&self.message), None);
        let elapsed = started.elapsed();
        let signed = signed.map_err(|e| e.to_string())?;
        let public_key = self
            .key_store
            .public_key(KEY_STORE_ALIAS)
            .map_err(|e| e.to_string())?;
        signature::UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_ASN1, public_key)
            .verify(&self.message, &signed)
            .map_err(|_| "the key store's signature did not verify")?;
        Ok(elapsed)
    }

    fn expectation(&self, require_user_verified: bool) -> Expectation<'_> {
        Expectation {
            rp_id: &self.rp_id,
            ceremony: Ceremony::Login,
            challenge: &self.challenge,
            require_user_verified,
            previous_sign_count: 0,
            operation: None,
        }
    }
}

/// HTTPS round trips to the bank on one kept-alive connection, with core's pinned TLS
/// configuration.
pub struct RoundTrips {
    http: reqwest::Client,
    bare_url: String,
    challenge_url: String,
    device_id: String,
}

/// What the bare round trip probes: answered by the request extractor before the handler, so
/// no database access and no cryptography besides the TLS records themselves.
pub const BARE_PROBE: &str =
    "GET /v1/accounts without an Authorization header (401 from the bank's request extractor)";

impl RoundTrips {
    pub fn new(base_url: &str, spki_pin: &str, device_id: &str) -> Result<Self, String> {
        let tls = mobank_core::net::pinned_tls_config(&[spki_pin.to_owned()])
            .map_err(|e| e.to_string())?;
        let http = reqwest::Client::builder()
            .use_preconfigured_tls(tls)
            .https_only(true)
            .no_proxy()
            .build()
            .map_err(|e| e.to_string())?;
        let base = base_url.trim_end_matches('/');
        Ok(Self {
            http,
            bare_url: format!("{base}{}", paths::ACCOUNTS),
            challenge_url: format!("{base}{}", paths::LOGIN_CHALLENGE),
            device_id: device_id.to_owned(),
        })
    }

    /// The bare round trip; also returns the HTTP version the connection speaks.
    pub async fn bare(&self) -> Result<(Duration, reqwest::Version), String> {
        let started = Instant::now();
        let response = self
            .http
            .get(&self.bare_url)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let version = response.version();
        let body = response.bytes().await.map_err(|e| e.to_string())?;
        let elapsed = started.elapsed();
        if status != reqwest::StatusCode::UNAUTHORIZED {
            return Err(format!("the bare probe answered {status}, not 401"));
        }
        black_box(body);
        Ok((elapsed, version))
    }

    /// The login's own first request: a fresh challenge for the bound device (one database
    /// transaction on the bank's side). Reference only.
    pub async fn login_challenge(&self) -> Result<Duration, String> {
        let started = Instant::now();
        let response = self
            .http
            .post(&self.challenge_url)
            .json(&LoginChallengeRequest {
                device_id: self.device_id.clone(),
            })
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| e.to_string())?;
        let elapsed = started.elapsed();
        if !status.is_success() {
            return Err(format!("the login challenge answered {status}"));
        }
        black_box(body);
        Ok(elapsed)
    }
}

/// A small file replaced durably (write to a temporary file, fsync, rename, fsync the
/// directory): what the phone does to its device state before every signature, so a restored
/// older copy can be told by its counters. Reference only.
pub struct DurableReplace {
    dir: PathBuf,
    bytes: Vec<u8>,
}

/// About the size of a device state file.
const STATE_FILE_BYTES: usize = 1024;

impl DurableReplace {
    pub fn new(dir: &Path) -> Result<Self, String> {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(Self {
            dir: dir.to_path_buf(),
            bytes: vec![b'x'; STATE_FILE_BYTES],
        })
    }

    pub fn replace(&self) -> Result<Duration, String> {
        let temp = self.dir.join("state.json.tmp");
        let target = self.dir.join("state.json");
        let started = Instant::now();
        let written = (|| {
            let mut file = fs::File::create(&temp)?;
            file.write_all(&self.bytes)?;
            file.sync_all()?;
            drop(file);
            fs::rename(&temp, &target)?;
            fs::File::open(&self.dir)?.sync_all()
        })();
        let elapsed = started.elapsed();
        written.map_err(|e| format!("durable replace: {e}"))?;
        Ok(elapsed)
    }
}
