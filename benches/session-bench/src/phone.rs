//! One phone bound to a running sandbox bank through the public core API (software key store,
//! the bank's key pinned), exactly as the end-to-end suite binds one. The store benchmark
//! includes this file too, so both benchmarks bind their phone the same way.

use std::path::Path;
use std::sync::Arc;

use mobank_core::platform::InsecureSoftwareKeyStore;
use mobank_core::testing::newest_otp;
use mobank_core::{BankEndpoint, Mobank, MobankConfig, Pin, SecretString};
use mobank_sandbox::{RunningSandbox, DEMO_CUSTOMER_ID, DEMO_PHONE};

/// The PIN the bench phone chooses at binding. Passes the PIN policy.
pub const PIN: &str = "482916";

pub fn pin() -> Result<Pin, String> {
    Pin::from_digits(PIN).map_err(|e| e.to_string())
}

/// Binds a phone whose data is under `phone_dir` to the demo customer at `bank`: a fresh
/// activation code, the OTP the bank sends by SMS, and [`PIN`]. The phone and its device id.
pub async fn bind(bank: &RunningSandbox, phone_dir: &Path) -> Result<(Mobank, String), String> {
    let err = |e: mobank_core::MobankError| e.to_string();
    let mobank = Mobank::open(
        MobankConfig {
            data_dir: phone_dir.to_path_buf(),
            bank: BankEndpoint {
                base_url: bank.base_url(),
                spki_pins: vec![bank.spki_pin()],
                receipt_keys: vec![mobank_protocol::b64::encode(bank.receipt_public_key())],
            },
            device_name: "Bench phone".to_owned(),
            platform: "other".to_owned(),
        },
        Arc::new(InsecureSoftwareKeyStore::new()),
    )
    .map_err(err)?;

    let code = bank
        .issue_activation_code(DEMO_CUSTOMER_ID)
        .map_err(|e| e.to_string())?
        .activation_code;
    mobank
        .activation()
        .start(SecretString::from(code))
        .await
        .map_err(err)?;
    let outbox = bank.sms_outbox(DEMO_PHONE).map_err(|e| e.to_string())?;
    let otp = newest_otp(outbox.messages.iter().map(|sms| sms.body.as_str()))
        .map_err(|e| e.to_string())?;
    let device = mobank
        .activation()
        .complete(otp, pin()?)
        .await
        .map_err(err)?;
    Ok((mobank, device.device_id))
}
