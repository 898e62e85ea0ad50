//! A man in the middle that holds the bank's own TLS identity (read from the sandbox's data
//! directory), so the phone's pin check passes: it changes one byte of a receipt on its way
//! to the phone (the test of the receipt's own signature, the layer under TLS), changes one byte
//! of a payee add's operation signature on its way to the bank, or swallows a transfer on its
//! way to the bank and hangs up (a request sent that never arrived).
//!
//! It speaks HTTP/1.1 only (its ALPN offers nothing else) and relays each request and answer
//! whole, framed by its `Content-Length`.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use mobank_core::BankEndpoint;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio_rustls::{TlsAcceptor, TlsConnector};

use crate::{Bank, TestResult};

/// Where a receipt's signature starts in an answer's JSON.
const SIGNATURE_FIELD: &[u8] = b"\"signature\":\"";
/// A transfer's submission starts so.
const SUBMIT_LINE: &[u8] = b"POST /v1/transfers HTTP/1.1\r\n";
/// A payee's add starts so.
const ADD_PAYEE_LINE: &[u8] = b"POST /v1/payees/add HTTP/1.1\r\n";
/// An answer that carries a receipt starts so.
const RECEIPT_ANSWER: &[u8] = b"{\"receipt\":";
/// An answer's head is never longer.
const MAX_HEAD: usize = 16 * 1024;

pub struct TamperingProxy {
    pub port: u16,
    armed: Arc<Armed>,
    task: JoinHandle<()>,
}

/// How many of each to tamper with.
#[derive(Default)]
struct Armed {
    receipts: AtomicU32,
    submissions: AtomicU32,
    payee_adds: AtomicU32,
}

impl TamperingProxy {
    pub async fn start(bank: &Bank) -> TestResult<Self> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let certificate = CertificateDer::from_pem_file(bank.data_dir().join("tls-cert.pem"))?;
        let key = PrivateKeyDer::from_pem_file(bank.data_dir().join("tls-key.pem"))?;
        let mut server = rustls::ServerConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(vec![certificate], key)?;
        server.alpn_protocols = vec![b"http/1.1".to_vec()];
        let mut roots = rustls::RootCertStore::empty();
        roots.add(CertificateDer::from(bank.sandbox.certificate_der()))?;
        let mut client = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots)
            .with_no_client_auth();
        client.alpn_protocols = vec![b"http/1.1".to_vec()];
        let acceptor = TlsAcceptor::from(Arc::new(server));
        let connector = TlsConnector::from(Arc::new(client));

        let upstream = bank
            .sandbox
            .base_url()
            .trim_start_matches("https://")
            .to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let armed = Arc::new(Armed::default());
        let tamper = Arc::clone(&armed);
        let task = tokio::spawn(async move {
            while let Ok((phone, _)) = listener.accept().await {
                let (acceptor, connector) = (acceptor.clone(), connector.clone());
                let (upstream, tamper) = (upstream.clone(), Arc::clone(&tamper));
                tokio::spawn(async move {
                    let Ok(phone) = acceptor.accept(phone).await else {
                        return;
                    };
                    let Ok(tcp) = TcpStream::connect(&upstream).await else {
                        return;
                    };
                    let name = ServerName::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST).into());
                    let Ok(bank) = connector.connect(name, tcp).await else {
                        return;
                    };
                    relay(phone, bank, tamper).await;
                });
            }
        });
        Ok(Self { port, armed, task })
    }

    /// The next `count` receipts to pass get one byte of their signature changed.
    pub fn tamper_with_next_receipts(&self, count: u32) {
        self.armed.receipts.store(count, Ordering::SeqCst);
    }

    /// The next `count` payee adds get one byte of their assertion's signature changed.
    pub fn tamper_with_next_payee_adds(&self, count: u32) {
        self.armed.payee_adds.store(count, Ordering::SeqCst);
    }

    /// The next `count` transfer submissions are read whole and dropped, and the connection
    /// closed: the phone sent its request and the bank never saw it.
    pub fn swallow_next_transfers(&self, count: u32) {
        self.armed.submissions.store(count, Ordering::SeqCst);
    }

    /// The bank, as the phone reaches it through this proxy: the bank's own pin.
    pub fn endpoint(&self, bank: &Bank) -> BankEndpoint {
        BankEndpoint {
            base_url: format!("https://127.0.0.1:{}", self.port),
            spki_pins: vec![bank.sandbox.spki_pin()],
            receipt_keys: bank.receipt_keys(),
        }
    }
}

impl Drop for TamperingProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn relay<P, B>(phone: P, bank: B, armed: Arc<Armed>)
where
    P: AsyncRead + AsyncWrite + Unpin,
    B: AsyncRead + AsyncWrite + Unpin,
{
    let (mut phone_read, mut phone_write) = tokio::io::split(phone);
    let (mut bank_read, mut bank_write) = tokio::io::split(bank);
    let swallowed = tokio::sync::Notify::new();
    let requests = async {
        while let Ok(Some(mut request)) = next_message(&mut phone_read).await {
            if request.head.starts_with(ADD_PAYEE_LINE) && take(&armed.payee_adds) {
                flip_signature_byte(&mut request.body);
            }
            if request.head.starts_with(SUBMIT_LINE) && take(&armed.submissions) {
                swallowed.notify_one();
                break;
            }
            if bank_write.write_all(&request.whole()).await.is_err() {
                break;
            }
        }
        let _ = bank_write.shutdown().await;
    };
    let answers = async {
        while let Ok(Some(mut answer)) = next_message(&mut bank_read).await {
            if answer.body.starts_with(RECEIPT_ANSWER) && take(&armed.receipts) {
                flip_signature_byte(&mut answer.body);
            }
            if phone_write.write_all(&answer.whole()).await.is_err() {
                break;
            }
        }
    };
    // A swallowed request ends the connection at once, with no answer at all.
    tokio::select! {
        () = swallowed.notified() => {}
        ((), ()) = async { tokio::join!(requests, answers) } => {}
    }
}

fn take(armed: &AtomicU32) -> bool {
    armed
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
            left.checked_sub(1)
        })
        .is_ok()
}

/// Changes one base64url character in the middle of the first signature (a receipt's, an
/// assertion's) to another, so the signature decodes to different bytes.
fn flip_signature_byte(body: &mut [u8]) {
    let Some(start) = body
        .windows(SIGNATURE_FIELD.len())
        .position(|window| window == SIGNATURE_FIELD)
    else {
        return;
    };
    let at = start + SIGNATURE_FIELD.len() + 10;
    if let Some(byte) = body.get_mut(at) {
        *byte = if *byte == b'A' { b'B' } else { b'A' };
    }
}

struct Message {
    head: Vec<u8>,
    body: Vec<u8>,
}

impl Message {
    fn whole(&self) -> Vec<u8> {
        [self.head.as_slice(), self.body.as_slice()].concat()
    }
}

/// One HTTP/1.1 request or answer, read whole; `None` at the end of the connection.
async fn next_message(from: &mut (impl AsyncRead + Unpin)) -> std::io::Result<Option<Message>> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if from.read(&mut byte).await? == 0 || head.len() > MAX_HEAD {
            return Ok(None);
        }
        head.push(byte[0]);
    }
    let length = String::from_utf8_lossy(&head)
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())
                .flatten()
        })
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    from.read_exact(&mut body).await?;
    Ok(Some(Message { head, body }))
}
