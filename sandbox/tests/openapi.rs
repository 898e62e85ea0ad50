//! The OpenAPI document: the committed copy is the generated one, the sandbox serves it on both
//! listeners without a session, and every operation it documents is one the sandbox routes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::Bank;
use reqwest::StatusCode;
use serde_json::Value;

const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/openapi.json");
const REGENERATE: &str = "make openapi";

fn generated() -> Value {
    serde_json::from_str(&mobank_sandbox::openapi_document()).unwrap()
}

#[test]
fn the_committed_openapi_document_is_the_one_the_code_generates() {
    let committed = std::fs::read_to_string(COMMITTED)
        .unwrap_or_else(|error| panic!("docs/openapi.json: {error}; run `{REGENERATE}`"));
    let generated = mobank_sandbox::openapi_document();
    if committed != generated {
        let first_difference = committed
            .lines()
            .zip(generated.lines())
            .position(|(old, new)| old != new)
            .map_or_else(
                || "one is a prefix of the other".to_owned(),
                |line| format!("first difference at line {}", line + 1),
            );
        panic!(
            "docs/openapi.json is not the document the code generates ({first_difference}); \
             regenerate it with `{REGENERATE}` and commit it"
        );
    }
}

#[test]
fn the_document_is_openapi_3_1_with_a_bearer_scheme_and_an_error_body_on_every_failure() {
    let document = generated();
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(
        document["components"]["securitySchemes"]["session"]["scheme"],
        "bearer"
    );
    let paths = document["paths"].as_object().unwrap();
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            if !["get", "post"].contains(&method.as_str()) {
                continue;
            }
            for (status, response) in operation["responses"].as_object().unwrap() {
                if status.starts_with('4') || status.starts_with('5') {
                    let schema = &response["content"]["application/json"]["schema"]["$ref"];
                    assert_eq!(
                        schema.as_str(),
                        Some(format!("#/components/schemas/ErrorBody{status}").as_str()),
                        "{method} {path} {status}"
                    );
                    let body = &document["components"]["schemas"][format!("ErrorBody{status}")];
                    assert_eq!(
                        body["allOf"][0]["$ref"], "#/components/schemas/ErrorBody",
                        "{status}"
                    );
                }
            }
            let session = operation.get("security").is_some();
            assert_eq!(
                session,
                path.starts_with("/v1/")
                    && !path.starts_with("/v1/activation/")
                    && !path.starts_with("/v1/login"),
                "{method} {path}: only the session routes name the bearer scheme"
            );
            if session {
                assert!(operation["responses"].get("401").is_some(), "{path}");
            }
        }
    }
}

#[test]
fn each_error_status_allows_only_the_codes_the_bank_answers_with_it() {
    let document = generated();
    let allowed = |status: &str| -> Vec<String> {
        let body = &document["components"]["schemas"][format!("ErrorBody{status}")];
        let code = &body["allOf"][1]["properties"]["error"]["properties"]["code"];
        assert_eq!(code["type"], "string", "{status}");
        code["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|code| code.as_str().unwrap().to_owned())
            .collect()
    };
    assert!(allowed("401").contains(&"session_expired".to_owned()));
    assert!(!allowed("400").contains(&"session_expired".to_owned()));
    assert_eq!(allowed("409").len(), 4);
    assert_eq!(allowed("415"), ["bad_request"]);
    assert_eq!(allowed("500"), ["internal"]);
}

#[test]
fn amounts_and_keys_are_described_as_the_strings_they_are_on_the_wire() {
    let document = generated();
    let schemas = &document["components"]["schemas"];
    let value = &schemas["Amount"]["properties"]["value"];
    assert_eq!(value["type"], "string");
    let pattern = value["pattern"].as_str().unwrap();
    assert!(pattern.contains("[1-9][0-9]{0,14}"), "{pattern}");
    assert_eq!(schemas["IdempotencyKey"]["pattern"], "^[0-9a-f]{32}$");
    let challenge = &schemas["ChallengeResponse"]["properties"]["challenge"];
    assert_eq!(challenge["type"], "string");
    assert_eq!(challenge["contentEncoding"], "base64url");
    assert_eq!(challenge["maxLength"], 43);
    assert_eq!(
        schemas["Account"]["properties"]["balance"]["type"],
        "string"
    );
}

/// A concrete path for a documented template: every parameter gets a well-formed value.
fn concrete(path: &str) -> String {
    path.replace("{idempotency_key}", "00112233445566778899aabbccddeeff")
        .replace("{customer_id}", "demo")
        .replace("{merchant_id}", "corner_shop")
        .replace("{phone}", "+8613800138000")
}

#[tokio::test]
async fn the_sandbox_serves_the_document_on_both_listeners_without_a_session() {
    let bank = Bank::start().await;
    let expected = mobank_sandbox::openapi_document();
    for url in [
        bank.url("/openapi.json"),
        format!("{}/openapi.json", bank.sandbox.dev_url()),
    ] {
        let client = if url.starts_with("https") {
            bank.client.clone()
        } else {
            reqwest::Client::new()
        };
        let response = client.get(&url).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        assert_eq!(
            response.headers()["content-type"],
            "application/json",
            "{url}"
        );
        assert_eq!(response.text().await.unwrap(), expected, "{url}");
    }
}

#[tokio::test]
async fn every_documented_operation_reaches_a_handler_rather_than_the_fallback() {
    let bank = Bank::start().await;
    let document = generated();
    let developer = reqwest::Client::new();
    let mut checked = 0;
    for (path, item) in document["paths"].as_object().unwrap() {
        let (client, base) = if path.starts_with("/dev/") {
            (&developer, bank.sandbox.dev_url())
        } else {
            (&bank.client, bank.sandbox.base_url())
        };
        let url = format!("{base}{}", concrete(path));
        for method in item.as_object().unwrap().keys() {
            let request = match method.as_str() {
                "get" => client.get(&url),
                "post" => client.post(&url).json(&serde_json::json!({})),
                _ => continue,
            };
            let response = request.send().await.unwrap();
            let status = response.status();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            let fell_through = status == StatusCode::NOT_FOUND
                && body["error"]["message"] == "no such endpoint"
                || status == StatusCode::METHOD_NOT_ALLOWED;
            assert!(
                !fell_through,
                "{method} {path} is documented but not routed"
            );
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} operations checked");
}
