//! The money targets are only worth something if their oracles hold on genuine amounts and
//! catch wrong ones: the seeds are read as the parsers document, the capital numerals of the
//! amounts at every boundary read back, and the capital reader refuses what is not numerals.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mobank_core::money::{capital_numerals, Amount, Currency};
use mobank_fuzz::money::{
    amount_from_bytes, capitals_input, check_capitals, check_typed, check_wire, max_minor_units,
    read_capitals, text_input, vector_amounts, TYPED_SEEDS,
};

fn amount(minor: i64, currency: Currency) -> Amount {
    Amount::from_minor_units(minor, currency).unwrap()
}

#[test]
fn typed_seeds_are_accepted_as_amounts_or_refused_for_their_reason() {
    let accepted: Vec<(&str, Option<Amount>)> = TYPED_SEEDS
        .iter()
        .map(|(name, currency, text)| (*name, check_typed(&text_input(*currency, text))))
        .collect();
    let of = |name: &str| accepted.iter().find(|(n, _)| *n == name).unwrap().1;
    assert_eq!(of("full-width"), Some(amount(500_050, Currency::Cny)));
    assert_eq!(of("grouped"), Some(amount(123_456_789, Currency::Cny)));
    assert_eq!(of("jpy"), Some(amount(1200, Currency::Jpy)));
    assert_eq!(
        of("largest"),
        Some(amount(99_999_999_999_999_999, Currency::Cny))
    );
    for refused in ["exponent", "bad-grouping", "look-alike", "signed"] {
        assert_eq!(of(refused), None, "{refused}");
    }
    assert!(accepted.iter().filter(|(_, a)| a.is_some()).count() >= 12);
}

#[test]
fn the_wire_oracle_accepts_every_vector_amount_and_only_canonical_text() {
    let amounts = vector_amounts();
    assert!(!amounts.is_empty());
    for a in &amounts {
        assert_eq!(
            check_wire(&text_input(a.currency(), &a.to_wire())),
            Some(*a)
        );
    }
    for text in ["0500.00", "5.0", "5", "0.00", "1e3", " 5.00", "5.00\n", ""] {
        assert_eq!(
            check_wire(&text_input(Currency::Cny, text)),
            None,
            "{text:?}"
        );
    }
    assert_eq!(
        check_wire(&text_input(Currency::Jpy, "500")),
        Some(amount(500, Currency::Jpy))
    );
}

#[test]
fn capital_numerals_of_the_documented_examples_read_back_to_their_amounts() {
    for (minor, text) in [
        (500_000, "伍仟元整"),
        (600_714, "陆仟零柒元壹角肆分"),
        (168_032, "壹仟陆佰捌拾元零叁角贰分"),
        (32_504, "叁佰贰拾伍元零肆分"),
        (10_700_053, "壹拾万柒仟元零伍角叁分"),
        (110, "壹元壹角整"),
        (50, "伍角整"),
        (5, "伍分"),
        (10_000_000_100, "壹亿零壹元整"),
        (100_000_000_000_000, "壹万亿元整"),
    ] {
        let a = amount(minor, Currency::Cny);
        assert_eq!(check_capitals(&a), text);
        assert_eq!(read_capitals(text, 2), Some(minor), "{text}");
    }
    assert_eq!(
        check_capitals(&amount(1200, Currency::Jpy)),
        "日元壹仟贰佰元整"
    );
}

#[test]
fn capital_numerals_hold_at_every_power_of_ten_and_its_neighbours_in_every_currency() {
    for currency in Currency::ALL {
        let max = i64::try_from(max_minor_units(currency)).unwrap();
        let mut checked = 0;
        for power in 0..18 {
            let Some(base) = 10_i64.checked_pow(power) else {
                break;
            };
            for minor in [base - 1, base, base + 1, base * 2 + 7, base * 10 - 1] {
                if (1..=max).contains(&minor) {
                    check_capitals(&amount(minor, currency));
                    checked += 1;
                }
            }
        }
        check_capitals(&amount(max, currency));
        assert!(checked > 40, "{currency:?}: {checked}");
    }
}

#[test]
fn capital_numerals_hold_on_a_sweep_of_amounts_with_zeros_in_every_group() {
    // Digits drawn from {0, 1, 9} in 17 places reach every pattern of zero runs and group ends.
    let mut minor: u64 = 1;
    for _ in 0..20_000 {
        minor = minor
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let digits: String = (minor % 100_000_000_000_000_000)
            .to_string()
            .chars()
            .map(|c| match c.to_digit(10).unwrap() % 3 {
                0 => '0',
                1 => '1',
                _ => '9',
            })
            .collect();
        let patterned: i64 = digits.parse().unwrap();
        if patterned > 0 {
            check_capitals(&amount(patterned, Currency::Cny));
        }
    }
}

#[test]
fn the_capital_reader_refuses_text_that_is_not_whole_numerals() {
    for text in [
        "",
        "伍仟元",
        "伍仟",
        "伍仟元整整",
        "伍仟元整伍",
        "五千元整",
        "伍仟元壹",
        "500元整",
    ] {
        assert_eq!(read_capitals(text, 2), None, "{text}");
    }
    assert_eq!(read_capitals("伍角整", 0), None);
}

#[test]
fn the_capitals_oracle_would_catch_a_rendering_of_another_amount() {
    // The oracle compares with the amount, so 伍佰元整 for 5000 cannot pass.
    let rendered = capital_numerals(&amount(50_000, Currency::Cny));
    assert_ne!(read_capitals(&rendered, 2), Some(500_000));
}

#[test]
fn capitals_inputs_reach_the_smallest_and_the_largest_amount_and_read_back() {
    for currency in Currency::ALL {
        let max = i64::try_from(max_minor_units(currency)).unwrap();
        for minor in [1, 2, max] {
            let a = amount(minor, currency);
            assert_eq!(amount_from_bytes(&capitals_input(&a)), Some(a));
        }
    }
    assert!(amount_from_bytes(&[]).is_some());
    assert!(amount_from_bytes(&[0xFF; 40]).is_some());
}
