//! Clock control from outside the process: refused unless the sandbox runs with the test
//! clock, and then the very clock every expiry reads.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Bank, Phone};
use mobank_protocol::ErrorCode;
use mobank_sandbox::dev::{paths, AdvanceClockRequest, ClockReading};
use serde_json::json;

const HOUR_MS: i64 = 3_600_000;

#[tokio::test]
async fn without_the_test_clock_flag_the_clock_cannot_be_moved_over_http() {
    let bank = Bank::start().await;
    let before: ClockReading = bank.dev_get_ok(paths::CLOCK).await;
    assert!(!before.test_clock);

    let (status, error) = bank
        .dev_post_err(
            paths::CLOCK_ADVANCE,
            &AdvanceClockRequest { seconds: 3_600 },
        )
        .await;
    assert_eq!((status.as_u16(), error.code), (404, ErrorCode::NotFound));
    assert_eq!(
        error.message,
        "clock control is off; start the sandbox with --test-clock"
    );
    let after: ClockReading = bank.dev_get_ok(paths::CLOCK).await;
    assert!(
        after.now_ms - before.now_ms < HOUR_MS,
        "{before:?} {after:?}"
    );
}

#[tokio::test]
async fn with_the_test_clock_an_advance_over_http_expires_an_otp() {
    let bank = Bank::start_with(|config| config.test_clock = true).await;
    let (started, otp) = bank.start_activation().await;
    let before: ClockReading = bank.dev_get_ok(paths::CLOCK).await;
    assert!(before.test_clock);

    let moved: ClockReading = bank
        .dev_post_ok(paths::CLOCK_ADVANCE, &AdvanceClockRequest { seconds: 301 })
        .await;
    assert!(
        moved.now_ms - before.now_ms >= 301_000,
        "{before:?} {moved:?}"
    );
    // The same clock the process sees.
    assert!(bank.sandbox.now_ms() >= moved.now_ms);
    assert!(bank.sandbox.now_ms() > started.otp_expires_at_ms);

    let mut phone = Phone::new(&bank.sandbox.rp_id());
    let (status, error) = bank.complete_err(&phone.completion(&started, &otp)).await;
    assert_eq!((status.as_u16(), error.code), (400, ErrorCode::OtpExpired));
}

#[tokio::test]
async fn an_advance_before_the_otp_expires_leaves_it_valid() {
    let bank = Bank::start_with(|config| config.test_clock = true).await;
    let (started, otp) = bank.start_activation().await;
    let _: ClockReading = bank
        .dev_post_ok(paths::CLOCK_ADVANCE, &AdvanceClockRequest { seconds: 240 })
        .await;
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    let _: mobank_protocol::messages::CompleteActivationResponse = bank
        .post_ok(
            mobank_protocol::messages::paths::ACTIVATION_COMPLETE,
            &phone.completion(&started, &otp),
        )
        .await;
}

#[tokio::test]
async fn malformed_advances_are_typed_bad_requests() {
    let bank = Bank::start_with(|config| config.test_clock = true).await;
    let before = bank.sandbox.now_ms();
    for body in [
        json!({"seconds": 0}),
        json!({"seconds": 315_360_001_u64}),
        json!({"seconds": -5}),
        json!({"seconds": "60"}),
        json!({"seconds": 1.5}),
        json!({"minutes": 5}),
        json!({"seconds": 60, "why": "test"}),
        json!({}),
    ] {
        let (status, error) = bank.dev_post_err(paths::CLOCK_ADVANCE, &body).await;
        assert_eq!(
            (status.as_u16(), error.code),
            (400, ErrorCode::BadRequest),
            "{body}"
        );
    }
    assert!(bank.sandbox.now_ms() - before < HOUR_MS);
}
