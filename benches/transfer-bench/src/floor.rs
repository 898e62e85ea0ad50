//! The network part of the floor: a bare HTTPS round trip on an open connection to the same
//! bank.

use std::hint::black_box;
use std::time::{Duration, Instant};

use mobank_protocol::messages::paths;

/// What the bare round trip probes: answered by the request extractor before the handler, so
/// no database access and no cryptography besides the TLS records themselves.
pub const BARE_PROBE: &str =
    "GET /v1/accounts without an Authorization header (401 from the bank's request extractor)";

/// HTTPS round trips to the bank on one kept-alive connection, with core's pinned TLS
/// configuration.
pub struct RoundTrip {
    http: reqwest::Client,
    url: String,
}

impl RoundTrip {
    pub fn new(base_url: &str, spki_pin: &str) -> Result<Self, String> {
        let tls = mobank_core::net::pinned_tls_config(&[spki_pin.to_owned()])
            .map_err(|e| e.to_string())?;
        let http = reqwest::Client::builder()
            .use_preconfigured_tls(tls)
            .https_only(true)
            .no_proxy()
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            http,
            url: format!("{}{}", base_url.trim_end_matches('/'), paths::ACCOUNTS),
        })
    }

    /// One round trip; also the HTTP version the connection speaks.
    pub async fn bare(&self) -> Result<(Duration, reqwest::Version), String> {
        let started = Instant::now();
        let response = self
            .http
            .get(&self.url)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let version = response.version();
        let body = response.bytes().await.map_err(|e| e.to_string())?;
        let elapsed = started.elapsed();
        if status != reqwest::StatusCode::UNAUTHORIZED {
            return Err(format!("the bare probe answered {status}, not 401"));
        }
        black_box(body);
        Ok((elapsed, version))
    }
}
