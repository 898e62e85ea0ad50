//! The history queries: checked input, a read of the store on the blocking pool, results in the
//! app's types. Nothing here touches the network.

use std::sync::Arc;

use mobank_store::{Store, StoreError};

use super::cache::store_for;
use super::convert::{from_stored, from_total, parse_iso_date};
use super::model::{CategorySpending, Transaction};
use crate::auth::authorize;
use crate::context::Context;
use crate::error::MobankError;
use crate::runtime::blocking;
use crate::storage::{is_cache_damage, reset_cache};

/// The most results one call returns: a screen's worth many times over, and a bound on what a
/// single call can make the phone decrypt into memory.
pub(crate) const MAX_RESULTS: u32 = 1_000;
const MAX_ACCOUNT_ID_CHARS: usize = 128;
const MAX_SEARCH_CHARS: usize = 100;
const FIRST_YEAR: i32 = 1970;
const LAST_YEAR: i32 = 9999;

/// A checked query, ready to run against the store.
pub(crate) enum Query {
    Recent {
        account_id: String,
        count: u32,
    },
    Between {
        account_id: String,
        from_day: i32,
        to_day: i32,
    },
    Search {
        text: String,
        limit: u32,
    },
}

impl Query {
    pub(crate) fn recent(account_id: &str, count: u32) -> Result<Self, MobankError> {
        Ok(Query::Recent {
            account_id: account_id_arg(account_id)?,
            count: count_arg(count, "count must be 1 to 1000")?,
        })
    }

    pub(crate) fn between(account_id: &str, from: &str, to: &str) -> Result<Self, MobankError> {
        const NOT_A_DATE: &str = "dates must be yyyy-mm-dd";
        let from_day = parse_iso_date(from).ok_or_else(|| invalid(NOT_A_DATE))?;
        let to_day = parse_iso_date(to).ok_or_else(|| invalid(NOT_A_DATE))?;
        if from_day > to_day {
            return Err(invalid("the range must not end before it starts"));
        }
        Ok(Query::Between {
            account_id: account_id_arg(account_id)?,
            from_day,
            to_day,
        })
    }

    pub(crate) fn search(text: &str, limit: u32) -> Result<Self, MobankError> {
        let text = text.trim();
        if text.is_empty() || text.chars().count() > MAX_SEARCH_CHARS {
            return Err(invalid("search text must be 1 to 100 characters"));
        }
        Ok(Query::Search {
            text: text.to_owned(),
            limit: count_arg(limit, "limit must be 1 to 1000")?,
        })
    }

    fn run(&self, store: &Store) -> Result<Vec<Transaction>, StoreError> {
        let found = match self {
            Query::Recent { account_id, count } => store.last_n(account_id, *count)?,
            Query::Between {
                account_id,
                from_day,
                to_day,
            } => store.range(account_id, *from_day, *to_day)?,
            Query::Search { text, limit } => store.search(text, None, *limit)?,
        };
        Ok(found.into_iter().map(from_stored).collect())
    }
}

/// A month of the bank's calendar, checked.
pub(crate) struct Month {
    year: i32,
    month: u8,
}

impl Month {
    pub(crate) fn new(year: i32, month: u8) -> Result<Self, MobankError> {
        if !(FIRST_YEAR..=LAST_YEAR).contains(&year) || !(1..=12).contains(&month) {
            return Err(invalid("year must be 1970 to 9999 and month 1 to 12"));
        }
        Ok(Self { year, month })
    }
}

pub(crate) async fn run_query(
    context: &Arc<Context>,
    query: Query,
) -> Result<Vec<Transaction>, MobankError> {
    read_history(context, move |store| query.run(store)).await
}

pub(crate) async fn month_summary(
    context: &Arc<Context>,
    month: Month,
) -> Result<Vec<CategorySpending>, MobankError> {
    read_history(context, move |store| {
        let totals = store.monthly_summary(month.year, month.month, None)?;
        Ok(totals.into_iter().map(from_total).collect())
    })
    .await
}

/// Runs a read in the live session's store, off the runtime. A cache that fails its
/// integrity check is cleared (the next sync fetches it again) and reported as
/// `HistoryDamaged`, never as an empty history.
async fn read_history<T: Send + 'static>(
    context: &Arc<Context>,
    read: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, MobankError> {
    let auth = authorize(context, None)?;
    let store = store_for(context, &auth.device_id).await?;
    let device_id = auth.device_id;
    blocking(move || match read(&store) {
        Ok(found) => Ok(found),
        Err(error) if is_cache_damage(&error) => {
            reset_cache(&store, &device_id)?;
            Err(MobankError::HistoryDamaged)
        }
        Err(error) => Err(error.into()),
    })
    .await?
}

fn account_id_arg(account_id: &str) -> Result<String, MobankError> {
    let ok = !account_id.is_empty()
        && account_id.chars().count() <= MAX_ACCOUNT_ID_CHARS
        && !account_id.chars().any(char::is_control);
    if !ok {
        return Err(invalid(
            "account id must be 1 to 128 characters without control characters",
        ));
    }
    Ok(account_id.to_owned())
}

fn count_arg(count: u32, rule: &'static str) -> Result<u32, MobankError> {
    if (1..=MAX_RESULTS).contains(&count) {
        Ok(count)
    } else {
        Err(invalid(rule))
    }
}

fn invalid(what: &str) -> MobankError {
    MobankError::InvalidInput {
        what: what.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_checked_before_the_store_is_touched() {
        assert!(Query::recent("acct", 50).is_ok());
        assert!(Query::recent("", 50).is_err());
        assert!(Query::recent("acct", 0).is_err());
        assert!(Query::recent("acct", MAX_RESULTS + 1).is_err());
        assert!(Query::recent("ac\u{0}ct", 1).is_err());
        assert!(Query::between("acct", "2024-01-01", "2024-01-01").is_ok());
        assert!(Query::between("acct", "2024-01-02", "2024-01-01").is_err());
        assert!(Query::between("acct", "2024-01-01", "tomorrow").is_err());
        assert!(Query::search("  ", 10).is_err());
        assert!(Query::search(&"字".repeat(101), 10).is_err());
        assert!(Query::search("工资", 10).is_ok());
        assert!(Month::new(2024, 12).is_ok());
        assert!(Month::new(2024, 13).is_err());
        assert!(Month::new(1969, 1).is_err());
    }

    #[test]
    fn a_refused_argument_names_the_rule_not_the_value() {
        let Err(MobankError::InvalidInput { what }) = Query::search(&"秘密".repeat(60), 10)
        else {
            panic!("expected InvalidInput");
        };
        assert!(!what.contains("秘密"));
    }
}
