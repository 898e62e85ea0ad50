//! `client.activation()`: binding this phone, and a new biometric key after the enrolment changed.

use mobank_core::{self as core, ActivationStarted, DeviceSummary, MobankError, SecretString};

use crate::pin::pin_from_ffi;

#[derive(uniffi::Object)]
pub struct ActivationClient(pub(crate) core::ActivationClient);

#[uniffi::export(async_runtime = "tokio")]
impl ActivationClient {
    /// Step 1 of binding: sends the activation code (from the branch, letter or web banking);
    /// the bank texts an OTP to the customer's registered phone.
    pub async fn start(&self, activation_code: String) -> Result<ActivationStarted, MobankError> {
        self.0.start(SecretString::from(activation_code)).await
    }

    /// Step 2 of binding: the OTP from the SMS and the PIN the customer chose (six ASCII digit
    /// bytes). Creates the device keys and registers them. A PIN that is too easy to guess is
    /// refused with `PinRejected` before anything is sent.
    pub async fn complete(&self, otp: String, pin: Vec<u8>) -> Result<DeviceSummary, MobankError> {
        let otp = SecretString::from(otp);
        let pin = pin_from_ffi(pin)?;
        self.0.complete(otp, pin).await
    }

    /// After `BiometryChanged`: a new biometric key (the platform shows `prompt`), registered
    /// with the bank. Needs a PIN login or `auth().step_up_pin` within the last minutes.
    pub async fn reenrol_biometric(&self, prompt: String) -> Result<DeviceSummary, MobankError> {
        self.0.reenrol_biometric(&prompt).await
    }
}
