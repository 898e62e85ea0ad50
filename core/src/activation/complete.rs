//! The activation's second step: new device keys and knowledge key, proven to the bank with the
//! OTP, saved as the binding. Whatever the bank refused is undone.

use std::sync::Arc;

use mobank_protocol::messages::{
    paths, CompleteActivationRequest, CompleteActivationResponse, DeviceDescription,
};
use zeroize::Zeroize;

use super::state::ActivationState;
use crate::context::{Binding, Context};
use crate::device::binding::{
    create_keys_and_proofs, delete_keys, knowledge_alias, new_key_aliases, state_aliases, NewKeys,
    PendingActivation,
};
use crate::device::knowledge::KnowledgeKey;
use crate::device::state::{BindingStatus, DeviceState};
use crate::device::DeviceSummary;
use crate::error::MobankError;
use crate::input;
use crate::kill;
use crate::net::NetError;
use crate::pin::Pin;
use crate::runtime::blocking;
use crate::secret::SecretString;

pub(super) async fn complete(
    context: Arc<Context>,
    activation: Arc<ActivationState>,
    otp: SecretString,
    pin: Pin,
) -> Result<DeviceSummary, MobankError> {
    let otp = input::otp(otp.expose_secret())?;
    let pending = activation
        .current(context.wipes())
        .ok_or(MobankError::NoActivationInProgress)?;
    let mut store_unreadable = false;
    let earlier = match context.binding_off_runtime().await? {
        Binding::Bound(state) if state.status == BindingStatus::Blocked => Some(state),
        Binding::Bound(_) => return Err(MobankError::AlreadyBound),
        Binding::Stale(state) => Some(state),
        Binding::None | Binding::Corrupt => None,
        Binding::Unreadable(_) => {
            store_unreadable = true;
            None
        }
    };

    let key_store = Arc::clone(&context.key_store);
    let for_keys = pending.clone();
    let (keys, proofs, knowledge_key, knowledge) = blocking(move || {
        let (keys, proofs) = create_keys_and_proofs(key_store.as_ref(), &for_keys)?;
        let sealed = KnowledgeKey::generate().and_then(|key| {
            let record = key.seal(
                key_store.as_ref(),
                &knowledge_alias(&keys.possession_alias),
                &pin,
            )?;
            Ok((key, record))
        });
        match sealed {
            Ok((key, record)) => Ok((keys, proofs, key, record)),
            Err(error) => {
                delete_keys(key_store.as_ref(), &new_key_aliases(&keys));
                Err(error)
            }
        }
    })
    .await??;
    kill::point(kill::BINDING_KEYS_MADE);

    let mut request = CompleteActivationRequest {
        activation_id: pending.activation_id.clone(),
        otp: otp.to_owned(),
        device: DeviceDescription {
            name: activation.device_name.clone(),
            platform: activation.platform.clone(),
        },
        possession_public_key: keys.possession_public_key.clone(),
        user_verified_public_key: keys.user_verified_public_key.clone(),
        proofs,
        knowledge_key: Some(knowledge_key.bytes().to_vec()),
    };
    let result = context
        .bank
        .post::<_, CompleteActivationResponse>(paths::ACTIVATION_COMPLETE, &request)
        .await;
    request.otp.zeroize();
    if let Some(key) = request.knowledge_key.as_mut() {
        key.zeroize();
    }
    drop(knowledge_key);

    let undo = Undo {
        context: &context,
        activation: &activation,
        pending: &pending,
    };
    let response = match result {
        Ok(response) if !response.device_id.is_empty() => response,
        Ok(_) => return Err(undo.abandon(keys, NetError::MalformedResponse.into()).await),
        Err(error) => return Err(undo.abandon(keys, error.into()).await),
    };
    kill::point(kill::BINDING_CONFIRMED);
    let state = DeviceState {
        version: DeviceState::new_version(),
        device_id: response.device_id,
        rp_id: pending.rp_id.clone(),
        customer_name: response.customer_name,
        device_name: activation.device_name.clone(),
        bound_at_ms: response.bound_at_ms,
        possession_key_alias: keys.possession_alias.clone(),
        user_verified_key_alias: keys.user_verified_alias.clone(),
        possession_public_key: keys.possession_public_key.clone(),
        user_verified_public_key: keys.user_verified_public_key.clone(),
        // The proofs were each key's first signature.
        possession_sign_count: 1,
        user_verified_sign_count: 1,
        knowledge: Some(knowledge),
        pending_knowledge: None,
        knowledge_sign_count: 0,
        biometric_failures: 0,
        status: BindingStatus::Active,
    };
    if store_unreadable {
        // Nothing in it can be read again: a new store (and key) for the new binding.
        let storage = Arc::clone(&context.storage);
        if let Err(error) = blocking(move || storage.wipe()).await? {
            return Err(undo.abandon(keys, error.into()).await);
        }
    }
    let saver = Arc::clone(&context);
    let saving = state.clone();
    let saved = blocking(move || saver.states.save(&saving)).await?;
    if let Err(error) = saved {
        return Err(undo.abandon(keys, error.into()).await);
    }
    activation.forget(&pending);
    if let Some(earlier) = earlier {
        let key_store = Arc::clone(&context.key_store);
        let aliases = state_aliases(&earlier);
        blocking(move || delete_keys(key_store.as_ref(), &aliases)).await?;
    }
    tracing::info!("device bound");
    Ok(DeviceSummary::from(&state))
}

/// Undoes a binding attempt the bank refused (or that could not be saved).
struct Undo<'a> {
    context: &'a Arc<Context>,
    activation: &'a ActivationState,
    pending: &'a PendingActivation,
}

impl Undo<'_> {
    /// Deletes the new keys, and forgets the activation if the bank will not accept it again.
    async fn abandon(&self, keys: NewKeys, error: MobankError) -> MobankError {
        let key_store = Arc::clone(&self.context.key_store);
        let deleted =
            blocking(move || delete_keys(key_store.as_ref(), &new_key_aliases(&keys))).await;
        if deleted.is_err() {
            tracing::warn!("could not delete the keys of a failed binding");
        }
        if matches!(
            error,
            MobankError::ActivationCodeInvalid | MobankError::OtpExpired
        ) {
            self.activation.forget(self.pending);
        }
        error
    }
}
