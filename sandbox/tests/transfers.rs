//! Transfers over HTTPS: the quote, the signed submission, the bank's decision and receipt, and
//! everything that must be refused on the way.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{bound, expect_error, expect_ok, quote_request, Bank, Phone};
use mobank_protocol::money::{Amount, Currency};
use mobank_protocol::transfer::messages::{
    paths as transfer_paths, QuoteRequest, TransferResponse,
};
use mobank_protocol::transfer::{Outcome, ReceiptKey, RejectReason};
use mobank_protocol::{ErrorCode, Factor};
use mobank_sandbox::{LANDLORD_ACCOUNT_NUMBER, LANDLORD_CUSTOMER_ID, LANDLORD_PHONE};
use reqwest::StatusCode;
use rust_decimal::Decimal;

const CURRENT: &str = "acct_current_01";
const MARGIN: &str = "acct_margin_01";
const MARGIN_NUMBER: &str = "6222029876570001";
const CURRENT_NUMBER: &str = "6222021234507890";
const OTHER_BANK_NUMBER: &str = "6217000000123456786";

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn balance(bank: &Bank, customer_id: &str, account_id: &str) -> Decimal {
    bank.sandbox
        .accounts(customer_id)
        .unwrap()
        .into_iter()
        .find(|account| account.account_id == account_id)
        .unwrap()
        .balance
}

fn assert_balanced(bank: &Bank) {
    let check = bank.sandbox.check_ledger().unwrap();
    assert!(check.balanced, "{check:?}");
}

async fn session() -> (Bank, Phone, String) {
    let (bank, mut phone) = bound().await;
    let token = bank.login(&mut phone).await.session_token;
    (bank, phone, token)
}

/// Quotes, signs with possession + biometric and submits; the bank's answer.
async fn send(
    bank: &Bank,
    phone: &mut Phone,
    token: &str,
    request: &QuoteRequest,
) -> TransferResponse {
    let quote = bank.quote(token, request).await;
    let signed = phone.sign_transfer(&quote.transfer, Factor::UserVerified);
    expect_ok("transfer", bank.submit(token, &signed).await).await
}

fn trusted(bank: &Bank) -> Vec<ReceiptKey> {
    vec![ReceiptKey::from_public_key(&bank.sandbox.receipt_public_key()).unwrap()]
}

#[tokio::test]
async fn an_own_account_transfer_moves_the_money_and_the_receipt_verifies_with_the_announced_key() {
    let (bank, mut phone, token) = session().await;
    let before = balance(&bank, "demo", CURRENT);
    let request = quote_request(CURRENT, MARGIN_NUMBER, "MOBANK", "300.00", "保证金 Margin");
    let quote = bank.quote(&token, &request).await;
    assert_eq!(quote.transfer.payee.name, "李伟");
    assert_eq!(quote.transfer.fee, "0.00");
    assert_eq!(quote.payee_bank_name, "Mobank Sandbox Bank");
    assert_eq!(
        quote.expires_at_ms,
        quote.transfer.quoted_at_ms + 5 * 60 * 1000
    );
    let signed = phone.sign_transfer(&quote.transfer, Factor::UserVerified);
    let answer: TransferResponse = expect_ok("transfer", bank.submit(&token, &signed).await).await;

    let receipt = answer.receipt;
    assert_eq!(receipt.outcome, Outcome::Accepted);
    assert_eq!(receipt.reason, None);
    assert_eq!(receipt.booked_at_ms, Some(receipt.decided_at_ms));
    assert_eq!(
        receipt.transfer_hash,
        quote.transfer.hash().unwrap().to_vec()
    );
    assert_eq!(balance(&bank, "demo", CURRENT), before - dec("300.00"));
    assert_eq!(balance(&bank, "demo", MARGIN), dec("300.00"));
    let history = bank.sandbox.ledger("demo").unwrap();
    let legs: Vec<_> = history.iter().rev().take(2).collect();
    assert!(legs.iter().any(|row| row.account_id == MARGIN
        && row.amount == dec("300.00")
        && row.memo == "保证金 Margin"));
    assert!(legs
        .iter()
        .any(|row| row.account_id == CURRENT && row.amount == dec("-300.00")));
    assert_balanced(&bank);

    // The announced key verifies it; one byte changed does not.
    let announced = bank.sandbox.announcement().receipt_public_key;
    assert_eq!(
        mobank_protocol::b64::decode(&announced).unwrap(),
        bank.sandbox.receipt_public_key()
    );
    receipt.verify(&trusted(&bank)).unwrap();
    let mut forged = receipt.clone();
    forged.signature[10] ^= 1;
    assert!(forged.verify(&trusted(&bank)).is_err());
    let mut forged = receipt.clone();
    forged.transfer_hash[0] ^= 1;
    assert!(forged.verify(&trusted(&bank)).is_err());
}

