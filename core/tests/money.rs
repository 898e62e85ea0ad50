//! Money as people type and read it: the typed-amount parser, display, capital numerals.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mobank_core::money::{
    capital_numerals, format_amount, parse_typed_amount, Amount, AmountInputError, Currency, Locale,
};
use Currency::{Cny, Eur, Hkd, Jpy, Usd};

fn amount(wire: &str, currency: Currency) -> Amount {
    Amount::parse_wire(wire, currency).unwrap()
}

fn yuan(wire: &str) -> Amount {
    amount(wire, Cny)
}

fn capitals(wire: &str) -> String {
    capital_numerals(&yuan(wire))
}

// ---- the typed-amount parser ----

#[test]
fn what_people_type_for_yuan_is_read_as_the_amount_they_meant() {
    let table = [
        ("1,234.50", "1234.50"),
        ("1234.5", "1234.50"),
        ("1234", "1234.00"),
        ("¥500", "500.00"),
        ("￥500", "500.00"),
        ("CN¥500", "500.00"),
        ("500元", "500.00"),
        ("500 元", "500.00"),
        ("¥500元", "500.00"),
        ("人民币500元", "500.00"),
        ("RMB 500", "500.00"),
        ("rmb500", "500.00"),
        ("500 CNY", "500.00"),
        ("CNY 1,000,000.01", "1000000.01"),
        ("５００", "500.00"),
        ("５００．５", "500.50"),
        ("１，２３４．５０", "1234.50"),
        ("￥５０", "50.00"),
        ("5０0", "500.00"),
        ("  500  ", "500.00"),
        ("\u{3000}500\u{3000}", "500.00"),
        ("\u{a0}500\t", "500.00"),
        ("0.5", "0.50"),
        ("0.05", "0.05"),
        ("00500", "500.00"),
        ("999,999,999,999,999.99", "999999999999999.99"),
    ];
    for (typed, wire) in table {
        assert_eq!(parse_typed_amount(typed, Cny), Ok(yuan(wire)), "{typed:?}");
    }
}

#[test]
fn other_currencies_accept_their_own_signs_codes_and_names() {
    let table = [
        ("$12", Usd, "12.00"),
        ("US$12.5", Usd, "12.50"),
        ("12 USD", Usd, "12.00"),
        ("12美元", Usd, "12.00"),
        ("€12", Eur, "12.00"),
        ("12 eur", Eur, "12.00"),
        ("12欧元", Eur, "12.00"),
        ("HK$12", Hkd, "12.00"),
        ("$12", Hkd, "12.00"),
        ("12港币", Hkd, "12.00"),
        ("12港元", Hkd, "12.00"),
        ("¥1200", Jpy, "1200"),
        ("JP¥1,200", Jpy, "1200"),
        ("1200円", Jpy, "1200"),
        ("1200日元", Jpy, "1200"),
        ("1200 JPY", Jpy, "1200"),
    ];
    for (typed, currency, wire) in table {
        assert_eq!(
            parse_typed_amount(typed, currency),
            Ok(amount(wire, currency)),
            "{typed:?} as {currency}"
        );
    }
}

