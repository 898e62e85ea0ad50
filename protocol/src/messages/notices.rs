//! Events about a customer's devices and payment channels, shown once on each of the
//! customer's devices.

use serde::{Deserialize, Serialize};

use crate::transfer::Channel;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// Another device was bound to the customer.
    NewDeviceBound,
    /// One of the customer's devices was revoked or unbound.
    DeviceRevoked,
    /// The PIN of one of the customer's devices was changed.
    PinChanged,
    /// A payment channel was turned on in the app (`channel`; `device_name`: on which device).
    ChannelEnabled,
    /// A branch opened a payment channel (`channel`); it stays off until the customer turns it
    /// on in the app.
    ChannelOpened,
    /// A payee was saved in the app (`payee`: its registered name and masked account;
    /// `device_name`: on which device).
    PayeeAdded,
    /// A branch opened a product for the customer (`product`: its name and masked number).
    ProductOpened,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Notice {
    pub notice_id: String,
    pub kind: NoticeKind,
    /// The device the event is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_name: Option<String>,
    pub at_ms: i64,
    /// The channel a channel notice is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// The payee a payee notice is about: `王芳 (**** 6509)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee: Option<String>,
    /// The product a product notice is about: `贵金属保证金 Precious-metal margin (**** 0001)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
}