#[tokio::test]
async fn paying_the_landlord_grows_her_balance_and_history_and_texts_both_customers() {
    let (bank, mut phone, token) = session().await;
    let before = balance(&bank, LANDLORD_CUSTOMER_ID, "acct_landlord_current");
    let request = quote_request(CURRENT, LANDLORD_ACCOUNT_NUMBER, "MOBANK", "450.00", "房租");
    let answer = send(&bank, &mut phone, &token, &request).await;
    assert_eq!(answer.receipt.outcome, Outcome::Accepted);
    assert_eq!(
        balance(&bank, LANDLORD_CUSTOMER_ID, "acct_landlord_current"),
        before + dec("450.00")
    );
    let hers = bank.sandbox.ledger(LANDLORD_CUSTOMER_ID).unwrap();
    let row = hers.last().unwrap();
    assert_eq!(
        (row.amount, row.counterparty.as_str()),
        (dec("450.00"), "李伟")
    );
    let her_sms = bank.sandbox.sms_outbox(LANDLORD_PHONE).unwrap().messages;
    assert!(her_sms.last().unwrap().body.contains("收入人民币450.00元"));
    let his_sms = bank
        .sandbox
        .sms_outbox(mobank_sandbox::DEMO_PHONE)
        .unwrap()
        .messages;
    assert!(his_sms.last().unwrap().body.contains("支出人民币450.00元"));
    assert_balanced(&bank);
}

#[tokio::test]
async fn paying_another_bank_sends_the_amount_to_the_sink_and_the_fee_to_income() {
    let (bank, mut phone, token) = session().await;
    let before = balance(&bank, "demo", CURRENT);
    let request = quote_request(CURRENT, OTHER_BANK_NUMBER, "EASTDEMO", "100.00", "");
    let quote = bank.quote(&token, &request).await;
    assert_eq!(quote.transfer.payee.name, "陈静");
    assert_eq!(quote.transfer.fee, "2.00");
    assert_eq!(quote.payee_bank_name, "华东示范银行 East China Demo Bank");
    let signed = phone.sign_transfer(&quote.transfer, Factor::Knowledge);
    let answer: TransferResponse = expect_ok("transfer", bank.submit(&token, &signed).await).await;
    assert_eq!(answer.receipt.outcome, Outcome::Accepted);
    assert_eq!(answer.receipt.fee, "2.00");
    assert_eq!(balance(&bank, "demo", CURRENT), before - dec("102.00"));
    let check = bank.sandbox.check_ledger().unwrap();
    let cny = check.totals.iter().find(|t| t.currency == "CNY").unwrap();
    assert_eq!(cny.fee_income, dec("2.00"));
    assert_eq!(cny.other_bank, dec("100.00"));
    assert!(check.balanced, "{check:?}");
}

