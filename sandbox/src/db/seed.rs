//! The demo customer every fresh sandbox starts with.

use rusqlite::{params, Transaction};

/// The customer every fresh sandbox has.
pub const DEMO_CUSTOMER_ID: &str = "demo";
/// The demo customer's registered phone: where binding OTPs go.
pub const DEMO_PHONE: &str = "+8613800138000";
const DEMO_NAME: &str = "李伟 (Li Wei)";

struct SeedAccount {
    account_id: &'static str,
    product: &'static str,
    name: &'static str,
    balance_minor: i64,
    account_number: &'static str,
    parent: Option<&'static str>,
}

/// A current and a savings account, and a precious-metal margin sub-account under the current
/// account: where a fraudster parks money so that it looks gone, which the overview must show.
const DEMO_ACCOUNTS: [SeedAccount; 3] = [
    SeedAccount {
        account_id: "acct_current_01",
        product: "current",
        name: "活期账户 Current account",
        balance_minor: 5_238_025,
        account_number: "6222021234567890",
        parent: None,
    },
    SeedAccount {
        account_id: "acct_savings_01",
        product: "savings",
        name: "储蓄账户 Savings account",
        balance_minor: 12_000_000,
        account_number: "6222021234565678",
        parent: None,
    },
    SeedAccount {
        account_id: "acct_margin_01",
        product: "margin",
        name: "贵金属保证金 Precious-metal margin",
        balance_minor: 0,
        account_number: "6222029876540001",
        parent: Some("acct_current_01"),
    },
];

pub(super) fn demo_customer(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO customers (customer_id, display_name, phone) VALUES (?1, ?2, ?3)",
        params![DEMO_CUSTOMER_ID, DEMO_NAME, DEMO_PHONE],
    )?;
    for (order, account) in DEMO_ACCOUNTS.iter().enumerate() {
        tx.execute(
            "INSERT INTO accounts (account_id, customer_id, product, name, currency, balance_minor,
                                   account_number, parent_account_id, sort_order)
             VALUES (?1, ?2, ?3, ?4, 'CNY', ?5, ?6, ?7, ?8)",
            params![
                account.account_id,
                DEMO_CUSTOMER_ID,
                account.product,
                account.name,
                account.balance_minor,
                account.account_number,
                account.parent,
                i64::try_from(order).unwrap_or(i64::MAX),
            ],
        )?;
    }
    Ok(())
}
