//! The JSON spellings that docs/protocol.md promises: paths, enum values, error bodies, money.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mobank_protocol::messages::{
    paths, Account, ChallengePurpose, CompleteActivationRequest, DeviceDescription, DeviceStatus,
    IssueActivationResponse, LimitReason, LoginResponse, NoticeKind, PinChangeCommitRequest,
    ProductKind, StartActivationRequest, TRANSACTION_CATEGORIES,
};
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
    assert_eq!(paths::TRANSACTIONS, "/v1/transactions");
    assert_eq!(paths::CHALLENGES, "/v1/challenges");
    assert_eq!(paths::STEP_UP, "/v1/session/step-up");
    assert_eq!(paths::DEVICES, "/v1/devices");
    assert_eq!(paths::DEVICES_REVOKE, "/v1/devices/revoke");
    assert_eq!(paths::DEVICES_UNBIND, "/v1/devices/unbind");
    assert_eq!(paths::PIN_CHANGE_BEGIN, "/v1/pin/change/begin");
    assert_eq!(paths::PIN_CHANGE_COMMIT, "/v1/pin/change/commit");
    assert_eq!(paths::DEV_NOTIFICATIONS_PREFIX, "/dev/notifications/");
    assert_eq!(paths::DEV_TRANSACTIONS, "/dev/transactions");
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
        (ErrorCode::StepUpRequired, "step_up_required"),
        (ErrorCode::NotFound, "not_found"),
        (ErrorCode::Suspended, "suspended"),
        (ErrorCode::Internal, "internal"),
        (ErrorCode::ExecutionDateInvalid, "execution_date_invalid"),
        (ErrorCode::NotCancellable, "not_cancellable"),
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

#[test]
fn later_enum_values_on_the_wire() {
    let values = [
        (serde_json::to_value(Factor::Knowledge), "knowledge"),
        (serde_json::to_value(Ceremony::StepUp), "mobank.step_up"),
        (
            serde_json::to_value(Ceremony::Operation),
            "mobank.operation",
        ),
        (serde_json::to_value(ChallengePurpose::StepUp), "step_up"),
        (
            serde_json::to_value(ChallengePurpose::Operation),
            "operation",
        ),
        (
            serde_json::to_value(NoticeKind::NewDeviceBound),
            "new_device_bound",
        ),
        (
            serde_json::to_value(NoticeKind::DeviceRevoked),
            "device_revoked",
        ),
        (serde_json::to_value(NoticeKind::PinChanged), "pin_changed"),
        (serde_json::to_value(LimitReason::Normal), "normal"),
        (serde_json::to_value(LimitReason::CoolingOff), "cooling_off"),
        (
            serde_json::to_value(LimitReason::IntegrityRisk),
            "integrity_risk",
        ),
        (
            serde_json::to_value(LimitReason::BlockedByIntegrity),
            "blocked_by_integrity",
        ),
        (serde_json::to_value(DeviceStatus::Active), "active"),
        (serde_json::to_value(DeviceStatus::Blocked), "blocked"),
        (serde_json::to_value(DeviceStatus::Revoked), "revoked"),
    ];
    for (value, text) in values {
        assert_eq!(value.unwrap(), json!(text));
    }
    assert_eq!(
        TRANSACTION_CATEGORIES,
        [
            "salary",
            "rent",
            "groceries",
            "utilities",
            "transfer",
            "dining",
            "transport",
            "shopping",
            "other"
        ]
    );
}

#[test]
fn a_first_version_login_response_reads_and_writes_unchanged() {
    let text =
        r#"{"session_token":"t","idle_timeout_secs":300,"expires_at_ms":2,"server_time_ms":1}"#;
    let parsed: LoginResponse = serde_json::from_str(text).unwrap();
    assert!(parsed.notices.is_empty());
    assert_eq!(parsed.limits, None);
    assert_eq!(serde_json::to_string(&parsed).unwrap(), text);
}

fn activation_request(knowledge_key: Option<Vec<u8>>) -> CompleteActivationRequest {
    CompleteActivationRequest {
        activation_id: "act_1".to_owned(),
        otp: "123456".to_owned(),
        device: DeviceDescription {
            name: "Pixel".to_owned(),
            platform: "android".to_owned(),
        },
        possession_public_key: vec![4],
        user_verified_public_key: vec![4],
        proofs: Vec::new(),
        knowledge_key,
    }
}

#[test]
fn knowledge_key_is_base64url_and_omitted_when_absent() {
    let without = serde_json::to_value(activation_request(None)).unwrap();
    assert!(without.get("knowledge_key").is_none());
    let with = serde_json::to_value(activation_request(Some(vec![0xfb, 0xff, 0xfe]))).unwrap();
    assert_eq!(with["knowledge_key"], json!("-__-"));
    let back: CompleteActivationRequest = serde_json::from_value(with.clone()).unwrap();
    assert_eq!(back.knowledge_key, Some(vec![0xfb, 0xff, 0xfe]));

    let mut padded = with;
    padded["knowledge_key"] = json!("-__-AA==");
    assert!(serde_json::from_value::<CompleteActivationRequest>(padded).is_err());
}

#[test]
fn debug_output_hides_the_otp_and_knowledge_keys() {
    let request = activation_request(Some(vec![0xab; 32]));
    let text = format!("{request:?}");
    assert!(!text.contains("123456"), "{text}");
    assert!(!text.contains("171, 171"), "{text}");
    let commit = PinChangeCommitRequest {
        ticket_id: "pct_1".to_owned(),
        new_knowledge_key: vec![0xcd; 32],
        assertions: Vec::new(),
    };
    let text = format!("{commit:?}");
    assert!(text.contains("pct_1") && !text.contains("205"), "{text}");
}

#[test]
fn debug_output_hides_activation_codes_and_session_tokens() {
    let issued = IssueActivationResponse {
        activation_code: "KC89H5PYK44V".to_owned(),
        phone: "+8613800138000".to_owned(),
        expires_at_ms: 1,
    };
    let started = StartActivationRequest {
        activation_code: "KC89H5PYK44V".to_owned(),
    };
    let login = LoginResponse {
        session_token: "tok_secret_value".to_owned(),
        idle_timeout_secs: 300,
        expires_at_ms: 2,
        server_time_ms: 1,
        notices: Vec::new(),
        limits: None,
    };
    for text in [
        format!("{issued:?}"),
        format!("{started:?}"),
        format!("{login:?}"),
    ] {
        assert!(
            !text.contains("KC89H5PYK44V") && !text.contains("tok_secret_value"),
            "{text}"
        );
        assert!(text.contains("***"), "{text}");
    }
}
