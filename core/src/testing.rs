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