#[tokio::test]
async fn too_little_money_is_a_rejected_receipt_that_the_same_key_gets_again() {
    let (bank, mut phone, token) = session().await;
    let request = quote_request(MARGIN, CURRENT_NUMBER, "MOBANK", "100.00", "");
    let quote = bank.quote(&token, &request).await;
    let signed = phone.sign_transfer(&quote.transfer, Factor::UserVerified);
    let first: TransferResponse = expect_ok("transfer", bank.submit(&token, &signed).await).await;
    assert_eq!(first.receipt.outcome, Outcome::Rejected);
    assert_eq!(first.receipt.reason, Some(RejectReason::InsufficientFunds));
    assert_eq!(first.receipt.booked_at_ms, None);
    first.receipt.verify(&trusted(&bank)).unwrap();
    assert_eq!(balance(&bank, "demo", MARGIN), Decimal::ZERO);

    // The same signed transfer again: the same receipt, though its challenge is spent.
    let again: TransferResponse = expect_ok("retry", bank.submit(&token, &signed).await).await;
    assert_eq!(again, first);
    let status: TransferResponse = bank
        .get_ok(
            &format!(
                "{}{}",
                transfer_paths::TRANSFER_PREFIX,
                request.idempotency_key.to_hex()
            ),
            &token,
        )
        .await;
    assert_eq!(status, first);

    // The same key for another amount: a conflict, and nothing else happens.
    let mut other = signed.clone();
    other.transfer.amount = Amount::parse_wire("99.00", Currency::Cny).unwrap();
    let (status, error) = expect_error(bank.submit(&token, &other).await).await;
    assert_eq!(
        (status, error.code),
        (StatusCode::CONFLICT, ErrorCode::IdempotencyConflict)
    );
    assert_balanced(&bank);
}

#[tokio::test]
async fn a_replay_under_a_new_idempotency_key_finds_its_challenge_spent() {
    let (bank, mut phone, token) = session().await;
    let before = balance(&bank, "demo", CURRENT);
    let request = quote_request(CURRENT, MARGIN_NUMBER, "MOBANK", "10.00", "");
    let quote = bank.quote(&token, &request).await;
    let signed = phone.sign_transfer(&quote.transfer, Factor::UserVerified);
    expect_ok::<TransferResponse>("transfer", bank.submit(&token, &signed).await).await;

    let mut replay = quote.transfer.clone();
    replay.idempotency_key =
        quote_request(CURRENT, MARGIN_NUMBER, "MOBANK", "10.00", "").idempotency_key;
    let replayed = phone.sign_transfer(&replay, Factor::UserVerified);
    let (status, error) = expect_error(bank.submit(&token, &replayed).await).await;
    assert_eq!(
        (status, error.code),
        (StatusCode::BAD_REQUEST, ErrorCode::ChallengeInvalid)
    );
    assert_eq!(balance(&bank, "demo", CURRENT), before - dec("10.00"));
    assert_balanced(&bank);
}

#[tokio::test]
async fn a_transfer_changed_after_signing_is_refused_and_moves_nothing() {
    let (bank, mut phone, token) = session().await;
    let before = balance(&bank, "demo", CURRENT);
    let tamperings: [fn(&mut mobank_protocol::transfer::CanonicalTransfer); 3] = [
        |t| t.amount = Amount::parse_wire("499.00", Currency::Cny).unwrap(),
        |t| t.payee.name = "王芳".to_owned(),
        |t| t.memo = "押金 Deposit".to_owned(),
    ];
    for tamper in tamperings {
        let request = quote_request(CURRENT, MARGIN_NUMBER, "MOBANK", "50.00", "房租");
        let quote = bank.quote(&token, &request).await;
        let mut signed = phone.sign_transfer(&quote.transfer, Factor::UserVerified);
        tamper(&mut signed.transfer);
        let (status, error) = expect_error(bank.submit(&token, &signed).await).await;
        assert_eq!(
            (status, error.code),
            (StatusCode::UNAUTHORIZED, ErrorCode::AuthenticationFailed)
        );
        let refused = bank
            .sandbox
            .transfer_outcome("demo", request.idempotency_key)
            .unwrap();
        assert_eq!(refused, None);
    }
    assert_eq!(balance(&bank, "demo", CURRENT), before);
    assert_balanced(&bank);
}

