//! Money on the wire: currencies, amounts, and the one canonical decimal string of an amount.
//!
//! An amount is signed as part of a transfer, so the phone and the bank must turn it into the
//! same bytes and must refuse the same strings. The wire form of an amount is exactly
//!
//! ```text
//! integer  = "0" / ( %x31-39 *14DIGIT )        ; 1 to 15 digits, no leading zero
//! wire     = integer [ "." minor ]             ; "." present if and only if the currency
//! minor    = n DIGIT                           ;   has minor units, with exactly n of them
//! ```
//!
//! with a value above zero: `"500.00"`, `"0.05"`, `"12"` for JPY. No sign, no grouping, no
//! exponent, no spaces, no other digits than ASCII. [`Amount::parse_wire`] checks that grammar
//! itself and builds the value from the integer of minor units, so a string `rust_decimal` would
//! also read (`"5e2"`, `"+500"`, `"500.0"`) is refused with a [`WireAmountError`], and
//! [`Amount::to_wire`] is the only way to write one. In JSON an amount is
//! `{"value": "500.00", "currency": "CNY"}`.
//!
//! What a person types is a different language with its own parser in the core; the two never
//! meet.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The most integer digits an amount may have: up to 999,999,999,999,999.99, which still fits
/// an `i64` of minor units at two decimals.
pub const MAX_INTEGER_DIGITS: u32 = 15;

/// A currency Mobank can hold, with its ISO 4217 data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Currency {
    #[serde(rename = "CNY")]
    Cny,
    #[serde(rename = "USD")]
    Usd,
    #[serde(rename = "EUR")]
    Eur,
    #[serde(rename = "HKD")]
    Hkd,
    #[serde(rename = "JPY")]
    Jpy,
}

impl Currency {
    pub const ALL: [Currency; 5] = [
        Currency::Cny,
        Currency::Usd,
        Currency::Eur,
        Currency::Hkd,
        Currency::Jpy,
    ];

    /// The ISO 4217 alphabetic code, as on the wire: `"CNY"`.
    pub const fn code(self) -> &'static str {
        match self {
            Currency::Cny => "CNY",
            Currency::Usd => "USD",
            Currency::Eur => "EUR",
            Currency::Hkd => "HKD",
            Currency::Jpy => "JPY",
        }
    }

    /// The ISO 4217 numeric code, as QR payloads carry it: 156 for CNY.
    pub const fn numeric_code(self) -> u16 {
        match self {
            Currency::Cny => 156,
            Currency::Usd => 840,
            Currency::Eur => 978,
            Currency::Hkd => 344,
            Currency::Jpy => 392,
        }
    }

    /// Digits after the decimal point (the ISO 4217 exponent): 2, or 0 for JPY.
    pub const fn minor_digits(self) -> u32 {
        match self {
            Currency::Jpy => 0,
            Currency::Cny | Currency::Usd | Currency::Eur | Currency::Hkd => 2,
        }
    }

    /// The name Chinese banks print before an amount: 人民币, 美元, 欧元, 港币, 日元.
    pub const fn name_zh(self) -> &'static str {
        match self {
            Currency::Cny => "人民币",
            Currency::Usd => "美元",
            Currency::Eur => "欧元",
            Currency::Hkd => "港币",
            Currency::Jpy => "日元",
        }
    }

    /// The currency with this ISO 4217 numeric code, if Mobank holds it.
    pub fn from_numeric_code(code: u16) -> Option<Currency> {
        Currency::ALL
            .into_iter()
            .find(|currency| currency.numeric_code() == code)
    }

    /// Minor units in one major unit: 100, or 1 for JPY.
    const fn minor_per_major(self) -> i64 {
        10_i64.pow(self.minor_digits())
    }

    /// The largest amount in minor units: 15 nines, then the minor digits as nines.
    const fn max_minor_units(self) -> i64 {
        10_i64.pow(MAX_INTEGER_DIGITS) * self.minor_per_major() - 1
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A code that is not one of [`Currency::ALL`] (codes are upper case, as ISO writes them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a currency Mobank holds")]
pub struct UnknownCurrency;

impl FromStr for Currency {
    type Err = UnknownCurrency;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        Currency::ALL
            .into_iter()
            .find(|currency| currency.code() == code)
            .ok_or(UnknownCurrency)
    }
}

/// Why a number is not an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("an amount must be above zero")]
    NotPositive,
    /// The value has digits the currency cannot hold (rounding is never done silently).
    #[error("the currency has {minor_digits} decimal digits")]
    TooPrecise { minor_digits: u32 },
    #[error("an amount has at most {max_integer_digits} integer digits")]
    TooLarge { max_integer_digits: u32 },
}

