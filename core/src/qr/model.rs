//! What a merchant-presented QR code says, typed.
//!
//! Merchant account identifiers and personal data the payload may carry (a PromptPay-style
//! phone or ID number, a customer's mobile or loyalty number) are left out of `Debug`, so a
//! payment that reaches a log carries their length only.

use std::fmt;

use mobank_protocol::money::{Amount, Currency};

/// A merchant payment read from an EMVCo merchant-presented QR payload.
///
/// What it proves is only that the payload was read as printed: see the module documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantPayment {
    /// Data object 01; absent when the merchant did not say.
    pub initiation: Option<Initiation>,
    /// Data objects 02–51 in payload order; at least one.
    pub merchant_accounts: Vec<MerchantAccount>,
    /// Data object 52.
    pub mcc: MerchantCategoryCode,
    /// Data object 53, a currency Mobank holds.
    pub currency: Currency,
    /// Data object 54; `None` when the customer is to enter the amount.
    pub amount: Option<Amount>,
    /// Data objects 55–57.
    pub tip: Option<Tip>,
    /// Data object 58.
    pub country: CountryCode,
    /// Data object 59: printable ASCII, at most 25 characters, trimmed.
    pub merchant_name: String,
    /// Data object 60: printable ASCII, at most 15 characters, trimmed.
    pub merchant_city: String,
    /// Data object 61: printable ASCII, at most 10 characters, trimmed.
    pub postal_code: Option<String>,
    /// Data object 62.
    pub additional_data: Option<AdditionalData>,
    /// Data object 64: the name (and city) in the merchant's own language and script.
    pub alternate_language: Option<AlternateLanguage>,
    /// Data objects 80–99, in payload order.
    pub unreserved_templates: Vec<Template>,
    /// Data objects 65–79, reserved for future EMVCo use, kept as read.
    pub reserved: Vec<DataObject>,
}

/// Data object 01.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Initiation {
    /// `11`: the same code is shown for every payment (a sticker at the till).
    Static,
    /// `12`: a new code is shown for each payment.
    Dynamic,
}

impl Initiation {
    pub const fn code(self) -> &'static str {
        match self {
            Initiation::Static => "11",
            Initiation::Dynamic => "12",
        }
    }
}

/// One of data objects 02–51: where the merchant can be paid.
#[derive(Clone, PartialEq, Eq)]
pub enum MerchantAccount {
    /// IDs 02–25, reserved for card networks (02–03 Visa, 04–05 Mastercard, 15–16 UnionPay,
    /// …): one identifier, such as a merchant PAN.
    Network { id: u8, value: String },
    /// IDs 26–51: a template naming its payment system by a globally unique identifier.
    Template(Template),
}

impl MerchantAccount {
    pub fn id(&self) -> u8 {
        match self {
            MerchantAccount::Network { id, .. } => *id,
            MerchantAccount::Template(template) => template.id,
        }
    }
}

impl fmt::Debug for MerchantAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MerchantAccount::Network { id, value } => f
                .debug_struct("Network")
                .field("id", id)
                .field("value", &Hidden(value))
                .finish(),
            MerchantAccount::Template(template) => template.fmt(f),
        }
    }
}

/// A template whose sub-object 00 is a globally unique identifier (an AID, a UUID or a reversed
/// domain name) and whose other sub-objects mean what that payment system says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub id: u8,
    /// Printable ASCII, at most 32 characters.
    pub guid: String,
    /// Sub-objects 01–99 in payload order, kept as read.
    pub data: Vec<DataObject>,
}

/// A data object whose meaning Mobank does not interpret, kept exactly as read.
#[derive(Clone, PartialEq, Eq)]
pub struct DataObject {
    pub id: u8,
    pub value: String,
}

impl fmt::Debug for DataObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DataObject")
            .field("id", &self.id)
            .field("value", &Hidden(&self.value))
            .finish()
    }
}

/// Data object 52: the ISO 18245 merchant category code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MerchantCategoryCode(u16);

impl MerchantCategoryCode {
    /// A code of at most four digits.
    pub fn new(code: u16) -> Option<MerchantCategoryCode> {
        (code <= 9999).then_some(MerchantCategoryCode(code))
    }

    pub fn code(self) -> u16 {
        self.0
    }
}

impl fmt::Display for MerchantCategoryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.0)
    }
}

