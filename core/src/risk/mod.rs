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

/// The `payee_name_mismatch` warning when `typed` is not the name the payee's bank registered
/// (both already display text), as a payee's name check shows it.
pub(crate) fn payee_name_warning(typed: &str, registered: &str) -> Option<TransferWarning> {
    rules::name_mismatch(typed, registered).map(reasons::Finding::into_warning)
}
