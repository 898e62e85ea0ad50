//! The JSON spellings that docs/protocol.md promises: paths, enum values, error bodies, money.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mobank_protocol::messages::{paths, Account, ProductKind};
use mobank_protocol::{ApiError, Ceremony, ErrorBody, ErrorCode, Factor};
use rust_decimal::Decimal;
use serde_json::json;

#[test]
fn paths_are_the_documented_ones() {
    assert_eq!(paths::ACTIVATION_START, "/v1/activation/start");
    assert_eq!(paths::ACTIVATION_COMPLETE, "/v1/activation/complete");
    assert_eq!(paths::LOGIN_CHALLENGE, "/v1/login/challenge");
    assert_eq!(paths::LOGIN, "/v1/login");
    assert_eq!(paths::ACCOUNTS, "/v1/accounts");
    assert_eq!(paths::DEV_ACTIVATION_CODES, "/dev/activation-codes");
    assert_eq!(paths::DEV_SMS_PREFIX, "/dev/sms/");
}

#[test]
fn error_codes_are_snake_case_strings() {
    let codes = [
        (ErrorCode::BadRequest, "bad_request"),
        (ErrorCode::ActivationInvalid, "activation_invalid"),
        (ErrorCode::OtpInvalid, "otp_invalid"),
        (ErrorCode::OtpExpired, "otp_expired"),
        (ErrorCode::ChallengeInvalid, "challenge_invalid"),
        (ErrorCode::AuthenticationFailed, "authentication_failed"),
        (ErrorCode::DeviceBlocked, "device_blocked"),
        (ErrorCode::DeviceUnknown, "device_unknown"),
        (ErrorCode::Unauthorized, "unauthorized"),
        (ErrorCode::SessionExpired, "session_expired"),
        (ErrorCode::NotFound, "not_found"),
        (ErrorCode::Suspended, "suspended"),
        (ErrorCode::Internal, "internal"),
    ];
    for (code, text) in codes {
        assert_eq!(serde_json::to_value(code).unwrap(), json!(text));
        assert_eq!(
            serde_json::from_value::<ErrorCode>(json!(text)).unwrap(),
            code
        );
    }
    assert!(serde_json::from_value::<ErrorCode>(json!("BadRequest")).is_err());
}

#[test]
fn error_body_omits_attempts_remaining_when_it_does_not_apply() {
    let without = ErrorBody {
        error: ApiError {
            code: ErrorCode::OtpInvalid,
            message: "otp invalid".to_owned(),
            attempts_remaining: None,
        },
    };
    assert_eq!(
        serde_json::to_string(&without).unwrap(),
        r#"{"error":{"code":"otp_invalid","message":"otp invalid"}}"#
    );
    let with = ErrorBody {
        error: ApiError {
            attempts_remaining: Some(2),
            ..without.error.clone()
        },
    };
    assert_eq!(
        serde_json::to_string(&with).unwrap(),
        r#"{"error":{"code":"otp_invalid","message":"otp invalid","attempts_remaining":2}}"#
    );
    // A null is also read as absent.
    let null =
        r#"{"error":{"code":"otp_invalid","message":"otp invalid","attempts_remaining":null}}"#;
    assert_eq!(serde_json::from_str::<ErrorBody>(null).unwrap(), without);
}

#[test]
fn enum_values_on_the_wire() {
    assert_eq!(
        serde_json::to_value(Ceremony::Bind).unwrap(),
        json!("mobank.bind")
    );
    assert_eq!(
        serde_json::to_value(Ceremony::Login).unwrap(),
        json!("mobank.login")
    );
    assert_eq!(
        serde_json::to_value(Factor::Possession).unwrap(),
        json!("possession")
    );
    assert_eq!(
        serde_json::to_value(Factor::UserVerified).unwrap(),
        json!("user_verified")
    );
    let products = [
        (ProductKind::Current, "current"),
        (ProductKind::Savings, "savings"),
        (ProductKind::Deposit, "deposit"),
        (ProductKind::Card, "card"),
        (ProductKind::Investment, "investment"),
        (ProductKind::Margin, "margin"),
    ];
    for (kind, text) in products {
        assert_eq!(serde_json::to_value(kind).unwrap(), json!(text));
    }
}

#[test]
fn balance_is_a_decimal_string_that_keeps_its_scale() {
    let account = Account {
        account_id: "acc_1".to_owned(),
        product: ProductKind::Savings,
        name: "Savings".to_owned(),
        currency: "CNY".to_owned(),
        balance: Decimal::new(8_600_000, 2),
        masked_number: "6222 **** **** 4431".to_owned(),
        parent_account_id: None,
    };
    let value = serde_json::to_value(&account).unwrap();
    assert_eq!(value["balance"], json!("86000.00"));
    assert!(value.get("parent_account_id").is_none());

    let mut as_number = value.clone();
    as_number["balance"] = json!(86000.0);
    let parsed = serde_json::from_value::<Account>(as_number);
    assert!(
        parsed.is_err(),
        "a JSON number must not be accepted as money: {parsed:?}"
    );
}
