//! The bank's last channels answer in this session: what a draft checks its amount against
//! without asking the bank again. Forgotten after every transfer and every change of a channel,
//! so the room it shows is never older than the last thing that used it up.

use std::sync::{Arc, Mutex, Weak};

use mobank_protocol::messages::ChannelsResponse;

use crate::runtime::lock;
use crate::secret::SecretString;

#[derive(Default)]
pub(crate) struct LimitsState {
    cached: Mutex<Option<Cached>>,
}

struct Cached {
    session: Weak<SecretString>,
    channels: ChannelsResponse,
}

impl LimitsState {
    /// The channels fetched in the session of `session`, if any.
    pub(crate) fn channels(&self, session: &Arc<SecretString>) -> Option<ChannelsResponse> {
        lock(&self.cached)
            .as_ref()
            .filter(|cached| std::ptr::eq(cached.session.as_ptr(), Arc::as_ptr(session)))
            .map(|cached| cached.channels.clone())
    }

    pub(crate) fn remember(&self, session: &Arc<SecretString>, channels: ChannelsResponse) {
        *lock(&self.cached) = Some(Cached {
            session: Arc::downgrade(session),
            channels,
        });
    }

    pub(crate) fn forget(&self) {
        *lock(&self.cached) = None;
    }
}
