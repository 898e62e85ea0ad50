//! The decoding of the records the core keeps in the store's vault, for the fuzz targets only
//! (feature `fuzzing`). Each function reads a decrypted value as the core reads it and writes
//! the result back as the core writes it, so a target can check that what reads survives the
//! round trip; the record types themselves stay private.

use zeroize::Zeroizing;

/// An outbox entry's value read and written again; `None` where the outbox refuses it (the
/// transfer list then reports `StorageCorrupt`).
pub fn reread_outbox_record(value: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    crate::transfers::reread_outbox_record(value)
}

/// The device state's value read (and checked) and written again; `None` where reading it
/// refuses it as corrupt or too new.
pub fn reread_device_state(value: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    crate::device::store_repo::reread(value)
}
