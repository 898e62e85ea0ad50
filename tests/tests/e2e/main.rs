//! The end-to-end suites: the core against the sandbox bank over real TLS, one module per area,
//! all in one test binary (one link, one run).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod activation;
mod at_rest;
mod biometric;
mod channels;
mod crash;
mod delays;
mod devices;
mod history;
mod journey;
mod login;
mod network_faults;
mod payees;
mod pin;
mod pinning;
mod qr;
mod session;
mod store_key;
mod transfer_input;
mod transfers;
mod warnings;
