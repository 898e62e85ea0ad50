//! The bank API client: HTTPS to pinned keys only, typed errors, bounded responses.

mod client;
mod pinning;

#[cfg(test)]
mod tests;

pub(crate) use client::{BankClient, NetError};
pub use pinning::{certificate_spki_pin, pinned_tls_config, spki_pin, SetupError};
