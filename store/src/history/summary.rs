//! The monthly summary: totals per category and currency.

use std::collections::HashMap;

use crate::error::{Result, StoreError};
use crate::model::{CategoryTotal, TxView};

pub(super) fn add_to_totals(
    totals: &mut HashMap<(String, String), CategoryTotal>,
    view: &TxView<'_>,
) -> Result<()> {
    let key = (view.category.to_owned(), view.currency.to_owned());
    let total = totals.entry(key).or_insert_with(|| CategoryTotal {
        category: view.category.to_owned(),
        currency: view.currency.to_owned(),
        spent_minor: 0,
        received_minor: 0,
        transactions: 0,
    });
    if view.amount_minor < 0 {
        let spent = view
            .amount_minor
            .checked_neg()
            .ok_or(StoreError::AmountOverflow)?;
        total.spent_minor = total
            .spent_minor
            .checked_add(spent)
            .ok_or(StoreError::AmountOverflow)?;
    } else {
        total.received_minor = total
            .received_minor
            .checked_add(view.amount_minor)
            .ok_or(StoreError::AmountOverflow)?;
    }
    total.transactions = total.transactions.saturating_add(1);
    Ok(())
}

/// First and last day (days since 1970-01-01) of a calendar month.
pub(super) fn month_days(year: i32, month: u8) -> Result<(i32, i32)> {
    const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;
    let month =
        time::Month::try_from(month).map_err(|_| StoreError::InvalidInput("month must be 1-12"))?;
    let first = time::Date::from_calendar_date(year, month, 1)
        .map_err(|_| StoreError::InvalidInput("year out of range"))?;
    let last = first
        .replace_day(month.length(year))
        .map_err(|_| StoreError::InvalidInput("year out of range"))?;
    Ok((
        first.to_julian_day() - UNIX_EPOCH_JULIAN_DAY,
        last.to_julian_day() - UNIX_EPOCH_JULIAN_DAY,
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::month_days;

    #[test]
    fn month_bounds_follow_the_calendar() {
        // 2024-02-01 is day 19754; 2024 is a leap year.
        assert_eq!(month_days(2024, 2).unwrap(), (19754, 19782));
        assert_eq!(month_days(1970, 1).unwrap(), (0, 30));
        assert!(month_days(2024, 13).is_err());
    }
}