/// Why a string is not the wire form of an amount. None of them repeats the string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WireAmountError {
    #[error("the amount is empty")]
    Empty,
    /// Anything but ASCII digits and the decimal point: a sign, a space, a comma, an exponent.
    #[error("the amount contains a character other than ASCII digits and one decimal point")]
    NotDigit,
    #[error("the amount has more than one decimal point")]
    SeveralPoints,
    /// `".50"`: amounts below one still write their `"0"`.
    #[error("the amount has no digit before the decimal point")]
    MissingIntegerPart,
    #[error("the amount has a leading zero")]
    LeadingZero,
    /// Not exactly the currency's number of decimal digits (none and no point for JPY).
    #[error("the amount must have exactly {minor_digits} decimal digits")]
    WrongDecimals { minor_digits: u32 },
    #[error("an amount has at most {max_integer_digits} integer digits")]
    TooLarge { max_integer_digits: u32 },
    #[error("an amount must be above zero")]
    Zero,
}

/// A positive amount of one currency, held at exactly that currency's scale.
///
/// The fields are private so that no amount exists outside those rules: every constructor
/// checks them, and the JSON form is read through [`Amount::parse_wire`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "WireForm", into = "WireForm")]
pub struct Amount {
    value: Decimal,
    currency: Currency,
}

impl Amount {
    /// Takes `value` as it is, without rounding: `500` and `500.000` become 500.00 CNY,
    /// `0.005` is [`AmountError::TooPrecise`].
    pub fn new(value: Decimal, currency: Currency) -> Result<Amount, AmountError> {
        if value <= Decimal::ZERO {
            return Err(AmountError::NotPositive);
        }
        let minor_digits = currency.minor_digits();
        if value.normalize().scale() > minor_digits {
            return Err(AmountError::TooPrecise { minor_digits });
        }
        if value >= Decimal::from(10_i64.pow(MAX_INTEGER_DIGITS)) {
            return Err(too_large());
        }
        let mut value = value;
        // Exact: the value has no digit beyond this scale, and at most 17 digits in all.
        value.rescale(minor_digits);
        Ok(Amount { value, currency })
    }

    /// The amount of `minor` cents (fen, or yen for JPY), as ledgers count.
    pub fn from_minor_units(minor: i64, currency: Currency) -> Result<Amount, AmountError> {
        if minor <= 0 {
            return Err(AmountError::NotPositive);
        }
        if minor > currency.max_minor_units() {
            return Err(too_large());
        }
        let value = Decimal::try_new(minor, currency.minor_digits()).map_err(|_| too_large())?;
        Ok(Amount { value, currency })
    }

    /// Reads the wire form (see the module documentation) of an amount of `currency`.
    pub fn parse_wire(text: &str, currency: Currency) -> Result<Amount, WireAmountError> {
        if text.is_empty() {
            return Err(WireAmountError::Empty);
        }
        if !text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return Err(WireAmountError::NotDigit);
        }
        let (integer, fraction) = match text.split_once('.') {
            Some((_, fraction)) if fraction.contains('.') => {
                return Err(WireAmountError::SeveralPoints)
            }
            Some((integer, fraction)) => (integer, Some(fraction)),
            None => (text, None),
        };
        if integer.is_empty() {
            return Err(WireAmountError::MissingIntegerPart);
        }
        if integer.len() > 1 && integer.starts_with('0') {
            return Err(WireAmountError::LeadingZero);
        }
        if integer.len() > MAX_INTEGER_DIGITS as usize {
            return Err(WireAmountError::TooLarge {
                max_integer_digits: MAX_INTEGER_DIGITS,
            });
        }
        let minor_digits = currency.minor_digits();
        let fraction = match (fraction, minor_digits) {
            (None, 0) => "",
            (Some(fraction), n) if n > 0 && fraction.len() == n as usize => fraction,
            _ => return Err(WireAmountError::WrongDecimals { minor_digits }),
        };
        // At most 15 + 2 ASCII digits: the integer of minor units cannot overflow an i64.
        let minor = integer
            .bytes()
            .chain(fraction.bytes())
            .fold(0_i64, |acc, digit| acc * 10 + i64::from(digit - b'0'));
        Amount::from_minor_units(minor, currency).map_err(|error| match error {
            AmountError::NotPositive => WireAmountError::Zero,
            AmountError::TooPrecise { minor_digits } => {
                WireAmountError::WrongDecimals { minor_digits }
            }
            AmountError::TooLarge { max_integer_digits } => {
                WireAmountError::TooLarge { max_integer_digits }
            }
        })
    }

    /// The wire form: `"500.00"`, `"0.05"`, `"12"` for JPY. The only writer of that form.
    pub fn to_wire(&self) -> String {
        let minor = self.minor_units();
        let per_major = self.currency.minor_per_major();
        let integer = minor / per_major;
        match self.currency.minor_digits() {
            0 => integer.to_string(),
            digits => format!(
                "{integer}.{:0width$}",
                minor % per_major,
                width = digits as usize
            ),
        }
    }

    /// The amount in minor units (fen, cents; yen for JPY): what a ledger adds up.
    pub fn minor_units(&self) -> i64 {
        // The value is at the currency's scale and below 10^17, so the mantissa fits.
        i64::try_from(self.value.mantissa()).unwrap_or(i64::MAX)
    }

    /// The value at exactly the currency's scale: 500.00 for 500 CNY.
    pub fn value(&self) -> Decimal {
        self.value
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }
}

