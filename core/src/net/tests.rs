//! The pinned client against local TLS servers that report what they received.

use std::sync::Arc;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use mobank_protocol::ErrorCode;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedKey, IsCa, Issuer, KeyPair, PublicKeyData,
};
use ring::digest::{digest, SHA256};
use rustls::ServerConfig;
use rustls_pki_types::{CertificateDer, PrivatePkcs8KeyDer, ServerName};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;

use super::pinning::{certificate_spki_pin, pinned_tls_config};
use super::{BankClient, NetError};
use crate::config::BankEndpoint;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Ping {
    word: String,
}

/// What the server does once it has read a request.
#[derive(Clone)]
enum Reply {
    Json {
        status: u16,
        body: String,
    },
    /// Close the connection without answering.
    Hangup,
    /// Announce a body larger than the client accepts.
    DeclaredTooLarge,
    /// Stream a body larger than the client accepts, without announcing its length.
    StreamedTooLarge,
}

/// One connection as the server saw it.
#[derive(Debug)]
struct Report {
    handshake_ok: bool,
    /// Application-data bytes received after the handshake (the HTTP request).
    request_bytes: usize,
}

struct Server {
    port: u16,
    pin: String,
    reports: mpsc::UnboundedReceiver<Report>,
}

fn certificate(names: &[&str]) -> CertifiedKey<rcgen::KeyPair> {
    rcgen::generate_simple_self_signed(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
        .unwrap()
}

/// What a test server presents: its chain, leaf first, and the leaf's PKCS#8 key.
struct Identity {
    chain: Vec<CertificateDer<'static>>,
    key: Vec<u8>,
}

impl From<&CertifiedKey<KeyPair>> for Identity {
    fn from(cert: &CertifiedKey<KeyPair>) -> Self {
        Self {
            chain: vec![cert.cert.der().clone()],
            key: cert.signing_key.serialize_der(),
        }
    }
}

fn server_config(identity: Identity, tls12_only: bool) -> ServerConfig {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let versions: &[&rustls::SupportedProtocolVersion] = if tls12_only {
        &[&rustls::version::TLS12]
    } else {
        &[&rustls::version::TLS13, &rustls::version::TLS12]
    };
    ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            identity.chain,
            PrivatePkcs8KeyDer::from(identity.key).into(),
        )
        .unwrap()
}

async fn start_tls_server(
    cert: &CertifiedKey<rcgen::KeyPair>,
    tls12_only: bool,
    reply: Reply,
) -> Server {
    serve(Identity::from(cert), tls12_only, reply).await
}

async fn serve(identity: Identity, tls12_only: bool, reply: Reply) -> Server {
    let pin = certificate_spki_pin(&identity.chain[0]).unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(server_config(identity, tls12_only)));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, reports) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            let tx = tx.clone();
            let reply = reply.clone();
            tokio::spawn(async move {
                let report = match acceptor.accept(tcp).await {
                    Err(_) => Report {
                        handshake_ok: false,
                        request_bytes: 0,
                    },
                    Ok(mut tls) => {
                        let request_bytes = read_request(&mut tls).await;
                        answer(&mut tls, &reply).await;
                        Report {
                            handshake_ok: true,
                            request_bytes,
                        }
                    }
                };
                let _ = tx.send(report);
            });
        }
    });
    Server { port, pin, reports }
}

/// Reads one HTTP/1.1 request (headers and a Content-Length body); returns its size.
async fn read_request<S: AsyncReadExt + Unpin>(stream: &mut S) -> usize {
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    while let Ok(n) = stream.read(&mut buffer).await {
        if n == 0 {
            break;
        }
        received.extend_from_slice(&buffer[..n]);
        let text = String::from_utf8_lossy(&received);
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse().ok())?
                })
                .unwrap_or(0usize);
            if received.len() >= end + 4 + length {
                break;
            }
        }
    }
    received.len()
}

async fn answer<S: AsyncWriteExt + Unpin>(stream: &mut S, reply: &Reply) {
    let head = |status: u16, extra: &str| {
        format!("HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nConnection: close\r\n{extra}\r\n")
    };
    match reply {
        Reply::Json { status, body } => {
            let response = head(*status, &format!("Content-Length: {}\r\n", body.len())) + body;
            let _ = stream.write_all(response.as_bytes()).await;
        }
        Reply::Hangup => {}
        Reply::DeclaredTooLarge => {
            let _ = stream
                .write_all(head(200, "Content-Length: 2000000\r\n").as_bytes())
                .await;
        }
        Reply::StreamedTooLarge => {
            let _ = stream.write_all(head(200, "").as_bytes()).await;
            let chunk = vec![b' '; 64 * 1024];
            for _ in 0..20 {
                if stream.write_all(&chunk).await.is_err() {
                    break;
                }
            }
        }
    }
    let _ = stream.shutdown().await;
}

