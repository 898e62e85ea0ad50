//! The currency signs, codes and names people write around an amount, and which currencies
//! each one may mean. The formatter writes only signs from this table, so whatever it shows
//! can be typed back.

use mobank_protocol::money::Currency::{self, Cny, Eur, Hkd, Jpy, Usd};

/// A marker and the currencies it can mean. An empty list is a currency Mobank does not hold:
/// writing it is always a contradiction, never a letter typed by mistake.
pub(super) struct Marker {
    pub text: &'static str,
    pub means: &'static [Currency],
}

const fn marker(text: &'static str, means: &'static [Currency]) -> Marker {
    Marker { text, means }
}

/// Longer markers first, so that `HK$` is not read as `$` and `日元` not as `元`. Latin codes
/// match in any case; full-width forms are folded to these before matching.
pub(super) const MARKERS: &[Marker] = &[
    marker("人民币", &[Cny]),
    marker("新台币", &[]),
    marker("澳门元", &[]),
    marker("RMB", &[Cny]),
    marker("CNY", &[Cny]),
    marker("CN¥", &[Cny]),
    marker("US$", &[Usd]),
    marker("USD", &[Usd]),
    marker("EUR", &[Eur]),
    marker("HK$", &[Hkd]),
    marker("HKD", &[Hkd]),
    marker("JP¥", &[Jpy]),
    marker("JPY", &[Jpy]),
    marker("GBP", &[]),
    marker("KRW", &[]),
    marker("NT$", &[]),
    marker("美元", &[Usd]),
    marker("美金", &[Usd]),
    marker("欧元", &[Eur]),
    marker("港币", &[Hkd]),
    marker("港元", &[Hkd]),
    marker("日元", &[Jpy]),
    marker("英镑", &[]),
    marker("韩元", &[]),
    marker("台币", &[]),
    marker("澳元", &[]),
    marker("加元", &[]),
    marker("A$", &[]),
    marker("C$", &[]),
    marker("S$", &[]),
    // A bare 元 is the yuan: a Chinese speaker writes 日元 or 美元 for anything else.
    marker("元", &[Cny]),
    marker("円", &[Jpy]),
    // The yen sign is the yuan's too, and a bare dollar sign is Hong Kong's as well.
    marker("¥", &[Cny, Jpy]),
    marker("$", &[Usd, Hkd]),
    marker("€", &[Eur]),
    marker("£", &[]),
    marker("₩", &[]),
    marker("₹", &[]),
    marker("₽", &[]),
    marker("₫", &[]),
    marker("฿", &[]),
];

/// The sign the zh-CN format puts before an amount. `JP¥` keeps yen apart from the yuan's `¥`,
/// and `US$` keeps dollars apart from Hong Kong's.
pub(super) fn zh_cn_symbol(currency: Currency) -> &'static str {
    match currency {
        Cny => "¥",
        Usd => "US$",
        Eur => "€",
        Hkd => "HK$",
        Jpy => "JP¥",
    }
}

/// The marker at the start of `text`, with the rest of the text.
pub(super) fn strip_prefix(text: &str) -> Option<(&'static Marker, &str)> {
    MARKERS.iter().find_map(|marker| {
        let head = text.get(..marker.text.len())?;
        head.eq_ignore_ascii_case(marker.text)
            .then(|| (marker, &text[marker.text.len()..]))
    })
}

/// The marker at the end of `text`, with the text before it.
pub(super) fn strip_suffix(text: &str) -> Option<(&'static Marker, &str)> {
    MARKERS.iter().find_map(|marker| {
        let start = text.len().checked_sub(marker.text.len())?;
        let tail = text.get(start..)?;
        tail.eq_ignore_ascii_case(marker.text)
            .then(|| (marker, &text[..start]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_marker_is_hidden_behind_an_earlier_one() {
        for (index, earlier) in MARKERS.iter().enumerate() {
            for later in &MARKERS[index + 1..] {
                let later_text = later.text.to_ascii_uppercase();
                let earlier_text = earlier.text.to_ascii_uppercase();
                assert!(
                    !later_text.starts_with(&earlier_text) && !later_text.ends_with(&earlier_text),
                    "{} would never match: {} comes first",
                    later.text,
                    earlier.text
                );
            }
        }
    }

    #[test]
    fn each_zh_cn_symbol_reads_back_as_its_currency_and_only_the_yuan_sign_is_shared() {
        for currency in Currency::ALL {
            let symbol = zh_cn_symbol(currency);
            let typed = format!("{symbol}5");
            let (marker, rest) = strip_prefix(&typed).unwrap();
            assert_eq!(rest, "5");
            if currency == Cny {
                // ¥ is the yuan in zh-CN; yen are shown as JP¥, so the shared sign stays CNY's.
                assert_eq!(marker.means, [Cny, Jpy]);
            } else {
                assert_eq!(marker.means, [currency], "{symbol}");
            }
        }
    }

    #[test]
    fn markers_are_found_at_either_end_in_any_case() {
        let (marker, rest) = strip_prefix("rmb 500").unwrap();
        assert_eq!((marker.text, rest), ("RMB", " 500"));
        let (marker, rest) = strip_suffix("500 Hk$").unwrap();
        assert_eq!((marker.text, rest), ("HK$", "500 "));
        let (marker, rest) = strip_suffix("500日元").unwrap();
        assert_eq!((marker.text, rest), ("日元", "500"));
        assert!(strip_prefix("500").is_none());
        assert!(strip_suffix("").is_none());
    }
}
