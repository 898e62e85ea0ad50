//! What the HTTP layer does with garbage: always a typed `ErrorBody`, never a 500, never
//! axum's plain-text rejections. And the developer API over its own plain-HTTP listener.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{expect_error, Bank};
use mobank_protocol::messages::{
    paths, IssueActivationResponse, SmsOutbox, StartActivationRequest,
};
use mobank_protocol::ErrorCode;
use mobank_sandbox::{DEMO_CUSTOMER_ID, DEMO_PHONE};

const POST_ENDPOINTS: [&str; 4] = [
    paths::ACTIVATION_START,
    paths::ACTIVATION_COMPLETE,
    paths::LOGIN_CHALLENGE,
    paths::LOGIN,
];

async fn post_raw(bank: &Bank, path: &str, body: &'static str) -> reqwest::Response {
    bank.client
        .post(bank.url(path))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn malformed_bodies_get_a_typed_400_on_every_endpoint() {
    let bank = Bank::start().await;
    let bodies = [
        "",
        "{",
        "null",
        "[]",
        "{}",
        "\"text\"",
        r#"{"activation_code": 5}"#,
        r#"{"device_id": "d", "extra": 1}"#,
        r#"{"device_id": "d", "challenge_id": "c", "assertions": [{"factor": "possession", "authenticator_data": "!!", "client_data_json": "", "signature": ""}]}"#,
        r#"{"device_id": "d", "challenge_id": "c", "assertions": [{"factor": "retina", "authenticator_data": "", "client_data_json": "", "signature": ""}]}"#,
        r#"{"activation_id": "a", "otp": "1", "device": {"name": "n", "platform": "ios"}, "possession_public_key": "AAAA=", "user_verified_public_key": "", "proofs": []}"#,
    ];
    for path in POST_ENDPOINTS {
        for body in bodies {
            let (status, error) = expect_error(post_raw(&bank, path, body).await).await;
            assert_eq!(status.as_u16(), 400, "{path} {body:?}");
            assert_eq!(error.code, ErrorCode::BadRequest, "{path} {body:?}");
            assert!(error.attempts_remaining.is_none());
        }
    }
}

#[tokio::test]
async fn error_messages_never_echo_the_body() {
    let bank = Bank::start().await;
    let (_, error) = expect_error(
        post_raw(
            &bank,
            paths::ACTIVATION_START,
            r#"{"activation_code": "SECRET-CANARY", "x": 1}"#,
        )
        .await,
    )
    .await;
    assert!(!error.message.contains("CANARY"), "{}", error.message);
    let (_, error) = expect_error(
        post_raw(
            &bank,
            paths::ACTIVATION_START,
            r#"{"activation_code": ["SECRET-CANARY"]}"#,
        )
        .await,
    )
    .await;
    assert!(!error.message.contains("CANARY"), "{}", error.message);
}

#[tokio::test]
async fn wrong_content_type_oversized_body_unknown_path_and_wrong_method_are_typed() {
    let bank = Bank::start().await;
    let response = bank
        .client
        .post(bank.url(paths::LOGIN_CHALLENGE))
        .body(r#"{"device_id": "d"}"#)
        .send()
        .await
        .unwrap();
    let (status, error) = expect_error(response).await;
    assert_eq!((status.as_u16(), error.code), (415, ErrorCode::BadRequest));

    let huge = format!(r#"{{"device_id": "{}"}}"#, "d".repeat(100 * 1024));
    let response = bank
        .client
        .post(bank.url(paths::LOGIN_CHALLENGE))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    let (status, error) = expect_error(response).await;
    assert_eq!((status.as_u16(), error.code), (413, ErrorCode::BadRequest));

    let (status, error) = expect_error(
        bank.client
            .get(bank.url("/v1/nothing-here"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status.as_u16(), error.code), (404, ErrorCode::NotFound));

    let (status, error) = expect_error(
        bank.client
            .get(bank.url(paths::LOGIN))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status.as_u16(), error.code), (405, ErrorCode::BadRequest));

    // The developer API is not part of the customer API.
    let response = bank
        .client
        .post(bank.url(paths::DEV_ACTIVATION_CODES))
        .json(&serde_json::json!({ "customer_id": DEMO_CUSTOMER_ID }))
        .send()
        .await
        .unwrap();
    assert_eq!(expect_error(response).await.1.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn the_developer_api_issues_codes_and_shows_the_sms_outbox_over_plain_http() {
    let bank = Bank::start().await;
    let dev_url = bank.sandbox.dev_url();
    assert!(dev_url.starts_with("http://127.0.0.1:"), "{dev_url}");
    let http = reqwest::Client::new();

    let before = bank.sandbox.now_ms();
    let issued: IssueActivationResponse = http
        .post(format!("{dev_url}{}", paths::DEV_ACTIVATION_CODES))
        .json(&serde_json::json!({ "customer_id": DEMO_CUSTOMER_ID }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(issued.phone, DEMO_PHONE);
    assert_eq!(issued.activation_code.len(), 12);
    let day = 24 * 3600 * 1000;
    assert!((before + day..=bank.sandbox.now_ms() + day).contains(&issued.expires_at_ms));

    let _: mobank_protocol::messages::StartActivationResponse = bank
        .post_ok(
            paths::ACTIVATION_START,
            &StartActivationRequest {
                activation_code: issued.activation_code,
            },
        )
        .await;

    let outbox: SmsOutbox = http
        .get(format!(
            "{dev_url}{}%2B8613800138000",
            paths::DEV_SMS_PREFIX
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(outbox.messages.len(), 1);
    let body = &outbox.messages[0].body;
    let code = common::first_six_digit_run(body).unwrap();
    assert!(body.starts_with("【Mobank】"), "{body}");
    // The code is the only six-digit run (it appears in both languages).
    let runs: Vec<&str> = body
        .split(|c: char| !c.is_ascii_digit())
        .filter(|r| r.len() == 6)
        .collect();
    assert_eq!(runs, vec![code.as_str(), code.as_str()]);
    assert_eq!(outbox, bank.sandbox.sms_outbox(DEMO_PHONE).unwrap());

    let empty: SmsOutbox = http
        .get(format!("{dev_url}{}%2B10000000000", paths::DEV_SMS_PREFIX))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(empty.messages.is_empty());

    let response = http
        .post(format!("{dev_url}{}", paths::DEV_ACTIVATION_CODES))
        .json(&serde_json::json!({ "customer_id": "nobody" }))
        .send()
        .await
        .unwrap();
    let (status, error) = expect_error(response).await;
    assert_eq!((status.as_u16(), error.code), (404, ErrorCode::NotFound));
    assert!(matches!(
        bank.sandbox.issue_activation_code("nobody"),
        Err(mobank_sandbox::SandboxError::UnknownCustomer)
    ));

    let response = http
        .post(format!("{dev_url}{}", paths::DEV_ACTIVATION_CODES))
        .header("content-type", "application/json")
        .body("{\"customer\": 1}")
        .send()
        .await
        .unwrap();
    assert_eq!(expect_error(response).await.1.code, ErrorCode::BadRequest);
}
