//! Counts the bank's internal failures. Every 5xx the sandbox answers is an internal failure,
//! and the sandbox logs each one at ERROR when it builds it; a phone cannot tell a 5xx from a
//! lost answer (both are "outcome unknown"), so the count is taken here, from the bank's log.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};

#[derive(Clone, Default)]
pub struct ServerErrors(Arc<AtomicU64>);

impl ServerErrors {
    pub fn count(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

impl<S: Subscriber> Layer<S> for ServerErrors {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let metadata = event.metadata();
        if *metadata.level() == Level::ERROR && metadata.target().starts_with("mobank_sandbox") {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}
