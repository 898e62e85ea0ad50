//! Strong authentication and the session's gate: logging in, stepping up, the policy of which
//! operation needs how fresh an authentication, signing with the device's factors, and the gate
//! every call with a session passes (`gate.rs`). Every feature whose calls need a session goes
//! through here. Changing the PIN, a signed flow in the session, is here too (`pin_change.rs`).

mod client;
mod gate;
mod login;
mod pin_change;
mod policy;
mod signing;
mod step_up;

pub use client::AuthClient;
pub(crate) use gate::{authorize, Authorized};
pub(crate) use pin_change::PinChangeState;
pub use pin_change::PinClient;
pub use policy::Operation;
pub(crate) use signing::{sign_off_runtime, Second, Signing};
