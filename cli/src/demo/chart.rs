//! A horizontal bar chart in text: one row per label, bars scaled to the largest value in
//! eighths of a character, amounts right-aligned.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::format::{money, pad_left, pad_right, width};

/// Partial blocks, one to seven eighths wide.
const EIGHTHS: [char; 7] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const FULL: char = '█';

/// One line per row: label, a bar of at most `bar_columns`, the amount. Negative values count
/// as zero.
pub fn bar_chart(rows: &[(String, Decimal)], bar_columns: usize) -> Vec<String> {
    let largest = rows
        .iter()
        .map(|(_, value)| *value)
        .fold(Decimal::ZERO, Decimal::max);
    let label_columns = rows
        .iter()
        .map(|(label, _)| width(label))
        .max()
        .unwrap_or(0);
    let amount_columns = rows
        .iter()
        .map(|(_, value)| width(&money(*value)))
        .max()
        .unwrap_or(0);
    rows.iter()
        .map(|(label, value)| {
            format!(
                "{}  {} {}",
                pad_right(label, label_columns),
                pad_right(&bar(*value, largest, bar_columns), bar_columns),
                pad_left(&money(*value), amount_columns)
            )
        })
        .collect()
}

/// `value`'s share of `largest`, drawn `columns` wide at most. Anything above zero shows at
/// least a sliver, so a small category does not look like none.
pub fn bar(value: Decimal, largest: Decimal, columns: usize) -> String {
    if value <= Decimal::ZERO || largest <= Decimal::ZERO {
        return String::new();
    }
    let total_eighths = Decimal::from(columns.saturating_mul(8));
    let eighths = (value.min(largest) * total_eighths / largest)
        .round()
        .to_usize()
        .unwrap_or(0)
        .max(1);
    let mut drawn: String = std::iter::repeat_n(FULL, eighths / 8).collect();
    if !eighths.is_multiple_of(8) {
        drawn.push(EIGHTHS[eighths % 8 - 1]);
    }
    drawn
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    #[test]
    fn the_largest_fills_the_width_and_others_scale() {
        assert_eq!(bar(d(100), d(100), 10), "█".repeat(10));
        assert_eq!(bar(d(50), d(100), 10), "█".repeat(5));
        // 0.25 of 10 columns = 2.5 columns: two full blocks and a half.
        assert_eq!(bar(d(25), d(100), 10), "██▌");
        assert_eq!(bar(d(0), d(100), 10), "");
        assert_eq!(bar(d(-5), d(100), 10), "");
    }

    #[test]
    fn a_tiny_value_still_shows() {
        assert_eq!(bar(d(1), d(1_000_000), 10), "▏");
    }

    #[test]
    fn rows_line_up_whatever_the_labels() {
        let rows = vec![
            ("超市 groceries".to_string(), Decimal::new(365_012, 2)),
            ("餐饮 dining".to_string(), Decimal::new(182_506, 2)),
            ("rent".to_string(), Decimal::new(9_00, 2)),
        ];
        let lines = bar_chart(&rows, 20);
        assert_eq!(lines.len(), 3);
        let widths: Vec<usize> = lines.iter().map(|l| width(l)).collect();
        assert!(widths.iter().all(|w| *w == widths[0]), "{lines:#?}");
        assert!(lines[0].contains(&"█".repeat(20)));
        assert!(lines[1].contains(&"█".repeat(10)));
        assert!(!lines[1].contains(&"█".repeat(11)));
        assert!(lines[0].ends_with("3,650.12"));
        assert!(lines[2].ends_with("    9.00"));
    }
}
