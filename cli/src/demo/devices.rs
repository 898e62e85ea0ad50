//! A second device: bound, announced to the first, cooling off; listed, and revoked after a
//! step-up.

use std::time::Duration;

use mobank_core::{
    DeviceInfo, DeviceStatus, LimitReason, Mobank, MobankError, MobankEvent, Operation,
};

use super::app::limits_text;
use super::binding::{bind_other, show_device, IPAD_PIN};
use super::format::{bank_time, pad_right, width};
use super::{ensure, unexpected, Demo, OrFail, Outcome};

const IPAD: &str = "iPad";

pub async fn run(demo: &Demo) -> Outcome {
    demo.say.chapter("A second device");
    let ipad = demo.other_phone("ipad", IPAD, "ios")?;
    let ipad_id = bind_ipad(demo, &ipad).await?;
    notice_on_phone(demo).await?;
    list(demo).await?;
    revoke(demo, &ipad_id).await?;
    locked_out(demo, &ipad).await
}

async fn bind_ipad(demo: &Demo, ipad: &Mobank) -> Outcome<String> {
    let say = &demo.say;
    say.step("Li Wei binds an iPad too");
    let device = bind_other(demo, ipad, IPAD_PIN).await?;
    show_device(demo, &device);

    say.step("The iPad logs in: new devices start with low limits");
    let session = ipad
        .auth()
        .login_biometric("Log in to Mobank")
        .await
        .or_fail("the iPad's login")?;
    let limits = session
        .limits
        .ok_or("the bank sent no limits for the iPad")?;
    ensure(
        limits.reason == LimitReason::CoolingOff && limits.cooling_off_until.is_some(),
        || unexpected("a new device must be cooling off", &limits),
    )?;
    say.phone(&format!("\"{}\"", limits_text(&limits)));
    say.aside("Someone who stole the SMS code and bound a device cannot empty the account today.");
    Ok(device.device_id)
}

async fn notice_on_phone(demo: &Demo) -> Outcome {
    let say = &demo.say;
    say.step("Back on the phone: the bank tells Li Wei about the iPad");
    let session = demo
        .phone
        .auth()
        .login_biometric("Log in to Mobank")
        .await
        .or_fail("the phone's login")?;
    let events = demo.events.take();
    let told = events.iter().any(|e| {
        matches!(e, MobankEvent::NewDeviceBound { device_name: Some(name), .. } if name == IPAD)
    });
    let in_summary = session
        .notices
        .iter()
        .any(|n| n.device_name.as_deref() == Some(IPAD));
    ensure(told && in_summary, || {
        unexpected("the phone must hear of the new iPad at login", &events)
    })?;
    say.ok("heard at the next login: as an event for the app, and in the session summary");
    Ok(())
}

async fn list(demo: &Demo) -> Outcome {
    let say = &demo.say;
    say.step("Settings → Devices");
    demo.pass(Duration::from_secs(3 * 60), "later");
    let devices = demo
        .phone
        .devices()
        .list()
        .await
        .or_fail("listing the devices")?;
    let this = devices.iter().filter(|d| d.this_device).count();
    let ipad_active = devices
        .iter()
        .any(|d| d.name == IPAD && d.status == DeviceStatus::Active && !d.this_device);
    ensure(devices.len() == 2 && this == 1 && ipad_active, || {
        unexpected("two devices, this phone and an active iPad", &devices)
    })?;
    for line in device_table(&devices) {
        say.line(&line);
    }
    Ok(())
}

async fn revoke(demo: &Demo, ipad_id: &str) -> Outcome {
    let say = &demo.say;
    let phone = &demo.phone;
    say.step("Remove the iPad — a sensitive operation needs a fresh authentication");
    demo.pass(
        Duration::from_secs(2 * 60 + 30),
        "reading the list: the login is now 5:30 old",
    );
    ensure(phone.auth().needs_step_up(Operation::RevokeDevice), || {
        "a login 5:30 old must not be fresh enough to revoke a device".to_string()
    })?;
    match phone.devices().revoke(ipad_id.to_string()).await {
        Err(MobankError::StepUpRequired) => {
            say.refused("StepUpRequired — the phone asks before sending anything")
        }
        other => return Err(unexpected("a stale session must need a step-up", other)),
    }
    phone
        .auth()
        .step_up_biometric("Confirm removing iPad")
        .await
        .or_fail("the step-up")?;
    phone
        .devices()
        .revoke(ipad_id.to_string())
        .await
        .or_fail("revoking the iPad")?;
    let devices = phone
        .devices()
        .list()
        .await
        .or_fail("listing the devices")?;
    let revoked = devices
        .iter()
        .any(|d| d.device_id == ipad_id && d.status == DeviceStatus::Revoked);
    ensure(revoked, || {
        unexpected("the iPad must be listed as revoked", &devices)
    })?;
    say.ok("the iPad is revoked, signed by this phone's device key");
    Ok(())
}

async fn locked_out(demo: &Demo, ipad: &Mobank) -> Outcome {
    let say = &demo.say;
    say.step("Whoever has the iPad now cannot log in");
    match ipad.auth().login_biometric("Log in to Mobank").await {
        Err(MobankError::DeviceBlocked) => {
            say.refused("DeviceBlocked — \"This device was removed from your account.\"")
        }
        other => return Err(unexpected("a revoked device must be refused", other)),
    }
    Ok(())
}

/// Name, platform, bound at, last seen, and which one is this phone.
fn device_table(devices: &[DeviceInfo]) -> Vec<String> {
    let name_columns = devices
        .iter()
        .map(|d| width(&d.name))
        .max()
        .unwrap_or(0)
        .max(6);
    let header = format!(
        "{}  {:<8}  {:<16}  {:<16}",
        pad_right("device", name_columns),
        "platform",
        "bound at",
        "last seen"
    );
    let mut lines = vec![header.trim_end().to_string()];
    for device in devices {
        let last_seen = device
            .last_seen
            .map_or_else(|| "—".to_string(), |at| bank_time(mobank_core::unix_ms(at)));
        let mut line = format!(
            "{}  {:<8}  {:<16}  {}",
            pad_right(&device.name, name_columns),
            device.platform,
            bank_time(mobank_core::unix_ms(device.bound_at)),
            pad_right(&last_seen, 16)
        );
        if device.this_device {
            line.push_str("  ← this phone");
        }
        if device.status != DeviceStatus::Active {
            line.push_str(&format!("  ({:?})", device.status).to_lowercase());
        }
        lines.push(line.trim_end().to_string());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_device_list_marks_this_phone() {
        let device = |name: &str, this_device: bool| DeviceInfo {
            device_id: name.to_string(),
            name: name.to_string(),
            platform: "ios".to_string(),
            bound_at: std::time::UNIX_EPOCH + std::time::Duration::from_millis(1_711_902_600_000),
            last_seen: None,
            status: DeviceStatus::Active,
            this_device,
        };
        let lines = device_table(&[device("李伟的手机", true), device("iPad", false)]);
        assert!(lines[1].contains("2024-04-01 00:30") && lines[1].ends_with("← this phone"));
        assert!(!lines[2].contains("this phone"));
        // The platform column starts at the same place whatever the name's script.
        let at = |line: &str| width(&line[..line.find("ios").unwrap()]);
        assert_eq!(at(&lines[1]), at(&lines[2]));
    }
}
