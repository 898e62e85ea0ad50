//! How Mobank runs its work: key store and file calls on tokio's blocking pool, and the short
//! critical sections every shared state is kept in. Depends on nothing else in the crate, so
//! every layer may use it.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// A task on the blocking pool did not finish: it panicked, or the runtime is shutting down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TaskFailed;

/// Runs key store and file work on tokio's blocking pool: a biometric prompt can take as long
/// as the customer likes, and a runtime worker must not wait for it.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, TaskFailed> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|_| TaskFailed)
}

/// Every critical section here is a few assignments or reads, so a poisoned lock still
/// holds consistent data.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
