//! The bank's monitor for pass-through accounts (story #3: an account that only relays money
//! for fraud). It reads a customer's booked movements in CNY — moves between the customer's
//! own accounts left out — and applies the rules docs/policy.md ("Monitor") documents; by that
//! policy, a pass-through or a fan pattern suspends the customer's e-banking at once, while a
//! volume out of profile alone is flagged for a person to review.

use rusqlite::{params, Connection};

use crate::bank::Bank;
use crate::db::{customers, transfers};
use crate::dev::{MonitorReport, MonitorRule};
use crate::error::SandboxError;

/// The window every rule looks at: the last 24 hours of bank time.
pub(crate) const WINDOW_MS: i64 = 24 * 60 * 60 * 1000;
/// The account's profile: the 30 days before the window.
pub(crate) const PROFILE_DAYS: i64 = 30;
/// Pass-through: at least this much in (¥10,000.00)…
pub(crate) const PASS_THROUGH_MIN_IN_MINOR: i64 = 1_000_000;
/// …and at least this share of it out again (80 %), within the window.
pub(crate) const PASS_THROUGH_OUT_PERCENT: i64 = 80;
/// Fan in / fan out: at least this many distinct parties on one side…
pub(crate) const FAN_MANY: usize = 5;
/// …and at most this many on the other, with money moving on both.
pub(crate) const FAN_FEW: usize = 1;
/// Out of profile: the window's volume (in plus out) is at least this many times the
/// profile's daily average…
pub(crate) const PROFILE_FACTOR: i64 = 10;
/// …and at least this much (¥10,000.00), so that a quiet account's first rent is no alarm.
pub(crate) const PROFILE_MIN_VOLUME_MINOR: i64 = 1_000_000;

/// One booked movement on the customer's accounts, as the rules see it.
struct Movement {
    booked_at_ms: i64,
    amount_minor: i64,
    counterparty: String,
}

/// Runs the rules for `customer_id` at bank time now; suspends by policy.
pub(crate) fn run(bank: &Bank, customer_id: &str) -> Result<MonitorReport, SandboxError> {
    let now = bank.clock.now_ms();
    bank.with_db(|conn| {
        if !customers::exists(conn, customer_id)? {
            return Err(SandboxError::UnknownCustomer);
        }
        let since = now - WINDOW_MS - PROFILE_DAYS * WINDOW_MS;
        let movements = movements(conn, customer_id, since, now)?;
        let flags = rules(&movements, now);
        let suspend = flags
            .iter()
            .any(|rule| matches!(rule, MonitorRule::PassThrough | MonitorRule::FanInFanOut));
        if suspend {
            transfers::set_suspended(conn, customer_id, true)?;
        }
        tracing::info!(?flags, suspended_now = suspend, "monitor ran");
        Ok(MonitorReport {
            customer_id: customer_id.to_owned(),
            flags,
            suspended: transfers::is_suspended(conn, customer_id)?,
        })
    })
}

fn movements(
    conn: &Connection,
    customer_id: &str,
    since: i64,
    until: i64,
) -> rusqlite::Result<Vec<Movement>> {
    conn.prepare(
        "SELECT t.booked_at_ms, t.amount_minor, t.counterparty FROM transactions t
         WHERE t.customer_id = ?1 AND t.currency = 'CNY' AND t.amount_minor <> 0
           AND t.booked_at_ms > ?2 AND t.booked_at_ms <= ?3
           AND NOT EXISTS (SELECT 1 FROM transactions own
                           WHERE own.entry_id = t.entry_id AND own.customer_id = t.customer_id
                             AND own.transaction_id <> t.transaction_id)",
    )?
    .query_map(params![customer_id, since, until], |row| {
        Ok(Movement {
            booked_at_ms: row.get(0)?,
            amount_minor: row.get(1)?,
            counterparty: row.get(2)?,
        })
    })?
    .collect()
}

