//! Why a scanned code cannot be paid, in words the customer can act on. [`QrError`] says which
//! data object broke which rule, for developers; a customer needs to know whether to scan
//! again, ask the merchant, or type an amount.

use super::error::QrError;

/// The reason carried by `MobankError::QrRejected`. None repeats any part of the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum QrRejection {
    #[error("the QR code is empty")]
    Empty,
    #[error("the QR code holds more than a payment code can")]
    TooLong,
    /// The CRC is missing, malformed or wrong: a misread, or an edit that forgot the CRC.
    #[error("the QR code was misread or altered; scan it again")]
    Checksum,
    /// Structure or a value breaks the EMVCo rules.
    #[error("the QR code is not a valid payment code")]
    Malformed,
    #[error("the amount in the QR code is not a valid amount")]
    InvalidAmount,
    /// No usable account at a Mobank bank in the code: it is for another payment system.
    #[error("this QR code cannot be paid from this app")]
    NotPayable,
    /// The code adds a convenience fee (55 = 02 or 03), which Mobank does not pay.
    #[error("the QR code adds a convenience fee, which this app does not pay")]
    FeeUnsupported,
    /// The code's currency is not the payer account's.
    #[error("the QR code asks for another currency than the account's")]
    CurrencyMismatch,
    /// The code has no amount and none was entered.
    #[error("enter the amount to pay")]
    AmountRequired,
    /// The code has an amount and the customer entered another.
    #[error("the amount entered is not the amount in the QR code")]
    AmountDiffers,
}

impl From<&QrError> for QrRejection {
    fn from(error: &QrError) -> Self {
        match error {
            QrError::Empty => QrRejection::Empty,
            QrError::TooLong { .. } => QrRejection::TooLong,
            QrError::CrcMissing
            | QrError::CrcNotLast
            | QrError::CrcMalformed
            | QrError::CrcLowerCase
            | QrError::CrcMismatch => QrRejection::Checksum,
            QrError::NotAnAmount(_) | QrError::TooPrecise { .. } | QrError::ZeroAmount(_) => {
                QrRejection::InvalidAmount
            }
            QrError::NoMerchantAccount
            | QrError::NoMobankAccount
            | QrError::MobankAccountAmbiguous
            | QrError::MobankAccountInvalid(_) => QrRejection::NotPayable,
            // A currency Mobank keeps no account in is never the payer account's.
            QrError::UnknownCurrency => QrRejection::CurrencyMismatch,
            QrError::Truncated { .. }
            | QrError::NotDigits { .. }
            | QrError::EmptyValue(_)
            | QrError::FormatIndicatorMissing
            | QrError::FormatIndicatorNotFirst
            | QrError::UnsupportedFormat
            | QrError::Duplicate(_)
            | QrError::Missing(_)
            | QrError::InvalidMcc
            | QrError::InvalidCurrency
            | QrError::InvalidCountry
            | QrError::ConvenienceFeeMismatch
            | QrError::InvalidValue(_)
            | QrError::NotAlphanumericSpecial(_)
            | QrError::Text { .. } => QrRejection::Malformed,
        }
    }
}
