//! The customers every fresh sandbox starts with, and the accounts at other banks it knows.

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
        account_number: "6222021234507890",
        parent: None,
    },
    SeedAccount {
        account_id: "acct_savings_01",
        product: "savings",
        name: "储蓄账户 Savings account",
        balance_minor: 12_000_000,
        account_number: "6222021234525678",
        parent: None,
    },
    SeedAccount {
        account_id: "acct_margin_01",
        product: "margin",
        name: "贵金属保证金 Precious-metal margin",
        balance_minor: 0,
        account_number: "6222029876570001",
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

/// The second customer: 王芳, the demo customer's landlord, a customer of this bank with no
/// bound device. Money paid to her stays inside the bank.
pub const LANDLORD_CUSTOMER_ID: &str = "landlord";
/// Her registered phone: where her account notices and binding OTPs go.
pub const LANDLORD_PHONE: &str = "+8613900139000";
/// Her current account's number: what a payer types to pay her.
pub const LANDLORD_ACCOUNT_NUMBER: &str = "6222028888006509";
/// The name her accounts are registered to: what confirmation of payee compares with.
pub const LANDLORD_HOLDER_NAME: &str = "王芳";
const LANDLORD_NAME: &str = "王芳 (Wang Fang)";

/// An account at another bank that this bank can name the holder of (the sandbox's stand-in for
/// a confirmation-of-payee directory). Fictional, like the banks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OtherBankAccount {
    pub account_number: &'static str,
    pub holder_name: &'static str,
    /// The code a payer names the bank by in a transfer (`payee.bank_code`).
    pub bank_code: &'static str,
    pub bank_name: &'static str,
}

/// Payees elsewhere: payments to them leave this bank through its other-bank account.
pub const OTHER_BANK_ACCOUNTS: [OtherBankAccount; 3] = [
    OtherBankAccount {
        account_number: "6217000000123456786",
        holder_name: "陈静",
        bank_code: "EASTDEMO",
        bank_name: "华东示范银行 East China Demo Bank",
    },
    OtherBankAccount {
        account_number: "6230580000987654329",
        holder_name: "刘洋",
        bank_code: "SOUTHTEST",
        bank_name: "南方测试银行 Southern Test Bank",
    },
    OtherBankAccount {
        account_number: "9558800000111122222",
        holder_name: "上海示例物业管理有限公司",
        bank_code: "EASTDEMO",
        bank_name: "华东示范银行 East China Demo Bank",
    },
];

struct LandlordAccount {
    account_id: &'static str,
    product: &'static str,
    name: &'static str,
    currency: &'static str,
    opening_minor: i64,
    account_number: &'static str,
}

/// A CNY current account to be paid rent into, and a JPY savings account (a currency without
/// minor units).
const LANDLORD_ACCOUNTS: [LandlordAccount; 2] = [
    LandlordAccount {
        account_id: "acct_landlord_current",
        product: "current",
        name: "活期账户 Current account",
        currency: "CNY",
        opening_minor: 860_000,
        account_number: LANDLORD_ACCOUNT_NUMBER,
    },
    LandlordAccount {
        account_id: "acct_landlord_jpy",
        product: "savings",
        name: "日元储蓄 JPY savings",
        currency: "JPY",
        opening_minor: 350_000,
        account_number: "6222028888008109",
    },
];

/// The landlord with her accounts and their opening balances (entries from the outside world),
/// and the directory of accounts at other banks.
pub(super) fn landlord_and_other_banks(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO customers (customer_id, display_name, phone, holder_name)
         VALUES (?1, ?2, ?3, ?4)",
        params![
            LANDLORD_CUSTOMER_ID,
            LANDLORD_NAME,
            LANDLORD_PHONE,
            LANDLORD_HOLDER_NAME
        ],
    )?;
    for (order, account) in LANDLORD_ACCOUNTS.iter().enumerate() {
        tx.execute(
            "INSERT INTO accounts (account_id, customer_id, product, name, account_number,
                                   sort_order)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                account.account_id,
                LANDLORD_CUSTOMER_ID,
                account.product,
                account.name,
                account.account_number,
                i64::try_from(order).unwrap_or(i64::MAX),
            ],
        )?;
        tx.execute(
            "INSERT INTO ledger_accounts (account_id, kind, currency, balance_minor)
             VALUES (?1, 'customer', ?2, ?3)",
            params![account.account_id, account.currency, account.opening_minor],
        )?;
        tx.execute(
            "INSERT INTO journal_entries (booked_at_ms, kind)
             VALUES (CAST(unixepoch('subsec') * 1000 AS INTEGER), 'opening')",
            [],
        )?;
        let entry_id = tx.last_insert_rowid();
        let outside_world = format!("sys_outside_world_{}", account.currency.to_lowercase());
        tx.execute(
            "INSERT INTO postings (entry_id, account_id, amount_minor, currency)
             VALUES (?1, ?2, ?3, ?4), (?1, ?5, -?3, ?4)",
            params![
                entry_id,
                account.account_id,
                account.opening_minor,
                account.currency,
                outside_world
            ],
        )?;
        tx.execute(
            "UPDATE ledger_accounts SET balance_minor = balance_minor - ?2 WHERE account_id = ?1",
            params![outside_world, account.opening_minor],
        )?;
    }
    tx.execute_batch(
        "CREATE TABLE other_bank_accounts (
             account_number  TEXT PRIMARY KEY,
             holder_name     TEXT NOT NULL,
             bank_name       TEXT NOT NULL
         ) STRICT;",
    )?;
    for known in &OTHER_BANK_ACCOUNTS {
        tx.execute(
            "INSERT INTO other_bank_accounts (account_number, holder_name, bank_name)
             VALUES (?1, ?2, ?3)",
            params![known.account_number, known.holder_name, known.bank_name],
        )?;
    }
    Ok(())
}

