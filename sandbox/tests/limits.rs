//! Transfer limits at login: low during a new device's cooling-off period, lowered or zero
//! by the integrity signals the app reports, normal otherwise.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::{Bank, Phone};
use mobank_protocol::messages::{paths, IntegritySignals, LimitReason, Limits, LoginResponse};
use rust_decimal::Decimal;

const DAY: Duration = Duration::from_secs(24 * 60 * 60);

fn cny(units: i64) -> Decimal {
    Decimal::new(units * 100, 2)
}

async fn login_reporting(
    bank: &Bank,
    phone: &mut Phone,
    integrity: Option<IntegritySignals>,
) -> LoginResponse {
    let challenge = bank.challenge(phone).await;
    let mut request = phone.login_request(&challenge);
    request.integrity = integrity;
    bank.post_ok(paths::LOGIN, &request).await
}

fn signals(
    rooted: bool,
    debugger: bool,
    hooking: bool,
    emulator: bool,
) -> Option<IntegritySignals> {
    Some(IntegritySignals {
        rooted,
        debugger,
        hooking,
        emulator,
    })
}

fn limits(login: &LoginResponse) -> &Limits {
    login
        .limits
        .as_ref()
        .expect("the sandbox always sends limits")
}

#[tokio::test]
async fn a_new_device_has_low_limits_until_its_cooling_off_ends() {
    let bank = Bank::start().await;
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    let bound = bank.bind(&mut phone).await;

    let login = bank.login(&mut phone).await;
    let during = limits(&login);
    assert_eq!(during.reason, LimitReason::CoolingOff);
    assert_eq!(
        (during.per_transaction, during.daily),
        (cny(500), cny(1_000))
    );
    assert_eq!(during.currency, "CNY");
    assert_eq!(
        during.cooling_off_until_ms,
        Some(bound.bound_at_ms + 24 * 3_600_000)
    );

    bank.sandbox.advance_clock(DAY - Duration::from_secs(1));
    assert_eq!(
        limits(&bank.login(&mut phone).await).reason,
        LimitReason::CoolingOff
    );
    bank.sandbox.advance_clock(Duration::from_secs(2));
    let after = bank.login(&mut phone).await;
    let normal = limits(&after);
    assert_eq!(normal.reason, LimitReason::Normal);
    assert_eq!(
        (normal.per_transaction, normal.daily),
        (cny(50_000), cny(200_000))
    );
    assert_eq!(normal.cooling_off_until_ms, None);
}

#[tokio::test]
async fn the_cooling_off_period_is_configurable() {
    let bank = Bank::start_with(|config| config.cooling_off = Duration::from_secs(60)).await;
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    bank.bind(&mut phone).await;
    assert_eq!(
        limits(&bank.login(&mut phone).await).reason,
        LimitReason::CoolingOff
    );
    bank.sandbox.advance_clock(Duration::from_secs(61));
    assert_eq!(
        limits(&bank.login(&mut phone).await).reason,
        LimitReason::Normal
    );
}

#[tokio::test]
async fn integrity_signals_lower_or_zero_the_limits_but_allow_login() {
    let bank = Bank::start_with(|config| config.cooling_off = Duration::ZERO).await;
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    bank.bind(&mut phone).await;

    let cases = [
        (None, LimitReason::Normal, cny(50_000)),
        (
            signals(false, false, false, false),
            LimitReason::Normal,
            cny(50_000),
        ),
        (
            signals(false, true, false, false),
            LimitReason::IntegrityRisk,
            cny(500),
        ),
        (
            signals(false, false, false, true),
            LimitReason::IntegrityRisk,
            cny(500),
        ),
        (
            signals(true, false, false, false),
            LimitReason::BlockedByIntegrity,
            Decimal::ZERO,
        ),
        (
            signals(false, false, true, false),
            LimitReason::BlockedByIntegrity,
            Decimal::ZERO,
        ),
        (
            signals(true, true, true, true),
            LimitReason::BlockedByIntegrity,
            Decimal::ZERO,
        ),
    ];
    for (reported, reason, per_transaction) in cases {
        let login = login_reporting(&bank, &mut phone, reported).await;
        assert_eq!(limits(&login).reason, reason, "{reported:?}");
        assert_eq!(
            limits(&login).per_transaction,
            per_transaction,
            "{reported:?}"
        );
        // Balances stay visible whatever was reported.
        assert_eq!(bank.accounts(&login.session_token).await.status(), 200);
    }
}

#[tokio::test]
async fn integrity_findings_outrank_cooling_off_which_is_still_reported() {
    let bank = Bank::start().await;
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    bank.bind(&mut phone).await;
    let login = login_reporting(&bank, &mut phone, signals(false, false, true, false)).await;
    let limits = limits(&login);
    assert_eq!(limits.reason, LimitReason::BlockedByIntegrity);
    assert_eq!(limits.daily, Decimal::ZERO);
    assert!(limits.cooling_off_until_ms.is_some());
}