#[test]
fn each_kind_of_bad_input_is_refused_with_its_own_reason() {
    use AmountInputError::*;
    let table = [
        ("", Empty),
        ("   ", Empty),
        ("\u{3000}", Empty),
        ("¥", Empty),
        ("元", Empty),
        ("0", Zero),
        ("0.00", Zero),
        ("¥0", Zero),
        ("000", Zero),
        ("-500", Signed),
        ("+500", Signed),
        ("500-", Signed),
        ("¥-500", Signed),
        ("-¥500", Signed),
        ("−500", Signed),
        ("－５００", Signed),
        ("-", Signed),
        ("5-00", Signed),
        ("500.001", TooManyDecimals { allowed: 2 }),
        ("1.230", TooManyDecimals { allowed: 2 }),
        ("0.001", TooManyDecimals { allowed: 2 }),
        ("5e3", Exponent),
        ("5E3", Exponent),
        ("1.5e-2", Exponent),
        ("５ｅ３", Exponent),
        ("5e3元", Exponent),
        ("1,23,4", Grouping),
        ("1,23,456", Grouping),
        ("1234,567", Grouping),
        ("500,50", Grouping),
        (",500", Grouping),
        ("500,", Grouping),
        ("0,500", Grouping),
        ("1,234.5,0", Grouping),
        ("1.234,50", Grouping),
        ("abc", Letters),
        ("5OO", Letters),
        ("5оо", Letters), // Cyrillic о
        ("l00", Letters),
        ("五百", Letters),
        ("伍佰元", Letters),
        ("500块", Letters),
        ("500 dollars", Letters),
        ("5e", Letters),
        ("٥٠٠", UnsupportedDigits),
        ("५००", UnsupportedDigits),
        ("５〇〇", UnsupportedDigits),
        ("Ⅴ", UnsupportedDigits),
        ("5²", UnsupportedDigits),
        ("5\u{200b}00", UnexpectedCharacter),
        ("500%", UnexpectedCharacter),
        ("(500)", UnexpectedCharacter),
        ("500。5", UnexpectedCharacter),
        ("5'000", UnexpectedCharacter),
        ("¥¥500", UnexpectedCharacter),
        ("NaN", NotANumber),
        ("nan", NotANumber),
        ("inf", NotANumber),
        ("-Infinity", NotANumber),
        ("∞", NotANumber),
        ("¥∞", NotANumber),
        ("$500", CurrencyMismatch),
        ("US$500", CurrencyMismatch),
        ("500 USD", CurrencyMismatch),
        ("500美元", CurrencyMismatch),
        ("€500", CurrencyMismatch),
        ("JP¥500", CurrencyMismatch),
        ("500日元", CurrencyMismatch),
        ("£500", CurrencyMismatch),
        ("500英镑", CurrencyMismatch),
        ("RMB 500 USD", CurrencyMismatch),
        (
            "1000000000000000",
            TooLarge {
                max_integer_digits: 15,
            },
        ),
        (
            "1,000,000,000,000,000.00",
            TooLarge {
                max_integer_digits: 15,
            },
        ),
        ("5 00", Malformed),
        ("1 234.50", Malformed),
        ("1..5", Malformed),
        ("1.2.3", Malformed),
        ("5.", Malformed),
        (".5", Malformed),
        (".", Malformed),
    ];
    for (typed, reason) in table {
        assert_eq!(parse_typed_amount(typed, Cny), Err(reason), "{typed:?}");
    }
}

#[test]
fn signs_of_another_currency_contradict_the_account() {
    use AmountInputError::CurrencyMismatch;
    assert_eq!(parse_typed_amount("¥500", Usd), Err(CurrencyMismatch));
    assert_eq!(parse_typed_amount("500元", Jpy), Err(CurrencyMismatch));
    assert_eq!(parse_typed_amount("$500", Eur), Err(CurrencyMismatch));
    assert_eq!(parse_typed_amount("HK$500", Usd), Err(CurrencyMismatch));
    assert_eq!(parse_typed_amount("US$500", Hkd), Err(CurrencyMismatch));
    assert_eq!(parse_typed_amount("$500", Jpy), Err(CurrencyMismatch));
}

#[test]
fn yen_has_no_decimals_to_type() {
    assert_eq!(
        parse_typed_amount("1200.00", Jpy),
        Err(AmountInputError::TooManyDecimals { allowed: 0 })
    );
    assert_eq!(
        parse_typed_amount("0.5", Jpy),
        Err(AmountInputError::TooManyDecimals { allowed: 0 })
    );
    assert_eq!(
        parse_typed_amount("999999999999999", Jpy),
        Ok(amount("999999999999999", Jpy))
    );
}

