//! The bank and its phones: the sandbox on its own runtime, one funded customer per phone
//! made in bulk, and each phone bound to its customer through the public core API (software
//! key store, the bank's key pinned) with its own activation code and the OTP sent to its
//! customer's phone.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use mobank_core::platform::InsecureSoftwareKeyStore;
use mobank_core::testing::newest_otp;
use mobank_core::{BankEndpoint, Mobank, MobankConfig, Pin, SecretString};
use mobank_sandbox::dev::{BulkCustomer, BulkCustomersRequest};
use mobank_sandbox::{RunningSandbox, SandboxConfig};
use rust_decimal::Decimal;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// The PIN every phone chooses at binding. Passes the PIN policy.
const PIN: &str = "482916";
/// Each customer starts with CNY 100,000.00: far more than a run can spend.
const OPENING_BALANCE_FEN: i64 = 10_000_000;
/// Bindings at once: each hashes a PIN and makes two keys, so more only queue for the CPU.
const BINDINGS_AT_ONCE: usize = 8;

/// A phone bound to its customer.
pub struct Phone {
    pub mobank: Mobank,
    pub customer: BulkCustomer,
}

/// Starts the bank with its data in `dir`. Cooling-off is off: every phone here was bound a
/// moment ago, and its low limits would measure the policy, not the bank.
pub async fn start_bank(dir: &Path) -> Result<RunningSandbox, String> {
    let mut config = SandboxConfig::new(dir);
    config.cooling_off = Duration::ZERO;
    mobank_sandbox::start(config)
        .await
        .map_err(|e| format!("the sandbox did not start: {e}"))
}

/// Makes `count` customers and binds one phone to each, `BINDINGS_AT_ONCE` at a time, phone
/// `i`'s data under `phones_dir/i`. Phones come back in customer order.
pub async fn bind_phones(
    bank: &Arc<RunningSandbox>,
    phones_dir: &Path,
    count: u32,
) -> Result<Vec<Phone>, String> {
    let made = bank
        .create_customers(&BulkCustomersRequest {
            count,
            opening_balance: Decimal::new(OPENING_BALANCE_FEN, 2),
        })
        .map_err(|e| format!("bulk customers: {e}"))?;
    let endpoint = BankEndpoint {
        base_url: bank.base_url(),
        spki_pins: vec![bank.spki_pin()],
        receipt_keys: vec![mobank_protocol::b64::encode(bank.receipt_public_key())],
    };
    let gate = Arc::new(Semaphore::new(BINDINGS_AT_ONCE));
    let mut bindings = JoinSet::new();
    for (index, customer) in made.customers.into_iter().enumerate() {
        let gate = Arc::clone(&gate);
        let bank = Arc::clone(bank);
        let dir = phones_dir.join(index.to_string());
        let endpoint = endpoint.clone();
        bindings.spawn(async move {
            let _permit = gate.acquire_owned().await.map_err(|e| e.to_string())?;
            let mobank = bind(&bank, &dir, endpoint, &customer).await?;
            Ok::<_, String>((index, Phone { mobank, customer }))
        });
    }
    let mut bound = Vec::new();
    while let Some(joined) = bindings.join_next().await {
        bound.push(joined.map_err(|e| e.to_string())??);
    }
    bound.sort_by_key(|(index, _)| *index);
    Ok(bound.into_iter().map(|(_, phone)| phone).collect())
}

async fn bind(
    bank: &RunningSandbox,
    dir: &Path,
    endpoint: BankEndpoint,
    customer: &BulkCustomer,
) -> Result<Mobank, String> {
    let failed =
        |step: &str, e: &dyn std::fmt::Display| format!("{}: {step}: {e}", customer.customer_id);
    let mobank = Mobank::open(
        MobankConfig {
            data_dir: dir.to_path_buf(),
            bank: endpoint,
            device_name: "Load phone".to_owned(),
            platform: "other".to_owned(),
        },
        Arc::new(InsecureSoftwareKeyStore::new()),
    )
    .map_err(|e| failed("open", &e))?;
    mobank
        .activation()
        .start(SecretString::from(customer.activation_code.clone()))
        .await
        .map_err(|e| failed("activation start", &e))?;
    let outbox = bank
        .sms_outbox(&customer.phone)
        .map_err(|e| failed("SMS outbox", &e))?;
    let otp = newest_otp(outbox.messages.iter().map(|sms| sms.body.as_str()))
        .map_err(|e| failed("OTP", &e))?;
    let pin = Pin::from_digits(PIN).map_err(|e| failed("PIN", &e))?;
    mobank
        .activation()
        .complete(otp, pin)
        .await
        .map_err(|e| failed("activation complete", &e))?;
    Ok(mobank)
}