fn ok_reply() -> Reply {
    Reply::Json {
        status: 200,
        body: r#"{"word":"pong"}"#.to_owned(),
    }
}

fn client(port: u16, pins: &[&str]) -> BankClient {
    BankClient::new(&BankEndpoint {
        base_url: format!("https://127.0.0.1:{port}"),
        spki_pins: pins.iter().map(|p| p.to_string()).collect(),
        receipt_keys: Vec::new(),
    })
    .unwrap()
}

async fn ping(client: &BankClient) -> Result<Ping, NetError> {
    client
        .post(
            "/v1/ping",
            &Ping {
                word: "ping".to_owned(),
            },
        )
        .await
}

fn other_pin() -> String {
    certificate_spki_pin(certificate(&["127.0.0.1"]).cert.der()).unwrap()
}

#[test]
fn certificate_pin_is_base64_sha256_of_the_spki() {
    let cert = certificate(&["127.0.0.1"]);
    let expected = STANDARD.encode(digest(&SHA256, &cert.signing_key.subject_public_key_info()));
    assert_eq!(certificate_spki_pin(cert.cert.der()).unwrap(), expected);
    assert!(certificate_spki_pin(b"not a certificate").is_err());
}

#[test]
fn malformed_pins_are_refused() {
    assert!(pinned_tls_config(&[]).is_err());
    assert!(pinned_tls_config(&["not base64!".to_owned()]).is_err());
    // Valid base64, but 16 bytes instead of 32.
    assert!(pinned_tls_config(&[STANDARD.encode([0u8; 16])]).is_err());
    assert!(pinned_tls_config(&[STANDARD.encode([0u8; 32])]).is_ok());
}

#[tokio::test]
async fn matching_pin_connects() {
    let cert = certificate(&["127.0.0.1"]);
    let mut server = start_tls_server(&cert, false, ok_reply()).await;
    let pong = ping(&client(server.port, &[&server.pin])).await.unwrap();
    assert_eq!(
        pong,
        Ping {
            word: "pong".to_owned()
        }
    );
    let report = server.reports.recv().await.unwrap();
    assert!(report.handshake_ok);
    assert!(report.request_bytes > 0);
}

#[tokio::test]
async fn wrong_pin_is_refused_before_a_single_request_byte() {
    let cert = certificate(&["127.0.0.1"]);
    let mut server = start_tls_server(&cert, false, ok_reply()).await;
    let result = ping(&client(server.port, &[&other_pin()])).await;
    assert!(matches!(result, Err(NetError::PinMismatch)), "{result:?}");
    let report = server.reports.recv().await.unwrap();
    assert!(!report.handshake_ok);
    assert_eq!(report.request_bytes, 0);
}

#[tokio::test]
async fn backup_pin_is_accepted() {
    let cert = certificate(&["127.0.0.1"]);
    let server = start_tls_server(&cert, false, ok_reply()).await;
    let pong = ping(&client(server.port, &[&other_pin(), &server.pin]))
        .await
        .unwrap();
    assert_eq!(pong.word, "pong");
}

#[tokio::test]
async fn tls12_servers_are_verified_too() {
    let cert = certificate(&["127.0.0.1"]);
    let server = start_tls_server(&cert, true, ok_reply()).await;
    assert_eq!(
        ping(&client(server.port, &[&server.pin]))
            .await
            .unwrap()
            .word,
        "pong"
    );
    let wrong = ping(&client(server.port, &[&other_pin()])).await;
    assert!(matches!(wrong, Err(NetError::PinMismatch)), "{wrong:?}");
}

#[tokio::test]
async fn pinned_key_with_a_certificate_for_another_host_is_refused() {
    let cert = certificate(&["bank.example"]);
    let mut server = start_tls_server(&cert, false, ok_reply()).await;
    let result = ping(&client(server.port, &[&server.pin])).await;
    assert!(
        matches!(&result, Err(NetError::Tls(message)) if message.contains("not valid for name")),
        "{result:?}"
    );
    assert_eq!(server.reports.recv().await.unwrap().request_bytes, 0);
}

