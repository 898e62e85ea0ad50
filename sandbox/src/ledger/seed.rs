//! A realistic, reproducible transaction history for the demo customer: salary, rent, bills,
//! groceries, meals, rides, online shopping and sweeps between the current and the savings
//! account, with counterparties and memos in Chinese and English.
//!
//! Deterministic: the same count and the same clock give the same history (a fixed-seed
//! SplitMix64; nothing here is a secret). The history ends at the sandbox's clock and reaches
//! back at most about ten years; more rows make busier days, not older ones.
//!
//! Every row is one leg of a journal entry: card payments against the card network, bills
//! against the other-bank account, salary and interest from the outside world, sweeps between
//! the two accounts, and rent into the landlord's account at this bank (her history gets the
//! other row). Entries are written with prepared statements and the balances they move are
//! kept in memory and written once at the end, so a hundred thousand rows stay fast.
//!
//! Balances stay consistent: from `MIN_ROWS_FOR_STATEMENT` rows on, each account's history
//! starts with its opening balance (the ledger's opening entry, moved to the start of the
//! history), and the balance is exactly the sum of the account's rows; a payment that would
//! take the current account below zero is booked as a refund instead (rent is paid from
//! savings first), so no balance is ever negative.

use std::borrow::Cow;

use rusqlite::{params, OptionalExtension, Transaction};
use time::{Date, Month};

use super::history::Booking;
use super::journal::{EntryKind, Writer};
use super::{Currency, SystemAccount};
use crate::db::seed::{DEMO_CUSTOMER_ID, LANDLORD_CUSTOMER_ID};
use crate::error::SandboxError;
use crate::mask::last_four;

const DAY_MS: i64 = 86_400_000;
const HOUR_MS: i64 = 3_600_000;
const MINUTE_MS: i64 = 60_000;
/// Bookings are timed in Beijing time (UTC+8, no daylight saving).
const LOCAL_OFFSET_MS: i64 = 8 * HOUR_MS;
/// Julian day number of 1970-01-01.
const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;
/// At least this many card payments and the like per day, however few rows are asked for.
const MIN_DAILY_RATE: u32 = 4;
/// The history reaches back at most this far; more rows make busier days instead.
const MAX_SPAN_DAYS: u32 = 3_650;
/// Below this, rows are only day-to-day payments: no statement skeleton fits.
const MIN_ROWS_FOR_STATEMENT: u32 = 50;
const RENT_MINOR: i64 = 650_000;
const HUNDRED_YUAN: i64 = 10_000;
const OPENING_SAVINGS_MINOR: i64 = 5_000_000;
const SEED: u64 = 0x6d6f_6261_6e6b_0003;

/// SplitMix64: tiny, fast and well distributed; enough for a demo history.
struct Prng(u64);

impl Prng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (the bias of the multiply-shift is far below anything visible here).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Current,
    Savings,
}

/// One booking before balances are known: sweeps and interest get their amount when the
/// history is replayed in order.
#[derive(Clone)]
struct Event {
    at_ms: i64,
    /// Keeps the two legs of a sweep, and events at the same minute, in a stable order.
    order: u32,
    kind: Kind,
}

#[derive(Clone)]
enum Kind {
    Opening(Which),
    /// A fixed-amount booking on one account (negative: money out).
    Booking {
        account: Which,
        amount_minor: i64,
        counterparty: Cow<'static, str>,
        memo: String,
        category: &'static str,
    },
    /// Monthly: keep a buffer in the current account, sweep the rest to savings (or top up
    /// from savings when below the buffer). Two rows.
    Sweep,
    /// Quarterly interest on savings.
    Interest {
        label: String,
    },
}

struct Merchant {
    counterparty: &'static str,
    category: &'static str,
    min_minor: i64,
    max_minor: i64,
    whole_yuan: bool,
    /// Local hours in which it is paid, `[from, to)`.
    hours: (i64, i64),
    weight: u64,
    memos: &'static [&'static str],
}

