//! The facade without a bank: sessions are put in place by hand, so events can be triggered
//! and watched offline.

use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use mobank_protocol::messages::LoginResponse;

use super::*;
use crate::context::{Session, StrongFactor};
use crate::events::MobankEvent;
use crate::pin::Pin;
use crate::platform::{Clock, InsecureSoftwareKeyStore, ManualClock};
use crate::secret::SecretString;
use crate::testing::offline_config;

fn assert_send<T: Send>(_: &T) {}

fn assert_send_sync<T: Send + Sync>() {}

/// Records each event and whether Mobank's session lock was free while it was delivered.
#[derive(Default)]
struct Reentrant {
    context: OnceLock<Arc<Context>>,
    seen: Mutex<Vec<(MobankEvent, bool)>>,
}

impl Reentrant {
    fn events(&self) -> Vec<MobankEvent> {
        lock(&self.seen)
            .iter()
            .map(|(event, _)| event.clone())
            .collect()
    }
}

impl EventListener for Reentrant {
    fn on_event(&self, event: MobankEvent) {
        let free = self.context.get().is_some_and(|context| {
            context.session.try_lock().is_ok() && context.events.is_unlocked()
        });
        lock(&self.seen).push((event, free));
    }
}

fn with_listener() -> (Mobank, Arc<ManualClock>, Arc<Reentrant>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new());
    let listener = Arc::new(Reentrant::default());
    let mut platform = Platform::new(Arc::new(InsecureSoftwareKeyStore::new()));
    platform.clock = Some(clock.clone());
    platform.events = Some(listener.clone());
    let mobank = Mobank::open_with_platform(offline_config(dir.path()), platform).unwrap();
    let _ = listener.context.set(Arc::clone(&mobank.context));
    (mobank, clock, listener, dir)
}

fn log_in(mobank: &Mobank, at_ms: u64) {
    let response = LoginResponse {
        session_token: "token".to_owned(),
        idle_timeout_secs: 300,
        expires_at_ms: 43_200_000,
        server_time_ms: 0,
        notices: Vec::new(),
        limits: None,
    };
    let started = Session::start(
        response,
        "dev_1".to_owned(),
        StrongFactor::UserVerified,
        at_ms,
    );
    lock(&mobank.context.session).live = Some(started.session);
}

/// Logs in, and locks the session by a background longer than the idle window.
fn lock_session(mobank: &Mobank, clock: &ManualClock) {
    log_in(mobank, clock.now_ms());
    mobank.app_entered_background();
    clock.advance(Duration::from_secs(300));
    mobank.app_entered_foreground();
}

#[test]
fn events_are_delivered_with_no_lock_held() {
    let (mobank, clock, listener, _dir) = with_listener();
    log_in(&mobank, 0);
    clock.advance(Duration::from_secs(301));
    assert_eq!(
        crate::auth::authorize(&mobank.context, None).err(),
        Some(MobankError::SessionExpired)
    );

    lock_session(&mobank, &clock);

    assert_eq!(
        *lock(&listener.seen),
        [
            (MobankEvent::SessionExpired, true),
            (MobankEvent::SessionLocked, true)
        ]
    );
}

#[test]
fn a_short_background_keeps_the_session() {
    let (mobank, clock, listener, _dir) = with_listener();
    log_in(&mobank, 0);
    mobank.app_entered_background();
    clock.advance(Duration::from_secs(299));
    mobank.app_entered_foreground();
    assert!(lock(&listener.seen).is_empty());
    assert!(crate::auth::authorize(&mobank.context, None).is_ok());
}

#[test]
fn two_subscribers_both_hear_an_event() {
    let (mobank, clock, from_platform, _dir) = with_listener();
    let (first, second) = (
        Arc::new(Reentrant::default()),
        Arc::new(Reentrant::default()),
    );
    let _first = mobank.subscribe(first.clone());
    let _second = mobank.subscribe(second.clone());
    lock_session(&mobank, &clock);
    for listener in [&from_platform, &first, &second] {
        assert_eq!(listener.events(), [MobankEvent::SessionLocked]);
    }
}

#[test]
fn a_cancelled_or_dropped_subscription_hears_nothing() {
    let (mobank, clock, from_platform, _dir) = with_listener();
    let (cancelled, dropped) = (
        Arc::new(Reentrant::default()),
        Arc::new(Reentrant::default()),
    );
    let subscription = mobank.subscribe(cancelled.clone());
    subscription.cancel();
    drop(mobank.subscribe(dropped.clone()));
    lock_session(&mobank, &clock);
    assert_eq!(from_platform.events(), [MobankEvent::SessionLocked]);
    assert!(cancelled.events().is_empty());
    assert!(dropped.events().is_empty());
}

#[test]
fn facade_and_its_futures_are_send() {
    assert_send_sync::<Mobank>();
    let dir = tempfile::tempdir().unwrap();
    let mobank = Mobank::open(
        offline_config(dir.path()),
        Arc::new(InsecureSoftwareKeyStore::new()),
    )
    .unwrap();
    let pin = || Pin::from_digits("482916").unwrap();
    let activation = mobank.activation();
    assert_send(&activation.start(SecretString::from("ABCDEFGH")));
    assert_send(&activation.complete(SecretString::from("123456"), pin()));
    assert_send(&activation.reenrol_biometric("Set up"));
    let auth = mobank.auth();
    assert_send(&auth.login_biometric("Log in"));
    assert_send(&auth.login_pin(pin()));
    assert_send(&auth.step_up_biometric("Confirm"));
    assert_send(&auth.step_up_pin(pin()));
    assert_send(&mobank.accounts().list());
    let devices = mobank.devices();
    assert_send(&devices.list());
    assert_send(&devices.revoke("dev".to_owned()));
    assert_send(&devices.unbind());
    let pin_client = mobank.pin();
    assert_send(&pin_client.begin_change(pin()));
    assert_send(&pin_client.commit_change(pin()));
}

#[test]
fn history_futures_are_send() {
    let dir = tempfile::tempdir().unwrap();
    let mobank = Mobank::open(
        offline_config(dir.path()),
        Arc::new(InsecureSoftwareKeyStore::new()),
    )
    .unwrap();
    let history = mobank.history();
    assert_send(&history.sync(None));
    assert_send(&history.recent("a", 1));
    assert_send(&history.between("a", "2024-01-01", "2024-01-31"));
    assert_send(&history.search("x", 1));
    assert_send(&history.spending_summary(2024, 1));
}

#[test]
fn handles_and_subscriptions_can_move_between_threads() {
    assert_send_sync::<ActivationClient>();
    assert_send_sync::<AuthClient>();
    assert_send_sync::<PinClient>();
    assert_send_sync::<DevicesClient>();
    assert_send_sync::<AccountsClient>();
    assert_send_sync::<HistoryClient>();
    assert_send_sync::<Subscription>();
}
