//! The session on the phone: idle timeout and absolute cap on the phone's monotonic clock,
//! enforced before any byte goes out; the background lock; what login brings along (notices,
//! limits shaped by the integrity report).

use std::sync::Arc;
use std::time::Duration;

use mobank_core::platform::IntegritySignals;
use mobank_core::MobankEvent;
use mobank_core::{LimitReason, MobankError};
use mobank_e2e::{Bank, CountingProxy, EventRecorder, Phone, PIN};

const MINUTE: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_4_59_passes_and_5_01_expires_without_a_network_call() {
    let bank = Bank::start().await.unwrap();
    let proxy = CountingProxy::start(&bank).await.unwrap();
    let phone = Phone::bound(&bank, proxy.endpoint(&bank)).await.unwrap();
    let session = phone.login_biometric().await.unwrap();
    assert_eq!(session.idle_timeout_secs, 300);
    phone.events.take();

    phone.clock.advance(Duration::from_secs(4 * 60 + 59));
    assert!(phone.mobank.accounts().list().await.unwrap().len() >= 2);
    // The call just now counts as activity: the window starts again from it.
    phone.clock.advance(Duration::from_secs(4 * 60 + 59));
    assert!(phone.mobank.accounts().list().await.unwrap().len() >= 2);

    phone.clock.advance(Duration::from_secs(5 * 60 + 1));
    let expired = proxy
        .assert_sends_nothing(phone.mobank.accounts().list())
        .await;
    assert_eq!(expired.unwrap_err(), MobankError::SessionExpired);
    assert_eq!(phone.events.take(), [MobankEvent::SessionExpired]);
    // The session is gone, not just refused once.
    let gone = proxy
        .assert_sends_nothing(phone.mobank.accounts().list())
        .await;
    assert_eq!(gone.unwrap_err(), MobankError::NotLoggedIn);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twelve_hours_of_activity_end_the_session_whatever_the_clock_skew() {
    let bank = Bank::start().await.unwrap();
    // The bank's clock is days ahead of anything the phone knows: only differences count.
    bank.sandbox
        .advance_clock(Duration::from_secs(3 * 24 * 3600));
    let proxy = CountingProxy::start(&bank).await.unwrap();
    let phone = Phone::bound(&bank, proxy.endpoint(&bank)).await.unwrap();
    let session = phone.login_biometric().await.unwrap();
    let bank_lifetime = mobank_core::unix_ms(session.expires_at) - bank.sandbox.now_ms();
    assert!(
        (12 * 3600 - 60) * 1000 < bank_lifetime && bank_lifetime <= 12 * 3600 * 1000,
        "{bank_lifetime}"
    );

    // Busy all day: a call every 4 minutes keeps the idle timer away. The bank's clock does not
    // move, so only the phone can end this session.
    let step = 4 * MINUTE;
    let mut elapsed = Duration::ZERO;
    while elapsed + step < 12 * 60 * MINUTE {
        phone.clock.advance(step);
        elapsed += step;
        phone.mobank.accounts().list().await.unwrap();
    }
    phone.clock.advance(12 * 60 * MINUTE - elapsed);
    let expired = proxy
        .assert_sends_nothing(phone.mobank.accounts().list())
        .await;
    assert_eq!(expired.unwrap_err(), MobankError::SessionExpired);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shorter_cap_set_by_the_bank_is_the_one_that_counts() {
    let bank = Bank::start_with(|config| config.session_cap = 30 * MINUTE)
        .await
        .unwrap();
    let proxy = CountingProxy::start(&bank).await.unwrap();
    let phone = Phone::bound(&bank, proxy.endpoint(&bank)).await.unwrap();
    phone.login_pin(PIN).await.unwrap();
    for _ in 0..7 {
        phone.clock.advance(4 * MINUTE);
        phone.mobank.accounts().list().await.unwrap();
    }
    phone.clock.advance(2 * MINUTE);
    let expired = proxy
        .assert_sends_nothing(phone.mobank.accounts().list())
        .await;
    assert_eq!(expired.unwrap_err(), MobankError::SessionExpired);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_idle_window_spent_in_the_background_locks_the_session() {
    let bank = Bank::start().await.unwrap();
    let proxy = CountingProxy::start(&bank).await.unwrap();
    let phone = Phone::bound(&bank, proxy.endpoint(&bank)).await.unwrap();
    phone.login_biometric().await.unwrap();
    phone.events.take();

    // A short trip to another app changes nothing.
    phone.mobank.app_entered_background();
    phone.clock.advance(2 * MINUTE);
    phone.mobank.app_entered_foreground();
    assert!(phone.events.take().is_empty());
    phone.mobank.accounts().list().await.unwrap();

    // The whole idle window away: whoever holds the phone now must authenticate.
    phone.mobank.app_entered_background();
    phone.clock.advance(5 * MINUTE);
    let sent = proxy.bytes_sent();
    phone.mobank.app_entered_foreground();
    assert_eq!(phone.events.take(), [MobankEvent::SessionLocked]);
    assert_eq!(
        phone.mobank.accounts().list().await.unwrap_err(),
        MobankError::NotLoggedIn
    );
    assert_eq!(proxy.bytes_sent(), sent);

    phone.login_biometric().await.unwrap();
    phone.mobank.accounts().list().await.unwrap();
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bank_ending_the_session_reaches_the_app_as_an_event() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    phone.login_biometric().await.unwrap();
    phone.events.take();
    // The phone's clock stands still; the bank's moves past its idle timeout.
    bank.sandbox
        .advance_clock(5 * MINUTE + Duration::from_secs(1));
    assert_eq!(
        phone.mobank.accounts().list().await.unwrap_err(),
        MobankError::SessionExpired
    );
    assert_eq!(phone.events.take(), [MobankEvent::SessionExpired]);
    assert_eq!(
        phone.mobank.accounts().list().await.unwrap_err(),
        MobankError::NotLoggedIn
    );
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn integrity_findings_go_with_login_and_shape_the_limits() {
    let bank = Bank::start_with(|config| config.cooling_off = Duration::ZERO)
        .await
        .unwrap();
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();

    let clean = phone.login_biometric().await.unwrap();
    let limits = clean.limits.clone().unwrap();
    assert_eq!(limits.reason, LimitReason::Normal);
    assert!(limits.per_transaction.is_sign_positive() && !limits.per_transaction.is_zero());
    assert_eq!(
        phone.events.take(),
        [MobankEvent::LimitsChanged { limits }],
        "the first limits this app sees are news"
    );

    phone.integrity.set(IntegritySignals {
        hooking: true,
        ..IntegritySignals::default()
    });
    let hooked = phone.login_biometric().await.unwrap();
    let limits = hooked.limits.clone().unwrap();
    assert_eq!(limits.reason, LimitReason::BlockedByIntegrity);
    assert!(limits.per_transaction.is_zero() && limits.daily.is_zero());
    assert_eq!(phone.events.take(), [MobankEvent::LimitsChanged { limits }]);
    // Balances stay visible.
    assert!(phone.mobank.accounts().list().await.unwrap().len() >= 2);

    // The same limits again are no news.
    phone.login_biometric().await.unwrap();
    assert!(phone.events.take().is_empty());
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribers_hear_events_only_while_subscribed() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    let lock_by_background = || {
        phone.mobank.app_entered_background();
        phone.clock.advance(5 * MINUTE);
        phone.mobank.app_entered_foreground();
    };
    let (screen, analytics) = (
        Arc::new(EventRecorder::default()),
        Arc::new(EventRecorder::default()),
    );
    let screen_subscription = phone.mobank.subscribe(screen.clone());
    let analytics_subscription = phone.mobank.subscribe(analytics.clone());

    phone.login_biometric().await.unwrap();
    // The login's own events (the new device's limits) reach every subscriber alike.
    let at_login = phone.events.take();
    assert!(!at_login.is_empty());
    assert_eq!(screen.take(), at_login);
    assert_eq!(analytics.take(), at_login);
    lock_by_background();
    for heard in [&phone.events, &screen, &analytics] {
        assert_eq!(heard.take(), [MobankEvent::SessionLocked]);
    }

    screen_subscription.cancel();
    drop(analytics_subscription);
    phone.login_biometric().await.unwrap();
    phone.events.take();
    lock_by_background();
    // The listener given at opening is still there; the two that left hear nothing.
    assert_eq!(phone.events.take(), [MobankEvent::SessionLocked]);
    assert!(screen.events().is_empty());
    assert!(analytics.events().is_empty());
    bank.stop().await;
}
