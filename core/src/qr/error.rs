//! Why a payload was refused. No error repeats any part of the payload: only the IDs of the
//! data objects, which the specification defines.

use std::fmt;

use mobank_protocol::text::TextError;

/// Where a data object sits: its ID, and the ID of the template around it if it is not at the
/// root (`62.05` is the reference label inside the additional data template).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tag {
    pub template: Option<u8>,
    pub id: u8,
}

impl Tag {
    pub const fn root(id: u8) -> Tag {
        Tag { template: None, id }
    }

    pub const fn nested(template: u8, id: u8) -> Tag {
        Tag {
            template: Some(template),
            id,
        }
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.template {
            Some(template) => write!(f, "{template:02}.{:02}", self.id),
            None => write!(f, "{:02}", self.id),
        }
    }
}

/// Where a list of data objects was being read: the payload itself, or a template's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Within(pub Option<Tag>);

impl fmt::Display for Within {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(tag) => write!(f, "template {tag}"),
            None => f.write_str("the payload"),
        }
    }
}

/// Why a QR payload is not a merchant payment Mobank accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    #[error("the QR payload is empty")]
    Empty,
    #[error("the QR payload is longer than {max_chars} characters")]
    TooLong { max_chars: usize },
    /// An ID, a length or a value runs past the end of the payload or template.
    #[error("a data object in {within} is cut short")]
    Truncated { within: Within },
    #[error("a data object in {within} has an ID or length that is not two digits")]
    NotDigits { within: Within },
    /// Length `00`: the specification's lengths run from 01 to 99.
    #[error("data object {0} has length 00")]
    EmptyValue(Tag),
    #[error("the payload has no CRC (data object 63)")]
    CrcMissing,
    #[error("the CRC (data object 63) is not the last data object")]
    CrcNotLast,
    #[error("the CRC is not four hexadecimal digits")]
    CrcMalformed,
    #[error("the CRC is written in lower-case hexadecimal")]
    CrcLowerCase,
    /// The payload was misread or changed after its CRC was computed.
    #[error("the CRC does not match the payload")]
    CrcMismatch,
    #[error("the payload format indicator (data object 00) is missing")]
    FormatIndicatorMissing,
    #[error("the payload format indicator (data object 00) is not the first data object")]
    FormatIndicatorNotFirst,
    #[error("the payload format indicator is not 01")]
    UnsupportedFormat,
    #[error("data object {0} appears more than once")]
    Duplicate(Tag),
    #[error("mandatory data object {0} is missing")]
    Missing(Tag),
    #[error("the payload has no merchant account information (data objects 02 to 51)")]
    NoMerchantAccount,
    #[error("the merchant category code is not four digits")]
    InvalidMcc,
    #[error("the transaction currency is not a three-digit ISO 4217 code")]
    InvalidCurrency,
    #[error("the transaction currency is not one Mobank holds")]
    UnknownCurrency,
    #[error("the country code is not two upper-case letters")]
    InvalidCountry,
    /// Anything but 1 to 13 characters of digits with at most one decimal point, and at least
    /// one digit before it.
    #[error("data object {0} is not an EMVCo amount")]
    NotAnAmount(Tag),
    #[error("data object {tag} has more decimals than the currency's {minor_digits}")]
    TooPrecise { tag: Tag, minor_digits: u32 },
    #[error("data object {0} is an amount of zero")]
    ZeroAmount(Tag),
    /// The tip or convenience indicator (55) and the fee values (56, 57) do not go together.
    #[error("the tip or convenience fee data objects (55, 56, 57) do not agree")]
    ConvenienceFeeMismatch,
    /// A value outside the ones the specification lists for this data object.
    #[error("data object {0} has a value the specification does not allow")]
    InvalidValue(Tag),
    /// The specification's "ans" format: printable ASCII, U+0020 to U+007E.
    #[error("data object {0} has characters outside the alphanumeric special set")]
    NotAlphanumericSpecial(Tag),
    /// Control, bidirectional or invisible characters, blank text, or too long once normalised.
    #[error("data object {tag}: {reason}")]
    Text { tag: Tag, reason: TextError },
    /// No merchant account template with Mobank's identifier (`cn.mobank`): the code is for
    /// another payment system.
    #[error("the payload names no account at a Mobank bank")]
    NoMobankAccount,
    /// Two merchant account templates with Mobank's identifier: the reader would have to choose.
    #[error("the payload names more than one account at a Mobank bank")]
    MobankAccountAmbiguous,
    /// Mobank's template lacks its account number (01) or bank code (02), or one is malformed
    /// (an account number failing its check digit, a value that is itself a template).
    #[error("data object {0} of the Mobank account template is missing or malformed")]
    MobankAccountInvalid(Tag),
}

/// Why a [`MerchantPayment`](super::MerchantPayment) cannot be written as a payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    #[error("data object {0} is empty or longer than its format allows")]
    Length(Tag),
    #[error("data object {0} has an ID outside the range of its kind")]
    Id(Tag),
    #[error("the amount or fee is not in the transaction currency")]
    CurrencyMismatch,
    #[error("the payload would be longer than {max_chars} characters")]
    TooLong { max_chars: usize },
}