const MERCHANTS: [Merchant; 10] = [
    Merchant {
        counterparty: "盒马鲜生 Hema",
        category: "groceries",
        min_minor: 3_500,
        max_minor: 38_000,
        whole_yuan: false,
        hours: (9, 22),
        weight: 9,
        memos: &[
            "盒马鲜生 生鲜蔬果",
            "Hema groceries",
            "盒马 周末采购 weekend shop",
        ],
    },
    Merchant {
        counterparty: "永辉超市 Yonghui",
        category: "groceries",
        min_minor: 2_500,
        max_minor: 30_000,
        whole_yuan: false,
        hours: (8, 22),
        weight: 6,
        memos: &["永辉超市 日用品", "Yonghui supermarket", "永辉 水果 fruit"],
    },
    Merchant {
        counterparty: "Carrefour 家乐福",
        category: "groceries",
        min_minor: 5_000,
        max_minor: 60_000,
        whole_yuan: false,
        hours: (10, 22),
        weight: 4,
        memos: &[
            "Carrefour weekly shop",
            "家乐福 购物",
            "家乐福 粮油 rice and oil",
        ],
    },
    Merchant {
        counterparty: "美团外卖 Meituan",
        category: "dining",
        min_minor: 1_800,
        max_minor: 9_500,
        whole_yuan: false,
        hours: (11, 23),
        weight: 16,
        memos: &[
            "美团外卖 午餐",
            "Meituan dinner delivery",
            "外卖 宵夜 late-night snack",
        ],
    },
    Merchant {
        counterparty: "Starbucks 星巴克",
        category: "dining",
        min_minor: 2_800,
        max_minor: 7_800,
        whole_yuan: true,
        hours: (8, 18),
        weight: 9,
        memos: &["Starbucks latte", "星巴克 咖啡", "Starbucks 美式 Americano"],
    },
    Merchant {
        counterparty: "海底捞 Haidilao",
        category: "dining",
        min_minor: 15_000,
        max_minor: 60_000,
        whole_yuan: false,
        hours: (18, 22),
        weight: 2,
        memos: &["海底捞 火锅 聚餐", "Haidilao hotpot with friends"],
    },
    Merchant {
        counterparty: "滴滴出行 DiDi",
        category: "transport",
        min_minor: 1_200,
        max_minor: 8_500,
        whole_yuan: false,
        hours: (7, 24),
        weight: 12,
        memos: &["滴滴快车 上班", "DiDi ride home", "滴滴 机场 airport"],
    },
    Merchant {
        counterparty: "上海地铁 Shanghai Metro",
        category: "transport",
        min_minor: 300,
        max_minor: 900,
        whole_yuan: true,
        hours: (7, 22),
        weight: 10,
        memos: &["地铁 Metro", "上海地铁 乘车"],
    },
    Merchant {
        counterparty: "京东 JD.com",
        category: "shopping",
        min_minor: 3_000,
        max_minor: 300_000,
        whole_yuan: false,
        hours: (9, 24),
        weight: 7,
        memos: &[
            "京东 电子产品",
            "JD.com order",
            "京东 图书 books",
            "京东自营 家电",
        ],
    },
    Merchant {
        counterparty: "淘宝 Taobao",
        category: "shopping",
        min_minor: 1_500,
        max_minor: 80_000,
        whole_yuan: false,
        hours: (9, 24),
        weight: 8,
        memos: &["淘宝 服装", "Taobao order", "淘宝 家居 homeware"],
    },
];

/// What `history` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Seeded {
    Rows(u32),
    /// The ledger already had transactions for the demo customer: left as it is.
    AlreadyPresent,
}

/// The ledger accounts the seeded history posts to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Current,
    Savings,
    Landlord,
    OutsideWorld,
    OtherBank,
    CardNetwork,
}

const SIDES: [Side; 6] = [
    Side::Current,
    Side::Savings,
    Side::Landlord,
    Side::OutsideWorld,
    Side::OtherBank,
    Side::CardNetwork,
];

