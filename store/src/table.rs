//! The key-value tables and where each one lives.

use crate::error::StorePart;

/// A key-value table. Keys are the caller's identifiers (kept only as keyed lookup values on
/// disk); values are opaque bytes the core encodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    /// Device binding state: ids, signature counter, bank keys. Vault.
    DeviceState,
    /// App settings the customer chose. Vault.
    Settings,
    /// Signed transfers waiting for the bank, in the order they were queued. Vault: it survives
    /// cache rebuilds and is backed up after every write.
    Outbox,
    /// Accounts cache (overview, balances). Cache.
    Accounts,
    /// Payees cache. Cache.
    Payees,
    /// Sync cursors. Cache, so rebuilding the cache also restarts the sync from the beginning.
    Sync,
}

pub(crate) struct KvSql {
    pub put: &'static str,
    pub get: &'static str,
    pub delete: &'static str,
    pub entries: &'static str,
    pub clear: &'static str,
    pub count: &'static str,
}

macro_rules! kv_sql {
    ($table:literal) => {
        KvSql {
            put: concat!(
                "INSERT INTO ",
                $table,
                " (key_mac, sealed) VALUES (?1, ?2) ",
                "ON CONFLICT (key_mac) DO UPDATE SET sealed = excluded.sealed"
            ),
            get: concat!("SELECT sealed FROM ", $table, " WHERE key_mac = ?1"),
            delete: concat!("DELETE FROM ", $table, " WHERE key_mac = ?1"),
            entries: concat!("SELECT key_mac, sealed FROM ", $table, " ORDER BY rowid"),
            clear: concat!("DELETE FROM ", $table),
            count: concat!("SELECT count(*) FROM ", $table),
        }
    };
}

static DEVICE: KvSql = kv_sql!("kv_device");
static SETTINGS: KvSql = kv_sql!("kv_settings");
static OUTBOX: KvSql = kv_sql!("kv_outbox");
static ACCOUNTS: KvSql = kv_sql!("kv_accounts");
static PAYEES: KvSql = kv_sql!("kv_payees");
static SYNC: KvSql = kv_sql!("kv_sync");

impl Table {
    pub const ALL: [Table; 6] = [
        Table::DeviceState,
        Table::Settings,
        Table::Outbox,
        Table::Accounts,
        Table::Payees,
        Table::Sync,
    ];

    /// The stable name that goes into every record's associated data and lookup domain.
    pub fn name(self) -> &'static str {
        match self {
            Table::DeviceState => "device",
            Table::Settings => "settings",
            Table::Outbox => "outbox",
            Table::Accounts => "accounts",
            Table::Payees => "payees",
            Table::Sync => "sync",
        }
    }

    /// The file the table lives in.
    pub fn part(self) -> StorePart {
        match self {
            Table::DeviceState | Table::Settings | Table::Outbox => StorePart::Vault,
            Table::Accounts | Table::Payees | Table::Sync => StorePart::Cache,
        }
    }

    pub(crate) fn sql(self) -> &'static KvSql {
        match self {
            Table::DeviceState => &DEVICE,
            Table::Settings => &SETTINGS,
            Table::Outbox => &OUTBOX,
            Table::Accounts => &ACCOUNTS,
            Table::Payees => &PAYEES,
            Table::Sync => &SYNC,
        }
    }
}