fn too_large() -> AmountError {
    AmountError::TooLarge {
        max_integer_digits: MAX_INTEGER_DIGITS,
    }
}

/// The JSON shape of an amount; its value is read and written only through the wire form.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireForm {
    value: String,
    currency: Currency,
}

impl TryFrom<WireForm> for Amount {
    type Error = WireAmountError;

    fn try_from(form: WireForm) -> Result<Self, Self::Error> {
        Amount::parse_wire(&form.value, form.currency)
    }
}

impl From<Amount> for WireForm {
    fn from(amount: Amount) -> Self {
        WireForm {
            value: amount.to_wire(),
            currency: amount.currency,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// splitmix64: a fixed, dependency-free sequence, so every run checks the same amounts.
    struct Sample(u64);

    impl Sample {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        /// Minor units spread over every magnitude, not just the large ones a uniform draw
        /// would give: first a number of digits, then digits.
        fn minor_units(&mut self, currency: Currency) -> i64 {
            let max = currency.max_minor_units();
            let digits = 1 + self.next() % u64::from(MAX_INTEGER_DIGITS + currency.minor_digits());
            let bound = 10_u64.pow(digits as u32);
            let minor = i64::try_from(1 + self.next() % bound).unwrap();
            minor.min(max)
        }
    }

    fn cny(text: &str) -> Result<Amount, WireAmountError> {
        Amount::parse_wire(text, Currency::Cny)
    }

    #[test]
    fn currencies_carry_their_iso_4217_codes_exponents_and_chinese_names() {
        let table = [
            (Currency::Cny, "CNY", 156, 2, "人民币"),
            (Currency::Usd, "USD", 840, 2, "美元"),
            (Currency::Eur, "EUR", 978, 2, "欧元"),
            (Currency::Hkd, "HKD", 344, 2, "港币"),
            (Currency::Jpy, "JPY", 392, 0, "日元"),
        ];
        for (currency, code, numeric, digits, name) in table {
            assert_eq!(currency.code(), code);
            assert_eq!(currency.to_string(), code);
            assert_eq!(currency.numeric_code(), numeric);
            assert_eq!(currency.minor_digits(), digits);
            assert_eq!(currency.name_zh(), name);
            assert_eq!(code.parse::<Currency>(), Ok(currency));
            assert_eq!(Currency::from_numeric_code(numeric), Some(currency));
        }
        assert_eq!(Currency::ALL.len(), table.len());
    }

    #[test]
    fn unknown_or_lower_case_currency_codes_are_refused() {
        for code in ["cny", "Cny", "GBP", "", "CNY ", "RMB", "156"] {
            assert_eq!(code.parse::<Currency>(), Err(UnknownCurrency), "{code:?}");
        }
        assert_eq!(Currency::from_numeric_code(826), None);
        assert_eq!(Currency::from_numeric_code(0), None);
    }

    #[test]
    fn a_currency_is_its_alphabetic_code_in_json() {
        assert_eq!(serde_json::to_string(&Currency::Hkd).unwrap(), r#""HKD""#);
        assert_eq!(
            serde_json::from_str::<Currency>(r#""JPY""#).unwrap(),
            Currency::Jpy
        );
        assert!(serde_json::from_str::<Currency>(r#""jpy""#).is_err());
        assert!(serde_json::from_str::<Currency>("392").is_err());
    }

    #[test]
    fn canonical_wire_strings_are_read_at_the_currency_scale() {
        let table = [
            ("500.00", Currency::Cny, 50_000),
            ("0.05", Currency::Cny, 5),
            ("0.50", Currency::Usd, 50),
            ("1234.56", Currency::Eur, 123_456),
            ("10.00", Currency::Hkd, 1_000),
            ("12", Currency::Jpy, 12),
            ("999999999999999.99", Currency::Cny, 99_999_999_999_999_999),
            ("999999999999999", Currency::Jpy, 999_999_999_999_999),
        ];
        for (text, currency, minor) in table {
            let amount = Amount::parse_wire(text, currency).unwrap();
            assert_eq!(amount.minor_units(), minor, "{text}");
            assert_eq!(amount.currency(), currency);
            assert_eq!(amount.value().scale(), currency.minor_digits(), "{text}");
            assert_eq!(amount.value().to_string(), text);
            assert_eq!(amount.to_wire(), text);
        }
    }

    #[test]
    fn every_non_canonical_spelling_is_refused_with_its_reason() {
        use WireAmountError::*;
        let two = WrongDecimals { minor_digits: 2 };
        let table = [
            ("", Empty),
            ("-500.00", NotDigit),
            ("+500.00", NotDigit),
            (" 500.00", NotDigit),
            ("500.00\n", NotDigit),
            ("1,234.50", NotDigit),
            ("5e2", NotDigit),
            ("5E+2", NotDigit),
            ("１００.００", NotDigit),
            ("٥٠٠.٠٠", NotDigit),
            ("NaN", NotDigit),
            ("inf", NotDigit),
            ("0x1F4", NotDigit),
            ("500_00", NotDigit),
            ("1.2.3", SeveralPoints),
            ("500..00", SeveralPoints),
            (".50", MissingIntegerPart),
            (".", MissingIntegerPart),
            ("0500.00", LeadingZero),
            ("00.05", LeadingZero),
            ("500", two),
            ("500.", two),
            ("500.0", two),
            ("500.000", two),
            ("0.5", two),
            (
                "1000000000000000.00",
                TooLarge {
                    max_integer_digits: 15,
                },
            ),
            ("0", two),
            ("0.00", Zero),
        ];
        for (text, reason) in table {
            assert_eq!(cny(text), Err(reason), "{text:?}");
        }
    }

    #[test]
    fn yen_on_the_wire_has_neither_decimals_nor_a_point() {
        let jpy = |text| Amount::parse_wire(text, Currency::Jpy);
        let none = WireAmountError::WrongDecimals { minor_digits: 0 };
        assert_eq!(jpy("12").unwrap().minor_units(), 12);
        assert_eq!(jpy("12."), Err(none));
        assert_eq!(jpy("12.0"), Err(none));
        assert_eq!(jpy("12.00"), Err(none));
        assert_eq!(jpy("0"), Err(WireAmountError::Zero));
        assert_eq!(jpy("012"), Err(WireAmountError::LeadingZero));
    }

    #[test]
    fn refusals_never_repeat_the_refused_string() {
        for text in [
            "-987654.32",
            "987654.321",
            "0987654.32",
            "98a7654.32",
            "1.2.3456",
        ] {
            let message = cny(text).unwrap_err().to_string();
            assert!(!message.contains("987654"), "{message}");
            assert!(!message.contains("3456"), "{message}");
        }
    }

    #[test]
    fn decimals_become_amounts_only_when_exact_positive_and_in_range() {
        let d = |text: &str| text.parse::<Decimal>().unwrap();
        let amount = Amount::new(d("500"), Currency::Cny).unwrap();
        assert_eq!(amount.to_wire(), "500.00");
        assert_eq!(amount.value().scale(), 2);
        assert_eq!(
            Amount::new(d("500.000"), Currency::Cny).unwrap().to_wire(),
            "500.00"
        );
        assert_eq!(
            Amount::new(d("1200.0"), Currency::Jpy).unwrap().to_wire(),
            "1200"
        );
        assert_eq!(
            Amount::new(d("0.005"), Currency::Cny),
            Err(AmountError::TooPrecise { minor_digits: 2 })
        );
        assert_eq!(
            Amount::new(d("12.5"), Currency::Jpy),
            Err(AmountError::TooPrecise { minor_digits: 0 })
        );
        assert_eq!(
            Amount::new(Decimal::ZERO, Currency::Cny),
            Err(AmountError::NotPositive)
        );
        assert_eq!(
            Amount::new(d("-0.01"), Currency::Cny),
            Err(AmountError::NotPositive)
        );
        assert_eq!(
            Amount::new(d("999999999999999.99"), Currency::Cny)
                .unwrap()
                .minor_units(),
            99_999_999_999_999_999
        );
        assert_eq!(
            Amount::new(d("1000000000000000"), Currency::Cny),
            Err(AmountError::TooLarge {
                max_integer_digits: 15
            })
        );
        assert_eq!(
            Amount::new(Decimal::MAX, Currency::Jpy),
            Err(AmountError::TooLarge {
                max_integer_digits: 15
            })
        );
    }

    #[test]
    fn minor_units_convert_both_ways_within_bounds() {
        let amount = Amount::from_minor_units(123_456, Currency::Cny).unwrap();
        assert_eq!(amount.value(), "1234.56".parse::<Decimal>().unwrap());
        assert_eq!(amount.minor_units(), 123_456);
        assert_eq!(
            Amount::from_minor_units(1, Currency::Jpy)
                .unwrap()
                .to_wire(),
            "1"
        );
        assert_eq!(
            Amount::from_minor_units(0, Currency::Cny),
            Err(AmountError::NotPositive)
        );
        assert_eq!(
            Amount::from_minor_units(-5, Currency::Cny),
            Err(AmountError::NotPositive)
        );
        assert!(Amount::from_minor_units(99_999_999_999_999_999, Currency::Usd).is_ok());
        assert!(Amount::from_minor_units(100_000_000_000_000_000, Currency::Usd).is_err());
        assert!(Amount::from_minor_units(999_999_999_999_999, Currency::Jpy).is_ok());
        assert!(Amount::from_minor_units(1_000_000_000_000_000, Currency::Jpy).is_err());
        assert!(Amount::from_minor_units(i64::MAX, Currency::Cny).is_err());
    }

    #[test]
    fn an_amount_in_json_is_its_wire_string_and_currency_code() {
        let amount = cny("1234.50").unwrap();
        let json = serde_json::to_string(&amount).unwrap();
        assert_eq!(json, r#"{"value":"1234.50","currency":"CNY"}"#);
        assert_eq!(serde_json::from_str::<Amount>(&json).unwrap(), amount);
        let yen: Amount = serde_json::from_str(r#"{"value":"12","currency":"JPY"}"#).unwrap();
        assert_eq!(yen.minor_units(), 12);
    }

    #[test]
    fn json_amounts_are_read_by_the_same_strict_grammar() {
        for json in [
            r#"{"value":"1234.5","currency":"CNY"}"#,
            r#"{"value":"12.00","currency":"JPY"}"#,
            r#"{"value":"1.2345e3","currency":"CNY"}"#,
            r#"{"value":"-5.00","currency":"CNY"}"#,
            r#"{"value":"0.00","currency":"CNY"}"#,
            r#"{"value":1234.50,"currency":"CNY"}"#,
            r#"{"value":"1234.50","currency":"cny"}"#,
            r#"{"value":"1234.50","currency":"GBP"}"#,
            r#"{"value":"1234.50"}"#,
            r#"{"value":"1234.50","currency":"CNY","memo":""}"#,
        ] {
            assert!(serde_json::from_str::<Amount>(json).is_err(), "{json}");
        }
    }

    #[test]
    fn wire_format_and_wire_parse_are_inverse_on_a_large_sample() {
        let mut sample = Sample(0x006D_6F6E_6579);
        for round in 0..20_000 {
            let currency = Currency::ALL[round % Currency::ALL.len()];
            let minor = sample.minor_units(currency);
            let amount = Amount::from_minor_units(minor, currency).unwrap();
            let wire = amount.to_wire();
            assert_eq!(Amount::parse_wire(&wire, currency), Ok(amount), "{wire}");
            assert_eq!(amount.minor_units(), minor);
            // An independent writer agrees: rust_decimal prints the fixed scale the same way.
            assert_eq!(wire, amount.value().to_string());
            // And the one-character slips that change no value are refused.
            let mut slips = vec![format!("0{wire}"), format!("+{wire}"), format!("{wire} ")];
            if currency.minor_digits() > 0 {
                // Without minor units, one digit more or less is another valid amount.
                slips.extend([format!("{wire}0"), wire[..wire.len() - 1].to_owned()]);
            }
            for slip in slips {
                assert!(Amount::parse_wire(&slip, currency).is_err(), "{slip}");
            }
        }
    }
}
