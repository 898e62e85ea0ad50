//! Binding a phone: activation code, SMS, a PIN the bank will accept, device keys.

use mobank_core::testing::newest_otp;
use mobank_core::{DeviceSummary, Mobank, MobankError, Pin, SecretString};
use mobank_sandbox::DEMO_CUSTOMER_ID;

use super::{unexpected, Demo, OrFail, Outcome};

/// What Li Wei types on the PIN pad (a sandbox customer; a real app reads it from its PIN pad
/// and never shows it).
pub const PHONE_PIN: &str = "273849";
/// The iPad's PIN.
pub const IPAD_PIN: &str = "604917";
/// What the screen shows instead of a PIN.
pub const PIN_DOTS: &str = "●●●●●●";

pub fn pin(digits: &str) -> Outcome<Pin> {
    Pin::from_digits(digits).or_fail("reading the PIN")
}

pub async fn bind_phone(demo: &Demo) -> Outcome {
    let say = &demo.say;
    let phone = &demo.phone;
    say.chapter("A new phone");

    say.step("The bank gives Li Wei an activation code (branch letter or web banking)");
    let issued = demo
        .bank
        .issue_activation_code(DEMO_CUSTOMER_ID)
        .map_err(|e| format!("issuing an activation code failed: {e}"))?;
    say.bank(&format!(
        "activation code {} for the customer on file",
        say.bold(&issued.activation_code)
    ));

    say.step("Li Wei types the code into the new phone");
    let started = phone
        .activation()
        .start(SecretString::from(issued.activation_code.clone()))
        .await
        .or_fail("starting the activation")?;
    say.phone(&format!("\"We sent a code to {}\"", started.masked_phone));

    say.step("The SMS arrives on the registered phone");
    let sms = latest_sms(demo, &issued.phone)?;
    say.phone(&format!("SMS: {}", say.dim(&sms)));
    let otp = newest_otp([sms.as_str()]).or_fail("reading the SMS code")?;

    say.step("Li Wei chooses a six-digit PIN");
    match phone
        .activation()
        .complete(SecretString::from(otp.expose_secret()), pin("123456")?)
        .await
    {
        Err(MobankError::PinRejected { reason }) => {
            say.refused(&format!("123456 — \"{reason}\""));
        }
        other => return Err(unexpected("a guessable PIN must be refused", other)),
    }
    mobank_core::check_new_pin(&pin(PHONE_PIN)?).or_fail("checking the chosen PIN")?;
    say.ok(&format!("{PIN_DOTS} — accepted"));
    say.aside("Refused on the phone, before anything was sent: the SMS code is still unused.");

    say.step("A wrong SMS code first — the bank says so, and nothing is bound");
    let wrong = if otp.expose_secret() == "000000" {
        "111111"
    } else {
        "000000"
    };
    match phone
        .activation()
        .complete(SecretString::from(wrong), pin(PHONE_PIN)?)
        .await
    {
        Err(MobankError::OtpInvalid) => {
            say.refused("\"That code is not right. Check the SMS and try again.\"")
        }
        other => return Err(unexpected("a wrong OTP must be refused", other)),
    }

    say.step("The right code: this phone is bound to Li Wei");
    let device = phone
        .activation()
        .complete(otp, pin(PHONE_PIN)?)
        .await
        .or_fail("binding the phone")?;
    show_device(demo, &device);
    say.aside("The keys were made in the key store and never left it; the bank holds only their");
    say.aside(
        "public halves. The PIN opens a third key the phone cannot check: only the bank can.",
    );
    Ok(())
}

/// Binds another device of Li Wei's in one go: code, SMS, PIN.
pub async fn bind_other(demo: &Demo, device: &Mobank, pin_digits: &str) -> Outcome<DeviceSummary> {
    let issued = demo
        .bank
        .issue_activation_code(DEMO_CUSTOMER_ID)
        .map_err(|e| format!("issuing an activation code failed: {e}"))?;
    demo.say.bank(&format!(
        "a new activation code {}",
        demo.say.bold(&issued.activation_code)
    ));
    device
        .activation()
        .start(SecretString::from(issued.activation_code.clone()))
        .await
        .or_fail("starting the second activation")?;
    let sms = latest_sms(demo, &issued.phone)?;
    let otp = newest_otp([sms.as_str()]).or_fail("reading the SMS code")?;
    demo.say
        .phone(&format!("SMS code typed in, PIN {PIN_DOTS} chosen"));
    device
        .activation()
        .complete(otp, pin(pin_digits)?)
        .await
        .or_fail("binding the second device")
}

pub fn show_device(demo: &Demo, device: &DeviceSummary) {
    let say = &demo.say;
    say.ok(&format!(
        "{} bound as device {}",
        device.device_name, device.device_id
    ));
    say.detail("customer", &device.customer_name);
    say.detail("possession key", &device.possession_key_fingerprint);
    say.detail("biometric key", &device.user_verified_key_fingerprint);
}

fn latest_sms(demo: &Demo, phone: &str) -> Outcome<String> {
    let outbox = demo
        .bank
        .sms_outbox(phone)
        .map_err(|e| format!("reading the SMS outbox failed: {e}"))?;
    outbox
        .messages
        .last()
        .map(|m| m.body.clone())
        .ok_or_else(|| "no SMS was sent".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_pins_are_ones_the_bank_accepts() {
        for digits in [PHONE_PIN, IPAD_PIN] {
            assert!(mobank_core::check_new_pin(&pin(digits).unwrap()).is_ok());
        }
    }
}