#[test]
fn refusals_never_repeat_what_was_typed() {
    for typed in [
        "-8675309",
        "8675309.123",
        "$8675309",
        "86,75,309",
        "8675309e2",
        "867 5309",
        "8675309abc",
    ] {
        let message = parse_typed_amount(typed, Cny).unwrap_err().to_string();
        assert!(!message.contains("8675309"), "{message}");
        assert!(!message.contains("75309"), "{message}");
    }
}

// ---- display ----

#[test]
fn amounts_are_shown_with_their_sign_in_zh_cn_and_their_code_in_english() {
    let table = [
        (yuan("1234.50"), "¥1,234.50", "1,234.50 CNY"),
        (yuan("0.05"), "¥0.05", "0.05 CNY"),
        (yuan("500.00"), "¥500.00", "500.00 CNY"),
        (
            yuan("999999999999999.99"),
            "¥999,999,999,999,999.99",
            "999,999,999,999,999.99 CNY",
        ),
        (
            amount("1000000.00", Usd),
            "US$1,000,000.00",
            "1,000,000.00 USD",
        ),
        (amount("12.30", Eur), "€12.30", "12.30 EUR"),
        (amount("100.00", Hkd), "HK$100.00", "100.00 HKD"),
        (amount("12", Jpy), "JP¥12", "12 JPY"),
        (amount("1200", Jpy), "JP¥1,200", "1,200 JPY"),
    ];
    for (value, zh, en) in table {
        assert_eq!(format_amount(&value, Locale::ZhCn), zh);
        assert_eq!(format_amount(&value, Locale::En), en);
    }
}

// ---- capital numerals ----

#[test]
fn the_examples_of_the_transfers_issue_hold() {
    let table = [
        ("500.00", "伍佰元整"),
        ("5000.00", "伍仟元整"),
        ("1234.56", "壹仟贰佰叁拾肆元伍角陆分"),
        ("10005.00", "壹万零伍元整"),
        ("100000000.00", "壹亿元整"),
        ("1010.00", "壹仟零壹拾元整"),
        ("100010.00", "壹拾万零壹拾元整"),
        ("1000001.00", "壹佰万零壹元整"),
        ("100000001.00", "壹亿零壹元整"),
        ("107000.53", "壹拾万柒仟元零伍角叁分"),
        ("10.00", "壹拾元整"),
        ("1.10", "壹元壹角整"),
        ("1.05", "壹元零伍分"),
        ("0.50", "伍角整"),
        ("0.05", "伍分"),
    ];
    for (wire, expected) in table {
        assert_eq!(capitals(wire), expected, "{wire}");
    }
}

/// The examples of the People's Bank of China, 《支付结算办法》附件一
/// 《正确填写票据和结算凭证的基本规定》 第五条, in the form this module chose where the rule
/// allows two (第五条(三): the first form). The rule prints them after 人民币, which the
/// confirmation shows as its label.
#[test]
fn the_published_examples_of_the_pboc_rule_hold() {
    let table = [
        ("6007.14", "陆仟零柒元壹角肆分"),        // 五(二)
        ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),  // 五(三), first form
        ("107000.53", "壹拾万柒仟元零伍角叁分"),  // 五(三), first form
        ("16409.02", "壹万陆仟肆佰零玖元零贰分"), // 五(四)
        ("325.04", "叁佰贰拾伍元零肆分"),         // 五(四)
    ];
    for (wire, expected) in table {
        assert_eq!(capitals(wire), expected, "{wire}");
    }
    // 五(一) prints ¥1,409.50 as 壹仟肆佰零玖元伍角; its 第三条 makes 整 after 角 optional, and
    // the Ministry of Finance's 《会计基础工作规范》 第五十二条(三) requires it: 整 is written.
    assert_eq!(capitals("1409.50"), "壹仟肆佰零玖元伍角整");
    assert_eq!(
        capitals("1409.50").trim_end_matches('整'),
        "壹仟肆佰零玖元伍角"
    );
}

