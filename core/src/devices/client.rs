//! The customer's devices: list them, revoke another one, unbind this one.

use mobank_protocol::assertion::operations;
use mobank_protocol::messages::{
    self, paths, ChallengePurpose, DevicesResponse, RevokeDeviceRequest, RevokeDeviceResponse,
    UnbindDeviceRequest,
};
use mobank_protocol::Ceremony;

pub use mobank_protocol::messages::DeviceStatus;

use crate::auth::{Second, Signing};
use crate::device::state::{BindingStatus, StateError};
use crate::error::MobankError;
use crate::input;
use crate::mobank::{blocking, Mobank, UnbindOutcome};
use crate::policy::Operation;

/// One of the customer's bound devices, as the bank lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceInfo {
    pub device_id: String,
    pub name: String,
    /// "android", "ios" or "other".
    pub platform: String,
    /// Bank time, Unix ms.
    pub bound_at_ms: i64,
    pub last_seen_ms: Option<i64>,
    pub status: DeviceStatus,
    /// The phone Mobank runs on.
    pub this_device: bool,
}

impl From<messages::DeviceInfo> for DeviceInfo {
    fn from(device: messages::DeviceInfo) -> Self {
        Self {
            device_id: device.device_id,
            name: device.name,
            platform: device.platform,
            bound_at_ms: device.bound_at_ms,
            last_seen_ms: device.last_seen_ms,
            status: device.status,
            this_device: device.this_device,
        }
    }
}

impl Mobank {
    /// Every device bound to the customer, oldest binding first. Needs a live session.
    pub async fn devices(&self) -> Result<Vec<DeviceInfo>, MobankError> {
        let auth = self.inner.authorize(None)?;
        let result = self
            .inner
            .bank
            .get_authorized::<DevicesResponse>(paths::DEVICES, &auth.token)
            .await;
        let response = self.inner.settle(&auth, result).await?;
        Ok(response.devices.into_iter().map(DeviceInfo::from).collect())
    }

    /// Revokes another of the customer's devices, signed by this phone's possession key. Needs
    /// a fresh strong authentication (`StepUpRequired` otherwise, before anything is sent).
    /// To remove this phone, use [`Mobank::unbind`].
    pub async fn revoke_device(&self, device_id: String) -> Result<(), MobankError> {
        let device_id = input::device_id(&device_id)?.to_owned();
        let inner = &self.inner;
        let auth = inner.authorize(Some(Operation::RevokeDevice))?;
        if device_id == auth.device_id {
            return Err(MobankError::InvalidInput {
                what: "this phone cannot revoke itself; unbind it instead".to_owned(),
            });
        }
        let challenge = inner
            .session_challenge(&auth, ChallengePurpose::Operation)
            .await?;
        let signing = Signing {
            ceremony: Ceremony::Operation,
            challenge: challenge.challenge,
            operation: Some(operations::revoke_device(&device_id)),
        };
        let mut assertions = inner
            .sign_off_runtime(&auth.device_id, signing, Second::None)
            .await?;
        let assertion = assertions
            .pop()
            .ok_or_else(|| crate::mobank::internal("no possession assertion"))?;
        let result = inner
            .bank
            .post_authorized::<_, RevokeDeviceResponse>(
                paths::DEVICES_REVOKE,
                &RevokeDeviceRequest {
                    device_id,
                    challenge_id: challenge.challenge_id,
                    assertion,
                },
                &auth.token,
            )
            .await;
        inner.settle(&auth, result).await?;
        tracing::info!("device revoked");
        Ok(())
    }

    /// Ends this phone's binding: tells the bank (signed by the possession key; needs a fresh
    /// strong authentication), then deletes every key and every file Mobank keeps here.
    ///
    /// If the bank cannot be reached, or may not have received the request, the phone is
    /// wiped all the same: the customer asked for it, and without the keys nobody can use the
    /// binding. The outcome says whether the bank confirmed. If the bank refuses (a stale
    /// session, a failed signature), nothing is wiped. A binding the bank has already blocked
    /// or revoked is wiped without asking it; the bank answering `device_blocked` (also its
    /// answer to a repeated unbind) confirms the binding is over. A binding whose encrypted
    /// store lost its key cannot be read, so the bank cannot be told: the phone is wiped and
    /// the outcome is not confirmed.
    pub async fn unbind(&self) -> Result<UnbindOutcome, MobankError> {
        let inner = &self.inner;
        let loader = std::sync::Arc::clone(inner);
        let state = match blocking(move || loader.states.load()).await? {
            Ok(state) => state.ok_or(MobankError::NotBound)?,
            // The store holding the binding can never be opened again: nothing can be signed,
            // but the phone can still be cleared for a new activation.
            Err(StateError::Unreadable(_)) => {
                inner.wipe().await?;
                tracing::info!("unreadable binding wiped from this phone");
                return Ok(UnbindOutcome {
                    bank_confirmed: false,
                });
            }
            Err(error) => return Err(error.into()),
        };
        if state.status != BindingStatus::Active {
            inner.wipe().await?;
            tracing::info!("ended binding wiped from this phone");
            return Ok(UnbindOutcome {
                bank_confirmed: true,
            });
        }
        let auth = inner.authorize(Some(Operation::Unbind))?;
        let told = self.tell_bank_unbind(&auth).await;
        let bank_confirmed = match told {
            Ok(()) | Err(MobankError::NotBound | MobankError::DeviceBlocked) => true,
            Err(
                MobankError::Network { .. }
                | MobankError::OutcomeUnknown
                | MobankError::PinningFailed
                | MobankError::Tls { .. },
            ) => false,
            Err(error) => return Err(error),
        };
        inner.wipe().await?;
        tracing::info!(bank_confirmed, "phone unbound and wiped");
        Ok(UnbindOutcome { bank_confirmed })
    }

    async fn tell_bank_unbind(&self, auth: &crate::auth::Authorized) -> Result<(), MobankError> {
        let inner = &self.inner;
        let challenge = inner
            .session_challenge(auth, ChallengePurpose::Operation)
            .await?;
        let signing = Signing {
            ceremony: Ceremony::Operation,
            challenge: challenge.challenge,
            operation: Some(operations::unbind(&auth.device_id)),
        };
        let mut assertions = inner
            .sign_off_runtime(&auth.device_id, signing, Second::None)
            .await?;
        let assertion = assertions
            .pop()
            .ok_or_else(|| crate::mobank::internal("no possession assertion"))?;
        let result = inner
            .bank
            .post_authorized::<_, RevokeDeviceResponse>(
                paths::DEVICES_UNBIND,
                &UnbindDeviceRequest {
                    challenge_id: challenge.challenge_id,
                    assertion,
                },
                &auth.token,
            )
            .await;
        inner.settle(auth, result).await.map(|_| ())
    }
}
