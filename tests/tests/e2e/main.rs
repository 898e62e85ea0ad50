//! The end-to-end suites: the core against the sandbox bank over real TLS, one module per area,
//! all in one test binary (one link, one run).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod activation;
mod at_rest;
mod biometric;
mod channels;
mod crash;
mod crash_flows;
mod delays;
mod devices;
mod disk_faults;
mod history;
mod journey;
mod login;
mod network_faults;
mod payees;
mod pin;
mod pinning;
mod products;
mod qr;
mod session;
mod store_key;
mod transfer_input;
mod transfers;
mod warnings;

use mobank_e2e::Phone;

/// The customer's CNY current account (not a sub-account), as the phone lists it.
async fn current_account(phone: &Phone) -> mobank_core::Account {
    phone
        .mobank
        .accounts()
        .list()
        .await
        .unwrap()
        .into_iter()
        .find(|account| account.currency == "CNY" && account.parent_account_id.is_none())
        .unwrap()
}

async fn current_account_id(phone: &Phone) -> String {
    current_account(phone).await.account_id
}