#[tokio::test]
async fn a_certificate_issued_by_a_pinned_ca_key_is_refused_unless_its_own_key_is_pinned() {
    // A user-installed or even a pinned CA vouches for nothing: only the key the server itself
    // proves it holds is compared with the pins, so a MITM with a CA-issued certificate fails.
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_key = KeyPair::generate().unwrap();
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .unwrap()
        .signed_by(&leaf_key, &Issuer::from_params(&ca_params, &ca_key))
        .unwrap();
    let identity = Identity {
        chain: vec![leaf.der().clone(), ca.der().clone()],
        key: leaf_key.serialize_der(),
    };
    let mut server = serve(identity, false, ok_reply()).await;

    let ca_pin = certificate_spki_pin(ca.der()).unwrap();
    let result = ping(&client(server.port, &[&ca_pin])).await;
    assert!(matches!(result, Err(NetError::PinMismatch)), "{result:?}");
    assert_eq!(server.reports.recv().await.unwrap().request_bytes, 0);

    // The same server is accepted once the key of its own certificate is pinned.
    let pong = ping(&client(server.port, &[&server.pin])).await.unwrap();
    assert_eq!(pong.word, "pong");
}

#[tokio::test]
async fn a_server_that_answers_in_tls_1_1_is_refused_before_a_request_byte() {
    let server = crate::testing::Tls11Server::start().await.unwrap();
    let result = ping(&client(server.port, &[&other_pin()])).await;
    assert!(matches!(result, Err(NetError::Tls(_))), "{result:?}");
    let seen = server.seen().await.unwrap();
    assert_eq!(seen.first_record, 22, "a handshake first");
    // At most an alert follows: no record of application data, so no request.
    assert!(!seen.application_data);
}

#[tokio::test]
async fn pinned_config_alone_drives_a_raw_tls_connection() {
    // The exported configuration is usable without reqwest, e.g. for other bank endpoints.
    let cert = certificate(&["127.0.0.1"]);
    let mut server = start_tls_server(&cert, false, ok_reply()).await;
    let connector = tokio_rustls::TlsConnector::from(Arc::new(
        pinned_tls_config(&[server.pin.clone()]).unwrap(),
    ));
    let tcp = TcpStream::connect(("127.0.0.1", server.port))
        .await
        .unwrap();
    let name = ServerName::try_from("127.0.0.1").unwrap();
    let mut tls = connector.connect(name, tcp).await.unwrap();
    tls.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut response = String::new();
    tls.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200"));
    assert!(server.reports.recv().await.unwrap().handshake_ok);
}

#[tokio::test]
async fn cleartext_server_is_a_tls_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let (mut tcp, _) = listener.accept().await.unwrap();
        let mut buffer = [0u8; 1024];
        let _ = tcp.read(&mut buffer).await;
        let _ = tcp
            .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            .await;
    });
    let result = ping(&client(port, &[&other_pin()])).await;
    assert!(matches!(result, Err(NetError::Tls(_))), "{result:?}");
}

#[tokio::test]
async fn refused_connection_is_a_network_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let result = ping(&client(port, &[&other_pin()])).await;
    assert!(matches!(result, Err(NetError::Connect(_))), "{result:?}");
}

#[tokio::test]
async fn hangup_after_the_request_is_outcome_unknown() {
    let cert = certificate(&["127.0.0.1"]);
    let mut server = start_tls_server(&cert, false, Reply::Hangup).await;
    let result = ping(&client(server.port, &[&server.pin])).await;
    assert!(
        matches!(result, Err(NetError::OutcomeUnknown)),
        "{result:?}"
    );
    assert!(server.reports.recv().await.unwrap().request_bytes > 0);
}

#[tokio::test]
async fn oversized_responses_are_refused() {
    let cert = certificate(&["127.0.0.1"]);
    for reply in [Reply::DeclaredTooLarge, Reply::StreamedTooLarge] {
        let server = start_tls_server(&cert, false, reply).await;
        let result = ping(&client(server.port, &[&server.pin])).await;
        assert!(
            matches!(result, Err(NetError::ResponseTooLarge)),
            "{result:?}"
        );
    }
}

#[tokio::test]
async fn bank_error_bodies_arrive_typed() {
    let cert = certificate(&["127.0.0.1"]);
    let body =
        r#"{"error":{"code":"authentication_failed","message":"no","attempts_remaining":4}}"#;
    let server = start_tls_server(
        &cert,
        false,
        Reply::Json {
            status: 401,
            body: body.to_owned(),
        },
    )
    .await;
    let result = ping(&client(server.port, &[&server.pin])).await;
    let Err(NetError::Api { status: 401, error }) = result else {
        panic!("expected a typed API error, got {result:?}");
    };
    assert_eq!(error.code, ErrorCode::AuthenticationFailed);
    assert_eq!(error.attempts_remaining, Some(4));
}

#[tokio::test]
async fn html_instead_of_json_is_typed() {
    let cert = certificate(&["127.0.0.1"]);
    let server = start_tls_server(
        &cert,
        false,
        Reply::Json {
            status: 200,
            body: "<html>maintenance</html>".to_owned(),
        },
    )
    .await;
    let result = ping(&client(server.port, &[&server.pin])).await;
    assert!(
        matches!(result, Err(NetError::MalformedResponse)),
        "{result:?}"
    );
}
