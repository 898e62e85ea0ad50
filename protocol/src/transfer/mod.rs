//! Transfers: the canonical transfer a device signs, the bank's signed receipt, and the messages
//! that carry them.
//!
//! Dynamic linking works like this: the bank quotes a transfer (the payee's registered name, the
//! fee, the execution date, a fresh challenge); the phone renders the confirmation from the
//! resulting [`CanonicalTransfer`] and nothing else; the device keys sign
//! `transfer:v1:<base64url(SHA-256(canonical bytes))>` in a `mobank.transfer` ceremony; the bank
//! rebuilds the canonical bytes from the fields it is about to execute and refuses if one byte
//! differs. `docs/protocol.md` section 11 specifies the same bytes for bank teams.

pub mod account_number;
mod canonical;
mod fields;
pub mod messages;
mod receipt;
mod warning_codes;

pub use canonical::{
    fee_to_wire, CanonicalError, CanonicalTransfer, Channel, IdempotencyKey, Payee,
};
pub use fields::{MAX_MEMO_CHARS, MAX_PAYEE_NAME_CHARS, MAX_WARNINGS};
pub use receipt::{Outcome, Receipt, ReceiptError, ReceiptKey, RejectReason};
pub use warning_codes::{is_known_warning, WARNING_CODES};

/// The operation text a transfer assertion signs (ceremony `mobank.transfer`): the version of the
/// canonical encoding and the base64url SHA-256 of the canonical bytes.
pub fn operation_text(transfer_hash: &[u8; 32]) -> String {
    format!("transfer:v1:{}", crate::b64::encode(transfer_hash))
}
