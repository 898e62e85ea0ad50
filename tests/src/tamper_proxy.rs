//! A man in the middle that holds the bank's own TLS identity (read from the sandbox's data
//! directory), so the phone's pin check passes: it changes one byte of a receipt on its way
//! to the phone (the test of the receipt's own signature, the layer under TLS), changes one byte
//! of a payee add's operation signature on its way to the bank, or swallows a transfer on its
//! way to the bank and hangs up (a request sent that never arrived).
//!
//! On the way to the phone it can also change one byte of the payee's name in a quote, raise a
//! limit in a channels answer, or put an older receipt of the bank in place of a new one.
//!
//! It speaks HTTP/1.1 only (its ALPN offers nothing else) and relays each request and answer
//! whole, framed by its `Content-Length`.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use mobank_core::BankEndpoint;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio_rustls::{TlsAcceptor, TlsConnector};

use crate::{contains, Bank, TestResult};

/// Where a receipt's signature starts in an answer's JSON.
const SIGNATURE_FIELD: &[u8] = b"\"signature\":\"";
/// A transfer's submission starts so.
const SUBMIT_LINE: &[u8] = b"POST /v1/transfers HTTP/1.1\r\n";
/// A payee's add starts so.
const ADD_PAYEE_LINE: &[u8] = b"POST /v1/payees/add HTTP/1.1\r\n";
/// An answer that carries a receipt starts so.
const RECEIPT_ANSWER: &[u8] = b"{\"receipt\":";
/// A quote answer starts so, and carries the payee bank's name.
const QUOTE_ANSWER: &[u8] = b"{\"transfer\":";
const PAYEE_BANK_NAME_FIELD: &[u8] = b"\"payee_bank_name\":";
const PAYEE_FIELD: &[u8] = b"\"payee\":{";
const NAME_FIELD: &[u8] = b"\"name\":\"";
/// A channels answer starts so; the mobile transfer comes first in it.
const CHANNELS_ANSWER: &[u8] = b"{\"channels\":";
const ROOM_FIELD: &[u8] = b"\"room\":{\"per_transaction\":\"";
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
    payee_names: AtomicU32,
    rooms: AtomicU32,
    replays: AtomicU32,
    /// The last receipt answer that passed untouched: what a replay sends again.
    last_receipt: Mutex<Option<Vec<u8>>>,
}

impl TamperingProxy {
    pub async fn start(bank: &Bank) -> TestResult<Self> {
        let (acceptor, connector) = bank_identity(bank)?;
        let upstream = upstream(bank);
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
                    let Ok(bank) = connect_bank(&connector, &upstream).await else {
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

    /// The next `count` quotes reach the phone with one byte of the payee's name changed (the
    /// name stays valid UTF-8, so it reads as another name, not as garbage).
    pub fn change_payee_name_in_next_quotes(&self, count: u32) {
        self.armed.payee_names.store(count, Ordering::SeqCst);
    }

    /// The next `count` channels answers reach the phone with the first digit of the mobile
    /// transfer's per-transaction room turned into a 9: a limit raised on the way.
    pub fn raise_room_in_next_channels(&self, count: u32) {
        self.armed.rooms.store(count, Ordering::SeqCst);
    }

    /// The next `count` receipt answers are replaced by the last receipt answer that passed
    /// before: a genuine receipt of the bank, for another transfer.
    pub fn replay_old_receipt_in_next(&self, count: u32) {
        self.armed.replays.store(count, Ordering::SeqCst);
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

/// A TLS server side with the bank's own certificate and key, and a client side that trusts
/// the bank's certificate: what a man in the middle holding the bank's identity needs. Both
/// speak HTTP/1.1 only, so requests and answers can be told apart.
pub(crate) fn bank_identity(bank: &Bank) -> TestResult<(TlsAcceptor, TlsConnector)> {
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
    Ok((
        TlsAcceptor::from(Arc::new(server)),
        TlsConnector::from(Arc::new(client)),
    ))
}

/// The bank's `host:port`, as a proxy dials it.
pub(crate) fn upstream(bank: &Bank) -> String {
    bank.sandbox
        .base_url()
        .trim_start_matches("https://")
        .to_owned()
}

/// A TLS connection to the bank at `upstream`, checked against its certificate.
pub(crate) async fn connect_bank(
    connector: &TlsConnector,
    upstream: &str,
) -> std::io::Result<tokio_rustls::client::TlsStream<TcpStream>> {
    let tcp = TcpStream::connect(upstream).await?;
    let name = ServerName::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST).into());
    connector.connect(name, tcp).await
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
            change_answer(&mut answer, &armed);
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

fn change_answer(answer: &mut Message, armed: &Armed) {
    if answer.body.starts_with(RECEIPT_ANSWER) {
        let mut last = armed
            .last_receipt
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match last.clone() {
            Some(old) if take(&armed.replays) => answer.replace_body(old),
            _ if take(&armed.receipts) => flip_signature_byte(&mut answer.body),
            _ => *last = Some(answer.body.clone()),
        }
    } else if answer.body.starts_with(QUOTE_ANSWER)
        && contains(&answer.body, PAYEE_BANK_NAME_FIELD)
        && take(&armed.payee_names)
    {
        change_payee_name(&mut answer.body);
    } else if answer.body.starts_with(CHANNELS_ANSWER) && take(&armed.rooms) {
        raise_room(&mut answer.body);
    }
}

/// Changes the last byte of the payee name's first character, keeping it valid UTF-8: an
/// ASCII letter becomes another, a continuation byte moves to its neighbour.
fn change_payee_name(body: &mut [u8]) {
    let Some(payee) = find(body, PAYEE_FIELD) else {
        return;
    };
    let Some(name) = find(&body[payee..], NAME_FIELD) else {
        return;
    };
    let start = payee + name + NAME_FIELD.len();
    let width = match body.get(start) {
        Some(byte) if *byte < 0x80 => 1,
        Some(byte) if *byte >= 0xF0 => 4,
        Some(byte) if *byte >= 0xE0 => 3,
        Some(_) => 2,
        None => return,
    };
    if let Some(byte) = body.get_mut(start + width - 1) {
        *byte = match *byte {
            b'A'..=b'Y' | b'a'..=b'y' | 0x80..=0xBE => *byte + 1,
            _ => *byte - 1,
        };
    }
}

/// Turns the first digit of the mobile transfer's per-transaction room into a 9.
fn raise_room(body: &mut [u8]) {
    let Some(room) = find(body, ROOM_FIELD) else {
        return;
    };
    if let Some(digit) = body.get_mut(room + ROOM_FIELD.len()) {
        *digit = b'9';
    }
}

/// Where `needle` first starts in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
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

pub(crate) struct Message {
    pub(crate) head: Vec<u8>,
    pub(crate) body: Vec<u8>,
}

impl Message {
    pub(crate) fn whole(&self) -> Vec<u8> {
        [self.head.as_slice(), self.body.as_slice()].concat()
    }

    /// Puts `body` in place of this message's body, its `Content-Length` following.
    fn replace_body(&mut self, body: Vec<u8>) {
        let head = String::from_utf8_lossy(&self.head)
            .split("\r\n")
            .map(|line| match line.split_once(':') {
                Some((name, _)) if name.trim().eq_ignore_ascii_case("content-length") => {
                    format!("{name}: {}", body.len())
                }
                _ => line.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("\r\n");
        self.head = head.into_bytes();
        self.body = body;
    }
}

/// One HTTP/1.1 request or answer, read whole; `None` at the end of the connection.
pub(crate) async fn next_message(
    from: &mut (impl AsyncRead + Unpin),
) -> std::io::Result<Option<Message>> {
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
