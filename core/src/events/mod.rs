//! What the core tells the app without being asked, and who hears it: any number of listeners,
//! each for as long as its [`Subscription`] lives.

mod subscription;

use std::time::SystemTime;

use mobank_protocol::messages::{self, NoticeKind};
use mobank_protocol::transfer::{Channel, RejectReason};

use crate::limits::Limits;
use crate::timestamp::from_unix_ms;

pub(crate) use subscription::Listeners;
pub use subscription::Subscription;

/// One event for the app. Delivered through [`EventListener::on_event`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum MobankEvent {
    /// The session ended on its own (idle timeout, absolute cap, or the bank ended it).
    /// The customer must log in again.
    SessionExpired,
    /// The app spent the idle window in the background; the session was dropped so the next
    /// person to open the app has to authenticate.
    SessionLocked,
    /// Another device was bound to the customer. If the customer did not do that, the app
    /// should lead them to revoke it.
    NewDeviceBound {
        device_name: Option<String>,
        at: SystemTime,
    },
    /// One of the customer's devices was revoked or unbound.
    DeviceRevoked {
        device_name: Option<String>,
        at: SystemTime,
    },
    /// The PIN of one of the customer's devices was changed.
    PinChanged {
        device_name: Option<String>,
        at: SystemTime,
    },
    /// A payment channel was turned on in the app, on the device named. If the customer did
    /// not do that, the app should lead them to turn it off.
    ChannelEnabled {
        channel: Option<Channel>,
        device_name: Option<String>,
        at: SystemTime,
    },
    /// A branch opened a payment channel for the customer; it stays off until the customer
    /// turns it on in the app.
    ChannelOpened {
        channel: Option<Channel>,
        at: SystemTime,
    },
    /// A payee was saved in the app, on the device named. If the customer did not do that,
    /// the app should lead them to remove it.
    PayeeAdded {
        /// The registered name and masked account: `王芳 (**** 6509)`.
        payee: Option<String>,
        device_name: Option<String>,
        at: SystemTime,
    },
    /// A branch opened a product for the customer: it is in `accounts().list()` now. If the
    /// customer did not ask for it, the app should lead them to call the bank.
    ProductOpened {
        /// Its name and masked number: `贵金属保证金 Precious-metal margin (**** 0001)`.
        product: Option<String>,
        at: SystemTime,
    },
    /// The transfer limits of this session differ from the last ones this app saw.
    LimitsChanged { limits: Limits },
    /// The bank booked a transfer (its signed receipt checked). `transfer_id` is the
    /// transfer's idempotency key, as `transfers().list()` shows it.
    TransferSettled { transfer_id: String },
    /// The bank refused a transfer with a signed receipt; no money moved.
    TransferRejected {
        transfer_id: String,
        reason: RejectReason,
    },
    /// The bank's answer to a transfer was lost. `transfers().reconcile()` finds it out.
    TransferOutcomeUnknown { transfer_id: String },
    /// The bank suspended the customer's e-banking: tell the customer to call the bank.
    /// Queued transfers are kept as they were.
    EbankingSuspended,
}

/// Implemented by the app. The core calls it from whichever thread noticed the event, never
/// while holding one of its locks, so the listener may call back into Mobank.
pub trait EventListener: Send + Sync {
    fn on_event(&self, event: MobankEvent);
}

/// Something that happened to one of the customer's devices, as the bank reports it at login.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DeviceNotice {
    pub kind: NoticeKind,
    /// The device it happened to, or (for a channel turned on) the device it was done on.
    pub device_name: Option<String>,
    /// Bank time.
    pub at: SystemTime,
    /// The channel a channel notice is about.
    pub channel: Option<Channel>,
    /// The payee a payee notice is about: `王芳 (**** 6509)`.
    pub payee: Option<String>,
    /// The product a product notice is about: its name and masked number.
    pub product: Option<String>,
}

impl From<messages::Notice> for DeviceNotice {
    fn from(notice: messages::Notice) -> Self {
        Self {
            kind: notice.kind,
            device_name: notice.device_name,
            at: from_unix_ms(notice.at_ms),
            channel: notice.channel,
            payee: notice.payee,
            product: notice.product,
        }
    }
}

impl From<&DeviceNotice> for MobankEvent {
    fn from(notice: &DeviceNotice) -> Self {
        let device_name = notice.device_name.clone();
        let at = notice.at;
        match notice.kind {
            NoticeKind::NewDeviceBound => Self::NewDeviceBound { device_name, at },
            NoticeKind::DeviceRevoked => Self::DeviceRevoked { device_name, at },
            NoticeKind::PinChanged => Self::PinChanged { device_name, at },
            NoticeKind::ChannelEnabled => Self::ChannelEnabled {
                channel: notice.channel,
                device_name,
                at,
            },
            NoticeKind::ChannelOpened => Self::ChannelOpened {
                channel: notice.channel,
                at,
            },
            NoticeKind::PayeeAdded => Self::PayeeAdded {
                payee: notice.payee.clone(),
                device_name,
                at,
            },
            NoticeKind::ProductOpened => Self::ProductOpened {
                product: notice.product.clone(),
                at,
            },
        }
    }
}