#[test]
fn one_zero_is_written_for_each_gap_and_none_where_a_group_ends() {
    let table = [
        // a zero in the middle of a group
        ("105.00", "壹佰零伍元整"),
        ("1001.00", "壹仟零壹元整"),
        // zeros at the end of a group: carried by 万 or 亿
        ("1200.00", "壹仟贰佰元整"),
        ("120000.00", "壹拾贰万元整"),
        ("1200000000.00", "壹拾贰亿元整"),
        ("12000001.00", "壹仟贰佰万零壹元整"),
        // a lower group starting with 0
        ("10500.00", "壹万零伍佰元整"),
        ("100100000.00", "壹亿零壹拾万元整"),
        ("120050.00", "壹拾贰万零伍拾元整"),
        // a whole empty group between two others
        ("100000100.00", "壹亿零壹佰元整"),
        ("100010000.00", "壹亿零壹万元整"),
        ("1000000010000.00", "壹万亿零壹万元整"),
        // the 万亿 group
        ("1000000000000.00", "壹万亿元整"),
        ("1000100000000.00", "壹万零壹亿元整"),
        ("10100000000000.00", "壹拾万壹仟亿元整"),
        ("100000000000000.00", "壹佰万亿元整"),
        // the 元 digit 0 before 角, and 角 0 before 分
        ("10.50", "壹拾元零伍角整"),
        ("10.05", "壹拾元零伍分"),
        ("100.01", "壹佰元零壹分"),
        ("11.05", "壹拾壹元零伍分"),
        ("11.50", "壹拾壹元伍角整"),
        ("0.55", "伍角伍分"),
        ("0.01", "壹分"),
    ];
    for (wire, expected) in table {
        assert_eq!(capitals(wire), expected, "{wire}");
    }
}

#[test]
fn the_largest_amount_allowed_is_written_in_full() {
    assert_eq!(
        capitals("999999999999999.99"),
        "玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"
    );
    assert_eq!(
        capital_numerals(&amount("999999999999999", Jpy)),
        "日元玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元整"
    );
}

#[test]
fn foreign_currencies_are_named_before_the_numerals() {
    assert_eq!(capital_numerals(&amount("500.00", Usd)), "美元伍佰元整");
    assert_eq!(
        capital_numerals(&amount("12.34", Eur)),
        "欧元壹拾贰元叁角肆分"
    );
    assert_eq!(capital_numerals(&amount("0.50", Hkd)), "港币伍角整");
    assert_eq!(capital_numerals(&amount("1200", Jpy)), "日元壹仟贰佰元整");
}

// ---- properties over a large deterministic sample ----

/// splitmix64: the same amounts on every run, without a dependency.
struct Sample(u64);

impl Sample {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// An amount of any magnitude, with zeros made common: zeros are where the numeral rules
    /// are subtle, and uniform digits would rarely have runs of them.
    fn amount(&mut self, currency: Currency) -> Amount {
        let digits = 1 + self.next() % u64::from(15 + currency.minor_digits());
        let mut minor: i64 = 0;
        for _ in 0..digits {
            let digit = if self.next() < u64::MAX / 2 {
                0
            } else {
                self.next() % 10
            };
            minor = minor * 10 + i64::try_from(digit).unwrap();
        }
        Amount::from_minor_units(minor.max(1), currency).unwrap()
    }
}

