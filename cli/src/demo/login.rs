//! Logging in with a face, the accounts overview, and logging out.

use mobank_core::{Account, BindingState, MobankError, MobankEvent};
use rust_decimal::Decimal;

use super::format::{money, pad_left, pad_right, width};
use super::{ensure, unexpected, Demo, OrFail, Outcome};

pub async fn first_login(demo: &Demo) -> Outcome<Vec<Account>> {
    let say = &demo.say;
    say.chapter("Logging in");

    say.step("Login with face recognition");
    let session = demo
        .phone
        .auth()
        .login_biometric("Log in to Mobank")
        .await
        .or_fail("the biometric login")?;
    ensure(session.idle_timeout_secs == 300, || {
        unexpected(
            "the bank's idle timeout must be 5 minutes",
            session.idle_timeout_secs,
        )
    })?;
    say.ok(&format!(
        "logged in; the session ends after {} min idle, and after 12 h whatever happens",
        session.idle_timeout_secs / 60
    ));
    say.aside("The session token lives only in memory; it is never written to disk.");
    // A new binding cools off: its first login tells the app its low limits, and nothing else.
    let events = demo.events.take();
    ensure(
        events
            .iter()
            .all(|e| matches!(e, MobankEvent::LimitsChanged { .. })),
        || {
            unexpected(
                "only the limits may be announced at the first login",
                &events,
            )
        },
    )?;

    say.step("One view of every account");
    let accounts = demo
        .phone
        .accounts()
        .list()
        .await
        .or_fail("listing the accounts")?;
    ensure(accounts.len() >= 2, || {
        unexpected("Li Wei has a current and a savings account", accounts.len())
    })?;
    for line in account_table(&accounts) {
        say.line(&line);
    }
    Ok(accounts)
}

/// The accounts with balances and a total, every column aligned (names are partly Chinese).
pub(super) fn account_table(accounts: &[Account]) -> Vec<String> {
    let name = |account: &Account| {
        if account.parent_account_id.is_some() {
            format!("  └ {}", account.name)
        } else {
            account.name.clone()
        }
    };
    let name_columns = accounts.iter().map(|a| width(&name(a))).max().unwrap_or(0);
    let number_columns = accounts
        .iter()
        .map(|a| width(&a.masked_number))
        .max()
        .unwrap_or(0);
    let total: Decimal = accounts.iter().map(|a| a.balance).sum();
    let amount_columns = accounts
        .iter()
        .map(|a| money(a.balance))
        .chain([money(total)])
        .map(|text| width(&text))
        .max()
        .unwrap_or(0);
    let mut lines: Vec<String> = accounts
        .iter()
        .map(|account| {
            format!(
                "{}  {}  {} {}",
                pad_right(&name(account), name_columns),
                pad_right(&account.masked_number, number_columns),
                pad_left(&money(account.balance), amount_columns),
                account.currency
            )
        })
        .collect();
    let row_columns = name_columns + number_columns + amount_columns + 4;
    lines.push("─".repeat(row_columns + 4));
    let currencies: Vec<&str> = accounts.iter().map(|a| a.currency.as_str()).collect();
    let currency = if currencies.iter().all(|c| *c == currencies[0]) {
        currencies[0]
    } else {
        "(mixed)"
    };
    lines.push(format!(
        "{} {} {currency}",
        pad_right("Total", row_columns - amount_columns - 1),
        pad_left(&money(total), amount_columns)
    ));
    lines
}

pub async fn log_out(demo: &Demo) -> Outcome {
    let say = &demo.say;
    say.chapter("Done for today");
    say.step("Log out");
    demo.phone.auth().logout();
    match demo.phone.accounts().list().await {
        Err(MobankError::NotLoggedIn) => say.ok("logged out: the token is gone from memory"),
        other => {
            return Err(unexpected(
                "accounts must not be readable after logout",
                other,
            ))
        }
    }
    match demo.phone.binding_state().or_fail("reading the binding")? {
        BindingState::Bound(summary) if !summary.blocked => say.ok(&format!(
            "the phone stays bound ({}); next time it only needs a face or the PIN",
            summary.device_name
        )),
        other => return Err(unexpected("the phone must stay bound", other)),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use mobank_core::ProductKind;

    fn account(name: &str, number: &str, balance: i64, parent: Option<&str>) -> Account {
        Account {
            account_id: name.to_string(),
            product: ProductKind::Current,
            name: name.to_string(),
            currency: "CNY".to_string(),
            balance: Decimal::new(balance, 2),
            masked_number: number.to_string(),
            parent_account_id: parent.map(str::to_string),
        }
    }

    #[test]
    fn columns_line_up_with_chinese_names() {
        let lines = account_table(&[
            account(
                "活期账户 Current account",
                "6222 **** **** 7890",
                5_238_025,
                None,
            ),
            account(
                "储蓄账户 Savings account",
                "6222 **** **** 5678",
                12_000_000_000,
                None,
            ),
            account(
                "贵金属保证金 Precious-metal margin",
                "6222 **** **** 0001",
                0,
                Some("x"),
            ),
        ]);
        let rows: Vec<usize> = lines
            .iter()
            .filter(|l| !l.starts_with('─'))
            .map(|l| width(l))
            .collect();
        assert!(rows.iter().all(|w| *w == rows[0]), "{lines:#?}");
        // The numbers start in the same column on every account row.
        let starts: Vec<usize> = lines[..3]
            .iter()
            .map(|l| width(&l[..l.find("6222").unwrap()]))
            .collect();
        assert!(starts.iter().all(|s| *s == starts[0]), "{lines:#?}");
        assert!(lines[4].starts_with("Total") && lines[4].ends_with("120,052,380.25 CNY"));
    }
}