impl Side {
    fn index(self) -> usize {
        self as usize
    }
}

impl From<Which> for Side {
    fn from(which: Which) -> Self {
        match which {
            Which::Current => Self::Current,
            Which::Savings => Self::Savings,
        }
    }
}

struct SeedAccounts {
    /// Ledger account ids, indexed by `Side`.
    ids: [String; 6],
    current_label: String,
    savings_label: String,
    /// How the demo customer appears in the landlord's history.
    payer_name: String,
    /// The opening entry of each of the two accounts that holds its whole balance, if any.
    openings: [Option<(i64, i64)>; 2],
}

/// Books `rows` transactions of history ending at `now_ms` for the demo customer, in one
/// transaction, with the ledger balances moved to where the history leaves them.
pub(crate) fn history(
    tx: &Transaction<'_>,
    rows: u32,
    now_ms: i64,
) -> Result<Seeded, SandboxError> {
    let present: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM transactions WHERE customer_id = ?1)",
        [DEMO_CUSTOMER_ID],
        |row| row.get(0),
    )?;
    if present {
        return Ok(Seeded::AlreadyPresent);
    }
    if rows == 0 {
        return Ok(Seeded::Rows(0));
    }
    let accounts = seed_accounts(tx)?;
    let mut rng = Prng(SEED ^ u64::from(rows));
    let mut events = plan(&mut rng, rows, now_ms);
    events.sort_by_key(|event| (event.at_ms, event.order));
    let balance = |side: Side| -> rusqlite::Result<i64> {
        tx.query_row(
            "SELECT balance_minor FROM ledger_accounts WHERE account_id = ?1",
            [&accounts.ids[side.index()]],
            |row| row.get(0),
        )
    };
    let mut book = Book {
        writer: Writer::new(tx)?,
        tx,
        id_prefix: rng.next_u64(),
        booked_ids: 0,
        accounts: &accounts,
        // Without opening rows the history moves the balances the accounts already have.
        current: balance(Side::Current)?,
        savings: balance(Side::Savings)?,
        moved: [0; 6],
        buffer: 0,
        booked: 0,
    };
    let buffer = monthly_budget(&events, now_ms).saturating_mul(3) / 2;
    book.buffer = round_to(buffer, 100_000);
    for event in &events {
        book.replay(event)?;
    }
    let (moved, booked) = (book.moved, book.booked);
    drop(book);
    let mut update = tx.prepare(
        "UPDATE ledger_accounts SET balance_minor = balance_minor + ?2 WHERE account_id = ?1",
    )?;
    for side in SIDES {
        update.execute(params![accounts.ids[side.index()], moved[side.index()]])?;
    }
    Ok(Seeded::Rows(booked))
}

fn seed_accounts(tx: &Transaction<'_>) -> Result<SeedAccounts, SandboxError> {
    let find = |customer_id: &str, product: &str| {
        tx.query_row(
            "SELECT account_id, account_number FROM accounts
             WHERE customer_id = ?1 AND product = ?2 ORDER BY sort_order LIMIT 1",
            params![customer_id, product],
            |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)),
        )
        .optional()
    };
    let (
        Some((current_id, current_number)),
        Some((savings_id, savings_number)),
        Some((landlord_id, _)),
    ) = (
        find(DEMO_CUSTOMER_ID, "current")?,
        find(DEMO_CUSTOMER_ID, "savings")?,
        find(LANDLORD_CUSTOMER_ID, "current")?,
    )
    else {
        return Err(SandboxError::Config(
            "history needs the demo customer's current and savings accounts and the landlord's \
             current account"
                .to_owned(),
        ));
    };
    let payer_name: String = tx.query_row(
        "SELECT display_name FROM customers WHERE customer_id = ?1",
        [DEMO_CUSTOMER_ID],
        |row| row.get(0),
    )?;
    let openings = [opening(tx, &current_id)?, opening(tx, &savings_id)?];
    let cny = Currency::CNY;
    Ok(SeedAccounts {
        current_label: format!("活期账户 Current ****{}", last_four(&current_number)),
        savings_label: format!("储蓄账户 Savings ****{}", last_four(&savings_number)),
        ids: [
            current_id,
            savings_id,
            landlord_id,
            SystemAccount::OutsideWorld.id(cny),
            SystemAccount::OtherBank.id(cny),
            SystemAccount::CardNetwork.id(cny),
        ],
        payer_name,
        openings,
    })
}

