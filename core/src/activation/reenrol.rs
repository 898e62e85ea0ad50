//! A new biometric key after the enrolment changed, without a new binding: the old key is
//! dead, the possession key and a fresh PIN authentication vouch for the new one.

use std::sync::Arc;

use mobank_protocol::assertion::operations;
use mobank_protocol::messages::{
    paths, ChallengePurpose, ReenrolBiometricRequest, ReenrolBiometricResponse,
};

use crate::auth::{authorize, Authorized, Operation, Second};
use crate::context::Context;
use crate::device::binding::{delete_keys, new_user_verified_alias};
use crate::device::state::DeviceState;
use crate::device::DeviceSummary;
use crate::error::MobankError;
use crate::input;
use crate::platform::KeyPurpose;
use crate::runtime::blocking;

/// See [`super::ActivationClient::reenrol_biometric`].
pub(super) async fn reenrol_biometric(
    context: &Arc<Context>,
    prompt: &str,
) -> Result<DeviceSummary, MobankError> {
    let prompt = input::prompt(prompt)?.to_owned();
    let auth = authorize(context, Some(Operation::ReenrolBiometric))?;
    let state = context.usable_state().await?;
    if state.device_id != auth.device_id {
        return Err(MobankError::NotBound);
    }

    let alias = new_user_verified_alias().map_err(MobankError::from)?;
    let key_store = Arc::clone(&context.key_store);
    let for_key = alias.clone();
    let public_key =
        blocking(move || key_store.generate(&for_key, KeyPurpose::UserVerified)).await??;
    let result = register_biometric_key(context, &auth, &alias, &public_key, prompt).await;
    let key_store = Arc::clone(&context.key_store);
    match result {
        Ok(saved) => {
            let old = state.user_verified_key_alias;
            let removed = blocking(move || delete_keys(key_store.as_ref(), &[&old])).await;
            if removed.is_err() {
                tracing::warn!("could not delete the old biometric key");
            }
            tracing::info!("biometric key re-enrolled");
            Ok(DeviceSummary::from(&saved))
        }
        Err(error) => {
            let deleted = blocking(move || delete_keys(key_store.as_ref(), &[&alias])).await;
            if deleted.is_err() {
                tracing::warn!("could not delete the refused biometric key");
            }
            Err(error)
        }
    }
}

/// Signs the operation with the possession key and the new key's first signature, sends
/// both, and on acceptance saves the new key as the binding's biometric key.
async fn register_biometric_key(
    context: &Arc<Context>,
    auth: &Authorized,
    alias: &str,
    public_key: &[u8],
    prompt: String,
) -> Result<DeviceState, MobankError> {
    let second = Second::NewBiometric {
        alias: alias.to_owned(),
        prompt,
    };
    let answered = auth
        .answer_challenge(
            ChallengePurpose::Operation,
            Some(operations::REENROL_BIOMETRIC.to_owned()),
            second,
        )
        .await?;
    let result = context
        .bank
        .post_authorized::<_, ReenrolBiometricResponse>(
            paths::DEVICES_BIOMETRIC_KEY,
            &ReenrolBiometricRequest {
                challenge_id: answered.challenge_id,
                user_verified_public_key: public_key.to_vec(),
                assertions: answered.assertions,
            },
            &auth.token,
        )
        .await;
    auth.settle(result).await?;

    let saver = Arc::clone(context);
    let (device_id, alias, public_key) = (
        auth.device_id.clone(),
        alias.to_owned(),
        public_key.to_vec(),
    );
    let (saved, ()) = blocking(move || {
        saver.states.update(&device_id, |state| {
            state.user_verified_key_alias = alias;
            state.user_verified_public_key = public_key;
            // The proof was the new key's first signature.
            state.user_verified_sign_count = 1;
            state.biometric_failures = 0;
            Ok(())
        })
    })
    .await??
    .ok_or(MobankError::NotBound)?;
    Ok(saved)
}
