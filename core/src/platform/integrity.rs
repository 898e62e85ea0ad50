//! Device-integrity findings the app's shell collects (root or jailbreak, debugger, hooking,
//! emulator). The core only passes them to the bank, which decides what they mean; a phone
//! that lies about itself gains nothing it could not get by not reporting.

pub use mobank_protocol::messages::IntegritySignals;

/// Implemented by the app. Called once per login, never while the core holds a lock.
pub trait DeviceIntegrity: Send + Sync {
    fn signals(&self) -> IntegritySignals;
}
