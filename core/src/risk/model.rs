//! The warnings the confirmation lists, as the app sees them.

/// What a warning is about. Its wire form ([`WarningCode::code`]) is what a signed transfer
/// lists when the customer acknowledged it; the bank knows the same set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum WarningCode {
    /// Rooted or jailbroken phone, or an emulator.
    DeviceRooted,
    /// A debugger or a hooking framework is active.
    DeviceTampered,
    /// The first transfers within 24 hours of this phone's binding.
    NewDevice,
    /// No transfer to this payee went through from this phone before.
    NewPayee,
    /// The payee name the customer typed is not the name the payee's bank registered.
    PayeeNameMismatch,
    /// The payee sent this customer an unexpected credit in the last 72 hours.
    RefundScam,
    /// The same amount to the same payee within the last 10 minutes.
    RepeatPayment,
    /// At least five times what this customer usually sends (this payee, or anyone).
    UnusualAmount,
}

impl WarningCode {
    pub const ALL: [WarningCode; 8] = [
        WarningCode::DeviceRooted,
        WarningCode::DeviceTampered,
        WarningCode::NewDevice,
        WarningCode::NewPayee,
        WarningCode::PayeeNameMismatch,
        WarningCode::RefundScam,
        WarningCode::RepeatPayment,
        WarningCode::UnusualAmount,
    ];

    /// The wire code, `lower_snake`.
    pub const fn code(self) -> &'static str {
        match self {
            WarningCode::DeviceRooted => "device_rooted",
            WarningCode::DeviceTampered => "device_tampered",
            WarningCode::NewDevice => "new_device",
            WarningCode::NewPayee => "new_payee",
            WarningCode::PayeeNameMismatch => "payee_name_mismatch",
            WarningCode::RefundScam => "refund_scam",
            WarningCode::RepeatPayment => "repeat_payment",
            WarningCode::UnusualAmount => "unusual_amount",
        }
    }
}

/// What a warning asks of the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum WarningAction {
    /// Shown on the confirmation; signing goes ahead.
    Inform,
    /// Signing is refused until the app calls `transfers().acknowledge` with its code.
    Acknowledge,
    /// The draft is refused (`TransferBlocked`); no confirmation is shown.
    Block,
}

/// One figure behind a warning, for the app to lay out as it likes: `median` → `¥500.00`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct WarningFigure {
    pub name: String,
    pub value: String,
}

/// A warning on the confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TransferWarning {
    /// The wire code (`unusual_amount`): pass it to `transfers().acknowledge`.
    pub code: String,
    pub kind: WarningCode,
    pub action: WarningAction,
    /// The reason the customer reads, with the figures in it.
    pub reason_zh: String,
    pub reason_en: String,
    pub figures: Vec<WarningFigure>,
    /// The customer acknowledged it: its code is in the transfer that will be signed.
    pub acknowledged: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_one_the_bank_knows_and_the_codes_are_ascending() {
        let codes: Vec<&str> = WarningCode::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(codes, mobank_protocol::transfer::WARNING_CODES.to_vec());
    }
}
