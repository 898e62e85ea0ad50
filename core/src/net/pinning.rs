//! TLS that trusts only the bank's pinned keys.
//!
//! There are no root certificates at all, neither the system's nor user-installed ones nor a
//! bundled list: a server is accepted only if the SHA-256 of its certificate's
//! SubjectPublicKeyInfo is one of the configured pins and the certificate names the host.
//! A backup pin (a key the bank holds offline) lets the bank rotate keys without an outage.
//!
//! Only the end-entity certificate is pinned. Pinning an intermediate or root would need chain
//! building, or a MITM could append the bank's genuine CA certificate to its own chain; with
//! no chain building the leaf's key is the only thing the server proves it holds.
//!
//! Certificate validity dates are not checked: the pin, not the calendar, is the trust decision,
//! and a phone with a wrong clock must not lock its owner out of the bank.

use std::sync::Arc;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ring::digest::{digest, SHA256, SHA256_OUTPUT_LEN};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{ring as ring_provider, WebPkiSupportedAlgorithms};
use rustls::server::ParsedCertificate;
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, OtherError, SignatureScheme};
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};

use crate::input::InputError;

/// The verifier's error when the server's key matches no pin. Found again in the error chain
/// to tell "not our bank" apart from other TLS failures.
#[derive(Debug, thiserror::Error)]
#[error("the server's public key matches none of the pinned keys")]
pub(crate) struct PinMismatch;

/// Why a bank client or its pinned TLS configuration could not be made. Becomes
/// `MobankError::InvalidInput` or `MobankError::Internal`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SetupError {
    /// A URL, pin or certificate is malformed. `what` states the rule, never the value.
    #[error("invalid input: {what}")]
    InvalidInput { what: &'static str },
    /// The TLS or HTTP library refused a configuration that should work.
    #[error("{what}")]
    Unsupported { what: &'static str },
}

impl From<InputError> for SetupError {
    fn from(error: InputError) -> Self {
        SetupError::InvalidInput { what: error.what }
    }
}

/// The pin of a DER SubjectPublicKeyInfo: base64 (standard alphabet, padded) of its SHA-256.
/// The same format as HPKP and OkHttp's `sha256/…` pins, without the prefix.
pub fn spki_pin(spki_der: &[u8]) -> String {
    STANDARD.encode(digest(&SHA256, spki_der))
}

/// The pin of the key in a DER certificate.
pub fn certificate_spki_pin(certificate_der: &[u8]) -> Result<String, SetupError> {
    let der = CertificateDer::from(certificate_der);
    let parsed = ParsedCertificate::try_from(&der).map_err(|_| InputError {
        what: "certificate is not valid DER X.509",
    })?;
    Ok(spki_pin(parsed.subject_public_key_info().as_ref()))
}

/// A rustls client configuration (ring, TLS 1.2 and 1.3 only) that accepts a server only if
/// its certificate's key matches one of `pins` (base64 SHA-256 of the SPKI) and the
/// certificate is valid for the host name. Nothing else is trusted.
pub fn pinned_tls_config(pins: &[String]) -> Result<ClientConfig, SetupError> {
    let verifier = PinnedServerVerifier::new(pins)?;
    let provider = Arc::new(ring_provider::default_provider());
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|_| SetupError::Unsupported {
            what: "TLS versions unsupported",
        })?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

#[derive(Debug)]
struct PinnedServerVerifier {
    pins: Vec<[u8; SHA256_OUTPUT_LEN]>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl PinnedServerVerifier {
    fn new(pins: &[String]) -> Result<Self, InputError> {
        const BAD_PIN: InputError = InputError {
            what: "each SPKI pin must be standard base64 of a 32-byte SHA-256",
        };
        if pins.is_empty() {
            return Err(InputError {
                what: "at least one SPKI pin is required",
            });
        }
        let pins = pins
            .iter()
            .map(|pin| {
                let bytes = STANDARD.decode(pin.trim()).map_err(|_| BAD_PIN)?;
                <[u8; SHA256_OUTPUT_LEN]>::try_from(bytes.as_slice()).map_err(|_| BAD_PIN)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            pins,
            algorithms: ring_provider::default_provider().signature_verification_algorithms,
        })
    }
}

impl ServerCertVerifier for PinnedServerVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let certificate = ParsedCertificate::try_from(end_entity)?;
        let spki_hash = digest(&SHA256, certificate.subject_public_key_info().as_ref());
        // Pins are public values; a constant-time comparison would protect nothing.
        if !self
            .pins
            .iter()
            .any(|pin| pin.as_slice() == spki_hash.as_ref())
        {
            tracing::warn!("refused a TLS server whose key matches no pin");
            return Err(rustls::Error::InvalidCertificate(CertificateError::Other(
                OtherError(Arc::new(PinMismatch)),
            )));
        }
        rustls::client::verify_server_name(&certificate, server_name)?;
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// Whether a rustls error is this verifier's pin refusal.
pub(crate) fn is_pin_mismatch(error: &rustls::Error) -> bool {
    matches!(
        error,
        rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(inner)))
            if inner.is::<PinMismatch>()
    )
}
