//! `mobank.activation()`: binding this phone, and re-enrolling its biometric key.

use std::sync::Arc;

use mobank_protocol::messages::{paths, StartActivationRequest, StartActivationResponse};
use mobank_protocol::CHALLENGE_LEN;
use zeroize::Zeroize;

use super::complete::complete;
use super::reenrol::reenrol_biometric;
use super::state::ActivationState;
use crate::context::{Binding, Context};
use crate::device::binding::PendingActivation;
use crate::device::state::BindingStatus;
use crate::device::DeviceSummary;
use crate::error::{internal, MobankError};
use crate::input;
use crate::net::NetError;
use crate::pin::{check_new_pin, Pin};
use crate::secret::SecretString;

/// What the customer sees after entering the activation code.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ActivationStarted {
    /// Where the OTP went, masked by the bank: `+86 138****8000`.
    pub masked_phone: String,
    /// Bank time after which the OTP is no longer accepted.
    pub otp_expires_at: std::time::SystemTime,
}

/// Binding and re-enrolment. A cheap handle: get one from [`crate::Mobank::activation`] per
/// use; an activation started with one handle is completed with another.
pub struct ActivationClient {
    context: Arc<Context>,
    state: Arc<ActivationState>,
}

impl ActivationClient {
    pub(crate) fn new(context: Arc<Context>, state: Arc<ActivationState>) -> Self {
        Self { context, state }
    }

    /// Sends the activation code; the bank texts an OTP to the customer's registered phone.
    /// A malformed code is refused locally, without spending one of the bank's attempts.
    /// Allowed on a blocked binding: the new binding replaces it.
    pub async fn start(
        &self,
        activation_code: SecretString,
    ) -> Result<ActivationStarted, MobankError> {
        let code = input::activation_code(activation_code.expose_secret())?;
        if let Binding::Bound(state) = self.context.binding_off_runtime().await? {
            if state.status != BindingStatus::Blocked {
                return Err(MobankError::AlreadyBound);
            }
        }
        let mut request = StartActivationRequest {
            activation_code: code.to_owned(),
        };
        let result = self
            .context
            .bank
            .post::<_, StartActivationResponse>(paths::ACTIVATION_START, &request)
            .await;
        request.activation_code.zeroize();
        let response = result?;
        if response.challenge.len() != CHALLENGE_LEN || response.rp_id.is_empty() {
            return Err(NetError::MalformedResponse.into());
        }
        self.state.start(
            PendingActivation {
                activation_id: response.activation_id,
                challenge: response.challenge,
                rp_id: response.rp_id,
            },
            self.context.wipes(),
        );
        tracing::info!("activation started; OTP sent by the bank");
        Ok(ActivationStarted {
            masked_phone: response.masked_phone,
            otp_expires_at: crate::timestamp::from_unix_ms(response.otp_expires_at_ms),
        })
    }

    /// Creates this phone's device keys and its knowledge key under the PIN the customer chose,
    /// proves the keys to the bank together with the OTP, and saves the binding. A PIN that is
    /// too easy to guess is refused before anything is sent. A wrong OTP can be retried; if the
    /// binding fails, the new keys are deleted again.
    pub async fn complete(
        &self,
        otp: SecretString,
        pin: Pin,
    ) -> Result<DeviceSummary, MobankError> {
        input::otp(otp.expose_secret())?;
        check_new_pin(&pin)?;
        let (context, state) = (Arc::clone(&self.context), Arc::clone(&self.state));
        // Runs to the end even if the caller stops waiting: a binding the bank accepted must be
        // saved, and the keys of one it refused must be deleted.
        tokio::spawn(async move { complete(context, state, otp, pin).await })
            .await
            .map_err(|_| internal("activation task failed"))?
    }

    /// Creates a new biometric key (the OS shows `prompt` for its first signature) and
    /// registers it with the bank. Needs a PIN authentication within the last minutes (a PIN
    /// login or `auth().step_up_pin`), otherwise `StepUpRequired` before anything happens. The
    /// old biometric key is deleted once the bank has accepted the new one; failed biometric
    /// checks are forgiven.
    pub async fn reenrol_biometric(&self, prompt: &str) -> Result<DeviceSummary, MobankError> {
        reenrol_biometric(&self.context, prompt).await
    }
}