/// Data object 58: an ISO 3166-1 alpha-2 country code, upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    /// Two upper-case ASCII letters.
    pub fn new(code: &str) -> Option<CountryCode> {
        match code.as_bytes() {
            &[a, b] if a.is_ascii_uppercase() && b.is_ascii_uppercase() => {
                Some(CountryCode([a, b]))
            }
            _ => None,
        }
    }

    pub fn as_str(&self) -> &str {
        // Two ASCII letters, checked by the only constructor.
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Data objects 55–57: what the customer may or must add to the amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tip {
    /// `55` = `01`: the app asks the customer for a tip.
    AskCustomer,
    /// `55` = `02` with `56`: a fixed convenience fee, in the transaction currency.
    FixedFee(Amount),
    /// `55` = `03` with `57`: a convenience fee as a percentage of the amount.
    PercentageFee(Percentage),
}

/// A percentage from 0.01 to 99.99, held in hundredths of a percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Percentage(u16);

impl Percentage {
    pub fn from_hundredths(hundredths: u16) -> Option<Percentage> {
        (1..=9999)
            .contains(&hundredths)
            .then_some(Percentage(hundredths))
    }

    /// 550 for 5.5%.
    pub fn hundredths(self) -> u16 {
        self.0
    }
}

/// A value in the additional data template that is either given or left for the customer to
/// enter (the specification's `***`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    /// Printable ASCII, at most 25 characters, trimmed.
    Given(String),
    /// The app asks the customer for this value.
    AskCustomer,
}

/// Data object 62: references that travel with the payment.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct AdditionalData {
    /// 62.01
    pub bill_number: Option<Label>,
    /// 62.02
    pub mobile_number: Option<Label>,
    /// 62.03
    pub store_label: Option<Label>,
    /// 62.04
    pub loyalty_number: Option<Label>,
    /// 62.05
    pub reference_label: Option<Label>,
    /// 62.06
    pub customer_label: Option<Label>,
    /// 62.07
    pub terminal_label: Option<Label>,
    /// 62.08
    pub purpose: Option<Label>,
    /// 62.09: what the merchant asks the customer to share.
    pub customer_data_request: Option<CustomerDataRequest>,
    /// 62.10: printable ASCII, at most 20 characters, trimmed.
    pub merchant_tax_id: Option<String>,
    /// 62.11: three characters saying where and how the code is shown, kept as read.
    pub merchant_channel: Option<String>,
    /// 62.12–49, reserved for future EMVCo use, kept as read.
    pub reserved: Vec<DataObject>,
    /// 62.50–99: templates of payment systems, in payload order.
    pub payment_system_templates: Vec<Template>,
}

impl fmt::Debug for AdditionalData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdditionalData")
            .field("bill_number", &self.bill_number)
            .field(
                "mobile_number",
                &self.mobile_number.as_ref().map(HiddenLabel),
            )
            .field("store_label", &self.store_label)
            .field(
                "loyalty_number",
                &self.loyalty_number.as_ref().map(HiddenLabel),
            )
            .field("reference_label", &self.reference_label)
            .field(
                "customer_label",
                &self.customer_label.as_ref().map(HiddenLabel),
            )
            .field("terminal_label", &self.terminal_label)
            .field("purpose", &self.purpose)
            .field("customer_data_request", &self.customer_data_request)
            .field("merchant_tax_id", &self.merchant_tax_id)
            .field("merchant_channel", &self.merchant_channel)
            .field("reserved", &self.reserved)
            .field("payment_system_templates", &self.payment_system_templates)
            .finish()
    }
}

/// Data object 62.09: any of `A` (address), `M` (mobile number), `E` (e-mail), each once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CustomerDataRequest {
    pub address: bool,
    pub mobile: bool,
    pub email: bool,
}

/// Data object 64: the merchant's name and city in another language, in any script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlternateLanguage {
    /// 64.00: an ISO 639-1 code, two ASCII letters as written (`ZH` or `zh`).
    pub language: String,
    /// 64.01: NFC, without control, bidirectional or invisible characters, at most 25
    /// characters, trimmed.
    pub merchant_name: String,
    /// 64.02: the same rule, at most 15 characters.
    pub merchant_city: Option<String>,
    /// 64.03–99, reserved for future EMVCo use, kept as read.
    pub reserved: Vec<DataObject>,
}

/// Shows how long a value is, not what it is.
struct Hidden<'a>(&'a str);

impl fmt::Debug for Hidden<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} characters>", self.0.chars().count())
    }
}

struct HiddenLabel<'a>(&'a Label);

impl fmt::Debug for HiddenLabel<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Label::Given(value) => f.debug_tuple("Given").field(&Hidden(value)).finish(),
            Label::AskCustomer => f.write_str("AskCustomer"),
        }
    }
}