#[tokio::test]
async fn fields_re_signed_but_different_from_the_quote_are_refused() {
    let (bank, mut phone, token) = session().await;
    let request = quote_request(CURRENT, MARGIN_NUMBER, "MOBANK", "50.00", "");
    let quote = bank.quote(&token, &request).await;
    let mut changed = quote.transfer.clone();
    changed.amount = Amount::parse_wire("5.00", Currency::Cny).unwrap();
    let signed = phone.sign_transfer(&changed, Factor::UserVerified);
    let (status, error) = expect_error(bank.submit(&token, &signed).await).await;
    assert_eq!(
        (status, error.code),
        (StatusCode::BAD_REQUEST, ErrorCode::BadRequest)
    );
    assert_eq!(error.message, "the transfer differs from its quote");
    assert_eq!(balance(&bank, "demo", MARGIN), Decimal::ZERO);
}

#[tokio::test]
async fn a_wrong_pin_is_counted_with_the_attempts_left() {
    let (bank, mut phone, token) = session().await;
    phone.enter_wrong_pin();
    for remaining in [4, 3] {
        let request = quote_request(CURRENT, MARGIN_NUMBER, "MOBANK", "20.00", "");
        let quote = bank.quote(&token, &request).await;
        let signed = phone.sign_transfer(&quote.transfer, Factor::Knowledge);
        let (status, error) = expect_error(bank.submit(&token, &signed).await).await;
        assert_eq!(
            (status, error.code, error.attempts_remaining),
            (
                StatusCode::UNAUTHORIZED,
                ErrorCode::AuthenticationFailed,
                Some(remaining)
            )
        );
    }
    assert_eq!(balance(&bank, "demo", MARGIN), Decimal::ZERO);
}

#[tokio::test]
async fn a_lost_answer_leaves_one_booking_and_the_status_endpoint_tells_the_outcome() {
    let (bank, mut phone, token) = session().await;
    let before = balance(&bank, "demo", CURRENT);
    bank.sandbox.lose_transfer_responses(1).unwrap();
    let request = quote_request(CURRENT, MARGIN_NUMBER, "MOBANK", "80.00", "");
    let quote = bank.quote(&token, &request).await;
    let signed = phone.sign_transfer(&quote.transfer, Factor::UserVerified);
    let response = bank
        .client
        .post(bank.url(transfer_paths::TRANSFERS))
        .bearer_auth(&token)
        .json(&signed)
        .send()
        .await;
    let broken = match response {
        Err(_) => true,
        Ok(response) => response.bytes().await.is_err(),
    };
    assert!(broken, "the answer was meant to be lost");

    let status: TransferResponse = bank
        .get_ok(
            &format!(
                "{}{}",
                transfer_paths::TRANSFER_PREFIX,
                request.idempotency_key.to_hex()
            ),
            &token,
        )
        .await;
    assert_eq!(status.receipt.outcome, Outcome::Accepted);
    // The retry with the same key gets the same receipt and books nothing more.
    let retry: TransferResponse = expect_ok("retry", bank.submit(&token, &signed).await).await;
    assert_eq!(retry, status);
    assert_eq!(balance(&bank, "demo", CURRENT), before - dec("80.00"));
    assert_balanced(&bank);
}

#[tokio::test]
async fn an_unknown_key_has_no_status_and_a_malformed_one_is_a_bad_request() {
    let (bank, _phone, token) = session().await;
    let unknown = quote_request(CURRENT, MARGIN_NUMBER, "MOBANK", "1.00", "").idempotency_key;
    let path = format!("{}{}", transfer_paths::TRANSFER_PREFIX, unknown.to_hex());
    let (status, error) = expect_error(bank.get(&path, &token).await).await;
    assert_eq!(
        (status, error.code),
        (StatusCode::NOT_FOUND, ErrorCode::NotFound)
    );
    let path = format!("{}{}", transfer_paths::TRANSFER_PREFIX, "ABC");
    let (status, error) = expect_error(bank.get(&path, &token).await).await;
    assert_eq!(
        (status, error.code),
        (StatusCode::BAD_REQUEST, ErrorCode::BadRequest)
    );
}

