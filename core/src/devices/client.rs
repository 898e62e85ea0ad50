//! `mobank.devices()`: the customer's devices.

use std::sync::Arc;

use mobank_protocol::assertion::operations;
use mobank_protocol::messages::{
    paths, ChallengePurpose, DevicesResponse, RevokeDeviceRequest, RevokeDeviceResponse,
    UnbindDeviceRequest,
};
use mobank_protocol::Assertion;

use super::{DeviceInfo, UnbindOutcome};
use crate::auth::{authorize, Authorized, Operation, Second};
use crate::context::Context;
use crate::device::state::{BindingStatus, StateError};
use crate::error::{internal, MobankError};
use crate::input;
use crate::runtime::blocking;

/// The device list, revocation and unbinding. A cheap handle: get one from
/// [`crate::Mobank::devices`] per use.
pub struct DevicesClient {
    context: Arc<Context>,
}

impl DevicesClient {
    pub(crate) fn new(context: Arc<Context>) -> Self {
        Self { context }
    }

    /// Every device bound to the customer, oldest binding first. Needs a live session.
    pub async fn list(&self) -> Result<Vec<DeviceInfo>, MobankError> {
        let auth = authorize(&self.context, None)?;
        let result = self
            .context
            .bank
            .get_authorized::<DevicesResponse>(paths::DEVICES, &auth.token)
            .await;
        let response = auth.settle(result).await?;
        Ok(response.devices.into_iter().map(DeviceInfo::from).collect())
    }

    /// Revokes another of the customer's devices, signed by this phone's possession key. Needs
    /// a fresh strong authentication (`StepUpRequired` otherwise, before anything is sent).
    /// To remove this phone, use [`DevicesClient::unbind`].
    pub async fn revoke(&self, device_id: String) -> Result<(), MobankError> {
        let device_id = input::device_id(&device_id)?.to_owned();
        let auth = authorize(&self.context, Some(Operation::RevokeDevice))?;
        if device_id == auth.device_id {
            return Err(MobankError::InvalidInput {
                what: "this phone cannot revoke itself; unbind it instead".to_owned(),
            });
        }
        let operation = operations::revoke_device(&device_id);
        let (challenge_id, assertion) = self.sign_operation(&auth, operation).await?;
        let result = self
            .context
            .bank
            .post_authorized::<_, RevokeDeviceResponse>(
                paths::DEVICES_REVOKE,
                &RevokeDeviceRequest {
                    device_id,
                    challenge_id,
                    assertion,
                },
                &auth.token,
            )
            .await;
        auth.settle(result).await?;
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
        let context = &self.context;
        let loader = Arc::clone(context);
        let state = match blocking(move || loader.states.load()).await? {
            Ok(state) => state.ok_or(MobankError::NotBound)?,
            // The store holding the binding can never be opened again: nothing can be signed,
            // but the phone can still be cleared for a new activation.
            Err(StateError::Unreadable(_)) => {
                context.wipe().await?;
                tracing::info!("unreadable binding wiped from this phone");
                return Ok(UnbindOutcome {
                    bank_confirmed: false,
                });
            }
            Err(error) => return Err(error.into()),
        };
        if state.status != BindingStatus::Active {
            context.wipe().await?;
            tracing::info!("ended binding wiped from this phone");
            return Ok(UnbindOutcome {
                bank_confirmed: true,
            });
        }
        let auth = authorize(context, Some(Operation::Unbind))?;
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
        context.wipe().await?;
        tracing::info!(bank_confirmed, "phone unbound and wiped");
        Ok(UnbindOutcome { bank_confirmed })
    }

    async fn tell_bank_unbind(&self, auth: &Authorized) -> Result<(), MobankError> {
        let operation = operations::unbind(&auth.device_id);
        let (challenge_id, assertion) = self.sign_operation(auth, operation).await?;
        let result = self
            .context
            .bank
            .post_authorized::<_, RevokeDeviceResponse>(
                paths::DEVICES_UNBIND,
                &UnbindDeviceRequest {
                    challenge_id,
                    assertion,
                },
                &auth.token,
            )
            .await;
        auth.settle(result).await.map(|_| ())
    }

    /// A challenge for `operation`, answered by the possession key alone.
    async fn sign_operation(
        &self,
        auth: &Authorized,
        operation: String,
    ) -> Result<(String, Assertion), MobankError> {
        let mut answered = auth
            .answer_challenge(ChallengePurpose::Operation, Some(operation), Second::None)
            .await?;
        let assertion = answered
            .assertions
            .pop()
            .ok_or_else(|| internal("no possession assertion"))?;
        Ok((answered.challenge_id, assertion))
    }
}
