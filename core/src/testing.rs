//! What tests and the demo share when they drive Mobank without a real bank or against the
//! sandbox: an offline configuration, and the customer's reading of the OTP from an SMS. Behind
//! the `testing` feature; not part of the app API.

use std::path::Path;

use crate::config::{BankEndpoint, MobankConfig};
use crate::net::spki_pin;
use crate::secret::SecretString;

/// A configuration whose bank can never be reached: a port nothing listens on, under a pin no
/// server has. Any request that escaped would fail with `Network`, which a test expecting a
/// local refusal notices.
pub fn offline_config(data_dir: &Path) -> MobankConfig {
    MobankConfig {
        data_dir: data_dir.to_path_buf(),
        bank: BankEndpoint {
            base_url: "https://127.0.0.1:9".to_owned(),
            spki_pins: vec![spki_pin(b"a key no server has")],
            receipt_keys: vec![unused_receipt_key()],
        },
        device_name: "Pixel 8".to_owned(),
        platform: "android".to_owned(),
    }
}

/// A well-formed receipt key whose private half was dropped at once: nothing signs with it.
pub fn unused_receipt_key() -> String {
    use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};
    let random = ring::rand::SystemRandom::new();
    let key = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &random)
        .ok()
        .and_then(|pkcs8| {
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &random).ok()
        });
    key.map(|key| mobank_protocol::b64::encode(key.public_key().as_ref()))
        .unwrap_or_default()
}

/// The environment variable naming the step of a flow at which the process aborts, for the
/// crash tests: one of the points in `kill.rs` (`signed`, `binding_confirmed`, ...).
pub const KILL_AT_VAR: &str = "MOBANK_TEST_KILL_AT";

/// The environment variable naming a step (one of the points in `kill.rs`) at which the
/// process stops and waits, for the disk-fault tests: it prints [`PAUSED_AT`] and the point's
/// name on stdout, then carries on once a line arrives on stdin. The test changes the disk
/// meanwhile.
pub const PAUSE_AT_VAR: &str = "MOBANK_TEST_PAUSE_AT";
/// What a process stopped by [`PAUSE_AT_VAR`] prints, followed by the point's name.
pub const PAUSED_AT: &str = "paused_at";

/// Why no OTP could be read from the SMS outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NoOtp {
    #[error("no SMS was sent")]
    NoSms,
    #[error("the SMS carries no 6-digit code")]
    NoCode,
}

/// The OTP in the newest of `sms_bodies` (oldest first, as the sandbox's outbox lists them):
/// its first run of exactly six ASCII digits, as a person reads a code from an SMS.
pub fn newest_otp<'a>(
    sms_bodies: impl IntoIterator<Item = &'a str>,
) -> Result<SecretString, NoOtp> {
    let newest = sms_bodies.into_iter().last().ok_or(NoOtp::NoSms)?;
    newest
        .split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 6)
        .map(SecretString::from)
        .ok_or(NoOtp::NoCode)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn otp(bodies: &[&str]) -> Result<String, NoOtp> {
        newest_otp(bodies.iter().copied()).map(|otp| otp.expose_secret().to_owned())
    }

    #[test]
    fn otp_is_the_first_six_digit_run() {
        let body =
            "【Mobank】验证码 042917，5分钟内有效。Code 042917, valid 5 minutes. Never share it.";
        assert_eq!(otp(&[body]).as_deref(), Ok("042917"));
        assert_eq!(otp(&["call 1234567 or 12345"]), Err(NoOtp::NoCode));
    }

    #[test]
    fn finds_the_code_in_a_bilingual_sms() {
        let sms = "【Mobank】验证码 482913，10分钟内有效。Code 482913, valid 10 minutes.";
        assert_eq!(otp(&[sms]).as_deref(), Ok("482913"));
        assert_eq!(otp(&["call 0123456789 now"]), Err(NoOtp::NoCode));
    }

    #[test]
    fn only_the_newest_sms_counts() {
        assert_eq!(
            otp(&["code 111111", "code 222222"]).as_deref(),
            Ok("222222")
        );
        assert_eq!(otp(&["code 111111", "no code"]), Err(NoOtp::NoCode));
        assert_eq!(otp(&[]), Err(NoOtp::NoSms));
    }
}

/// A server that answers the first ClientHello with a TLS 1.1 ServerHello (version 3.2,
/// TLS_RSA_WITH_AES_128_CBC_SHA, no extensions), then records what the client sends after it:
/// for the tests showing an old protocol is refused before a byte of the request.
pub struct Tls11Server {
    pub port: u16,
    seen: tokio::task::JoinHandle<std::io::Result<(u8, Vec<u8>)>>,
}

/// What a client sent a [`Tls11Server`].
#[derive(Debug, PartialEq, Eq)]
pub struct Tls11Seen {
    /// The type of the client's first record: 22 for a handshake.
    pub first_record: u8,
    /// Whether a record of application data (a request) followed the server's hello.
    pub application_data: bool,
}

impl Tls11Server {
    pub async fn start() -> std::io::Result<Self> {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let seen = tokio::spawn(async move {
            let (mut tcp, _) = listener.accept().await?;
            let mut header = [0u8; 5];
            tcp.read_exact(&mut header).await?;
            let mut hello = vec![0u8; usize::from(u16::from_be_bytes([header[3], header[4]]))];
            tcp.read_exact(&mut hello).await?;
            tcp.write_all(&tls11_server_hello()).await?;
            let mut after = Vec::new();
            let waited = std::time::Duration::from_secs(10);
            let _ = tokio::time::timeout(waited, tcp.read_to_end(&mut after)).await;
            Ok((header[0], after))
        });
        Ok(Self { port, seen })
    }

    /// Waits for the client to go (or 10 s), then says what it sent.
    pub async fn seen(self) -> std::io::Result<Tls11Seen> {
        const APPLICATION_DATA: u8 = 23;
        let (first_record, after) = self.seen.await.map_err(std::io::Error::other)??;
        // Walks the records that followed: at most an alert is allowed.
        let mut application_data = false;
        let mut at = 0;
        while at + 5 <= after.len() {
            application_data |= after[at] == APPLICATION_DATA;
            at += 5 + usize::from(u16::from_be_bytes([after[at + 3], after[at + 4]]));
        }
        Ok(Tls11Seen {
            first_record,
            application_data,
        })
    }
}

fn tls11_server_hello() -> Vec<u8> {
    let mut hello = vec![0x03, 0x02];
    hello.extend_from_slice(&[0x5a; 32]);
    hello.extend_from_slice(&[0, 0x00, 0x2f, 0]);
    let mut handshake = vec![0x02, 0, 0, 0];
    handshake[3] = u8::try_from(hello.len()).unwrap_or(u8::MAX);
    handshake.extend(hello);
    let mut record = vec![0x16, 0x03, 0x02, 0, 0];
    record[4] = u8::try_from(handshake.len()).unwrap_or(u8::MAX);
    record.extend(handshake);
    record
}