/// The account's opening entry and amount, if it has exactly one and it is all the account
/// holds: then the history can start with it.
fn opening(tx: &Transaction<'_>, account_id: &str) -> rusqlite::Result<Option<(i64, i64)>> {
    let mut statement = tx.prepare(
        "SELECT e.entry_id, p.amount_minor FROM postings p
         JOIN journal_entries e ON e.entry_id = p.entry_id
         WHERE p.account_id = ?1 AND e.kind = ?2",
    )?;
    let found = statement
        .query_map(params![account_id, EntryKind::Opening.as_str()], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let balance: i64 = tx.query_row(
        "SELECT balance_minor FROM ledger_accounts WHERE account_id = ?1",
        [account_id],
        |row| row.get(0),
    )?;
    Ok(match found.as_slice() {
        [(entry_id, amount)] if *amount == balance => Some((*entry_id, *amount)),
        _ => None,
    })
}

fn round_to(minor: i64, step: i64) -> i64 {
    (minor / step).max(1) * step
}

/// Average monthly outgoings of the planned day-to-day payments, bills and rent.
fn monthly_budget(events: &[Event], now_ms: i64) -> i64 {
    let Some(first) = events.first() else {
        return 0;
    };
    let spent: i64 = events
        .iter()
        .filter_map(|event| match &event.kind {
            Kind::Booking {
                account: Which::Current,
                amount_minor,
                ..
            } if *amount_minor < 0 => Some(-amount_minor),
            _ => None,
        })
        .sum();
    let months = ((now_ms - first.at_ms) as f64 / (30.44 * DAY_MS as f64)).max(1.0);
    (spent as f64 / months) as i64
}

/// The local calendar date of a UTC instant, and back.
fn local_date(utc_ms: i64) -> Option<Date> {
    let day = (utc_ms + LOCAL_OFFSET_MS).div_euclid(DAY_MS);
    Date::from_julian_day(i32::try_from(day + UNIX_EPOCH_JULIAN_DAY).ok()?).ok()
}

fn at_local(date: Date, hour: i64, minute: i64) -> i64 {
    (i64::from(date.to_julian_day()) - UNIX_EPOCH_JULIAN_DAY) * DAY_MS - LOCAL_OFFSET_MS
        + hour * HOUR_MS
        + minute * MINUTE_MS
}

/// Every event of the history, unordered, without the balances that sweeps and interest need.
fn plan(rng: &mut Prng, rows: u32, now_ms: i64) -> Vec<Event> {
    let rate = MIN_DAILY_RATE.max(rows.div_ceil(MAX_SPAN_DAYS));
    let days = i64::from(rows.div_ceil(rate).max(1));
    let start_ms = now_ms - days * DAY_MS;
    let mut events = Vec::with_capacity(usize::try_from(rows).unwrap_or(0));
    let mut order = 0u32;
    let mut push = |events: &mut Vec<Event>, at_ms: i64, kind: Kind| {
        order = order.wrapping_add(1);
        events.push(Event { at_ms, order, kind });
    };

    if rows >= MIN_ROWS_FOR_STATEMENT {
        push(&mut events, start_ms, Kind::Opening(Which::Current));
        push(&mut events, start_ms, Kind::Opening(Which::Savings));
        monthly(rng, start_ms, now_ms, &mut events, &mut push);
    }
    let fixed: usize = events
        .iter()
        .map(|event| match event.kind {
            Kind::Sweep => 2,
            _ => 1,
        })
        .sum();
    let daily = usize::try_from(rows).unwrap_or(0).saturating_sub(fixed);

    // Salary is set from what the customer spends, so the current account keeps a positive
    // drift whatever the density of the history.
    let first_day = (start_ms + LOCAL_OFFSET_MS).div_euclid(DAY_MS);
    for _ in 0..daily {
        let merchant = pick_merchant(rng);
        let day = first_day + rng.below(days as u64 + 1) as i64;
        let (from, to) = merchant.hours;
        let hour = from + rng.below((to - from) as u64) as i64;
        let minute = rng.below(60) as i64;
        let mut at_ms = day * DAY_MS - LOCAL_OFFSET_MS + hour * HOUR_MS + minute * MINUTE_MS;
        while at_ms >= now_ms {
            at_ms -= DAY_MS;
        }
        let at_ms = at_ms.max(start_ms + MINUTE_MS);
        let skew = rng.unit() * rng.unit();
        let span = (merchant.max_minor - merchant.min_minor) as f64;
        let mut amount = merchant.min_minor + (span * skew) as i64;
        if merchant.whole_yuan {
            amount = amount / 100 * 100;
        }
        push(
            &mut events,
            at_ms,
            Kind::Booking {
                account: Which::Current,
                amount_minor: -amount,
                counterparty: Cow::Borrowed(merchant.counterparty),
                memo: (*rng.pick(merchant.memos)).to_owned(),
                category: merchant.category,
            },
        );
    }
    set_salary(&mut events, now_ms);
    events
}

fn pick_merchant(rng: &mut Prng) -> &'static Merchant {
    let total: u64 = MERCHANTS.iter().map(|m| m.weight).sum();
    let mut draw = rng.below(total);
    for merchant in &MERCHANTS {
        if draw < merchant.weight {
            return merchant;
        }
        draw -= merchant.weight;
    }
    &MERCHANTS[0]
}

