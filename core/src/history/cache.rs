//! The store's cache as the history uses it: opened on first use, claimed for the binding of
//! the session, cleared when found damaged.

use std::sync::Arc;

use mobank_store::Store;

use crate::context::Context;
use crate::error::MobankError;
use crate::runtime::blocking;

/// The open store, its cache claimed for the binding `device_id`. Opens (creating or
/// recovering) it on first use, on the blocking pool: the key store may take its time.
pub(crate) async fn store_for(
    context: &Context,
    device_id: &str,
) -> Result<Arc<Store>, MobankError> {
    if let Some(store) = context.storage.ready(device_id)? {
        return Ok(store);
    }
    let slot = Arc::clone(&context.storage);
    let device = device_id.to_owned();
    blocking(move || slot.open_for(&device))
        .await??
        // The phone was wiped meanwhile.
        .ok_or(MobankError::NotBound)
}
