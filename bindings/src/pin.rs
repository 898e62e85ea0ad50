//! The PIN as it crosses the FFI: bytes, never a string.

use mobank_core::{self as core, MobankError, PinRejection};
use zeroize::Zeroizing;

/// Whether `pin` (six ASCII digit bytes) may be chosen as a new PIN, for checking while the
/// customer types: the rules `activation().complete` and `pin().commit_change` apply.
#[uniffi::export]
pub fn check_new_pin(pin: Vec<u8>) -> Result<(), MobankError> {
    core::check_new_pin(&pin_from_ffi(pin)?)
}

/// The PIN crosses as bytes, not as a string, so the app can wipe its `ByteArray`/`Data` right
/// after the call. The copy uniffi hands over is wiped here once the core has its own (the
/// core's `Pin` is zeroizing too). uniffi's own transfer buffer is freed without wiping; that
/// is outside this crate's reach.
pub(crate) fn pin_from_ffi(pin: Vec<u8>) -> Result<core::Pin, MobankError> {
    let pin = Zeroizing::new(pin);
    let digits = std::str::from_utf8(&pin).map_err(|_| MobankError::PinRejected {
        reason: PinRejection::NotSixDigits,
    })?;
    Ok(core::Pin::from_digits(digits)?)
}
