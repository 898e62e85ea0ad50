//! Currencies and their scales. The ledger stores every amount as an integer count of the
//! currency's minor unit (fen, cent, yen) next to the currency, so an amount is only ever
//! converted to or from a decimal at the edge, at that currency's own scale.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// A currency the bank keeps accounts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Currency {
    code: &'static str,
    /// Decimal places of the minor unit (ISO 4217 exponent).
    scale: u32,
}

impl Currency {
    pub(crate) const CNY: Self = Self::new("CNY", 2);
    pub(crate) const USD: Self = Self::new("USD", 2);
    pub(crate) const EUR: Self = Self::new("EUR", 2);
    pub(crate) const HKD: Self = Self::new("HKD", 2);
    pub(crate) const JPY: Self = Self::new("JPY", 0);

    /// Every currency the sandbox bank keeps accounts in.
    pub(crate) const ALL: [Self; 5] = [Self::CNY, Self::USD, Self::EUR, Self::HKD, Self::JPY];

    const fn new(code: &'static str, scale: u32) -> Self {
        Self { code, scale }
    }

    /// The currency with this ISO 4217 code (exact, upper case), if the bank keeps it.
    pub(crate) fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|currency| currency.code == code)
    }

    pub(crate) fn code(self) -> &'static str {
        self.code
    }

    pub(crate) fn scale(self) -> u32 {
        self.scale
    }

    /// The amount in minor units, if it is exact at this currency's scale and fits.
    /// `5.10` CNY is 510; `5.101` CNY and `5.5` JPY are not amounts at all.
    pub(crate) fn to_minor(self, amount: Decimal) -> Option<i64> {
        let factor = Decimal::from(10_i64.checked_pow(self.scale)?);
        let minor = amount.checked_mul(factor)?;
        if !minor.fract().is_zero() {
            return None;
        }
        minor.to_i64()
    }

    /// The decimal form of `minor` units, written at this currency's scale (`0.00` CNY, `0` JPY).
    pub(crate) fn to_decimal(self, minor: i64) -> Decimal {
        Decimal::new(minor, self.scale)
    }

    /// A positive amount in minor units, or why not: what every movement of money starts with.
    pub(crate) fn positive_minor(self, amount: Decimal) -> Result<i64, AmountError> {
        match self.to_minor(amount) {
            None => Err(AmountError::TooPrecise),
            Some(minor) if minor <= 0 => Err(AmountError::NotPositive),
            Some(minor) => Ok(minor),
        }
    }
}

/// Why a decimal is not an amount of money in a currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum AmountError {
    #[error("amount has more decimals than its currency has, or is out of range")]
    TooPrecise,
    #[error("amount must be greater than zero")]
    NotPositive,
}

impl ToSql for Currency {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.code))
    }
}

/// A currency code in the database that the bank does not know is a damaged ledger.
#[derive(Debug, thiserror::Error)]
#[error("unknown currency in the ledger")]
struct UnknownCurrency;

impl FromSql for Currency {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let code = value.as_str()?;
        Self::parse(code).ok_or_else(|| FromSqlError::Other(Box::new(UnknownCurrency)))
    }
}

/// `1234567` at scale 2 → `12,345.67`; at scale 0 → `1,234,567`: thousands grouped, so no run
/// of six digits ever appears in a notification that also carries a six-digit code.
pub(crate) fn grouped(minor: i64, currency: Currency) -> String {
    let digits = minor.unsigned_abs().to_string();
    let scale = usize::try_from(currency.scale()).unwrap_or(0);
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (whole, fraction) = padded.split_at(padded.len() - scale);
    let mut out = String::with_capacity(padded.len() + whole.len() / 3 + 2);
    if minor < 0 {
        out.push('-');
    }
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact_at_each_currencys_own_scale() {
        assert_eq!(Currency::CNY.to_minor(Decimal::new(-3600, 2)), Some(-3600));
        assert_eq!(Currency::CNY.to_minor(Decimal::new(5, 0)), Some(500));
        assert_eq!(Currency::CNY.to_minor(Decimal::new(5_100, 3)), Some(510));
        assert_eq!(Currency::CNY.to_minor(Decimal::new(1, 3)), None);
        assert_eq!(
            Currency::JPY.to_minor(Decimal::new(12_345, 0)),
            Some(12_345)
        );
        assert_eq!(Currency::JPY.to_minor(Decimal::new(125, 1)), None);
        assert_eq!(Currency::JPY.to_minor(Decimal::new(1_000, 2)), Some(10));
        assert_eq!(Currency::USD.to_minor(Decimal::MAX), None);
    }

    #[test]
    fn amounts_need_two_decimals_at_most_and_are_not_zero() {
        let cny = Currency::CNY;
        assert_eq!(cny.to_minor(Decimal::new(-3600, 2)), Some(-3600));
        assert_eq!(cny.to_minor(Decimal::new(5, 0)), Some(500));
        assert_eq!(cny.to_minor(Decimal::new(1, 3)), None);
        assert!(cny.positive_minor(Decimal::ZERO).is_err());
    }

    #[test]
    fn decimals_are_written_at_the_currencys_scale() {
        assert_eq!(Currency::CNY.to_decimal(0).to_string(), "0.00");
        assert_eq!(Currency::EUR.to_decimal(-5).to_string(), "-0.05");
        assert_eq!(Currency::JPY.to_decimal(120_000).to_string(), "120000");
    }

    #[test]
    fn only_positive_exact_amounts_move_money() {
        let cny = Currency::CNY;
        assert_eq!(cny.positive_minor(Decimal::new(1, 2)), Ok(1));
        assert_eq!(
            cny.positive_minor(Decimal::ZERO),
            Err(AmountError::NotPositive)
        );
        assert_eq!(
            cny.positive_minor(Decimal::new(-1, 0)),
            Err(AmountError::NotPositive)
        );
        assert_eq!(
            Currency::JPY.positive_minor(Decimal::new(1, 1)),
            Err(AmountError::TooPrecise)
        );
    }

    #[test]
    fn only_known_codes_parse() {
        assert_eq!(Currency::parse("JPY").map(Currency::scale), Some(0));
        assert_eq!(Currency::parse("HKD").map(Currency::scale), Some(2));
        assert_eq!(Currency::parse("cny"), None);
        assert_eq!(Currency::parse("XAU"), None);
    }

    #[test]
    fn grouped_amounts_never_show_six_digits_in_a_row() {
        assert_eq!(grouped(123_456_789, Currency::CNY), "1,234,567.89");
        assert_eq!(grouped(5, Currency::CNY), "0.05");
        assert_eq!(grouped(-100_000, Currency::CNY), "-1,000.00");
        assert_eq!(grouped(1_234_567, Currency::JPY), "1,234,567");
        assert_eq!(grouped(999, Currency::JPY), "999");
    }
}
