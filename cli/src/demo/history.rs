//! The history: a full sync with a progress bar, the latest transactions, a search, and last
//! month's spending as a chart.

use std::sync::Arc;

use mobank_core::{Account, ProductKind, Transaction};
use mobank_sandbox::DEMO_CUSTOMER_ID;
use rust_decimal::Decimal;

use super::chart::bar_chart;
use super::format::{count, fit, last_full_month, money, month_name, pad_left, pad_right};
use super::progress::SyncBar;
use super::{ensure, unexpected, Demo, OrFail, Outcome};

const SEARCH: &str = "starbucks";
const CHART_COLUMNS: usize = 28;
/// The most results the core returns for one query.
const MAX_RESULTS: usize = 1000;

pub async fn run(demo: &Demo, accounts: &[Account]) -> Outcome {
    demo.say.chapter("History");
    sync(demo).await?;
    latest(demo, accounts).await?;
    search(demo).await?;
    spending(demo).await
}

async fn sync(demo: &Demo) -> Outcome {
    let say = &demo.say;
    say.step("The whole history comes down to the phone's encrypted store");
    let expected = demo
        .bank
        .ledger(DEMO_CUSTOMER_ID)
        .map_err(|e| format!("reading the bank's ledger failed: {e}"))?
        .len() as u64;
    let bar = Arc::new(SyncBar::new());
    let started = std::time::Instant::now();
    let report = demo
        .phone
        .history()
        .sync(Some(bar.clone()))
        .await
        .or_fail("the history sync")?;
    let elapsed = started.elapsed();
    ensure(
        report.fetched == expected && report.stored == expected,
        || {
            unexpected(
                &format!("the sync must bring all {expected} transactions"),
                report,
            )
        },
    )?;
    let events = bar.events();
    let told_total = events.iter().all(|e| e.total_estimate == Some(expected));
    ensure(events.last().is_some_and(|e| e.done) && told_total, || {
        unexpected("progress must end done and know the total", events.last())
    })?;
    say.ok(&format!(
        "{} transactions in {:.1} s, sealed record by record (AES-256-GCM)",
        count(report.stored),
        elapsed.as_secs_f64()
    ));
    let again = demo
        .phone
        .history()
        .sync(None)
        .await
        .or_fail("the second sync")?;
    ensure(again.fetched == 0, || {
        unexpected("a second sync must fetch nothing new", again)
    })?;
    say.ok("syncing again fetches nothing: the phone resumes from its cursor");
    Ok(())
}

async fn latest(demo: &Demo, accounts: &[Account]) -> Outcome {
    let say = &demo.say;
    let current = accounts
        .iter()
        .find(|a| a.product == ProductKind::Current)
        .ok_or("Li Wei has no current account")?;
    say.step(&format!("The latest five on {}", current.name));
    let recent = demo
        .phone
        .history()
        .recent(&current.account_id, 5)
        .await
        .or_fail("reading the latest transactions")?;
    let newest_first = recent
        .windows(2)
        .all(|w| w[0].booking_date >= w[1].booking_date);
    let one_account = recent.iter().all(|t| t.account_id == current.account_id);
    ensure(recent.len() == 5 && newest_first && one_account, || {
        unexpected("five transactions of the account, newest first", &recent)
    })?;
    for line in transaction_table(&recent) {
        say.line(&line);
    }
    Ok(())
}

async fn search(demo: &Demo) -> Outcome {
    let say = &demo.say;
    say.step(&format!(
        "Search \"{SEARCH}\" (any case, any script; on the phone, offline)"
    ));
    let found = demo
        .phone
        .history()
        .search(SEARCH, MAX_RESULTS as u32)
        .await
        .or_fail("the search")?;
    let all_match = found.iter().all(|t| {
        format!("{} {}", t.counterparty, t.memo)
            .to_lowercase()
            .contains(SEARCH)
    });
    ensure(!found.is_empty() && all_match, || {
        unexpected("every hit must contain the search text", found.first())
    })?;
    let matches = if found.len() >= MAX_RESULTS {
        format!("more than {}", count(MAX_RESULTS as u64))
    } else {
        count(found.len() as u64)
    };
    say.ok(&format!("{matches} matches; the latest three:"));
    for line in transaction_table(&found[..found.len().min(3)]) {
        say.line(&line);
    }
    Ok(())
}

