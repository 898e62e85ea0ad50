//! Scan to pay against the sandbox bank: the corner shop's QR code becomes a transfer on the QR
//! payment channel, with the same confirmation, signing and receipt as any transfer; codes the
//! phone can judge bad are refused before a byte is sent; and a code altered with its CRC
//! recomputed, which no parser can catch, is shown for what it does.

use crate::current_account;
use mobank_core::{MobankError, QrConfirmation, QrPaymentInput, QrRejection, TransferState};
use mobank_e2e::{Bank, CountingProxy, Phone, PIN};
use mobank_protocol::qr::crc16_ccitt_false;
use mobank_sandbox::{
    CORNER_SHOP_ACCOUNT_NUMBER, CORNER_SHOP_CUSTOMER_ID, CORNER_SHOP_HOLDER_NAME,
    CORNER_SHOP_MERCHANT_ID, LANDLORD_ACCOUNT_NUMBER,
};
use rust_decimal::Decimal;

/// The example payload of the EMV® QR Code Specification for Payment Systems (Merchant-Presented
/// Mode), as published: a valid code of another payment system, in yuan.
const EMVCO_EXAMPLE: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// The shop's code as its till shows it: dynamic for `amount`, static without.
fn shop_code(bank: &Bank, amount: Option<&str>) -> String {
    bank.sandbox
        .merchant_qr(CORNER_SHOP_MERCHANT_ID, amount.map(dec))
        .unwrap()
        .payload
}

fn object(id: u8, value: &str) -> String {
    format!("{id:02}{:02}{value}", value.chars().count())
}

/// `body` with its CRC data object, as anyone who edits a code can compute it.
fn seal(body: &str) -> String {
    let body = format!("{body}6304");
    format!("{body}{:04X}", crc16_ccitt_false(body.as_bytes()))
}

/// The payload without its CRC data object.
fn unsealed(payload: &str) -> &str {
    &payload[..payload.len() - 8]
}

/// A code built by hand: the Mobank template around `account_value`, in `currency` (numeric),
/// with the given names.
fn forged(account_value: &str, currency: &str, amount: &str, name: &str, local: &str) -> String {
    let template = object(0, "cn.mobank") + &object(1, account_value) + &object(2, "MOBANK");
    let language = object(0, "ZH") + &object(1, local);
    seal(
        &[
            object(0, "01"),
            object(1, "12"),
            object(26, &template),
            object(52, "5411"),
            object(53, currency),
            object(54, amount),
            object(58, "CN"),
            object(59, name),
            object(60, "SHANGHAI"),
            object(64, &language),
        ]
        .concat(),
    )
}

fn shop_balance(bank: &Bank) -> Decimal {
    bank.sandbox.accounts(CORNER_SHOP_CUSTOMER_ID).unwrap()[0].balance
}

fn scan(payer: &str, payload: &str, amount: Option<&str>) -> QrPaymentInput {
    QrPaymentInput {
        payer_account_id: payer.to_owned(),
        payload: payload.to_owned(),
        amount: amount.map(str::to_owned),
    }
}

fn refused(reason: QrRejection) -> MobankError {
    MobankError::QrRejected { reason }
}

