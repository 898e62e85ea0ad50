//! Starting, restarting and stopping: the certificate and pin stay with the data directory,
//! bound devices survive a restart, the developer API stays on loopback, and the binary
//! announces itself with one JSON line.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Command, Stdio};

use base64::Engine;
use common::{client_trusting, Bank, Phone};
use mobank_protocol::messages::paths;
use mobank_sandbox::{Announcement, SandboxConfig, SandboxError};
use ring::digest::{digest, SHA256};

fn pin_of(certificate_der: &[u8]) -> String {
    let der = rustls_pki_types::CertificateDer::from(certificate_der.to_vec());
    let cert = webpki::EndEntityCert::try_from(&der).unwrap();
    base64::engine::general_purpose::STANDARD
        .encode(digest(&SHA256, cert.subject_public_key_info().as_ref()))
}

#[tokio::test]
async fn the_pin_is_the_sha256_of_the_served_certificates_public_key() {
    let bank = Bank::start().await;
    let response = bank
        .client
        .get(bank.url(paths::ACCOUNTS))
        .send()
        .await
        .unwrap();
    let served = response
        .extensions()
        .get::<reqwest::tls::TlsInfo>()
        .and_then(|info| info.peer_certificate())
        .unwrap()
        .to_vec();
    assert_eq!(served, bank.sandbox.certificate_der());
    let pin = bank.sandbox.spki_pin();
    assert_eq!(pin, pin_of(&served));
    assert_eq!(
        base64::engine::general_purpose::STANDARD
            .decode(&pin)
            .unwrap()
            .len(),
        32
    );
}

#[tokio::test]
async fn certificate_pin_receipt_key_and_devices_survive_a_restart_of_the_same_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let first = mobank_sandbox::start(SandboxConfig::new(dir.path()))
        .await
        .unwrap();
    let pin = first.spki_pin();
    let cert = first.certificate_der();
    let receipt_key = first.receipt_public_key();
    let bank = Bank {
        client: client_trusting(&cert),
        sandbox: first,
        dir: tempfile::tempdir().unwrap(),
    };
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    bank.bind(&mut phone).await;
    bank.sandbox.shutdown().await;

    let second = mobank_sandbox::start(SandboxConfig::new(dir.path()))
        .await
        .unwrap();
    assert_eq!(second.spki_pin(), pin);
    assert_eq!(second.certificate_der(), cert);
    assert_eq!(second.receipt_public_key(), receipt_key);
    let bank = Bank {
        client: client_trusting(&cert),
        sandbox: second,
        dir: tempfile::tempdir().unwrap(),
    };
    let login = bank.login(&mut phone).await;
    assert_eq!(bank.accounts(&login.session_token).await.status(), 200);
    bank.sandbox.shutdown().await;

    // Another data directory is another bank with another key.
    let other_dir = tempfile::tempdir().unwrap();
    let other = mobank_sandbox::start(SandboxConfig::new(other_dir.path()))
        .await
        .unwrap();
    assert_ne!(other.spki_pin(), pin);
    assert_ne!(other.receipt_public_key(), receipt_key);
}

#[cfg(unix)]
#[tokio::test]
async fn the_private_key_file_is_readable_by_the_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let bank = Bank::start().await;
    let key = std::fs::metadata(bank.dir.path().join("tls-key.pem")).unwrap();
    assert_eq!(key.permissions().mode() & 0o777, 0o600);
    let key_pem = std::fs::read_to_string(bank.dir.path().join("tls-key.pem")).unwrap();
    assert!(key_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
}

#[tokio::test]
async fn a_lone_certificate_without_its_key_is_an_error_not_a_new_identity() {
    let dir = tempfile::tempdir().unwrap();
    mobank_sandbox::start(SandboxConfig::new(dir.path()))
        .await
        .unwrap()
        .shutdown()
        .await;
    std::fs::remove_file(dir.path().join("tls-key.pem")).unwrap();
    let result = mobank_sandbox::start(SandboxConfig::new(dir.path())).await;
    assert!(
        matches!(result, Err(SandboxError::Tls(_))),
        "{:?}",
        result.err()
    );
}

