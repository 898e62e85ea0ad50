//! Bound devices: their keys, signature counters, failure count and status.

use mobank_protocol::Factor;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use zeroize::Zeroizing;

/// A device as stored. The knowledge key is copied into zeroizing memory as it is read.
pub(crate) struct DeviceRow {
    pub(crate) device_id: String,
    pub(crate) customer_id: String,
    pub(crate) name: String,
    pub(crate) status: String,
    pub(crate) cooling_off_until_ms: Option<i64>,
    pub(crate) revoked_at_ms: Option<i64>,
    pub(crate) possession_public_key: Vec<u8>,
    pub(crate) user_verified_public_key: Vec<u8>,
    pub(crate) knowledge_key: Option<Zeroizing<Vec<u8>>>,
    pub(crate) possession_sign_count: u32,
    pub(crate) user_verified_sign_count: u32,
    pub(crate) knowledge_sign_count: u32,
    pub(crate) failed_attempts: u32,
}

pub(crate) fn load(tx: &Transaction<'_>, device_id: &str) -> rusqlite::Result<Option<DeviceRow>> {
    tx.prepare_cached(
        "SELECT device_id, customer_id, name, status, cooling_off_until_ms, revoked_at_ms,
                possession_public_key, user_verified_public_key, knowledge_key,
                possession_sign_count, user_verified_sign_count, knowledge_sign_count,
                failed_attempts
         FROM devices WHERE device_id = ?1",
    )?
    .query_row([device_id], |row| {
        Ok(DeviceRow {
            device_id: row.get(0)?,
            customer_id: row.get(1)?,
            name: row.get(2)?,
            status: row.get(3)?,
            cooling_off_until_ms: row.get(4)?,
            revoked_at_ms: row.get(5)?,
            possession_public_key: row.get(6)?,
            user_verified_public_key: row.get(7)?,
            knowledge_key: row.get::<_, Option<Vec<u8>>>(8)?.map(Zeroizing::new),
            possession_sign_count: row.get(9)?,
            user_verified_sign_count: row.get(10)?,
            knowledge_sign_count: row.get(11)?,
            failed_attempts: row.get(12)?,
        })
    })
    .optional()
}

pub(crate) fn status(tx: &Transaction<'_>, device_id: &str) -> rusqlite::Result<Option<String>> {
    tx.query_row(
        "SELECT status FROM devices WHERE device_id = ?1",
        [device_id],
        |row| row.get(0),
    )
    .optional()
}

/// A device being bound.
pub(crate) struct NewDevice<'a> {
    pub(crate) device_id: &'a str,
    pub(crate) customer_id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) platform: &'a str,
    pub(crate) possession_public_key: &'a [u8],
    pub(crate) user_verified_public_key: &'a [u8],
    pub(crate) possession_sign_count: u32,
    pub(crate) user_verified_sign_count: u32,
    pub(crate) knowledge_key: Option<&'a [u8]>,
    pub(crate) bound_at_ms: i64,
    pub(crate) cooling_off_until_ms: i64,
}

pub(crate) fn insert(tx: &Transaction<'_>, device: &NewDevice<'_>) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO devices (device_id, customer_id, name, platform, possession_public_key,
                              user_verified_public_key, possession_sign_count,
                              user_verified_sign_count, status, bound_at_ms, last_seen_ms,
                              knowledge_key, cooling_off_until_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'active', ?9, ?9, ?10, ?11)",
        params![
            device.device_id,
            device.customer_id,
            device.name,
            device.platform,
            device.possession_public_key,
            device.user_verified_public_key,
            device.possession_sign_count,
            device.user_verified_sign_count,
            device.bound_at_ms,
            device.knowledge_key,
            device.cooling_off_until_ms,
        ],
    )?;
    Ok(())
}

/// Whether either key already belongs to a device, as either of its keys.
pub(crate) fn any_key_registered(
    tx: &Transaction<'_>,
    first: &[u8],
    second: &[u8],
) -> rusqlite::Result<bool> {
    tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM devices
                        WHERE possession_public_key IN (?1, ?2)
                           OR user_verified_public_key IN (?1, ?2))",
        params![first, second],
        |row| row.get(0),
    )
}

pub(crate) fn user_verified_key_registered(
    tx: &Transaction<'_>,
    key: &[u8],
) -> rusqlite::Result<bool> {
    tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM devices WHERE user_verified_public_key = ?1)",
        [key],
        |row| row.get(0),
    )
}

