//! What the phone keeps on disk: after binding, PIN logins, a PIN change and a session in use,
//! no file in the data directory holds the session token, the knowledge key (in any encoding),
//! the PIN, the OTP or the activation code.
//!
//! The token and the knowledge keys are the real ones: a relay holding the sandbox's own TLS
//! key reads the traffic in clear (the phone still checks its pin, which the relay satisfies),
//! and the knowledge key the phone derives from its stored record is checked against what it
//! sent the bank.

use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};

use mobank_core::net::pinned_tls_config;
use mobank_core::platform::KeyStore;
use mobank_core::{BankEndpoint, SecretString};
use mobank_e2e::{assert_no_file_holds, contains, pin, Bank, Phone, PIN};
use mobank_protocol::b64;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use rustls::ServerConfig;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::{TlsAcceptor, TlsConnector};

/// Everything the phone sent and received, in clear.
#[derive(Default)]
struct Transcript {
    sent: Mutex<Vec<u8>>,
    received: Mutex<Vec<u8>>,
}

impl Transcript {
    fn sent(&self) -> Vec<u8> {
        self.sent.lock().unwrap().clone()
    }
    fn received(&self) -> Vec<u8> {
        self.received.lock().unwrap().clone()
    }
}

/// Terminates the phone's TLS with the sandbox's certificate and key, opens its own pinned TLS
/// to the sandbox, and records both directions. HTTP/1.1 only, so the transcript is readable.
async fn tapping_relay(bank: &Bank) -> (BankEndpoint, Arc<Transcript>) {
    let dir = bank.data_dir();
    let certificate = CertificateDer::from_pem_file(dir.join("tls-cert.pem")).unwrap();
    let key = PrivateKeyDer::from_pem_file(dir.join("tls-key.pem")).unwrap();
    let mut server =
        ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![certificate], key)
            .unwrap();
    server.alpn_protocols = vec![b"http/1.1".to_vec()];
    let acceptor = TlsAcceptor::from(Arc::new(server));
    let mut client = pinned_tls_config(&[bank.sandbox.spki_pin()]).unwrap();
    client.alpn_protocols = vec![b"http/1.1".to_vec()];
    let connector = TlsConnector::from(Arc::new(client));
    let upstream = bank
        .sandbox
        .base_url()
        .trim_start_matches("https://")
        .to_owned();

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let transcript = Arc::new(Transcript::default());
    let recorder = Arc::clone(&transcript);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let (acceptor, connector) = (acceptor.clone(), connector.clone());
            let (upstream, recorder) = (upstream.clone(), Arc::clone(&recorder));
            tokio::spawn(async move {
                let Ok(phone) = acceptor.accept(socket).await else {
                    return;
                };
                let tcp = TcpStream::connect(&upstream).await.unwrap();
                let name = ServerName::try_from("127.0.0.1").unwrap();
                let Ok(bank) = connector.connect(name, tcp).await else {
                    return;
                };
                let (phone_read, phone_write) = tokio::io::split(phone);
                let (bank_read, bank_write) = tokio::io::split(bank);
                let to_bank = pump(phone_read, bank_write, Arc::clone(&recorder), true);
                let to_phone = pump(bank_read, phone_write, recorder, false);
                tokio::join!(to_bank, to_phone);
            });
        }
    });
    let endpoint = BankEndpoint {
        base_url: format!("https://127.0.0.1:{port}"),
        spki_pins: vec![bank.sandbox.spki_pin()],
        receipt_keys: bank.receipt_keys(),
    };
    (endpoint, transcript)
}