#[tokio::test]
async fn quotes_refuse_each_bad_input_with_its_documented_code() {
    let (bank, _phone, token) = session().await;
    let mut wrong_currency = quote_request(CURRENT, MARGIN_NUMBER, "MOBANK", "10.00", "");
    wrong_currency.amount = Amount::parse_wire("10.00", Currency::Usd).unwrap();
    let cases: Vec<(QuoteRequest, StatusCode, ErrorCode)> = vec![
        (
            quote_request(CURRENT, "6217000000123456794", "EASTDEMO", "10.00", ""),
            StatusCode::BAD_REQUEST,
            ErrorCode::PayeeInvalid,
        ),
        (
            quote_request(CURRENT, "6217000000123456787", "EASTDEMO", "10.00", ""),
            StatusCode::BAD_REQUEST,
            ErrorCode::PayeeInvalid,
        ),
        (
            // A known number at another bank than its own.
            quote_request(CURRENT, OTHER_BANK_NUMBER, "SOUTHTEST", "10.00", ""),
            StatusCode::BAD_REQUEST,
            ErrorCode::PayeeInvalid,
        ),
        (
            wrong_currency,
            StatusCode::BAD_REQUEST,
            ErrorCode::CurrencyMismatch,
        ),
        (
            quote_request(
                "acct_landlord_current",
                MARGIN_NUMBER,
                "MOBANK",
                "10.00",
                "",
            ),
            StatusCode::NOT_FOUND,
            ErrorCode::AccountUnknown,
        ),
        (
            quote_request(
                CURRENT,
                MARGIN_NUMBER,
                "MOBANK",
                "10.00",
                "rent\u{202E}tner",
            ),
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
        ),
        (
            quote_request(CURRENT, CURRENT_NUMBER, "MOBANK", "10.00", ""),
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
        ),
    ];
    for (request, expected_status, expected_code) in cases {
        let (status, error) = bank
            .post_authorized_err(transfer_paths::TRANSFER_QUOTES, &token, &request)
            .await;
        assert_eq!(
            (status, error.code),
            (expected_status, expected_code),
            "{request:?}"
        );
    }
}

#[tokio::test]
async fn an_expired_quote_is_an_invalid_challenge() {
    let (bank, mut phone, token) = session().await;
    let request = quote_request(CURRENT, MARGIN_NUMBER, "MOBANK", "10.00", "");
    let quote = bank.quote(&token, &request).await;
    let signed = phone.sign_transfer(&quote.transfer, Factor::UserVerified);
    bank.sandbox
        .advance_clock(std::time::Duration::from_secs(5 * 60));
    // The session's idle timeout is as long: keep it alive with a fresh login.
    let token = bank.login(&mut phone).await.session_token;
    let (status, error) = expect_error(bank.submit(&token, &signed).await).await;
    assert_eq!(
        (status, error.code),
        (StatusCode::BAD_REQUEST, ErrorCode::ChallengeInvalid)
    );
    assert_eq!(balance(&bank, "demo", MARGIN), Decimal::ZERO);
}

#[tokio::test]
async fn over_the_cooling_off_limit_is_refused_at_quote_and_suspended_is_refused_unrecorded() {
    let (bank, mut phone, token) = session().await;
    // A new binding is cooling off: 500 per transaction.
    let over = |amount: &str| quote_request(CURRENT, MARGIN_NUMBER, "MOBANK", amount, "");
    let (status, error) = bank
        .post_authorized_err(transfer_paths::TRANSFER_QUOTES, &token, &over("500.01"))
        .await;
    assert_eq!(
        (status, error.code),
        (StatusCode::FORBIDDEN, ErrorCode::LimitExceeded)
    );
    // And 1,000 a day, counting what was accepted today.
    for amount in ["500.00", "500.00"] {
        let request = quote_request(CURRENT, MARGIN_NUMBER, "MOBANK", amount, "");
        let answer = send(&bank, &mut phone, &token, &request).await;
        assert_eq!(answer.receipt.outcome, Outcome::Accepted);
    }
    let (status, error) = bank
        .post_authorized_err(transfer_paths::TRANSFER_QUOTES, &token, &over("0.01"))
        .await;
    assert_eq!(
        (status, error.code),
        (StatusCode::FORBIDDEN, ErrorCode::LimitExceeded)
    );

    bank.sandbox.set_suspended("demo", true).unwrap();
    let request = quote_request(CURRENT, LANDLORD_ACCOUNT_NUMBER, "MOBANK", "1.00", "");
    let (status, error) = bank
        .post_authorized_err(transfer_paths::TRANSFER_QUOTES, &token, &request)
        .await;
    assert_eq!(
        (status, error.code),
        (StatusCode::FORBIDDEN, ErrorCode::Suspended)
    );
    assert_eq!(balance(&bank, "demo", MARGIN), dec("1000.00"));
    assert_balanced(&bank);
}

