//! Merchants: the QR code the developer API prints for the corner shop, and the bank's rule
//! that a QR payment goes to a merchant's account.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{bound, expect_error, quote_request, Bank};
use mobank_protocol::qr::crc16_ccitt_false;
use mobank_protocol::transfer::messages::paths as transfer_paths;
use mobank_protocol::transfer::Channel;
use mobank_protocol::ErrorCode;
use mobank_sandbox::dev::MerchantQr;
use mobank_sandbox::{
    CORNER_SHOP_ACCOUNT_NUMBER, CORNER_SHOP_CUSTOMER_ID, CORNER_SHOP_HOLDER_NAME,
    CORNER_SHOP_MERCHANT_ID, LANDLORD_ACCOUNT_NUMBER,
};
use reqwest::StatusCode;

async fn qr_response(bank: &Bank, merchant_id: &str, query: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!(
            "{}/dev/merchants/{merchant_id}/qr{query}",
            bank.sandbox.dev_url()
        ))
        .send()
        .await
        .unwrap()
}

/// The payload's CRC is right, and the payload carries `part`.
fn assert_sealed_with(payload: &str, parts: &[&str]) {
    let (body, crc) = payload.split_at(payload.len() - 4);
    assert!(body.ends_with("6304"), "{payload}");
    assert_eq!(
        format!("{:04X}", crc16_ccitt_false(body.as_bytes())),
        crc,
        "{payload}"
    );
    for part in parts {
        assert!(payload.contains(part), "{part} not in {payload}");
    }
}

#[tokio::test]
async fn the_shop_code_names_its_account_in_the_mobank_template_with_a_right_crc() {
    let bank = Bank::start().await;
    let template = format!("0009cn.mobank0116{CORNER_SHOP_ACCOUNT_NUMBER}0206MOBANK");
    let sticker: MerchantQr = bank
        .dev_get_ok(&format!("/dev/merchants/{CORNER_SHOP_MERCHANT_ID}/qr"))
        .await;
    assert_eq!(sticker.merchant_id, CORNER_SHOP_MERCHANT_ID);
    assert!(sticker.payload.starts_with("0002010102112643"));
    assert_sealed_with(
        &sticker.payload,
        &[
            &template,
            "5303156",
            "5802CN",
            "5911CORNER SHOP",
            "0105街角便利店",
        ],
    );
    assert!(!sticker.payload.contains("5405"));

    let till: MerchantQr = bank
        .dev_get_ok(&format!(
            "/dev/merchants/{CORNER_SHOP_MERCHANT_ID}/qr?amount=25.5"
        ))
        .await;
    assert!(till.payload.starts_with("000201010212"));
    assert_sealed_with(&till.payload, &[&template, "540525.50"]);
    assert_eq!(
        bank.sandbox
            .merchant_qr(CORNER_SHOP_MERCHANT_ID, Some("25.50".parse().unwrap()))
            .unwrap(),
        till
    );
    bank.sandbox.shutdown().await;
}

#[tokio::test]
async fn an_unknown_merchant_or_a_bad_amount_gets_a_typed_refusal() {
    let bank = Bank::start().await;
    let (status, error) = expect_error(qr_response(&bank, "no_such_shop", "").await).await;
    assert_eq!(
        (status, error.code),
        (StatusCode::NOT_FOUND, ErrorCode::NotFound)
    );
    for query in [
        "?amount=0",
        "?amount=-5",
        "?amount=1.234",
        "?amount=abc",
        "?amount=123456789012.50",
        "?price=5",
    ] {
        let (status, error) =
            expect_error(qr_response(&bank, CORNER_SHOP_MERCHANT_ID, query).await).await;
        assert_eq!(
            (status, error.code),
            (StatusCode::BAD_REQUEST, ErrorCode::BadRequest),
            "{query}"
        );
    }
    bank.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_qr_payment_is_quoted_only_to_a_merchant_account() {
    let (bank, mut phone) = bound().await;
    let token = bank.login(&mut phone).await.session_token;
    bank.enable_channel(&mut phone, &token, Channel::QrPayment)
        .await;
    let mut to_shop = quote_request(
        "acct_current_01",
        CORNER_SHOP_ACCOUNT_NUMBER,
        "MOBANK",
        "25.50",
        "",
    );
    to_shop.channel = Channel::QrPayment;
    let quote = bank.quote(&token, &to_shop).await;
    assert_eq!(quote.transfer.payee.name, CORNER_SHOP_HOLDER_NAME);
    assert_eq!(quote.transfer.channel, Channel::QrPayment);

    let mut to_landlord = quote_request(
        "acct_current_01",
        LANDLORD_ACCOUNT_NUMBER,
        "MOBANK",
        "25.50",
        "",
    );
    to_landlord.channel = Channel::QrPayment;
    let (status, error) = bank
        .post_authorized_err(transfer_paths::TRANSFER_QUOTES, &token, &to_landlord)
        .await;
    assert_eq!(
        (status, error.code),
        (StatusCode::BAD_REQUEST, ErrorCode::PayeeInvalid)
    );
    // Typed in as a transfer, the shop's account is a payee like any other.
    to_shop.channel = Channel::MobileTransfer;
    to_shop.idempotency_key = quote_request("", "", "", "1.00", "").idempotency_key;
    assert_eq!(
        bank.quote(&token, &to_shop).await.transfer.payee.name,
        CORNER_SHOP_HOLDER_NAME
    );
    let accounts = bank.sandbox.accounts(CORNER_SHOP_CUSTOMER_ID).unwrap();
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].currency, "CNY");
    assert!(bank.sandbox.check_ledger().unwrap().balanced);
    bank.sandbox.shutdown().await;
}