async fn pump(
    mut from: impl AsyncRead + Unpin,
    mut to: impl AsyncWrite + Unpin,
    transcript: Arc<Transcript>,
    phone_to_bank: bool,
) {
    let mut buffer = [0u8; 16 * 1024];
    while let Ok(read) = from.read(&mut buffer).await {
        if read == 0 {
            break;
        }
        let log = if phone_to_bank {
            &transcript.sent
        } else {
            &transcript.received
        };
        log.lock().unwrap().extend_from_slice(&buffer[..read]);
        if to.write_all(&buffer[..read]).await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
}

/// Every value of the JSON string field `name` in a transcript.
fn json_strings(transcript: &[u8], name: &str) -> Vec<String> {
    let marker = format!("\"{name}\":\"");
    let text = String::from_utf8_lossy(transcript);
    text.match_indices(&marker)
        .map(|(at, _)| {
            let rest = &text[at + marker.len()..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .collect()
}

/// The knowledge key as the phone recovers it: the stored record unwrapped by the key store,
/// unmasked with the pad of the PIN.
fn knowledge_key_on_the_phone(phone: &Phone, digits: &str) -> Vec<u8> {
    let state = phone.device_state().unwrap();
    let record = &state["knowledge"];
    let salt = b64::decode(record["salt"].as_str().unwrap()).unwrap();
    let sealed = b64::decode(record["sealed"].as_str().unwrap()).unwrap();
    let masked = phone
        .key_store
        .unwrap(record["wrap_alias"].as_str().unwrap(), &sealed)
        .unwrap();
    let mut pad = [0u8; 32];
    ring::pbkdf2::derive(
        ring::pbkdf2::PBKDF2_HMAC_SHA256,
        NonZeroU32::new(100_000).unwrap(),
        &salt,
        digits.as_bytes(),
        &mut pad,
    );
    masked.iter().zip(pad).map(|(m, p)| m ^ p).collect()
}

fn encodings(secret: &[u8]) -> Vec<Vec<u8>> {
    use std::fmt::Write;
    let hex = secret.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    });
    vec![
        secret.to_vec(),
        b64::encode(secret).into_bytes(),
        hex.into_bytes(),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_token_key_pin_otp_or_code_is_on_disk_and_no_pin_is_sent() {
    const NEW_PIN: &str = "640259";
    let bank = Bank::start().await.unwrap();
    let (endpoint, transcript) = tapping_relay(&bank).await;
    let phone = Phone::new(endpoint).unwrap();

    let code = bank.issue_code().unwrap().expose_secret().to_owned();
    phone
        .mobank
        .activation()
        .start(SecretString::from(code.as_str()))
        .await
        .unwrap();
    let otp = bank.latest_otp().unwrap().expose_secret().to_owned();
    phone
        .mobank
        .activation()
        .complete(SecretString::from(otp.as_str()), pin(PIN).unwrap())
        .await
        .unwrap();
    let first_key = knowledge_key_on_the_phone(&phone, PIN);
    let sent = json_strings(&transcript.sent(), "knowledge_key");
    assert_eq!(
        sent,
        [b64::encode(&first_key)],
        "the phone derives the key it gave the bank"
    );

    phone.login_pin(PIN).await.unwrap();
    phone.change_pin(PIN, NEW_PIN).await.unwrap();
    let second_key = knowledge_key_on_the_phone(&phone, NEW_PIN);
    let sent = json_strings(&transcript.sent(), "new_knowledge_key");
    assert_eq!(sent, [b64::encode(&second_key)]);
    assert_ne!(first_key, second_key, "a PIN change makes a new key");

    phone.login_pin(NEW_PIN).await.unwrap();
    assert!(phone.mobank.accounts().list().await.unwrap().len() >= 2);
    let tokens = json_strings(&transcript.received(), "session_token");
    assert_eq!(tokens.len(), 2, "two logins");
    // The PIN never crosses the wire, not even inside TLS: only the tags its key makes do.
    let sent = transcript.sent();
    assert!(
        contains(&sent, b"\"knowledge_key\""),
        "the transcript is readable"
    );
    for typed in [PIN, NEW_PIN] {
        for spelling in [format!("\"{typed}\""), b64::encode(typed)] {
            assert!(
                !contains(&sent, spelling.as_bytes()),
                "a PIN went to the bank"
            );
        }
    }

    let mut canaries: Vec<(String, Vec<u8>)> = Vec::new();
    for token in &tokens {
        canaries.push(("session token".to_owned(), token.clone().into_bytes()));
    }
    for (name, key) in [
        ("first knowledge key", &first_key),
        ("second knowledge key", &second_key),
    ] {
        for encoded in encodings(key) {
            canaries.push((name.to_owned(), encoded));
        }
    }
    for (name, value) in [
        ("PIN", PIN),
        ("new PIN", NEW_PIN),
        ("OTP", &otp),
        ("activation code", &code),
    ] {
        canaries.push((name.to_owned(), value.as_bytes().to_vec()));
    }

    let check = |when: &str| {
        let files = phone.files().unwrap();
        assert!(!files.is_empty());
        assert_no_file_holds(&files, &canaries, when);
    };
    check("while the session is live");
    phone.mobank.auth().logout();
    check("after logout");
    bank.stop().await;
}