/// Placeholder amount of salary rows until `set_salary` knows the spending.
const SALARY_PLACEHOLDER: i64 = 1;
const BONUS_PLACEHOLDER: i64 = 2;

/// Rent, salary, bills, the monthly sweep, quarterly interest and the annual bonus of every
/// month between `start_ms` and `now_ms`.
fn monthly(
    rng: &mut Prng,
    start_ms: i64,
    now_ms: i64,
    events: &mut Vec<Event>,
    push: &mut impl FnMut(&mut Vec<Event>, i64, Kind),
) {
    let (Some(first), Some(last)) = (local_date(start_ms), local_date(now_ms)) else {
        return;
    };
    let (mut year, mut month) = (first.year(), first.month());
    loop {
        let on = |day: u8, hour: i64, minute: i64| {
            Date::from_calendar_date(year, month, day)
                .ok()
                .map(|date| at_local(date, hour, minute))
                .filter(|at| *at > start_ms && *at < now_ms)
        };
        let period = format!("{year}-{:02}", u8::from(month));
        let mut booking = |events: &mut Vec<Event>,
                           at: Option<i64>,
                           account: Which,
                           amount_minor: i64,
                           counterparty: &'static str,
                           memo: String,
                           category: &'static str| {
            if let Some(at) = at {
                push(
                    events,
                    at,
                    Kind::Booking {
                        account,
                        amount_minor,
                        counterparty: Cow::Borrowed(counterparty),
                        memo,
                        category,
                    },
                );
            }
        };
        booking(
            events,
            on(1, 9, 0),
            Which::Current,
            -RENT_MINOR,
            "王芳 (房东 Landlord)",
            format!("房租 Rent {period}"),
            "rent",
        );
        booking(
            events,
            on(10, 10, 0),
            Which::Current,
            SALARY_PLACEHOLDER,
            "ACME Ltd 艾克米有限公司",
            format!("工资 Salary {period}"),
            "salary",
        );
        if month == Month::January {
            booking(
                events,
                on(25, 10, 0),
                Which::Current,
                BONUS_PLACEHOLDER,
                "ACME Ltd 艾克米有限公司",
                format!("年终奖 Annual bonus {}", year - 1),
                "salary",
            );
        }
        // Air conditioning in summer, heating in winter.
        let electricity_high = matches!(
            month,
            Month::June | Month::July | Month::August | Month::December | Month::January
        );
        let electricity = if electricity_high {
            38_000 + rng.below(27_000) as i64
        } else {
            15_000 + rng.below(12_000) as i64
        };
        booking(
            events,
            on(15, 8, 30),
            Which::Current,
            -electricity,
            "国家电网 State Grid",
            format!("电费 Electricity {period}"),
            "utilities",
        );
        booking(
            events,
            on(18, 8, 30),
            Which::Current,
            -(4_500 + rng.below(7_500) as i64),
            "上海市自来水 Shanghai Water",
            format!("水费 Water {period}"),
            "utilities",
        );
        booking(
            events,
            on(20, 12, 0),
            Which::Current,
            -(5_800 + 5_000 * rng.below(3) as i64),
            "中国移动 China Mobile",
            "话费 Mobile top-up 138****8000".to_owned(),
            "utilities",
        );
        if let Some(at) = on(11, 20, 30) {
            push(events, at, Kind::Sweep);
        }
        if matches!(
            month,
            Month::March | Month::June | Month::September | Month::December
        ) {
            if let Some(at) = on(21, 0, 30) {
                let quarter = u8::from(month) / 3;
                push(
                    events,
                    at,
                    Kind::Interest {
                        label: format!("利息 Interest {year}-Q{quarter}"),
                    },
                );
            }
        }
        if (year, month) == (last.year(), last.month()) {
            break;
        }
        if month == Month::December {
            year += 1;
        }
        month = month.next();
    }
}

