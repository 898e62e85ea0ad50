//! How an app configures Mobank.

use std::path::PathBuf;

/// The bank's customer API and the keys its TLS server may present.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct BankEndpoint {
    /// `https://host[:port][/path]`. Plain HTTP is refused.
    pub base_url: String,
    /// Base64 (standard alphabet) SHA-256 of the server's SubjectPublicKeyInfo. At least one;
    /// ship a backup pin too, so the bank can rotate its key without locking customers out.
    pub spki_pins: Vec<String>,
    /// The keys the bank signs transfer receipts with: base64url (unpadded) of the 65-byte
    /// uncompressed P-256 point. At least one; a receipt signed by any other key is refused.
    /// Kept apart from the TLS pins so a receipt stays verifiable after the certificate changes.
    pub receipt_keys: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MobankConfig {
    /// A directory only Mobank writes to, excluded from OS backups.
    pub data_dir: PathBuf,
    pub bank: BankEndpoint,
    /// Shown in the customer's device list, e.g. "Pixel 8".
    pub device_name: String,
    /// "android", "ios" or "other".
    pub platform: String,
}
