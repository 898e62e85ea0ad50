//! The wire contract between a Mobank phone and a bank.
//!
//! Everything both sides must agree on byte for byte lives here: the JSON messages, the
//! WebAuthn-shaped authenticator data, the client data that carries the server challenge, the
//! exact bytes a device key signs, and the verification a bank runs on them. `docs/protocol.md`
//! describes the same contract for bank teams that verify in another language, and
//! `vectors/*.json` pins it down with fixed inputs.

// Tests may unwrap; the non-test build of the same code is still linted without this.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod assertion;
pub mod b64;
pub mod error;
pub mod messages;
pub mod money;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod qr;
pub mod text;
pub mod transfer;

pub use assertion::{
    signed_bytes, Assertion, AuthenticatorData, Ceremony, ClientData, Expectation, Factor,
    VerifiedAssertion, VerifyError, FLAG_USER_PRESENT, FLAG_USER_VERIFIED,
};
pub use error::{ApiError, ErrorBody, ErrorCode};

/// Length in bytes of every server challenge (WebAuthn asks for at least 16).
pub const CHALLENGE_LEN: usize = 32;

#[cfg(feature = "vectors")]
#[doc(hidden)]
pub mod vectors;
