//! The oracles of the money targets: the typed-amount parser (what a person types), the wire
//! parser (what the bank sends), and the capital numerals (大写) of the confirmation.
//!
//! Input layout of `money_typed` and `money_wire`: the first byte picks the currency (modulo the
//! number of currencies), the rest is the text. `capitals` reads its amount from the bytes (see
//! [`amount_from_bytes`]) so that every amount up to the maximum can be reached.

use mobank_core::money::{capital_numerals, parse_typed_amount, Amount, Currency};
use serde_json::Value;

use crate::vectors;

/// The currency and the text of a `money_typed` or `money_wire` input.
pub fn split_input(data: &[u8]) -> Option<(Currency, &str)> {
    let (&selector, text) = data.split_first()?;
    let currency = Currency::ALL[usize::from(selector) % Currency::ALL.len()];
    Some((currency, std::str::from_utf8(text).ok()?))
}

/// The byte that selects `currency` in an input.
pub fn selector(currency: Currency) -> u8 {
    let index = Currency::ALL.iter().position(|c| *c == currency);
    index.and_then(|i| u8::try_from(i).ok()).unwrap_or(0)
}

/// Typed input: what is accepted is a positive amount of the account's currency with no more
/// decimals than it has, its wire form reads back to it, and its capitals hold (see
/// [`check_capitals`]). Returns the amount, for the tests.
pub fn check_typed(data: &[u8]) -> Option<Amount> {
    let (currency, text) = split_input(data)?;
    let amount = parse_typed_amount(text, currency).ok()?;
    assert_eq!(amount.currency(), currency, "typed {text:?}");
    assert!(amount.minor_units() > 0, "typed {text:?} gave {amount:?}");
    assert!(
        amount.value().scale() <= currency.minor_digits(),
        "typed {text:?} gave {amount:?}"
    );
    assert_eq!(
        Amount::parse_wire(&amount.to_wire(), currency),
        Ok(amount),
        "typed {text:?}: the wire form does not read back"
    );
    check_capitals(&amount);
    Some(amount)
}

/// Wire input: what is accepted is written back as exactly the text that was read
/// (format ∘ parse = id), in the currency asked for. Returns the amount, for the tests.
pub fn check_wire(data: &[u8]) -> Option<Amount> {
    let (currency, text) = split_input(data)?;
    let amount = Amount::parse_wire(text, currency).ok()?;
    assert_eq!(amount.currency(), currency, "wire {text:?}");
    assert_eq!(
        amount.to_wire(),
        text,
        "wire {text:?} is written differently"
    );
    check_capitals(&amount);
    Some(amount)
}

/// The amount of a `capitals` input: the first byte picks the currency, the next eight (padded
/// with zeros) are a number folded into 1 ..= the currency's maximum.
pub fn amount_from_bytes(data: &[u8]) -> Option<Amount> {
    let (currency, rest) = match data.split_first() {
        Some((&selector, rest)) => (
            Currency::ALL[usize::from(selector) % Currency::ALL.len()],
            rest,
        ),
        None => (Currency::Cny, data),
    };
    let mut number = [0_u8; 8];
    let len = rest.len().min(8);
    number[..len].copy_from_slice(&rest[..len]);
    let max = max_minor_units(currency);
    let minor = u64::from_le_bytes(number) % max + 1;
    Amount::from_minor_units(i64::try_from(minor).ok()?, currency).ok()
}

/// The largest amount of `currency` in minor units: 15 integer digits of nines and its decimals.
pub fn max_minor_units(currency: Currency) -> u64 {
    10_u64.pow(15 + currency.minor_digits()) - 1
}

/// The bytes of a `capitals` input for `amount`.
pub fn capitals_input(amount: &Amount) -> Vec<u8> {
    let minor = u64::try_from(amount.minor_units()).unwrap_or(1) - 1;
    let mut bytes = vec![selector(amount.currency())];
    bytes.extend_from_slice(&minor.to_le_bytes());
    bytes
}

const DIGITS: &str = "零壹贰叁肆伍陆柒捌玖";
const UNITS: &str = "拾佰仟万亿元角分整";

/// Capital numerals: no panic, only digits and units after the currency's name, ending in 整 or
/// 分, no doubled or leading 零, and read back by [`read_capitals`] to the same amount.
pub fn check_capitals(amount: &Amount) -> String {
    let text = capital_numerals(amount);
    let currency = amount.currency();
    let numerals = if currency == Currency::Cny {
        text.as_str()
    } else {
        let name = currency.name_zh();
        assert!(text.starts_with(name), "{amount:?} is {text}");
        &text[name.len()..]
    };
    assert!(
        numerals
            .chars()
            .all(|c| DIGITS.contains(c) || UNITS.contains(c)),
        "{amount:?} is {text}"
    );
    assert!(
        numerals.ends_with('整') || numerals.ends_with('分'),
        "{amount:?} is {text}"
    );
    assert!(
        !numerals.starts_with('零') && !numerals.contains("零零"),
        "{amount:?} is {text}"
    );
    assert!(
        !numerals.contains("零元") && !numerals.contains("零整") && !numerals.contains("零万"),
        "{amount:?} is {text}"
    );
    assert_eq!(
        read_capitals(numerals, currency.minor_digits()),
        Some(amount.minor_units()),
        "{amount:?} is {text}"
    );
    text
}