/// Sets salary (and bonus) rows to a quarter more than the average monthly outgoings.
fn set_salary(events: &mut [Event], now_ms: i64) {
    let monthly = monthly_budget(events, now_ms);
    let salary = round_to(monthly.saturating_mul(5) / 4, 10_000).max(1_800_000);
    for event in events.iter_mut() {
        if let Kind::Booking { amount_minor, .. } = &mut event.kind {
            if *amount_minor == SALARY_PLACEHOLDER {
                *amount_minor = salary;
            } else if *amount_minor == BONUS_PLACEHOLDER {
                *amount_minor = salary * 2;
            }
        }
    }
}

/// What a row shows and on which account; the entry's other legs show nowhere or in another
/// customer's history.
struct Row<'t> {
    side: Side,
    amount_minor: i64,
    counterparty: &'t str,
    memo: &'t str,
    category: &'t str,
}

/// Replays the plan in time order, resolving amounts against running balances, and books it.
struct Book<'a> {
    writer: Writer<'a>,
    tx: &'a Transaction<'a>,
    /// Seeded transaction ids are this history's random prefix and a counter: unique, opaque
    /// to clients, and ascending, so each lands at the end of the id index instead of on a
    /// random page of it (the id index was most of the seeding time).
    id_prefix: u64,
    booked_ids: u64,
    accounts: &'a SeedAccounts,
    current: i64,
    savings: i64,
    /// What the history moved on each ledger account, indexed by `Side`.
    moved: [i64; 6],
    /// What the monthly sweep leaves in the current account.
    buffer: i64,
    /// Rows in the demo customer's history.
    booked: u32,
}

