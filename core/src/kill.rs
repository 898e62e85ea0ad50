//! Named points where the crash tests stop the process, as a power cut or the OS would: each
//! right after a durable write (or a bank's answer) and before the next write or request, where
//! a crash could leave a flow half-done. Only in builds with the `testing` feature; elsewhere
//! the calls compile to nothing. The names are what `MOBANK_TEST_KILL_AT` carries
//! (`testing::KILL_AT_VAR`); `MOBANK_TEST_PAUSE_AT` (`testing::PAUSE_AT_VAR`) holds the
//! process at one instead, so the disk-fault tests can fill the disk or make it read-only at
//! exactly that step.

/// Binding: the device keys and the knowledge key exist, the bank has not confirmed.
pub(crate) const BINDING_KEYS_MADE: &str = "binding_keys_made";
/// Binding: the bank confirmed the device; the device state is not stored yet.
pub(crate) const BINDING_CONFIRMED: &str = "binding_confirmed";

/// Login: the counters are reserved and on the disk, the assertions are not sent.
pub(crate) const LOGIN_SIGNED: &str = "login_signed";
/// Login: the bank answered; the session is not kept yet.
pub(crate) const LOGIN_ANSWERED: &str = "login_answered";

/// PIN change: the old PIN is proven to the bank; no new key exists yet.
pub(crate) const PIN_CHANGE_BEGUN: &str = "pin_change_begun";
/// PIN change: the new knowledge key is sealed and signed with, not sent.
pub(crate) const PIN_CHANGE_SIGNED: &str = "pin_change_signed";
/// PIN change: the bank took the new key; the phone has not stored it.
pub(crate) const PIN_CHANGE_COMMITTED: &str = "pin_change_committed";

/// History sync: a page and the cursor after it are stored; the next page is not.
pub(crate) const HISTORY_PAGE_WRITTEN: &str = "history_page_written";

/// Payee add: signed, not sent.
pub(crate) const PAYEE_SIGNED: &str = "payee_signed";
/// Limit raise: signed, not sent.
pub(crate) const LIMITS_SIGNED: &str = "limits_signed";
/// Cancel of a scheduled transfer: signed, not sent.
pub(crate) const CANCEL_SIGNED: &str = "cancel_signed";

/// Transfer: signed, not yet in the outbox.
pub(crate) const SIGNED: &str = "signed";
/// Transfer: the signed transfer is in the outbox, not yet sent.
pub(crate) const OUTBOX_WRITTEN: &str = "outbox_written";
/// Transfer: the bank answered; the answer is not stored yet.
pub(crate) const ANSWERED: &str = "answered";

#[cfg(feature = "testing")]
pub(crate) fn point(name: &str) {
    use crate::testing::{KILL_AT_VAR, PAUSED_AT, PAUSE_AT_VAR};
    if std::env::var(KILL_AT_VAR).is_ok_and(|at| at == name) {
        // Abort runs no destructor and flushes nothing: what is on disk is what a crash leaves.
        std::process::abort();
    }
    if std::env::var(PAUSE_AT_VAR).is_ok_and(|at| at == name) {
        use std::io::{BufRead, Write};
        // The test process reads this line, changes the disk, then lets the flow go on. A
        // failed write or read only means the test is gone: carry on.
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{PAUSED_AT} {name}").and_then(|()| out.flush());
        let _ = std::io::stdin().lock().read_line(&mut String::new());
    }
}

#[cfg(not(feature = "testing"))]
pub(crate) fn point(_name: &str) {}
