//! The bank's receipt key: an ECDSA P-256 key, apart from the TLS key, that signs every
//! transfer receipt. Made on first start and kept in the data directory (PKCS#8, mode 0600), so
//! receipts a phone already holds stay verifiable across restarts and certificate changes.

use std::fs;
use std::path::Path;

use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};
use zeroize::Zeroizing;

use crate::error::SandboxError;
use crate::tls::write_new;

const KEY_FILE: &str = "receipt-key.p8";

/// Loads the receipt key from `data_dir`, creating it on first start.
pub(crate) fn load_or_create(
    data_dir: &Path,
    rng: &SystemRandom,
) -> Result<EcdsaKeyPair, SandboxError> {
    let path = data_dir.join(KEY_FILE);
    let key_error = |what: &str| SandboxError::Tls(format!("{}: {what}", path.display()));
    if !path.exists() {
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, rng)
            .map_err(|_| key_error("could not generate the receipt key"))?;
        write_new(&path, pkcs8.as_ref(), 0o600)?;
        tracing::info!(path = %path.display(), "created the receipt signing key");
    }
    let pkcs8 = Zeroizing::new(fs::read(&path).map_err(|source| SandboxError::Io {
        path: path.clone(),
        source,
    })?);
    EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &pkcs8, rng)
        .map_err(|_| key_error("not a P-256 PKCS#8 key"))
}

/// The uncompressed public point (65 bytes) phones are configured to trust.
pub(crate) fn public_key(key: &EcdsaKeyPair) -> Vec<u8> {
    key.public_key().as_ref().to_vec()
}