impl Book<'_> {
    fn replay(&mut self, event: &Event) -> rusqlite::Result<()> {
        match &event.kind {
            Kind::Opening(which) => self.opening(event.at_ms, *which),
            Kind::Booking {
                account,
                amount_minor,
                counterparty,
                memo,
                category,
            } => {
                if *category == "rent" {
                    return self.rent(event.at_ms, *amount_minor, counterparty, memo);
                }
                let (kind, other) = match *category {
                    "salary" => (EntryKind::IncomingCredit, Side::OutsideWorld),
                    "utilities" => (EntryKind::BillPayment, Side::OtherBank),
                    _ => (EntryKind::CardPayment, Side::CardNetwork),
                };
                let mut row = Row {
                    side: (*account).into(),
                    amount_minor: *amount_minor,
                    counterparty,
                    memo,
                    category,
                };
                let refund_memo;
                if self.balance(*account) + amount_minor < 0 {
                    // Never overdraw: what could not be paid comes back as a refund.
                    refund_memo = format!("退款 Refund: {memo}");
                    row.amount_minor = -amount_minor;
                    row.memo = &refund_memo;
                }
                self.entry(event.at_ms, kind, Some(other), &[row])
            }
            Kind::Sweep => self.sweep(event.at_ms),
            Kind::Interest { label } => {
                // 0.35 % a year, paid quarterly.
                let interest = (self.savings * 35 / 40_000).max(1);
                let row = Row {
                    side: Side::Savings,
                    amount_minor: interest,
                    counterparty: "Mobank 银行",
                    memo: label,
                    category: "other",
                };
                self.entry(
                    event.at_ms,
                    EntryKind::Interest,
                    Some(Side::OutsideWorld),
                    &[row],
                )
            }
        }
    }

    /// The account's first row: the ledger's opening entry moved to the start of the history,
    /// or a new one from the outside world when the account has none.
    fn opening(&mut self, at_ms: i64, which: Which) -> rusqlite::Result<()> {
        let index = match which {
            Which::Current => 0,
            Which::Savings => 1,
        };
        let side = Side::from(which);
        let (entry_id, amount) = match self.accounts.openings[index] {
            Some((entry_id, amount)) => {
                self.tx.execute(
                    "UPDATE journal_entries SET booked_at_ms = ?2 WHERE entry_id = ?1",
                    params![entry_id, at_ms],
                )?;
                (entry_id, amount)
            }
            None => {
                let amount = match which {
                    Which::Current => self.buffer.max(1_000_000),
                    Which::Savings => OPENING_SAVINGS_MINOR,
                };
                let entry_id = self.writer.entry(EntryKind::Opening, at_ms, None)?;
                self.post(entry_id, side, amount)?;
                self.post(entry_id, Side::OutsideWorld, -amount)?;
                (entry_id, amount)
            }
        };
        // The opening row carries the whole balance: the account's rows then sum to it.
        match which {
            Which::Current => self.current = 0,
            Which::Savings => self.savings = 0,
        }
        self.show(
            entry_id,
            at_ms,
            &Row {
                side,
                amount_minor: amount,
                counterparty: "Mobank 银行",
                memo: "期初余额 Opening balance",
                category: "other",
            },
        )
    }

    /// Rent goes to the landlord's account at this bank, from savings when the current account
    /// cannot pay it; when neither can, it is refunded.
    fn rent(
        &mut self,
        at_ms: i64,
        amount_minor: i64,
        payee: &str,
        memo: &str,
    ) -> rusqlite::Result<()> {
        let payer = [Which::Current, Which::Savings]
            .into_iter()
            .find(|which| self.balance(*which) + amount_minor >= 0);
        let Some(payer) = payer else {
            let refund_memo = format!("退款 Refund: {memo}");
            let row = Row {
                side: Side::Current,
                amount_minor: -amount_minor,
                counterparty: payee,
                memo: &refund_memo,
                category: "rent",
            };
            return self.entry(
                at_ms,
                EntryKind::IncomingCredit,
                Some(Side::OutsideWorld),
                &[row],
            );
        };
        let payer_name = self.accounts.payer_name.clone();
        let rows = [
            Row {
                side: payer.into(),
                amount_minor,
                counterparty: payee,
                memo,
                category: "rent",
            },
            Row {
                side: Side::Landlord,
                amount_minor: -amount_minor,
                counterparty: &payer_name,
                memo,
                category: "rent",
            },
        ];
        self.entry(at_ms, EntryKind::InternalTransfer, None, &rows)
    }

    fn sweep(&mut self, at_ms: i64) -> rusqlite::Result<()> {
        let surplus = self.current - self.buffer;
        let (mut from, mut to) = if surplus >= 0 {
            (Which::Current, Which::Savings)
        } else {
            (Which::Savings, Which::Current)
        };
        if self.balance(from) < HUNDRED_YUAN {
            std::mem::swap(&mut from, &mut to);
        }
        // Whole hundreds of yuan, at least one hundred, never more than the paying side has.
        let amount = (surplus.abs() / HUNDRED_YUAN * HUNDRED_YUAN)
            .max(HUNDRED_YUAN)
            .min(self.balance(from))
            .max(0);
        let (out_memo, in_memo) = match from {
            Which::Current => ("转入储蓄 To savings", "来自活期 From current"),
            Which::Savings => ("转至活期 To current", "来自储蓄 From savings"),
        };
        let payee = self.label(to).to_owned();
        let payer = self.label(from).to_owned();
        let rows = [
            Row {
                side: from.into(),
                amount_minor: -amount,
                counterparty: &payee,
                memo: out_memo,
                category: "transfer",
            },
            Row {
                side: to.into(),
                amount_minor: amount,
                counterparty: &payer,
                memo: in_memo,
                category: "transfer",
            },
        ];
        self.entry(at_ms, EntryKind::InternalTransfer, None, &rows)
    }

    fn balance(&self, which: Which) -> i64 {
        match which {
            Which::Current => self.current,
            Which::Savings => self.savings,
        }
    }

    fn label(&self, which: Which) -> &str {
        match which {
            Which::Current => &self.accounts.current_label,
            Which::Savings => &self.accounts.savings_label,
        }
    }

    /// One entry: a posting and a history row for each row, and the opposite of their sum on
    /// `other` (none when the rows balance among themselves).
    fn entry(
        &mut self,
        at_ms: i64,
        kind: EntryKind,
        other: Option<Side>,
        rows: &[Row<'_>],
    ) -> rusqlite::Result<()> {
        let entry_id = self.writer.entry(kind, at_ms, None)?;
        let mut sum = 0;
        for row in rows {
            // A zero row (a sweep with nothing to move) shows, but moves nothing.
            if row.amount_minor != 0 {
                self.post(entry_id, row.side, row.amount_minor)?;
            }
            sum += row.amount_minor;
            self.show(entry_id, at_ms, row)?;
        }
        if let Some(other) = other.filter(|_| sum != 0) {
            self.post(entry_id, other, -sum)?;
        }
        Ok(())
    }

    fn post(&mut self, entry_id: i64, side: Side, amount_minor: i64) -> rusqlite::Result<()> {
        self.writer.posting(
            entry_id,
            &self.accounts.ids[side.index()],
            amount_minor,
            Currency::CNY,
        )?;
        self.moved[side.index()] += amount_minor;
        Ok(())
    }

    fn show(&mut self, entry_id: i64, at_ms: i64, row: &Row<'_>) -> rusqlite::Result<()> {
        let customer_id = match row.side {
            Side::Current => {
                self.current += row.amount_minor;
                DEMO_CUSTOMER_ID
            }
            Side::Savings => {
                self.savings += row.amount_minor;
                DEMO_CUSTOMER_ID
            }
            Side::Landlord => LANDLORD_CUSTOMER_ID,
            // System accounts have no history.
            Side::OutsideWorld | Side::OtherBank | Side::CardNetwork => return Ok(()),
        };
        self.booked_ids += 1;
        let id = format!("txn_{:016x}{:016x}", self.id_prefix, self.booked_ids);
        self.writer.booking(&Booking {
            transaction_id: &id,
            customer_id,
            account_id: &self.accounts.ids[row.side.index()],
            booked_at_ms: at_ms,
            amount_minor: row.amount_minor,
            currency: Currency::CNY,
            counterparty: row.counterparty,
            memo: row.memo,
            category: row.category,
            entry_id,
        })?;
        if customer_id == DEMO_CUSTOMER_ID {
            self.booked += 1;
        }
        Ok(())
    }
}
