//! The paths of every endpoint: the customer API under `/v1/`, the sandbox's developer API
//! under `/dev/`.

pub const ACTIVATION_START: &str = "/v1/activation/start";
pub const ACTIVATION_COMPLETE: &str = "/v1/activation/complete";
pub const LOGIN_CHALLENGE: &str = "/v1/login/challenge";
pub const LOGIN: &str = "/v1/login";
pub const ACCOUNTS: &str = "/v1/accounts";
/// `GET`, query `cursor` and `limit`: the customer's transaction history, page by page.
pub const TRANSACTIONS: &str = "/v1/transactions";
/// A challenge inside a session, for a step-up or an operation.
pub const CHALLENGES: &str = "/v1/challenges";
pub const STEP_UP: &str = "/v1/session/step-up";
/// `GET`: the customer's devices.
pub const DEVICES: &str = "/v1/devices";
pub const DEVICES_REVOKE: &str = "/v1/devices/revoke";
pub const DEVICES_UNBIND: &str = "/v1/devices/unbind";
/// Replaces this device's biometric (user-verified) key after an enrolment change.
pub const DEVICES_BIOMETRIC_KEY: &str = "/v1/devices/biometric-key";
pub const PIN_CHANGE_BEGIN: &str = "/v1/pin/change/begin";
pub const PIN_CHANGE_COMMIT: &str = "/v1/pin/change/commit";
/// `GET`: the customer's payment channels, their limits and the room left.
pub const CHANNELS: &str = "/v1/channels";
pub const CHANNELS_ENABLE: &str = "/v1/channels/enable";
pub const CHANNELS_DISABLE: &str = "/v1/channels/disable";
pub const CHANNELS_LIMITS: &str = "/v1/channels/limits";
/// `GET`: the customer's saved payees.
pub const PAYEES: &str = "/v1/payees";
/// The holder name of an account, and the challenge to add it as a payee.
pub const PAYEES_CHECK: &str = "/v1/payees/check";
pub const PAYEES_ADD: &str = "/v1/payees/add";
pub const PAYEES_RENAME: &str = "/v1/payees/rename";
pub const PAYEES_REMOVE: &str = "/v1/payees/remove";

/// Developer API: issue an activation code (what a branch or the bank's web portal would do).
pub const DEV_ACTIVATION_CODES: &str = "/dev/activation-codes";
/// Developer API: the SMS outbox of one phone number, `/dev/sms/{phone}`.
pub const DEV_SMS_PREFIX: &str = "/dev/sms/";
/// Developer API: the device notifications the bank sent to one customer,
/// `/dev/notifications/{customer_id}`.
pub const DEV_NOTIFICATIONS_PREFIX: &str = "/dev/notifications/";
/// Developer API: book a new transaction (what card payments and incoming transfers do).
pub const DEV_TRANSACTIONS: &str = "/dev/transactions";
