//! Text for the terminal: amounts, counts, bank times, and padding by display width (a Chinese
//! character takes two columns, so `{:<20}` alone would not line up).

use std::time::Duration;

use rust_decimal::Decimal;
use time::macros::offset;
use time::OffsetDateTime;
use unicode_width::UnicodeWidthStr;

/// Columns `text` takes in a terminal.
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// `text` followed by spaces up to `columns`.
pub fn pad_right(text: &str, columns: usize) -> String {
    let pad = columns.saturating_sub(width(text));
    format!("{text}{}", " ".repeat(pad))
}

/// Spaces up to `columns`, then `text`.
pub fn pad_left(text: &str, columns: usize) -> String {
    let pad = columns.saturating_sub(width(text));
    format!("{}{text}", " ".repeat(pad))
}

/// `text` cut to at most `columns`, ending in "…" when cut.
pub fn fit(text: &str, columns: usize) -> String {
    if width(text) <= columns {
        return text.to_string();
    }
    let mut kept = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let w = width(ch.encode_utf8(&mut [0u8; 4]));
        if used + w + 1 > columns {
            break;
        }
        kept.push(ch);
        used += w;
    }
    kept.push('…');
    kept
}

/// 1234567.5 → "1,234,567.50"
pub fn money(amount: Decimal) -> String {
    let text = format!("{:.2}", amount.round_dp(2));
    let (sign, text) = text
        .strip_prefix('-')
        .map_or(("", text.as_str()), |t| ("-", t));
    let (int, frac) = text.split_once('.').unwrap_or((text, "00"));
    format!("{sign}{}.{frac}", group(int))
}

/// 20000 → "20,000"
pub fn count(n: u64) -> String {
    group(&n.to_string())
}

fn group(digits: &str) -> String {
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// The bank's wall time (China Standard Time) of a Unix millisecond instant.
fn bank_datetime(ms: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .map(|t| t.to_offset(offset!(+8)))
}

/// "2025-06-03 14:05", in the bank's time zone.
pub fn bank_time(ms: i64) -> String {
    bank_datetime(ms).map_or_else(
        || "?".to_string(),
        |t| {
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02}",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute()
            )
        },
    )
}

/// The month before the one `now_ms` falls in, on the bank's calendar: the last full month.
pub fn last_full_month(now_ms: i64) -> Option<(i32, u8)> {
    let now = bank_datetime(now_ms)?;
    Some(match u8::from(now.month()) {
        1 => (now.year() - 1, 12),
        month => (now.year(), month - 1),
    })
}

/// "2025-05"
pub fn month_name((year, month): (i32, u8)) -> String {
    format!("{year:04}-{month:02}")
}

/// 299 s → "4:59"; an hour or more → "24:01:00"
pub fn minutes(duration: Duration) -> String {
    let secs = duration.as_secs();
    if secs >= 3600 {
        return format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
    }
    format!("{}:{:02}", secs / 60, secs % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(money(Decimal::new(123456750, 2)), "1,234,567.50");
        assert_eq!(money(Decimal::new(-5, 1)), "-0.50");
        assert_eq!(money(Decimal::new(100, 0)), "100.00");
        assert_eq!(money(Decimal::new(-123456, 2)), "-1,234.56");
        assert_eq!(count(20_000), "20,000");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000_000), "1,000,000");
    }

    #[test]
    fn pads_by_display_width_not_by_chars() {
        assert_eq!(width("活期账户"), 8);
        assert_eq!(pad_right("活期", 6), "活期  ");
        assert_eq!(pad_right("ab", 6), "ab    ");
        assert_eq!(pad_left("1.00", 6), "  1.00");
        assert_eq!(width(&pad_right("储蓄账户 Savings", 24)), 24);
        // Already too wide: left as it is, never cut.
        assert_eq!(pad_right("活期账户", 4), "活期账户");
    }

    #[test]
    fn fits_long_text_into_its_column() {
        assert_eq!(fit("Starbucks", 20), "Starbucks");
        assert_eq!(fit("盒马鲜生 Hema", 7), "盒马鲜…");
        assert!(width(&fit("盒马鲜生 Hema", 8)) <= 8);
        assert_eq!(fit("abcdef", 4), "abc…");
    }

    #[test]
    fn times_are_the_banks_wall_clock() {
        // 2024-03-31T16:30:00Z is 00:30 on April 1st in Beijing.
        assert_eq!(bank_time(1_711_902_600_000), "2024-04-01 00:30");
        assert_eq!(last_full_month(1_711_902_600_000), Some((2024, 3)));
        // 2025-01-10 in Beijing: the last full month is December of the year before.
        assert_eq!(last_full_month(1_736_467_200_000), Some((2024, 12)));
        assert_eq!(month_name((2024, 3)), "2024-03");
        assert_eq!(minutes(Duration::from_secs(299)), "4:59");
        assert_eq!(minutes(Duration::from_secs(300)), "5:00");
        assert_eq!(minutes(Duration::from_secs(3599)), "59:59");
        assert_eq!(minutes(Duration::from_secs(24 * 3600 + 61)), "24:01:01");
    }
}