/// The phone logged in with the PIN, and its current account: the payer.
/// Logged in, with the QR payment channel turned on (it is off until the customer turns it on).
async fn ready(phone: &Phone) -> mobank_core::Account {
    phone.login_pin(PIN).await.unwrap();
    phone
        .mobank
        .channels()
        .enable(mobank_core::Channel::QrPayment)
        .await
        .unwrap();
    current_account(phone).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dynamic_qr_payment_settles_once_with_a_verified_receipt() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    let payer = ready(&phone).await;
    let shop_before = shop_balance(&bank);
    let transfers = phone.mobank.transfers();

    let QrConfirmation {
        confirmation,
        code_merchant_name,
        name_differs,
        amount_from_code,
    } = transfers
        .draft_qr(scan(
            &payer.account_id,
            &shop_code(&bank, Some("25.50")),
            None,
        ))
        .await
        .unwrap();
    assert_eq!(confirmation.payee_name, CORNER_SHOP_HOLDER_NAME);
    assert_eq!(code_merchant_name, CORNER_SHOP_HOLDER_NAME);
    assert!(!name_differs);
    assert!(amount_from_code);
    assert_eq!(confirmation.payee_masked_number, "**** 0011");
    assert_eq!(confirmation.amount_zh, "¥25.50");
    assert!(confirmation.amount_capitals.contains("贰拾伍元伍角"));
    assert_eq!(confirmation.total_zh, "¥25.50");

    let paid = transfers
        .sign_and_submit_pin(&confirmation.token, mobank_e2e::pin(PIN).unwrap())
        .await
        .unwrap();
    assert_eq!(paid.state, TransferState::Settled);
    assert!(paid
        .receipt
        .as_ref()
        .is_some_and(|receipt| receipt.accepted));
    assert_eq!(paid.payee_name, CORNER_SHOP_HOLDER_NAME);
    assert_eq!(
        payer.balance - current_account(&phone).await.balance,
        dec("25.50")
    );
    assert_eq!(shop_balance(&bank) - shop_before, dec("25.50"));
    assert_eq!(transfers.list().await.unwrap().len(), 1);
    assert!(bank.sandbox.check_ledger().unwrap().balanced);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_static_qr_code_pays_the_amount_the_customer_typed() {
    let bank = Bank::start().await.unwrap();
    let proxy = CountingProxy::start(&bank).await.unwrap();
    let phone = Phone::bound(&bank, proxy.endpoint(&bank)).await.unwrap();
    let payer = ready(&phone).await;
    let sticker = shop_code(&bank, None);
    let transfers = phone.mobank.transfers();

    let typed = transfers
        .draft_qr(scan(&payer.account_id, &sticker, Some("¥18")))
        .await
        .unwrap();
    assert_eq!(typed.confirmation.amount_zh, "¥18.00");
    assert_eq!(typed.confirmation.payee_name, CORNER_SHOP_HOLDER_NAME);
    assert!(!typed.amount_from_code);

    // Without an amount, or with one that is not an amount, nothing goes out.
    for amount in [None, Some("")] {
        let missing = proxy
            .assert_sends_nothing(transfers.draft_qr(scan(&payer.account_id, &sticker, amount)))
            .await;
        assert_eq!(missing.unwrap_err(), refused(QrRejection::AmountRequired));
    }
    let garbage = proxy
        .assert_sends_nothing(transfers.draft_qr(scan(&payer.account_id, &sticker, Some("5e3"))))
        .await;
    assert!(matches!(garbage, Err(MobankError::AmountRejected { .. })));

    let paid = transfers
        .sign_and_submit_biometric(&typed.confirmation.token)
        .await
        .unwrap();
    assert_eq!(paid.state, TransferState::Settled);
    assert_eq!(
        payer.balance - current_account(&phone).await.balance,
        dec("18.00")
    );
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_qr_codes_are_refused_on_the_phone_without_a_byte_sent() {
    let bank = Bank::start().await.unwrap();
    let proxy = CountingProxy::start(&bank).await.unwrap();
    let phone = Phone::bound(&bank, proxy.endpoint(&bank)).await.unwrap();
    let payer = ready(&phone).await;
    let transfers = phone.mobank.transfers();
    let till = shop_code(&bank, Some("25.50"));
    // The payer's currency is learnt once per session, with the first draft.
    transfers
        .draft_qr(scan(&payer.account_id, &till, None))
        .await
        .unwrap();

    let mut wrong_crc = till.clone();
    let last = wrong_crc.pop().unwrap();
    wrong_crc.push(if last == '0' { '1' } else { '0' });
    let tampered_without_crc = till.replace("540525.50", "540595.50");
    let nested = (0..12).fold(CORNER_SHOP_ACCOUNT_NUMBER.to_owned(), |inner, _| {
        object(26, &inner)
    });
    let too_deep = forged(&nested, "156", "25.50", "CORNER SHOP", "街角便利店");
    let dollars = forged(
        CORNER_SHOP_ACCOUNT_NUMBER,
        "840",
        "25.50",
        "CORNER SHOP",
        "街角便利店",
    );
    let cases = [
        (String::new(), QrRejection::Empty),
        ("0".repeat(10 * 1024), QrRejection::TooLong),
        (till.repeat(10), QrRejection::TooLong),
        (wrong_crc, QrRejection::Checksum),
        (tampered_without_crc, QrRejection::Checksum),
        // Cut inside the account number.
        (till[..30].to_owned(), QrRejection::Malformed),
        (too_deep, QrRejection::NotPayable),
        (dollars, QrRejection::CurrencyMismatch),
        (EMVCO_EXAMPLE.to_owned(), QrRejection::NotPayable),
    ];
    for (payload, reason) in cases {
        let refusal = proxy
            .assert_sends_nothing(transfers.draft_qr(scan(&payer.account_id, &payload, None)))
            .await;
        assert_eq!(refusal.unwrap_err(), refused(reason), "{reason:?}");
    }
    let other_amount = proxy
        .assert_sends_nothing(transfers.draft_qr(scan(&payer.account_id, &till, Some("2550"))))
        .await;
    assert_eq!(
        other_amount.unwrap_err(),
        refused(QrRejection::AmountDiffers)
    );
    let unknown_payer = transfers
        .draft_qr(scan("no-such-account", &till, None))
        .await;
    assert_eq!(unknown_payer.unwrap_err(), MobankError::PayerAccountUnknown);

    // The refusals say why, never what the code held.
    let message = refused(QrRejection::NotPayable).to_string();
    assert!(!message.contains(CORNER_SHOP_ACCOUNT_NUMBER));
    assert!(transfers.list().await.unwrap().is_empty());
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_altered_with_its_crc_recomputed_is_shown_for_what_it_does() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    let payer = ready(&phone).await;
    let transfers = phone.mobank.transfers();

    // The amount raised tenfold (within a new device's limits), the CRC computed again: the code parses, as a CRC is no
    // signature. The confirmation shows the amount the code now asks for.
    let till = shop_code(&bank, Some("25.50"));
    let raised = seal(&unsealed(&till).replace("540525.50", "5406255.00"));
    let shown = transfers
        .draft_qr(scan(&payer.account_id, &raised, None))
        .await
        .unwrap();
    assert_eq!(shown.confirmation.amount_zh, "¥255.00");
    assert!(shown
        .confirmation
        .amount_capitals
        .contains("贰佰伍拾伍元整"));
    assert_eq!(shown.confirmation.payee_name, CORNER_SHOP_HOLDER_NAME);

    // A sticker claiming another shop's name over the corner shop's account: the screen names
    // the account's registered holder, and says that the code named someone else.
    let relabelled = forged(
        CORNER_SHOP_ACCOUNT_NUMBER,
        "156",
        "25.50",
        "STARBUCKS",
        "星巴克",
    );
    let shown = transfers
        .draft_qr(scan(&payer.account_id, &relabelled, None))
        .await
        .unwrap();
    assert_eq!(shown.confirmation.payee_name, CORNER_SHOP_HOLDER_NAME);
    assert_eq!(shown.code_merchant_name, "星巴克");
    assert!(shown.name_differs);

    // A shop's name over a private account: the bank takes QR payments to merchants only.
    let swapped = forged(
        LANDLORD_ACCOUNT_NUMBER,
        "156",
        "25.50",
        "CORNER SHOP",
        "街角便利店",
    );
    let refused_by_bank = transfers
        .draft_qr(scan(&payer.account_id, &swapped, None))
        .await;
    assert!(matches!(
        refused_by_bank,
        Err(MobankError::ServerRejected { ref code, .. }) if code == "payee_invalid"
    ));

    // Nothing was signed: the customer, not the parser, is the last check, and they saw it all.
    assert!(transfers.list().await.unwrap().is_empty());
    assert_eq!(current_account(&phone).await.balance, payer.balance);
    bank.stop().await;
}
