//! The session on a fast clock: 4:59 idle is fine, 5:00 is over; then back in with the PIN.

use std::time::Duration;

use mobank_core::{MobankError, MobankEvent};

use super::binding::{pin, PHONE_PIN, PIN_DOTS};
use super::{ensure, unexpected, Demo, OrFail, Outcome};

/// A PIN that is not Li Wei's: the phone cannot tell, only the bank can.
pub const MISTYPED_PIN: &str = "918273";

pub async fn run(demo: &Demo) -> Outcome {
    demo.say.chapter("The session");
    idle_timeout(demo).await?;
    pin_login(demo).await
}

async fn idle_timeout(demo: &Demo) -> Outcome {
    let say = &demo.say;
    let phone = &demo.phone;
    say.step("Li Wei puts the phone down (a fast clock: minutes pass in no time)");
    // The bank's clock runs on the wall clock as well: the offline history steps before took
    // real seconds that the bank counted as idle. A last call lines both clocks up.
    phone
        .accounts()
        .list()
        .await
        .or_fail("the balances before putting the phone down")?;
    demo.pass(Duration::from_secs(4 * 60 + 59), "without a tap");
    phone
        .accounts()
        .list()
        .await
        .or_fail("a call after 4:59 idle")?;
    say.ok("after 4:59 still logged in: the balances load (and the idle clock restarts)");
    ensure(demo.events.take().is_empty(), || {
        "no event may arrive while the session is alive".to_string()
    })?;

    demo.pass(Duration::from_secs(5 * 60), "without a tap");
    match phone.accounts().list().await {
        Err(MobankError::SessionExpired) => say.refused(
            "after 5:00 the session is over: refused on the phone, before any network call",
        ),
        other => return Err(unexpected("a session idle for 5:00 must be expired", other)),
    }
    let events = demo.events.take();
    ensure(events == [MobankEvent::SessionExpired], || {
        unexpected(
            "the app must be told once that the session expired",
            &events,
        )
    })?;
    say.aside("The app heard of it through its event listener, called with no lock held.");
    Ok(())
}

async fn pin_login(demo: &Demo) -> Outcome {
    let say = &demo.say;
    let phone = &demo.phone;
    say.step("Back in with the PIN — mistyped first");
    say.phone(&format!("PIN {PIN_DOTS}"));
    match phone.auth().login_pin(pin(MISTYPED_PIN)?).await {
        Err(MobankError::AuthenticationFailed {
            attempts_remaining: Some(left),
        }) if left == 4 => say.refused(&format!(
            "the bank: \"authentication failed — {left} attempts remaining\""
        )),
        other => {
            return Err(unexpected(
                "a wrong PIN must fail at the bank with 4 attempts left",
                other,
            ))
        }
    }
    say.aside("The phone signed with whatever key that PIN opened; it cannot tell a wrong PIN.");
    say.aside("Only the bank can, so only the bank counts: five wrong in a row block the binding.");

    say.step("The right PIN");
    say.phone(&format!("PIN {PIN_DOTS}"));
    phone
        .auth()
        .login_pin(pin(PHONE_PIN)?)
        .await
        .or_fail("the PIN login")?;
    let accounts = phone
        .accounts()
        .list()
        .await
        .or_fail("accounts after the PIN login")?;
    say.ok(&format!(
        "logged in with possession + PIN; the {} accounts load again",
        accounts.len()
    ));
    Ok(())
}
