//! The phone's encrypted store (`mobank-store`) inside Mobank: its wrapping key in the app's key
//! store, and when it is opened, paused and wiped.

mod slot;
mod wrapper;

pub(crate) use slot::{is_cache_damage, reset_cache, OpenHooks, StorageSlot};
#[cfg(test)]
pub(crate) use wrapper::STORE_KEY_ALIAS;
