//! The store benchmark's workload, shared by every store under test (the main bench binary and
//! the SQLCipher peer include this file with `#[path]`), so all of them insert and query exactly
//! the same data. No SQLite here: the peer links a different SQLite build.

use std::path::Path;
use std::time::Duration;

pub const TRANSACTIONS: usize = 100_000;
pub const POINT_LOOKUPS: usize = 10_000;
pub const LAST50_QUERIES: usize = 1_000;
pub const OPEN_REPEATS: usize = 21;

/// The customer's accounts; history is spread over them unevenly, as it is for real customers.
pub const ACCOUNTS: [&str; 5] = [
    "acc-cny-current-01",
    "acc-cny-credit-02",
    "acc-cny-savings-03",
    "acc-usd-current-04",
    "acc-cny-wealth-05",
];

/// One generated transaction, field for field what every store keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tx {
    pub id: String,
    pub account_id: String,
    pub booking_day: i32,
    pub amount_minor: i64,
    pub currency: String,
    pub counterparty: String,
    pub memo: String,
    pub category: String,
}

/// splitmix64: a tiny, well-known deterministic generator, so the data is identical everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const MERCHANTS: [(&str, &str); 24] = [
    ("北京华联超市", "groceries"),
    ("盒马鲜生 Freshippo", "groceries"),
    ("Carrefour 家乐福", "groceries"),
    ("国家电网 State Grid", "utilities"),
    ("中国移动 China Mobile", "utilities"),
    ("上海燃气", "utilities"),
    ("Starbucks Coffee Shanghai", "dining"),
    ("海底捞火锅", "dining"),
    ("McDonald's 麦当劳", "dining"),
    ("美团外卖 Meituan", "dining"),
    ("滴滴出行 DiDi", "transport"),
    ("上海地铁 Metro", "transport"),
    ("中国石化加油站", "transport"),
    ("京东商城 JD.com", "shopping"),
    ("天猫 Tmall", "shopping"),
    ("Apple Store 三里屯", "shopping"),
    ("Uniqlo 优衣库", "shopping"),
    ("万达影城 Wanda Cinema", "entertainment"),
    ("腾讯视频 Tencent Video", "subscriptions"),
    ("Netflix International", "subscriptions"),
    ("协和医院 PUMC Hospital", "health"),
    ("大参林药房", "health"),
    ("中国人寿保险", "insurance"),
    ("携程旅行 Trip.com", "travel"),
];

const PLACES: [&str; 6] = [
    "上海市浦东新区 Pudong, Shanghai",
    "北京市朝阳区 Chaoyang, Beijing",
    "深圳市南山区 Nanshan, Shenzhen",
    "杭州市西湖区 Xihu, Hangzhou",
    "广州市天河区 Tianhe, Guangzhou",
    "online 网上商户",
];

const MEMOS: [&str; 8] = [
    "消费 card purchase POS terminal",
    "网上支付 online payment order",
    "快捷支付 quick pay via app",
    "扫码付款 QR code payment at store",
    "自动扣款 direct debit monthly",
    "信用卡消费 credit card spend",
    "Contactless payment 闪付",
    "Recurring charge 定期扣费",
];

/// `n` transactions, oldest first (a history sync inserts in booking order).
pub fn generate(n: usize) -> Vec<Tx> {
    let mut rng = Rng(0x6d6f_6261_6e6b);
    let first_day = 19_358; // 2023-01-01
    let span_days = 3 * 365;
    (0..n)
        .map(|i| {
            let day = first_day + (i * span_days / n) as i32;
            let account = match rng.below(100) {
                0..=49 => 0,
                50..=74 => 1,
                75..=84 => 2,
                85..=94 => 3,
                _ => 4,
            };
            let reference = rng.below(1_000_000_000);
            let kind = rng.below(100);
            let (counterparty, category, memo, amount) = if kind < 3 {
                (
                    "某某科技有限公司 Example Tech Co., Ltd.".to_owned(),
                    "salary",
                    format!(
                        "工资 salary payroll {}-{:02} ref {reference:09}",
                        2023 + day / 365 % 3,
                        1 + i % 12
                    ),
                    1_500_000 + rng.below(500_000) as i64,
                )
            } else if kind < 6 {
                (
                    "上海某某物业管理有限公司".to_owned(),
                    "rent",
                    format!("房租 monthly rent apartment 1203, contract ref {reference:09}"),
                    -(800_000 + rng.below(10) as i64 * 10_000),
                )
            } else if kind < 12 {
                (
                    "本人储蓄账户 own savings account".to_owned(),
                    "transfer",
                    format!("转账 transfer between own accounts, ref {reference:09} 备注"),
                    -(rng.below(2_000_000) as i64 + 100),
                )
            } else {
                let (name, category) = MERCHANTS[rng.below(MERCHANTS.len() as u64) as usize];
                let memo = MEMOS[rng.below(MEMOS.len() as u64) as usize];
                let place = PLACES[rng.below(PLACES.len() as u64) as usize];
                (
                    name.to_owned(),
                    category,
                    format!(
                        "{memo}, {place}, ref {reference:09}, terminal {:06} posted",
                        rng.below(1_000_000)
                    ),
                    -(rng.below(50_000) as i64 + 100),
                )
            };
            Tx {
                id: format!("TXN{day:05}{i:010}"),
                account_id: ACCOUNTS[account].to_owned(),
                booking_day: day,
                amount_minor: amount,
                currency: if account == 3 { "USD" } else { "CNY" }.to_owned(),
                counterparty,
                memo,
                category: category.to_owned(),
            }
        })
        .collect()
}

