//! The sandbox bank in this process, and one phone bound to it (see `phone`).

use std::path::Path;

use mobank_core::Mobank;
use mobank_sandbox::{RunningSandbox, SandboxConfig};

use crate::phone;

pub struct BoundPhone {
    pub bank: RunningSandbox,
    pub mobank: Mobank,
    pub device_id: String,
}

/// Starts the bank with its data under `work/bank` and binds a phone whose data is under
/// `work/phone`.
pub async fn start_and_bind(work: &Path) -> Result<BoundPhone, String> {
    let bank = mobank_sandbox::start(SandboxConfig::new(work.join("bank")))
        .await
        .map_err(|e| e.to_string())?;
    let (mobank, device_id) = phone::bind(&bank, &work.join("phone")).await?;
    Ok(BoundPhone {
        bank,
        mobank,
        device_id,
    })
}