/// Reads capital numerals back into minor units, by the ordinary reading of Chinese numbers,
/// and checks the bank rules on the way (壹拾 not 拾, every 零 followed by a digit).
fn read_capitals(text: &str, currency: Currency) -> i64 {
    let numerals = if currency == Cny {
        text
    } else {
        text.strip_prefix(currency.name_zh()).expect(text)
    };
    let (mut total, mut below_yi, mut group, mut digit) = (0_i64, 0_i64, 0_i64, 0_i64);
    let (mut major, mut jiao, mut fen) = (0_i64, 0_i64, 0_i64);
    let chars: Vec<char> = numerals.chars().collect();
    for (index, c) in chars.iter().enumerate() {
        let next = chars.get(index + 1);
        match c {
            '零' => assert!(
                next.is_some_and(|n| "壹贰叁肆伍陆柒捌玖".contains(*n)),
                "零 before a non-digit in {text}"
            ),
            c if "壹贰叁肆伍陆柒捌玖".contains(*c) => {
                let position = "零壹贰叁肆伍陆柒捌玖".chars().position(|d| d == *c);
                digit = i64::try_from(position.unwrap()).unwrap();
            }
            '拾' | '佰' | '仟' => {
                assert!(digit > 0, "a place without its digit in {text}");
                group += digit * [10, 100, 1000]["拾佰仟".chars().position(|p| p == *c).unwrap()];
                digit = 0;
            }
            '万' => {
                below_yi += (group + digit) * 1_0000;
                (group, digit) = (0, 0);
            }
            '亿' => {
                total = (total + below_yi + group + digit) * 1_0000_0000;
                (below_yi, group, digit) = (0, 0, 0);
            }
            '元' => {
                major = total + below_yi + group + digit;
                (total, below_yi, group, digit) = (0, 0, 0, 0);
            }
            '角' => (jiao, digit) = (digit, 0),
            '分' => (fen, digit) = (digit, 0),
            '整' => assert_eq!(next, None, "整 before the end in {text}"),
            other => panic!("unexpected {other} in {text}"),
        }
    }
    assert_eq!(
        (total, below_yi, group, digit),
        (0, 0, 0, 0),
        "digits without a unit in {text}"
    );
    major * 10_i64.pow(currency.minor_digits()) + jiao * 10 + fen
}

#[test]
fn every_sampled_amount_survives_each_of_its_forms() {
    let mut sample = Sample(0x0000_5045_4e43_4831);
    for round in 0..30_000 {
        let currency = Currency::ALL[round % Currency::ALL.len()];
        let value = sample.amount(currency);

        let wire = value.to_wire();
        assert_eq!(Amount::parse_wire(&wire, currency), Ok(value), "{wire}");
        assert_eq!(parse_typed_amount(&wire, currency), Ok(value), "{wire}");
        for locale in [Locale::ZhCn, Locale::En] {
            let shown = format_amount(&value, locale);
            assert_eq!(parse_typed_amount(&shown, currency), Ok(value), "{shown}");
        }

        let numerals = capital_numerals(&value);
        assert_eq!(
            read_capitals(&numerals, currency),
            value.minor_units(),
            "{wire} → {numerals}"
        );
        assert!(!numerals.contains("零零"), "{numerals}");
        assert_eq!(
            numerals.ends_with('整'),
            value.minor_units() % 10 == 0 || currency == Jpy,
            "{wire} → {numerals}"
        );
    }
}

#[test]
fn arbitrary_text_is_either_refused_or_read_as_an_amount_that_displays_back() {
    let alphabet: Vec<char> = "0123456789０５.,．，¥$元 -+eE人民币RMBnaif∞\u{3000}\u{200b}٥〇"
        .chars()
        .collect();
    let mut sample = Sample(7);
    let mut accepted = 0;
    for _ in 0..50_000 {
        let len = sample.next() % 12;
        let text: String = (0..len)
            .map(|_| alphabet[usize::try_from(sample.next() % alphabet.len() as u64).unwrap()])
            .collect();
        if let Ok(value) = parse_typed_amount(&text, Cny) {
            accepted += 1;
            assert!(value.minor_units() > 0);
            let shown = format_amount(&value, Locale::ZhCn);
            assert_eq!(parse_typed_amount(&shown, Cny), Ok(value), "{text:?}");
        }
    }
    // The sample must exercise acceptance too, or the loop above would prove nothing.
    assert!(accepted > 100, "only {accepted} accepted");
}