/// Reads capital numerals (without a currency name) back into minor units; `None` for text
/// that is not numerals. 亿 multiplies everything before it, so 壹万贰仟亿 is 1.2 × 10¹².
pub fn read_capitals(text: &str, minor_digits: u32) -> Option<i64> {
    let mut total: i64 = 0; // closed by 万 or 亿
    let mut section: i64 = 0; // digits with 拾佰仟 since the last 万 or 亿
    let mut digit: i64 = 0;
    let mut major: i64 = 0;
    let mut cents: i64 = 0;
    let mut ended = false;
    for c in text.chars() {
        if ended {
            return None;
        }
        if let Some(value) = DIGITS.chars().position(|d| d == c) {
            digit = i64::try_from(value).ok()?;
            continue;
        }
        match c {
            '拾' => section += digit * 10,
            '佰' => section += digit * 100,
            '仟' => section += digit * 1000,
            '万' => {
                total += (section + digit) * 1_0000;
                section = 0;
            }
            '亿' => {
                total = (total + section + digit).checked_mul(1_0000_0000)?;
                section = 0;
            }
            '元' => {
                major = total + section + digit;
                (total, section) = (0, 0);
            }
            '角' => cents += digit * 10,
            '分' => {
                cents += digit;
                ended = true;
            }
            '整' => ended = true,
            _ => return None,
        }
        digit = 0;
    }
    let consumed = ended && total == 0 && section == 0 && digit == 0;
    if !consumed || (minor_digits == 0 && cents != 0) {
        return None;
    }
    major
        .checked_mul(10_i64.pow(minor_digits))?
        .checked_add(cents)
}

/// Typed inputs the seeds start from: the forms the parser accepts and the ones it refuses for
/// a reason worth keeping near (grouping, full width, markers, exponents, look-alikes).
pub const TYPED_SEEDS: [(&str, Currency, &str); 16] = [
    ("plain", Currency::Cny, "500"),
    ("cents", Currency::Cny, "1234.56"),
    ("grouped", Currency::Cny, "1,234,567.89"),
    ("full-width", Currency::Cny, "５，０００．５０"),
    ("yen-sign", Currency::Cny, "¥500"),
    ("yuan-suffix", Currency::Cny, "500元"),
    ("rmb-code", Currency::Cny, "RMB 1,000"),
    ("dollar", Currency::Usd, "US$12.50"),
    ("euro", Currency::Eur, "€ 99.99"),
    ("hkd", Currency::Hkd, "HK$ 3,000"),
    ("jpy", Currency::Jpy, "1200円"),
    ("largest", Currency::Cny, "999,999,999,999,999.99"),
    ("exponent", Currency::Cny, "5e3"),
    ("bad-grouping", Currency::Cny, "500,50"),
    ("look-alike", Currency::Cny, "5OO"),
    ("signed", Currency::Cny, "-500"),
];

/// Every amount in the committed vectors (a decimal string next to a `"currency"` in one
/// object), for the `money_wire`, `money_typed` and `capitals` seeds.
pub fn vector_amounts() -> Vec<Amount> {
    let mut amounts = Vec::new();
    for example in &vectors::messages().messages {
        collect_amounts(&example.json, &mut amounts);
    }
    amounts.sort_by_key(|a| (a.currency(), a.minor_units()));
    amounts.dedup();
    amounts
}

fn collect_amounts(value: &Value, amounts: &mut Vec<Amount>) {
    match value {
        Value::Object(map) => {
            let currency = map
                .get("currency")
                .and_then(|c| serde_json::from_value::<Currency>(c.clone()).ok());
            if let Some(currency) = currency {
                let texts = map.values().filter_map(Value::as_str);
                amounts.extend(texts.filter_map(|t| Amount::parse_wire(t, currency).ok()));
            }
            map.values().for_each(|v| collect_amounts(v, amounts));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_amounts(v, amounts)),
        _ => {}
    }
}

/// The input bytes of a typed or wire text in `currency`.
pub fn text_input(currency: Currency, text: &str) -> Vec<u8> {
    let mut bytes = vec![selector(currency)];
    bytes.extend_from_slice(text.as_bytes());
    bytes
}
