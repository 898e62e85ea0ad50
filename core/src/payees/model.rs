//! What the app sees of payees: masked account numbers, the bank's registered name, the
//! customer's nickname.

use mobank_protocol::messages::PayeeView;

use crate::risk::TransferWarning;

/// The answer to a name check: show the registered name and the masked account before the
/// customer adds the payee.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PayeeCheck {
    /// Opaque; pass it to `payees().add`. Good for one add until `expires_at_ms`.
    pub token: String,
    /// As the payee's bank registered it: what the add signs and every transfer shows.
    pub registered_name: String,
    /// `**** 6509`.
    pub masked_account_number: String,
    pub bank_name: String,
    /// `payee_name_mismatch` when the name the customer typed is not the registered one: the
    /// add needs `acknowledged = true` then.
    pub warning: Option<TransferWarning>,
    /// Bank time (Unix ms) after which the check can no longer be added.
    pub expires_at_ms: u64,
}

/// A saved payee.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Payee {
    /// Pass it as `TransferInput::payee_id` to send to this payee.
    pub payee_id: String,
    pub nickname: String,
    /// As the payee's bank registered it when the payee was added.
    pub registered_name: String,
    /// `**** 6509`.
    pub masked_account_number: String,
    pub bank_code: String,
    pub bank_name: String,
    /// Bank time (Unix ms).
    pub added_at_ms: u64,
}

impl From<&PayeeView> for Payee {
    fn from(view: &PayeeView) -> Self {
        Self {
            payee_id: view.payee_id.clone(),
            nickname: view.nickname.clone(),
            registered_name: view.registered_name.clone(),
            // Masked here, not taken from the bank: whatever it sent, no more than four digits
            // reach the app.
            masked_account_number: mobank_protocol::transfer::account_number::masked(
                &view.account_number,
            ),
            bank_code: view.bank_code.clone(),
            bank_name: view.bank_name.clone(),
            added_at_ms: u64::try_from(view.added_at_ms).unwrap_or_default(),
        }
    }
}