/// The demo customer's first account numbers failed their check digit, so nobody could have
/// typed them as a payee: each gets one inner digit changed, keeping its last four (what every
/// screen and notice shows).
pub(super) fn account_numbers_with_check_digits(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    for (old, new) in [
        ("6222021234567890", "6222021234507890"),
        ("6222021234565678", "6222021234525678"),
        ("6222029876540001", "6222029876570001"),
    ] {
        tx.execute(
            "UPDATE accounts SET account_number = ?2 WHERE account_number = ?1",
            params![old, new],
        )?;
    }
    Ok(())
}

/// The shop that takes QR payments: 街角便利店, a customer of this bank with a CNY business
/// account and no bound device, registered as a merchant.
pub const CORNER_SHOP_CUSTOMER_ID: &str = "corner_shop";
/// The merchant id the developer API prints the shop's QR code under.
pub const CORNER_SHOP_MERCHANT_ID: &str = "corner_shop";
/// The name the shop's account is registered to: what a QR payment's confirmation shows.
pub const CORNER_SHOP_HOLDER_NAME: &str = "街角便利店";
/// The shop's business account: what its QR code names.
pub const CORNER_SHOP_ACCOUNT_NUMBER: &str = "6222027777000011";
const CORNER_SHOP_PHONE: &str = "+8613700137000";
const CORNER_SHOP_ACCOUNT_ID: &str = "acct_shop_current";

/// The corner shop with its business account (empty: a new account has no opening entry), and
/// the merchants table:
/// which accounts take QR payments, and what the bank prints in their codes.
pub(super) fn corner_shop(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO customers (customer_id, display_name, phone, holder_name)
         VALUES (?1, '街角便利店 (Corner Shop)', ?2, ?3)",
        params![
            CORNER_SHOP_CUSTOMER_ID,
            CORNER_SHOP_PHONE,
            CORNER_SHOP_HOLDER_NAME
        ],
    )?;
    tx.execute(
        "INSERT INTO accounts (account_id, customer_id, product, name, account_number, sort_order)
         VALUES (?1, ?2, 'current', '经营账户 Business account', ?3, 0)",
        params![
            CORNER_SHOP_ACCOUNT_ID,
            CORNER_SHOP_CUSTOMER_ID,
            CORNER_SHOP_ACCOUNT_NUMBER
        ],
    )?;
    tx.execute(
        "INSERT INTO ledger_accounts (account_id, kind, currency, balance_minor)
         VALUES (?1, 'customer', 'CNY', 0)",
        params![CORNER_SHOP_ACCOUNT_ID],
    )?;
    tx.execute_batch(
        "
        -- A merchant: an account that takes QR payments, and the merchant data the bank prints
        -- in its codes (EMVCo data objects 52, 59, 60 and the alternate-language template 64).
        CREATE TABLE merchants (
            merchant_id    TEXT PRIMARY KEY,
            account_id     TEXT NOT NULL UNIQUE REFERENCES accounts(account_id),
            mcc            TEXT NOT NULL CHECK (length(mcc) = 4),
            name_latin     TEXT NOT NULL,
            city_latin     TEXT NOT NULL,
            language       TEXT NOT NULL,
            name_local     TEXT NOT NULL,
            city_local     TEXT NOT NULL
        ) STRICT;
        ",
    )?;
    tx.execute(
        "INSERT INTO merchants (merchant_id, account_id, mcc, name_latin, city_latin, language,
                                name_local, city_local)
         VALUES (?1, ?2, '5411', 'CORNER SHOP', 'SHANGHAI', 'ZH', ?3, '上海')",
        params![
            CORNER_SHOP_MERCHANT_ID,
            CORNER_SHOP_ACCOUNT_ID,
            CORNER_SHOP_HOLDER_NAME
        ],
    )?;
    Ok(())
}