#[tokio::test]
async fn a_transfer_sent_while_suspended_is_refused_unrecorded_and_goes_through_after_the_lift() {
    let (bank, mut phone, token) = session().await;
    let request = quote_request(CURRENT, MARGIN_NUMBER, "MOBANK", "10.00", "");
    let quote = bank.quote(&token, &request).await;
    let signed = phone.sign_transfer(&quote.transfer, Factor::UserVerified);

    bank.sandbox.set_suspended("demo", true).unwrap();
    let (status, error) = expect_error(bank.submit(&token, &signed).await).await;
    assert_eq!(
        (status, error.code),
        (StatusCode::FORBIDDEN, ErrorCode::Suspended)
    );
    assert!(bank
        .sandbox
        .transfer_outcome("demo", request.idempotency_key)
        .unwrap()
        .is_none());

    bank.sandbox.set_suspended("demo", false).unwrap();
    let answer: TransferResponse =
        expect_ok("after the lift", bank.submit(&token, &signed).await).await;
    assert_eq!(answer.receipt.outcome, Outcome::Accepted);
    assert_eq!(balance(&bank, "demo", MARGIN), dec("10.00"));
}

#[tokio::test]
async fn the_developer_api_loses_answers_reads_outcomes_and_suspends_over_http() {
    use mobank_sandbox::dev::{paths, LoseResponsesRequest, SuspensionRequest};
    let (bank, mut phone, token) = session().await;
    let (status, error) = bank
        .dev_post_err(
            paths::LOSE_TRANSFER_RESPONSES,
            &LoseResponsesRequest { count: 101 },
        )
        .await;
    assert_eq!(
        (status, error.code),
        (StatusCode::BAD_REQUEST, ErrorCode::BadRequest)
    );
    let suspension = format!("{}demo/suspension", paths::CUSTOMER_PREFIX);
    let _: SuspensionRequest = bank
        .dev_post_ok(&suspension, &SuspensionRequest { suspended: true })
        .await;

    let request = quote_request(CURRENT, MARGIN_NUMBER, "MOBANK", "5.00", "");
    let (status, error) = bank
        .post_authorized_err(transfer_paths::TRANSFER_QUOTES, &token, &request)
        .await;
    assert_eq!(
        (status, error.code),
        (StatusCode::FORBIDDEN, ErrorCode::Suspended)
    );
    let _: SuspensionRequest = bank
        .dev_post_ok(&suspension, &SuspensionRequest { suspended: false })
        .await;
    let answer = send(&bank, &mut phone, &token, &request).await;
    assert_eq!(answer.receipt.outcome, Outcome::Accepted);
    let recorded: TransferResponse = bank
        .dev_get_ok(&format!(
            "{}demo/{}",
            paths::TRANSFER_OUTCOME_PREFIX,
            request.idempotency_key.to_hex()
        ))
        .await;
    assert_eq!(recorded, answer);

    let _: LoseResponsesRequest = bank
        .dev_post_ok(
            paths::LOSE_TRANSFER_RESPONSES,
            &LoseResponsesRequest { count: 1 },
        )
        .await;
    let request = quote_request(CURRENT, MARGIN_NUMBER, "MOBANK", "5.00", "");
    let quote = bank.quote(&token, &request).await;
    let signed = phone.sign_transfer(&quote.transfer, Factor::UserVerified);
    let lost = match bank
        .client
        .post(bank.url(transfer_paths::TRANSFERS))
        .bearer_auth(&token)
        .json(&signed)
        .send()
        .await
    {
        Err(_) => true,
        Ok(response) => response.bytes().await.is_err(),
    };
    assert!(lost);
    // Only one answer was to be lost: the retry arrives, with the booked receipt.
    let retry: TransferResponse = expect_ok("retry", bank.submit(&token, &signed).await).await;
    assert_eq!(retry.receipt.outcome, Outcome::Accepted);
    // The transfer sent after the lift and this one, each booked once.
    assert_eq!(balance(&bank, "demo", MARGIN), dec("10.00"));
}

