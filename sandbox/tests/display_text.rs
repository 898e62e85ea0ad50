//! Device names a phone sends must already be display text: the bank refuses a name that
//! would show as something else on the customer's other devices, one case per character
//! class, naming the rule and never the name.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Bank, Phone};
use mobank_protocol::messages::{paths, CompleteActivationResponse, DevicesResponse};
use mobank_protocol::ErrorCode;

async fn refusal_of(name: &str) -> (u16, ErrorCode, String) {
    let bank = Bank::start().await;
    let (started, otp) = bank.start_activation().await;
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    phone.name = name.to_owned();
    let (status, error) = bank.complete_err(&phone.completion(&started, &otp)).await;
    // Refused before the OTP was counted: the honest name still binds with the same code.
    phone.name = "Pixel 8".to_owned();
    let _: CompleteActivationResponse = bank
        .post_ok(
            paths::ACTIVATION_COMPLETE,
            &phone.completion(&started, &otp),
        )
        .await;
    (status.as_u16(), error.code, error.message)
}

async fn assert_refused(name: &str, rule: &str) {
    let (status, code, message) = refusal_of(name).await;
    assert_eq!((status, code), (400, ErrorCode::BadRequest), "{name:?}");
    assert_eq!(message, format!("device name: {rule}"), "{name:?}");
    assert!(!message.contains("Pixel"), "{message}");
}

#[tokio::test]
async fn a_name_with_a_bidi_control_is_refused() {
    assert_refused(
        "Pixel\u{202E}gnp.exe",
        "the text contains a bidirectional control character",
    )
    .await;
}

#[tokio::test]
async fn a_name_with_an_invisible_character_is_refused() {
    assert_refused("Pix\u{200B}el", "the text contains an invisible character").await;
}

#[tokio::test]
async fn a_name_with_a_control_character_is_refused() {
    assert_refused(
        "Pixel\u{7}8",
        "the text contains a control character or line break",
    )
    .await;
}

#[tokio::test]
async fn a_name_not_in_nfc_is_refused() {
    assert_refused(
        "Rene\u{301}'s Pixel",
        "the text must be trimmed and in Unicode NFC",
    )
    .await;
}

#[tokio::test]
async fn a_name_with_surrounding_spaces_is_refused() {
    assert_refused(" Pixel 8", "the text must be trimmed and in Unicode NFC").await;
}

#[tokio::test]
async fn a_display_name_in_any_script_binds_and_is_listed_exactly() {
    let bank = Bank::start().await;
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    phone.name = "李伟的 Pixel 8 📱 René".to_owned();
    bank.bind(&mut phone).await;
    let token = bank.login(&mut phone).await.session_token;
    let devices: DevicesResponse = bank.get_ok(paths::DEVICES, &token).await;
    assert_eq!(devices.devices[0].name, "李伟的 Pixel 8 📱 René");
}

#[tokio::test]
async fn a_name_written_as_sql_is_kept_as_text() {
    // Every value reaches SQLite as a bound parameter: quotes and statements are just text.
    let bank = Bank::start().await;
    let name = "Robert'); DROP TABLE devices;-- \"x\"";
    let mut phone = Phone::new(&bank.sandbox.rp_id());
    phone.name = name.to_owned();
    bank.bind(&mut phone).await;
    let mut second = Phone::new(&bank.sandbox.rp_id());
    second.name = "Pixel 8' OR '1'='1".to_owned();
    bank.bind(&mut second).await;
    let token = bank.login(&mut phone).await.session_token;
    let devices: DevicesResponse = bank.get_ok(paths::DEVICES, &token).await;
    let mut names: Vec<_> = devices.devices.iter().map(|d| d.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["Pixel 8' OR '1'='1", name]);
}