pub(crate) fn replace_user_verified_key(
    tx: &Transaction<'_>,
    device_id: &str,
    key: &[u8],
    sign_count: u32,
) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE devices SET user_verified_public_key = ?2, user_verified_sign_count = ?3
         WHERE device_id = ?1",
        params![device_id, key, sign_count],
    )?;
    Ok(())
}

pub(crate) fn replace_knowledge_key(
    tx: &Transaction<'_>,
    device_id: &str,
    key: &[u8],
) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE devices SET knowledge_key = ?2 WHERE device_id = ?1",
        params![device_id, key],
    )?;
    Ok(())
}

pub(crate) fn set_failed_attempts(
    tx: &Transaction<'_>,
    device_id: &str,
    failures: u32,
) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE devices SET failed_attempts = ?2 WHERE device_id = ?1",
        params![device_id, failures],
    )?;
    Ok(())
}

pub(crate) fn set_sign_count(
    tx: &Transaction<'_>,
    device_id: &str,
    factor: Factor,
    sign_count: u32,
) -> rusqlite::Result<()> {
    let sql = match factor {
        Factor::Possession => "UPDATE devices SET possession_sign_count = ?2 WHERE device_id = ?1",
        Factor::UserVerified => {
            "UPDATE devices SET user_verified_sign_count = ?2 WHERE device_id = ?1"
        }
        Factor::Knowledge => "UPDATE devices SET knowledge_sign_count = ?2 WHERE device_id = ?1",
    };
    tx.execute(sql, params![device_id, sign_count])?;
    Ok(())
}

/// A successful authentication: seen now, and the failure count cleared if `reset`.
pub(crate) fn record_success(
    tx: &Transaction<'_>,
    device_id: &str,
    now_ms: i64,
    reset: bool,
) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE devices SET last_seen_ms = ?2,
                            failed_attempts = CASE WHEN ?3 THEN 0 ELSE failed_attempts END
         WHERE device_id = ?1",
        params![device_id, now_ms, reset],
    )?;
    Ok(())
}

/// "Last seen" in the device list is the device's last activity.
pub(crate) fn touch(tx: &Transaction<'_>, device_id: &str, now_ms: i64) -> rusqlite::Result<()> {
    tx.prepare_cached("UPDATE devices SET last_seen_ms = ?2 WHERE device_id = ?1")?
        .execute(params![device_id, now_ms])?;
    Ok(())
}

pub(crate) fn block(tx: &Transaction<'_>, device_id: &str, reason: &str) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE devices SET status = 'blocked', blocked_reason = ?2 WHERE device_id = ?1",
        params![device_id, reason],
    )?;
    Ok(())
}

pub(crate) fn revoke(tx: &Transaction<'_>, device_id: &str, now_ms: i64) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE devices SET status = 'revoked', revoked_at_ms = ?2 WHERE device_id = ?1",
        params![device_id, now_ms],
    )?;
    Ok(())
}

/// One line of the device list, as stored.
pub(crate) struct ListedDevice {
    pub(crate) device_id: String,
    pub(crate) name: String,
    pub(crate) platform: String,
    pub(crate) bound_at_ms: i64,
    pub(crate) last_seen_ms: Option<i64>,
    pub(crate) status: String,
}

/// Every device of the customer, oldest binding first.
pub(crate) fn of_customer(
    tx: &Transaction<'_>,
    customer_id: &str,
) -> rusqlite::Result<Vec<ListedDevice>> {
    let mut statement = tx.prepare_cached(
        "SELECT device_id, name, platform, bound_at_ms, last_seen_ms, status FROM devices
         WHERE customer_id = ?1 ORDER BY bound_at_ms, device_id",
    )?;
    let rows = statement
        .query_map([customer_id], |row| {
            Ok(ListedDevice {
                device_id: row.get(0)?,
                name: row.get(1)?,
                platform: row.get(2)?,
                bound_at_ms: row.get(3)?,
                last_seen_ms: row.get(4)?,
                status: row.get(5)?,
            })
        })?
        .collect();
    rows
}

/// The customer's active devices, oldest binding first.
pub(crate) fn active_of_customer(
    conn: &Connection,
    customer_id: &str,
) -> rusqlite::Result<Vec<String>> {
    let mut statement = conn.prepare_cached(
        "SELECT device_id FROM devices WHERE customer_id = ?1 AND status = 'active'
         ORDER BY bound_at_ms, device_id",
    )?;
    let rows = statement
        .query_map([customer_id], |row| row.get(0))?
        .collect();
    rows
}