#[tokio::test]
async fn acknowledged_warnings_must_be_known_codes_and_are_kept_with_the_outcome() {
    let (bank, mut phone, token) = session().await;
    let request = quote_request(CURRENT, MARGIN_NUMBER, "MOBANK", "50.00", "");
    let quote = bank.quote(&token, &request).await;

    // A code this bank does not know: refused before the challenge is spent, nothing booked.
    let mut unknown = quote.transfer.clone();
    unknown.acknowledged_warnings = vec!["free_money".to_owned(), "unusual_amount".to_owned()];
    let signed = phone.sign_transfer(&unknown, Factor::UserVerified);
    let (status, error) = expect_error(bank.submit(&token, &signed).await).await;
    assert_eq!(
        (status, error.code),
        (StatusCode::BAD_REQUEST, ErrorCode::WarningUnknown)
    );
    assert!(!error.message.contains("free_money"));
    assert_eq!(
        bank.sandbox
            .transfer_outcome("demo", request.idempotency_key)
            .unwrap(),
        None
    );

    // The same quote, known codes: taken, and the codes recorded with the outcome.
    let mut known = quote.transfer.clone();
    known.acknowledged_warnings = vec!["new_payee".to_owned(), "unusual_amount".to_owned()];
    let signed = phone.sign_transfer(&known, Factor::UserVerified);
    let answer: TransferResponse = expect_ok("transfer", bank.submit(&token, &signed).await).await;
    assert_eq!(answer.receipt.outcome, Outcome::Accepted);
    assert_eq!(
        bank.sandbox
            .acknowledged_warnings("demo", request.idempotency_key)
            .unwrap(),
        Some(vec!["new_payee".to_owned(), "unusual_amount".to_owned()])
    );
    assert_balanced(&bank);
}

#[tokio::test]
async fn history_rows_name_the_other_partys_account_but_not_between_own_accounts() {
    let (bank, mut phone, token) = session().await;
    bank.sandbox
        .credit(&mobank_sandbox::dev::CreditRequest {
            account_id: CURRENT.to_owned(),
            amount: dec("3000.00"),
            currency: "CNY".to_owned(),
            counterparty_name: "刘洋".to_owned(),
            counterparty_account: "6230580000987654329".to_owned(),
            memo: String::new(),
            category: None,
        })
        .unwrap();
    send(
        &bank,
        &mut phone,
        &token,
        &quote_request(CURRENT, OTHER_BANK_NUMBER, "EASTDEMO", "10.00", ""),
    )
    .await;
    send(
        &bank,
        &mut phone,
        &token,
        &quote_request(CURRENT, MARGIN_NUMBER, "MOBANK", "20.00", ""),
    )
    .await;
    let ledger = bank.sandbox.ledger("demo").unwrap();
    let account_of = |counterparty: &str| {
        ledger
            .iter()
            .rev()
            .find(|t| t.counterparty == counterparty)
            .map(|t| t.counterparty_account.clone())
            .expect("a row")
    };
    assert_eq!(account_of("刘洋"), Some("6230580000987654329".to_owned()));
    assert_eq!(account_of("陈静"), Some(OTHER_BANK_NUMBER.to_owned()));
    let own_move = ledger
        .iter()
        .rev()
        .find(|t| t.account_id == MARGIN)
        .expect("the margin row");
    assert_eq!(own_move.counterparty_account, None);
}
