//! The customer's devices: the list, revoking another device, and unbinding this one. Both
//! changes need a possession signature over the exact operation and a recent strong
//! authentication, and are announced to the other devices.

use mobank_protocol::assertion::operations;
use mobank_protocol::messages::{
    DeviceInfo, DeviceStatus, DevicesResponse, NoticeKind, RevokeDeviceResponse,
};
use mobank_protocol::{Assertion, ErrorCode};
use rusqlite::Transaction;

use super::challenges::{self, Purpose};
use super::factors::{authenticate_sensitive, Device};
use super::policy::SensitiveOperation;
use super::{notices, session, Bank};
use crate::db::devices;
use crate::error::ApiFailure;

/// The session customer's devices, the session's own marked.
pub(crate) fn list(bank: &Bank, token_hash: &[u8]) -> Result<DevicesResponse, ApiFailure> {
    let now = bank.clock.now_ms();
    let devices = bank.transact_unflushed(|tx| {
        let owner = session::authorize(tx, bank, token_hash, now)?;
        list_devices(tx, &owner.customer_id, &owner.device_id)
    })?;
    Ok(DevicesResponse {
        devices,
        server_time_ms: now,
    })
}

fn list_devices(
    tx: &Transaction<'_>,
    customer_id: &str,
    this_device: &str,
) -> Result<Vec<DeviceInfo>, ApiFailure> {
    devices::of_customer(tx, customer_id)?
        .into_iter()
        .map(|row| {
            let status = match row.status.as_str() {
                "active" => DeviceStatus::Active,
                "blocked" => DeviceStatus::Blocked,
                "revoked" => DeviceStatus::Revoked,
                _ => return Err(ApiFailure::internal("unknown device status", &row.status)),
            };
            Ok(DeviceInfo {
                this_device: row.device_id == this_device,
                device_id: row.device_id,
                name: row.name,
                platform: row.platform,
                bound_at_ms: row.bound_at_ms,
                last_seen_ms: row.last_seen_ms,
                status,
            })
        })
        .collect()
}

pub(crate) enum Target<'a> {
    Other(&'a str),
    ThisDevice,
}

/// Revokes a device of the session's customer. Revoking a device that is already revoked
/// answers as the first time did, so a retry after a lost answer is safe.
pub(crate) fn remove(
    bank: &Bank,
    token_hash: &[u8],
    target: Target<'_>,
    challenge_id: &str,
    assertion: &Assertion,
) -> Result<RevokeDeviceResponse, ApiFailure> {
    let now = bank.clock.now_ms();
    bank.transact(|tx| {
        let owner = session::authorize(tx, bank, token_hash, now)?;
        let challenge =
            challenges::consume(tx, challenge_id, Purpose::Operation, &owner.device_id, now)?;
        let (operation, target_id, rule) = match target {
            Target::Other(id) if id == owner.device_id => {
                return Err(ApiFailure::bad_request(
                    "to remove the device you are using, unbind it",
                ))
            }
            Target::Other(id) => (
                operations::revoke_device(id),
                id.to_owned(),
                SensitiveOperation::RevokeDevice,
            ),
            Target::ThisDevice => (
                operations::unbind(&owner.device_id),
                owner.device_id.clone(),
                SensitiveOperation::Unbind,
            ),
        };
        authenticate_sensitive(
            tx, bank, &owner, rule, assertion, &challenge, &operation, now,
        )?;
        // Another customer's device is answered as if it did not exist.
        let device = Device::load(tx, &target_id)?
            .filter(|device| device.customer_id == owner.customer_id)
            .ok_or_else(|| ApiFailure::new(ErrorCode::NotFound, "no such device"))?;
        if let Some(revoked_at_ms) = device.revoked_at_ms {
            return Ok(RevokeDeviceResponse {
                device_id: device.device_id,
                revoked_at_ms,
                server_time_ms: now,
            });
        }
        devices::revoke(tx, &device.device_id, now)?;
        // Its sessions end with it: `session::authorize` checks the device's status.
        notices::notify_others(
            tx,
            bank,
            &owner.customer_id,
            &[device.device_id.as_str(), owner.device_id.as_str()],
            &notices::Event {
                kind: NoticeKind::DeviceRevoked,
                subject_device_id: &device.device_id,
                subject_name: &device.name,
            },
            now,
        )?;
        tracing::info!(device_id = %device.device_id, by = %owner.device_id, "device revoked");
        Ok(RevokeDeviceResponse {
            device_id: device.device_id,
            revoked_at_ms: now,
            server_time_ms: now,
        })
    })
}
