//! An amount as the customer reads it, in zh-CN or English.

use mobank_protocol::money::{Amount, Currency};

use super::markers;

/// The languages amounts are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locale {
    /// `¥1,234.50`, `US$12.00`, `JP¥1,200`: the sign before the number, as Chinese banks print
    /// it, with the yen and the US dollar marked so they cannot pass for yuan or HK dollars.
    ZhCn,
    /// `1,234.50 CNY`: the ISO code after the number, which no reader can mistake.
    En,
}

/// The amount with thousands grouped and all of the currency's decimals:
/// `format_amount(&amount, Locale::ZhCn)` gives `¥1,234.50`. The result reads back through
/// [`parse_typed_amount`](super::parse_typed_amount) as the same amount.
pub fn format_amount(amount: &Amount, locale: Locale) -> String {
    format_minor_units(amount.minor_units(), amount.currency(), locale)
}

/// [`format_amount`] for a sum that may be zero, as a fee is (`¥0.00`). Negative sums are
/// shown as zero: nothing this crate displays is below zero.
pub fn format_minor_units(minor_units: i64, currency: Currency, locale: Locale) -> String {
    let number = grouped(minor_units.max(0), currency);
    match locale {
        Locale::ZhCn => format!("{}{number}", markers::zh_cn_symbol(currency)),
        Locale::En => format!("{number} {}", currency.code()),
    }
}

/// `1,234.50`: from the minor units, so no decimal formatting rule can change the digits.
fn grouped(minor: i64, currency: Currency) -> String {
    let minor_digits = currency.minor_digits();
    let per_major = 10_i64.pow(minor_digits);
    let integer = (minor / per_major).to_string();
    let mut text = String::with_capacity(integer.len() * 4 / 3 + 4);
    let mut until_comma = (integer.len() - 1) % 3 + 1;
    for digit in integer.chars() {
        if until_comma == 0 {
            text.push(',');
            until_comma = 3;
        }
        text.push(digit);
        until_comma -= 1;
    }
    if minor_digits > 0 {
        text.push_str(&format!(
            ".{:0width$}",
            minor % per_major,
            width = minor_digits as usize
        ));
    }
    text
}