async fn spending(demo: &Demo) -> Outcome {
    let say = &demo.say;
    let month = last_full_month(demo.bank.now_ms()).ok_or("the bank's clock is out of range")?;
    say.step(&format!("Where the money went in {}", month_name(month)));
    let summary = demo
        .phone
        .history()
        .spending_summary(month.0, month.1)
        .await
        .or_fail("the spending summary")?;
    // Moving money between one's own accounts is not spending.
    let rows: Vec<(String, Decimal)> = summary
        .iter()
        .filter(|c| c.category != "transfer" && c.spent > Decimal::ZERO)
        .map(|c| (category_label(&c.category), c.spent))
        .collect();
    let largest_first = rows.windows(2).all(|w| w[0].1 >= w[1].1);
    let cny = summary.iter().all(|c| c.currency == "CNY");
    ensure(rows.len() >= 3 && largest_first && cny, || {
        unexpected(
            "a month of spending in several categories, largest first",
            &summary,
        )
    })?;
    for line in bar_chart(&rows, CHART_COLUMNS) {
        say.line(&line);
    }
    let total: Decimal = rows.iter().map(|(_, spent)| *spent).sum();
    say.aside(&format!(
        "{} CNY spent, own-account transfers left out",
        money(total)
    ));
    Ok(())
}

/// Date, counterparty, memo and a signed amount, in aligned columns.
fn transaction_table(transactions: &[Transaction]) -> Vec<String> {
    let amounts: Vec<String> = transactions
        .iter()
        .map(|t| {
            let sign = if t.amount > Decimal::ZERO { "+" } else { "" };
            format!("{sign}{}", money(t.amount))
        })
        .collect();
    let amount_columns = amounts.iter().map(|a| a.len()).max().unwrap_or(0);
    transactions
        .iter()
        .zip(&amounts)
        .map(|(t, amount)| {
            format!(
                "{}  {}  {}  {} {}",
                t.booking_date,
                pad_right(&fit(&t.counterparty, 24), 24),
                pad_right(&fit(&t.memo, 22), 22),
                pad_left(amount, amount_columns),
                t.currency
            )
        })
        .collect()
}

/// The bank's category with its Chinese name, as a Chinese banking app shows it.
fn category_label(category: &str) -> String {
    let chinese = match category {
        "salary" => "工资",
        "rent" => "房租",
        "groceries" => "买菜",
        "utilities" => "水电",
        "transfer" => "转账",
        "dining" => "餐饮",
        "transport" => "交通",
        "shopping" => "购物",
        _ => "其他",
    };
    format!("{chinese} {category}")
}

#[cfg(test)]
mod tests {
    use super::super::format::width;
    use super::*;

    #[test]
    fn transaction_rows_line_up() {
        let tx = |counterparty: &str, memo: &str, amount: i64| Transaction {
            transaction_id: "t".into(),
            account_id: "a".into(),
            booking_date: "2025-05-31".into(),
            amount: Decimal::new(amount, 2),
            currency: "CNY".into(),
            counterparty: counterparty.into(),
            memo: memo.into(),
            category: "dining".into(),
        };
        let lines = transaction_table(&[
            tx("Starbucks 星巴克", "拿铁 latte", -3_800),
            tx(
                "ACME Ltd 艾克米有限公司 with a long name",
                "工资 Salary 2025-05",
                2_850_000,
            ),
        ]);
        assert_eq!(width(&lines[0]), width(&lines[1]), "{lines:#?}");
        assert!(lines[0].ends_with("   -38.00 CNY"));
        assert!(lines[1].ends_with("+28,500.00 CNY"));
        assert_eq!(category_label("groceries"), "买菜 groceries");
    }
}
