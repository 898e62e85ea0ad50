//! The session as the app sees it: its summary (timeouts, notices, limits) and the sensitive
//! operations that need a fresh strong authentication. The token itself never crosses the FFI.

use mobank_core as core;

/// A live session with the bank.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SessionSummary {
    /// Bank time (Unix ms) at which the session ends whatever the activity.
    pub expires_at_ms: i64,
    /// Inactivity after which the customer must authenticate again.
    pub idle_timeout_secs: u32,
    /// What happened to the customer's devices since this device last logged in, oldest first
    /// (also delivered to the `EventListener`).
    pub notices: Vec<DeviceNotice>,
    /// The transfer limits of this session, if the bank sent them.
    pub limits: Option<Limits>,
}

impl From<core::SessionSummary> for SessionSummary {
    fn from(session: core::SessionSummary) -> Self {
        SessionSummary {
            expires_at_ms: session.expires_at_ms,
            idle_timeout_secs: session.idle_timeout_secs,
            notices: session
                .notices
                .into_iter()
                .map(DeviceNotice::from)
                .collect(),
            limits: session.limits.map(Limits::from),
        }
    }
}

/// What happened to one of the customer's devices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum NoticeKind {
    /// Another device was bound to the customer.
    NewDeviceBound,
    /// One of the customer's devices was revoked or unbound.
    DeviceRevoked,
    /// The PIN of one of the customer's devices was changed.
    PinChanged,
}

impl From<core::NoticeKind> for NoticeKind {
    fn from(kind: core::NoticeKind) -> Self {
        match kind {
            core::NoticeKind::NewDeviceBound => NoticeKind::NewDeviceBound,
            core::NoticeKind::DeviceRevoked => NoticeKind::DeviceRevoked,
            core::NoticeKind::PinChanged => NoticeKind::PinChanged,
        }
    }
}

/// Something that happened to one of the customer's devices.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DeviceNotice {
    pub kind: NoticeKind,
    /// The device it happened to.
    pub device_name: Option<String>,
    /// Bank time, Unix ms.
    pub at_ms: i64,
}

impl From<core::DeviceNotice> for DeviceNotice {
    fn from(notice: core::DeviceNotice) -> Self {
        DeviceNotice {
            kind: notice.kind.into(),
            device_name: notice.device_name,
            at_ms: notice.at_ms,
        }
    }
}

/// Why the bank set the limits it set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum LimitReason {
    Normal,
    /// A newly bound device: low limits until `cooling_off_until_ms`.
    CoolingOff,
    /// A debugger or an emulator was reported: low limits.
    IntegrityRisk,
    /// Rooted/jailbroken or a hooking framework was reported: no transfers.
    BlockedByIntegrity,
}

impl From<core::LimitReason> for LimitReason {
    fn from(reason: core::LimitReason) -> Self {
        match reason {
            core::LimitReason::Normal => LimitReason::Normal,
            core::LimitReason::CoolingOff => LimitReason::CoolingOff,
            core::LimitReason::IntegrityRisk => LimitReason::IntegrityRisk,
            core::LimitReason::BlockedByIntegrity => LimitReason::BlockedByIntegrity,
        }
    }
}

/// Transfer limits as the bank set them for this session. Amounts are the bank's exact decimal
/// strings: parse them into `BigDecimal` (Kotlin) or `Decimal` (Swift), never a float.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Limits {
    pub per_transaction: String,
    pub daily: String,
    /// ISO 4217.
    pub currency: String,
    /// The strictest reason that applies.
    pub reason: LimitReason,
    /// Bank time (Unix ms) at which a new device's cooling-off period ends.
    pub cooling_off_until_ms: Option<i64>,
}

impl From<core::Limits> for Limits {
    fn from(limits: core::Limits) -> Self {
        Limits {
            per_transaction: limits.per_transaction.to_string(),
            daily: limits.daily.to_string(),
            currency: limits.currency,
            reason: limits.reason.into(),
            cooling_off_until_ms: limits.cooling_off_until_ms,
        }
    }
}

/// An operation that needs a fresh strong authentication (`step_up_biometric` or
/// `step_up_pin`). Ask `needs_step_up` before showing its screen. Named so it clashes with
/// neither Foundation's `Operation` nor anything in Kotlin's standard library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum SensitiveOperation {
    RevokeDevice,
    Unbind,
    ChangePin,
    /// A new biometric key after the enrolment changed; needs the PIN.
    ReenrolBiometric,
    AddPayee,
    RaiseLimit,
    EnableChannel,
}

impl From<SensitiveOperation> for core::Operation {
    fn from(operation: SensitiveOperation) -> Self {
        match operation {
            SensitiveOperation::RevokeDevice => core::Operation::RevokeDevice,
            SensitiveOperation::Unbind => core::Operation::Unbind,
            SensitiveOperation::ChangePin => core::Operation::ChangePin,
            SensitiveOperation::ReenrolBiometric => core::Operation::ReenrolBiometric,
            SensitiveOperation::AddPayee => core::Operation::AddPayee,
            SensitiveOperation::RaiseLimit => core::Operation::RaiseLimit,
            SensitiveOperation::EnableChannel => core::Operation::EnableChannel,
        }
    }
}
