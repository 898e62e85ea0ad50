//! A proxy on loopback that injects network faults into a transfer's submission: the answer
//! lost after the request went through, cut after its first byte, held past the phone's
//! timeout, or reset in the middle of its body; or the request delivered to the bank twice.
//!
//! It terminates TLS with the bank's own identity (like the tampering proxy), so the phone's
//! pin still holds, and relays HTTP/1.1 one request and one answer at a time. A byte relay
//! under TLS could not tell the submission from the login before it on the same connection,
//! nor the answer's first byte from a session ticket, nor deliver a request twice: TLS
//! refuses a replayed record. The faults themselves hit the phone's own TCP connection.
//!
//! A fault is armed for the next transfer submission and fires once; every other request
//! passes untouched.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use mobank_core::BankEndpoint;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio_rustls::server::TlsStream;

use crate::tamper_proxy::{bank_identity, connect_bank, next_message, upstream};
use crate::{Bank, TestResult};

/// A transfer's submission starts so.
const SUBMIT_LINE: &[u8] = b"POST /v1/transfers HTTP/1.1\r\n";
/// Long enough for the phone's request timeout to run out; a held answer is never sent.
const HOLD_AT_MOST: Duration = Duration::from_secs(120);
/// Lets the part of an answer already written reach the phone before the reset discards
/// whatever is still queued.
const BEFORE_RESET: Duration = Duration::from_millis(100);

/// What happens to the next transfer submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The request reaches the bank; the phone's connection is closed at once, so its answer
    /// is lost.
    DropAfterRequest,
    /// The answer's first byte reaches the phone, then the connection closes.
    DropAfterFirstAnswerByte,
    /// The answer is never sent; the connection stays open until the phone gives up.
    HoldAnswer,
    /// The answer's head and half its body reach the phone, then a TCP reset.
    ResetMidBody,
    /// The bank receives the request twice on the same connection; the phone gets the first
    /// answer, the second is kept for the test.
    Duplicate,
}

/// An HTTP answer as the bank sent it: its head (status line and headers) and its body.
pub type Answer = (Vec<u8>, Vec<u8>);

pub struct FaultProxy {
    pub port: u16,
    armed: Arc<Mutex<VecDeque<Fault>>>,
    duplicate_answers: Arc<Mutex<Vec<Answer>>>,
    task: JoinHandle<()>,
}

impl FaultProxy {
    pub async fn start(bank: &Bank) -> TestResult<Self> {
        let (acceptor, connector) = bank_identity(bank)?;
        let upstream = upstream(bank);
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let armed = Arc::new(Mutex::new(VecDeque::new()));
        let duplicate_answers = Arc::new(Mutex::new(Vec::new()));
        let (faults, answers) = (Arc::clone(&armed), Arc::clone(&duplicate_answers));
        let task = tokio::spawn(async move {
            while let Ok((phone, _)) = listener.accept().await {
                let (acceptor, connector) = (acceptor.clone(), connector.clone());
                let upstream = upstream.clone();
                let (faults, answers) = (Arc::clone(&faults), Arc::clone(&answers));
                tokio::spawn(async move {
                    let Ok(phone) = acceptor.accept(phone).await else {
                        return;
                    };
                    let Ok(bank) = connect_bank(&connector, &upstream).await else {
                        return;
                    };
                    let _ = serve(phone, bank, &faults, &answers).await;
                });
            }
        });
        Ok(Self {
            port,
            armed,
            duplicate_answers,
            task,
        })
    }

    /// The next transfer submission meets `fault`; faults armed one after the other meet the
    /// submissions in that order.
    pub fn arm(&self, fault: Fault) {
        self.armed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push_back(fault);
    }

    /// Faults armed that no submission has met yet.
    pub fn armed(&self) -> usize {
        self.armed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// The answers (head, body) the bank gave to the second copy of duplicated requests.
    pub fn duplicate_answers(&self) -> Vec<Answer> {
        self.duplicate_answers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
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

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Relays one connection, request after answer, until either side closes or a fault ends it.
async fn serve<B>(
    mut phone: TlsStream<TcpStream>,
    mut bank: B,
    armed: &Mutex<VecDeque<Fault>>,
    duplicate_answers: &Mutex<Vec<Answer>>,
) -> std::io::Result<()>
where
    B: AsyncRead + AsyncWrite + Unpin,
{
    loop {
        // The bank closes an idle connection (its header read timeout): a real client sees
        // that close and drops the connection from its pool, so the proxy passes it on
        // rather than leave the phone a connection that fails its next request.
        let mut probe = [0u8; 1];
        let request = tokio::select! {
            request = next_message(&mut phone) => request?,
            read = bank.read(&mut probe) => {
                if matches!(read, Ok(1..)) {
                    return Err(std::io::Error::other("the bank spoke before it was asked"));
                }
                phone.shutdown().await?;
                return Ok(());
            }
        };
        let Some(request) = request else {
            return Ok(());
        };
        let fault = if request.head.starts_with(SUBMIT_LINE) {
            armed
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop_front()
        } else {
            None
        };
        bank.write_all(&request.whole()).await?;
        bank.flush().await?;
        if fault == Some(Fault::DropAfterRequest) {
            drop(phone);
            // The bank still finishes what it was asked, with no one left to hear it.
            next_message(&mut bank).await?;
            return Ok(());
        }
        let Some(answer) = next_message(&mut bank).await? else {
            return Ok(());
        };
        let whole = answer.whole();
        match fault {
            None | Some(Fault::DropAfterRequest) => {}
            Some(Fault::DropAfterFirstAnswerByte) => {
                phone.write_all(&whole[..1]).await?;
                phone.flush().await?;
                return Ok(());
            }
            Some(Fault::HoldAnswer) => {
                let mut sink = [0u8; 1024];
                let _ = tokio::time::timeout(HOLD_AT_MOST, async {
                    while phone.read(&mut sink).await? > 0 {}
                    Ok::<(), std::io::Error>(())
                })
                .await;
                return Ok(());
            }
            Some(Fault::ResetMidBody) => {
                let cut = answer.head.len() + answer.body.len() / 2;
                phone.write_all(&whole[..cut]).await?;
                phone.flush().await?;
                tokio::time::sleep(BEFORE_RESET).await;
                phone.get_ref().0.set_zero_linger()?;
                return Ok(());
            }
            Some(Fault::Duplicate) => {
                bank.write_all(&request.whole()).await?;
                bank.flush().await?;
                if let Some(again) = next_message(&mut bank).await? {
                    duplicate_answers
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push((again.head, again.body));
                }
            }
        }
        phone.write_all(&whole).await?;
        phone.flush().await?;
    }
}
