//! Named points where the crash tests stop the process, as a power cut or the OS would. Only
//! in builds with the `testing` feature; elsewhere the calls compile to nothing.

/// The transfer is signed, not yet in the outbox.
pub(super) const SIGNED: &str = "signed";
/// The signed transfer is in the outbox, not yet sent.
pub(super) const OUTBOX_WRITTEN: &str = "outbox_written";
/// The bank answered; the answer is not stored yet.
pub(super) const ANSWERED: &str = "answered";

#[cfg(feature = "testing")]
pub(super) fn point(name: &str) {
    if std::env::var(crate::testing::KILL_AT_VAR).is_ok_and(|at| at == name) {
        // Abort runs no destructor and flushes nothing: what is on disk is what a crash leaves.
        std::process::abort();
    }
}

#[cfg(not(feature = "testing"))]
pub(super) fn point(_name: &str) {}