#[tokio::test]
async fn the_developer_api_refuses_a_non_loopback_address() {
    let dir = tempfile::tempdir().unwrap();
    for addr in ["0.0.0.0:0", "192.0.2.10:0", "[::]:0"] {
        let dev_listen: SocketAddr = addr.parse().unwrap();
        let config = SandboxConfig {
            dev_listen,
            ..SandboxConfig::new(dir.path())
        };
        let result = mobank_sandbox::start(config).await;
        assert!(
            matches!(result, Err(SandboxError::DevListenNotLoopback(a)) if a == dev_listen),
            "{addr}"
        );
    }
    // Refused before anything was written.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[tokio::test]
async fn an_empty_data_dir_setting_is_refused() {
    let result = mobank_sandbox::start(SandboxConfig::default()).await;
    assert!(matches!(result, Err(SandboxError::Config(_))));
}

#[tokio::test]
async fn tls_1_2_clients_are_served_and_older_ones_are_not_offered() {
    let bank = Bank::start().await;
    let tls12 = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(
            reqwest::Certificate::from_der(&bank.sandbox.certificate_der()).unwrap(),
        )
        .max_tls_version(reqwest::tls::Version::TLS_1_2)
        .build()
        .unwrap();
    let response = tls12.get(bank.url(paths::ACCOUNTS)).send().await.unwrap();
    assert_eq!(response.status(), 401);
    // rustls has no TLS 1.1 or older, so a client that insists on them cannot even be built.
    let tls11 = reqwest::Client::builder()
        .use_rustls_tls()
        .max_tls_version(reqwest::tls::Version::TLS_1_1)
        .build();
    assert!(tls11.is_err());
}

#[tokio::test]
async fn the_binary_prints_one_json_line_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_mobank-sandbox"))
        .args([
            "--data-dir",
            dir.path().to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let announced: Announcement = serde_json::from_str(&line).unwrap();
    let keys: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&line).unwrap();
    assert_eq!(
        keys.keys().collect::<Vec<_>>(),
        vec![
            "base_url",
            "dev_url",
            "receipt_public_key",
            "rp_id",
            "spki_pin"
        ]
    );
    let receipt_key = mobank_protocol::b64::decode(&announced.receipt_public_key).unwrap();
    assert_eq!((receipt_key.len(), receipt_key[0]), (65, 0x04));
    assert!(announced.base_url.starts_with("https://127.0.0.1:"));
    assert!(announced.dev_url.starts_with("http://127.0.0.1:"));
    assert_eq!(announced.rp_id, "sandbox.mobank.local");

    let cert_pem = std::fs::read(dir.path().join("tls-cert.pem")).unwrap();
    let cert = reqwest::Certificate::from_pem(&cert_pem).unwrap();
    let client = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(cert)
        .tls_info(true)
        .build()
        .unwrap();
    let response = client
        .get(format!("{}{}", announced.base_url, paths::ACCOUNTS))
        .send()
        .await
        .unwrap();
    let served = response
        .extensions()
        .get::<reqwest::tls::TlsInfo>()
        .unwrap()
        .peer_certificate()
        .unwrap()
        .to_vec();
    assert_eq!(pin_of(&served), announced.spki_pin);
    assert_eq!(response.status(), 401);

    // An idle keep-alive client of the developer API must not hold the shutdown open.
    let dev_addr = announced.dev_url.trim_start_matches("http://").to_owned();
    let mut idle_dev_client = std::net::TcpStream::connect(&dev_addr).unwrap();
    std::io::Write::write_all(
        &mut idle_dev_client,
        b"GET /dev/sms/%2B8613800138000 HTTP/1.1\r\nHost: sandbox\r\n\r\n",
    )
    .unwrap();
    let mut first_bytes = [0u8; 12];
    std::io::Read::read_exact(&mut idle_dev_client, &mut first_bytes).unwrap();
    assert_eq!(&first_bytes, b"HTTP/1.1 200");

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    // Waited for off the runtime, so the client's HTTP/2 connection can answer the server's
    // shutdown handshake while the sandbox drains.
    let status = tokio::task::spawn_blocking(move || {
        // Bounded, so a shutdown that hangs fails the test instead of hanging the suite.
        for _ in 0..300 {
            if let Some(status) = child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        child.kill().unwrap();
        panic!("the sandbox did not stop within 30 s of SIGTERM");
    })
    .await
    .unwrap();
    drop((response, client, idle_dev_client));
    assert!(status.success(), "{status}");
    let mut rest = String::new();
    stdout.read_line(&mut rest).unwrap();
    assert_eq!(rest, "", "exactly one line on stdout");
}
