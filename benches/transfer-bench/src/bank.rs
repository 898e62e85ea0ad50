//! The sandbox bank in this process and one phone bound to it, past its cooling-off period,
//! logged in, with money on its current account for every transfer of the run.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use mobank_core::{Channel, Mobank, TransferInput};
use mobank_sandbox::dev::CreditRequest;
use mobank_sandbox::{RunningSandbox, SandboxConfig, DEMO_CUSTOMER_ID, LANDLORD_ACCOUNT_NUMBER};
use rust_decimal::Decimal;

use crate::phone;

/// A new binding has low limits for 24 hours; the bank's clock is moved past them.
const PAST_COOLING_OFF: Duration = Duration::from_secs(25 * 60 * 60);
/// What the biometric prompt says (the software key store only records it).
pub const PROMPT: &str = "Confirm the transfer";

pub struct Setup {
    pub bank: RunningSandbox,
    pub mobank: Mobank,
    pub phone_dir: PathBuf,
    pub payer_account_id: String,
}

/// Starts the bank with its data under `work/bank`, binds a phone under `work/phone`, moves
/// the bank's clock past the cooling-off period, credits the current account with `transfers`
/// times the largest amount (twice over), and logs in with the biometric key.
pub async fn start(work: &Path, transfers: usize) -> Result<Setup, String> {
    let err = |e: mobank_core::MobankError| e.to_string();
    let bank = mobank_sandbox::start(SandboxConfig::new(work.join("bank")))
        .await
        .map_err(|e| e.to_string())?;
    let phone_dir = work.join("phone");
    let (mobank, _device_id) = phone::bind(&bank, &phone_dir).await?;
    bank.advance_clock(PAST_COOLING_OFF);

    let payer = bank
        .accounts(DEMO_CUSTOMER_ID)
        .map_err(|e| e.to_string())?
        .into_iter()
        .find(|account| account.currency == "CNY" && account.parent_account_id.is_none())
        .ok_or("the demo customer has no current account")?;
    let largest = Decimal::from_str(&amount_of(transfers)).map_err(|e| e.to_string())?;
    let count = Decimal::from(u64::try_from(transfers).map_err(|e| e.to_string())?);
    bank.credit(&CreditRequest {
        account_id: payer.account_id.clone(),
        amount: largest * count * Decimal::TWO,
        currency: "CNY".to_owned(),
        counterparty_name: "Bench funding".to_owned(),
        counterparty_account: "FUND00000001".to_owned(),
        memo: String::new(),
        category: None,
    })
    .map_err(|e| e.to_string())?;

    mobank.auth().login_biometric(PROMPT).await.map_err(err)?;
    Ok(Setup {
        bank,
        mobank,
        phone_dir,
        payer_account_id: payer.account_id,
    })
}

/// The amount of the `n`th transfer: ¥1.00 and one fen more each time. The same payee and
/// amount twice within ten minutes is a warning the customer must acknowledge (docs/policy.md);
/// a customer does not pay the same rent every few milliseconds.
pub fn amount_of(n: usize) -> String {
    format!("{}.{:02}", 1 + n / 100, n % 100)
}

/// The `n`th transfer of the run: [`amount_of`] to the landlord at this bank.
pub fn to_landlord(payer_account_id: &str, n: usize) -> TransferInput {
    TransferInput {
        payer_account_id: payer_account_id.to_owned(),
        payee_account_number: LANDLORD_ACCOUNT_NUMBER.to_owned(),
        payee_bank_code: "MOBANK".to_owned(),
        amount: amount_of(n),
        memo: crate::MEMO.to_owned(),
        channel: Channel::MobileTransfer,
        payee_name: None,
        execution_date: None,
        payee_id: None,
    }
}