fn rules(movements: &[Movement], now: i64) -> Vec<MonitorRule> {
    let window_start = now - WINDOW_MS;
    let (window, profile): (Vec<&Movement>, Vec<&Movement>) = movements
        .iter()
        .partition(|movement| movement.booked_at_ms > window_start);
    let incoming: i64 = window.iter().map(|m| m.amount_minor.max(0)).sum();
    let outgoing: i64 = window.iter().map(|m| (-m.amount_minor).max(0)).sum();
    let parties = |sign: i64| {
        let mut names: Vec<&str> = window
            .iter()
            .filter(|m| m.amount_minor.signum() == sign)
            .map(|m| m.counterparty.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        names.len()
    };
    let (senders, receivers) = (parties(1), parties(-1));

    let mut flags = Vec::new();
    if incoming >= PASS_THROUGH_MIN_IN_MINOR
        && outgoing.saturating_mul(100) >= incoming.saturating_mul(PASS_THROUGH_OUT_PERCENT)
    {
        flags.push(MonitorRule::PassThrough);
    }
    let fan_in = senders >= FAN_MANY && (1..=FAN_FEW).contains(&receivers);
    let fan_out = receivers >= FAN_MANY && (1..=FAN_FEW).contains(&senders);
    if fan_in || fan_out {
        flags.push(MonitorRule::FanInFanOut);
    }
    let volume = incoming.saturating_add(outgoing);
    let usual_daily = profile
        .iter()
        .map(|m| m.amount_minor.saturating_abs())
        .sum::<i64>()
        / PROFILE_DAYS;
    if volume >= PROFILE_MIN_VOLUME_MINOR && volume > usual_daily.saturating_mul(PROFILE_FACTOR) {
        flags.push(MonitorRule::OutOfProfile);
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 100 * WINDOW_MS;
    const HOUR: i64 = 60 * 60 * 1000;

    fn moved(hours_ago: i64, amount_minor: i64, counterparty: &str) -> Movement {
        Movement {
            booked_at_ms: NOW - hours_ago * HOUR,
            amount_minor,
            counterparty: counterparty.to_owned(),
        }
    }

    #[test]
    fn scattered_credits_sent_on_at_once_are_a_pass_through_and_a_fan_in() {
        let mut seen: Vec<Movement> = ["甲", "乙", "丙", "丁", "戊"]
            .iter()
            .map(|name| moved(5, 300_000, name))
            .collect();
        seen.push(moved(1, -1_400_000, "收款人"));
        assert_eq!(
            rules(&seen, NOW),
            [
                MonitorRule::PassThrough,
                MonitorRule::FanInFanOut,
                MonitorRule::OutOfProfile
            ]
        );
    }

    #[test]
    fn money_that_stays_is_no_pass_through_and_a_month_ago_is_outside_the_window() {
        let salary_kept = [moved(3, 2_000_000, "公司"), moved(2, -350_000, "王芳")];
        assert_eq!(rules(&salary_kept, NOW), [MonitorRule::OutOfProfile]);
        let a_month_ago = [
            moved(24 * 20, 2_000_000, "公司"),
            moved(24 * 20, -1_900_000, "x"),
        ];
        assert!(rules(&a_month_ago, NOW).is_empty());
    }

    #[test]
    fn one_payer_paying_many_is_a_fan_out() {
        let mut seen = vec![moved(6, 600_000, "上家")];
        for name in ["a", "b", "c", "d", "e"] {
            seen.push(moved(2, -10_000, name));
        }
        assert_eq!(rules(&seen, NOW), [MonitorRule::FanInFanOut]);
    }

    #[test]
    fn a_large_volume_the_account_is_used_to_is_not_out_of_profile() {
        let mut seen: Vec<Movement> = (2..30)
            .map(|day| moved(24 * day, 2_000_000, "公司"))
            .collect();
        seen.push(moved(2, 2_000_000, "公司"));
        assert!(!rules(&seen, NOW).contains(&MonitorRule::OutOfProfile));
    }
}