/// Bytes of field content per transaction (the "about 180 bytes" of the workload).
pub fn average_record_bytes(txs: &[Tx]) -> f64 {
    let total: usize = txs
        .iter()
        .map(|t| {
            t.id.len()
                + t.account_id.len()
                + 4
                + 8
                + t.currency.len()
                + t.counterparty.len()
                + t.memo.len()
                + t.category.len()
        })
        .sum();
    total as f64 / txs.len().max(1) as f64
}

/// Which transaction the `k`-th point lookup asks for: spread over the whole history.
pub fn lookup_index(k: usize) -> usize {
    (k * 7_919 + 13) % TRANSACTIONS
}

/// Which account the `k`-th "last 50" query asks for.
pub fn last50_account(k: usize) -> &'static str {
    ACCOUNTS[k % ACCOUNTS.len()]
}

/// FNV-1a over every decoded field, in result order: equal checksums mean equal results.
pub struct Checksum(u64);

impl Default for Checksum {
    fn default() -> Self {
        Checksum(0xcbf2_9ce4_8422_2325)
    }
}

impl Checksum {
    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes.iter().chain(&[0xff]) {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn add(
        &mut self,
        id: &str,
        account: &str,
        day: i32,
        amount: i64,
        currency: &str,
        counterparty: &str,
        memo: &str,
        category: &str,
    ) {
        self.bytes(id.as_bytes());
        self.bytes(account.as_bytes());
        self.bytes(&day.to_le_bytes());
        self.bytes(&amount.to_le_bytes());
        self.bytes(currency.as_bytes());
        self.bytes(counterparty.as_bytes());
        self.bytes(memo.as_bytes());
        self.bytes(category.as_bytes());
    }

    pub fn add_tx(&mut self, t: &Tx) {
        self.add(
            &t.id,
            &t.account_id,
            t.booking_day,
            t.amount_minor,
            &t.currency,
            &t.counterparty,
            &t.memo,
            &t.category,
        );
    }

    pub fn hex(&self) -> String {
        format!("{:016x}", self.0)
    }
}

/// One store's figures from one child process.
#[derive(Debug, Clone, Default)]
pub struct Measured {
    pub insert_100k_ms: f64,
    /// CPU time of the insert (this thread), far less disturbed by other load than wall time.
    pub insert_cpu_ms: f64,
    pub point_lookup_us: f64,
    pub last50_us: f64,
    pub open_ms: f64,
    pub file_mib: f64,
    pub peak_rss_mib: f64,
    pub process_peak_rss_mib: f64,
    pub checksum: String,
    /// Figures only the Mobank store reports (name, value), e.g. search over the whole history.
    pub extra: Vec<(&'static str, f64)>,
}

impl Measured {
    /// One line of JSON, written by hand so the peer needs no serde.
    pub fn to_json_line(&self, store: &str) -> String {
        let mut line = format!("{{\"store\":\"{store}\",\"checksum\":\"{}\"", self.checksum);
        let fields = [
            ("insert_100k_ms", self.insert_100k_ms),
            ("insert_cpu_ms", self.insert_cpu_ms),
            ("point_lookup_us", self.point_lookup_us),
            ("last50_us", self.last50_us),
            ("open_ms", self.open_ms),
            ("file_mib", self.file_mib),
            ("peak_rss_mib", self.peak_rss_mib),
            ("process_peak_rss_mib", self.process_peak_rss_mib),
        ];
        for (name, value) in fields.iter().chain(&self.extra) {
            line.push_str(&format!(",\"{name}\":{value:.4}"));
        }
        line.push('}');
        line
    }
}

/// CPU time this thread has run, in nanoseconds (0 where the kernel does not say).
pub fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// A field of /proc/self/status in KiB (VmRSS now, VmHWM the peak so far); 0 where there is none.
pub fn proc_status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Total size of the files in `dir` (every file a store left: databases, WAL, backups).
pub fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

pub const MIB: f64 = 1024.0 * 1024.0;
