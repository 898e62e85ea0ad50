//! Binding this phone to the customer: the activation code, the OTP to the registered phone,
//! fresh device keys and the PIN the customer chose, proven to the bank. And, after the
//! biometric enrolment changed, a new biometric key without a new binding.

mod client;
mod complete;
mod reenrol;
mod state;

pub use client::{ActivationClient, ActivationStarted};
pub(crate) use state::ActivationState;
