//! Risk warnings on a drafted transfer: what the phone itself can tell the customer before they
//! sign, from its own encrypted history and its own transfer list (nothing leaves the phone for
//! this). Each warning is typed, carries a reason in Chinese and English and the figures behind
//! it, and has one action from the policy table (`policy.rs`, docs/policy.md): inform,
//! acknowledge (no signature until the customer acknowledged it) or block (no draft). The
//! rules are pure functions of [`Facts`]; `assess` only gathers them. Decision record 0027.

mod facts;
mod model;
mod names;
mod policy;
mod reasons;
mod rules;

pub(crate) use facts::{assess, refresh, Assessed, PastTransfer};
pub use model::{TransferWarning, WarningAction, WarningCode, WarningFigure};
