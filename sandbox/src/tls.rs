//! The customer API's TLS identity: a self-signed P-256 certificate made on first start and
//! kept in the data directory, so the SPKI pin a client configures stays valid across restarts.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rcgen::{CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, KeyPair};
use ring::digest::{digest, SHA256};
use rustls::ServerConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::error::SandboxError;

const CERT_FILE: &str = "tls-cert.pem";
const KEY_FILE: &str = "tls-key.pem";
/// The names clients reach a local sandbox by.
const SUBJECT_ALT_NAMES: [&str; 2] = ["localhost", "127.0.0.1"];

pub(crate) struct TlsIdentity {
    pub(crate) certificate: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
    /// base64 (standard, padded) of SHA-256 over the certificate's SubjectPublicKeyInfo DER.
    pub(crate) spki_pin: String,
}

impl TlsIdentity {
    /// Loads the certificate and key from `data_dir`, creating them on first start.
    pub(crate) fn load_or_create(data_dir: &Path) -> Result<Self, SandboxError> {
        let cert_path = data_dir.join(CERT_FILE);
        let key_path = data_dir.join(KEY_FILE);
        match (cert_path.exists(), key_path.exists()) {
            (true, true) => {}
            (false, false) => create(&cert_path, &key_path)?,
            // Half an identity: regenerating silently would change the pin under the clients.
            _ => {
                return Err(SandboxError::Tls(format!(
                    "only one of {CERT_FILE} and {KEY_FILE} exists in the data directory; \
                     remove the other to make a new certificate (clients must then update the pin)"
                )))
            }
        }
        let certificate = CertificateDer::from_pem_file(&cert_path)
            .map_err(|e| SandboxError::Tls(format!("{}: {e}", cert_path.display())))?;
        let key = PrivateKeyDer::from_pem_file(&key_path)
            .map_err(|e| SandboxError::Tls(format!("{}: {e}", key_path.display())))?;
        let spki_pin = spki_pin(&certificate)?;
        Ok(Self {
            certificate,
            key,
            spki_pin,
        })
    }

    /// TLS 1.2 and 1.3 only, ring as the only crypto provider, HTTP/2 and HTTP/1.1 by ALPN.
    pub(crate) fn server_config(&self) -> Result<Arc<ServerConfig>, SandboxError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
            .map_err(|e| SandboxError::Tls(e.to_string()))?
            .with_no_client_auth()
            .with_single_cert(vec![self.certificate.clone()], self.key.clone_key())
            .map_err(|e| SandboxError::Tls(e.to_string()))?;
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }
}

/// The pin a client configures: base64 of SHA-256 over the SubjectPublicKeyInfo DER.
pub(crate) fn spki_pin(certificate: &CertificateDer<'_>) -> Result<String, SandboxError> {
    let parsed = webpki::EndEntityCert::try_from(certificate)
        .map_err(|e| SandboxError::Tls(format!("certificate does not parse: {e}")))?;
    let spki = parsed.subject_public_key_info();
    Ok(STANDARD.encode(digest(&SHA256, spki.as_ref())))
}

fn create(cert_path: &Path, key_path: &Path) -> Result<(), SandboxError> {
    let tls_error = |e: rcgen::Error| SandboxError::Tls(e.to_string());
    let key_pair = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).map_err(tls_error)?;
    let names: Vec<String> = SUBJECT_ALT_NAMES
        .iter()
        .map(|name| (*name).to_owned())
        .collect();
    let mut params = CertificateParams::new(names).map_err(tls_error)?;
    let mut subject = DistinguishedName::new();
    subject.push(DnType::CommonName, "Mobank sandbox bank");
    subject.push(DnType::OrganizationName, "Mobank sandbox (not a real bank)");
    params.distinguished_name = subject;
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let certificate = params.self_signed(&key_pair).map_err(tls_error)?;

    // The key first, created private: a crash between the two writes leaves a lone key, which
    // `load_or_create` reports instead of silently replacing the identity.
    let key_pem = zeroize::Zeroizing::new(key_pair.serialize_pem());
    write_new(key_path, key_pem.as_bytes(), 0o600)?;
    write_new(cert_path, certificate.pem().as_bytes(), 0o644)?;
    tracing::info!(cert = %cert_path.display(), "created the sandbox TLS certificate");
    Ok(())
}

pub(crate) fn write_new(path: &Path, contents: &[u8], mode: u32) -> Result<(), SandboxError> {
    let io_error = |source| SandboxError::Io {
        path: PathBuf::from(path),
        source,
    };
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(path).map_err(io_error)?;
    file.write_all(contents).map_err(io_error)?;
    file.sync_all().map_err(io_error)
}
