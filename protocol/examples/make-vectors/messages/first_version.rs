//! The examples of the first version: binding, login and accounts. Their place in the file is
//! fixed; later examples come after them.

use std::str::FromStr;

use mobank_protocol::messages::{
    paths, Account, AccountsResponse, ChallengeResponse, CompleteActivationResponse,
    IssueActivationRequest, IssueActivationResponse, LoginChallengeRequest, LoginRequest,
    LoginResponse, ProductKind, SmsMessage, SmsOutbox, StartActivationRequest,
    StartActivationResponse,
};
use mobank_protocol::vectors::{AnyMessage, AssertionVectors, Direction, MessageExample};
use mobank_protocol::{ApiError, ErrorBody, ErrorCode};
use rust_decimal::Decimal;

use super::{activation_request, example, valid};
use crate::fixtures::{Result, RP_ID};

pub(super) fn examples(
    vectors: &AssertionVectors,
    now: i64,
) -> Result<Vec<MessageExample<AnyMessage>>> {
    let bind_possession = valid(vectors, "bind_possession")?;
    let login_possession = valid(vectors, "login_possession")?;
    let login_user_verified = valid(vectors, "login_user_verified")?;
    let post = |path: &str| format!("POST {path}");

    let mut out = Vec::new();
    out.push(example(
        AnyMessage::IssueActivationRequest(IssueActivationRequest {
            customer_id: "demo".to_owned(),
        }),
        post(paths::DEV_ACTIVATION_CODES),
        Direction::Request,
        "Developer API (sandbox only, plain HTTP on its own loopback listener): issue an \
         activation code, as a branch or the bank's web portal would.",
    )?);
    out.push(example(
        AnyMessage::IssueActivationResponse(IssueActivationResponse {
            activation_code: "K7QX-M2PD-9WRT".to_owned(),
            phone: "+8613800138000".to_owned(),
            expires_at_ms: now + 24 * 3_600_000,
        }),
        post(paths::DEV_ACTIVATION_CODES),
        Direction::Response,
        "The code the customer types into the app, and the registered phone the OTP will go to.",
    )?);
    out.push(example(
        AnyMessage::SmsOutbox(SmsOutbox {
            messages: vec![SmsMessage {
                to: "+8613800138000".to_owned(),
                body: "【Mobank】您正在绑定新手机，验证码 483920，5分钟内有效，请勿告诉任何人。\
                       Code 483920 to bind a new phone, valid 5 min. Never share it."
                    .to_owned(),
                sent_at_ms: now + 1_000,
            }],
        }),
        format!("GET {}{{phone}}", paths::DEV_SMS_PREFIX),
        Direction::Response,
        "Developer API: the sandbox's stand-in for SMS, oldest first. The OTP is the only run of \
         six digits in the body.",
    )?);
    out.push(example(
        AnyMessage::StartActivationRequest(StartActivationRequest {
            activation_code: "K7QX-M2PD-9WRT".to_owned(),
        }),
        post(paths::ACTIVATION_START),
        Direction::Request,
        "Step 1 of binding: the activation code. The bank sends an OTP to the registered phone.",
    )?);
    out.push(example(
        AnyMessage::StartActivationResponse(StartActivationResponse {
            activation_id: "act_5f0c2e8b9d4a4c17".to_owned(),
            challenge: bind_possession.inputs.challenge.clone(),
            masked_phone: "+86 138****8000".to_owned(),
            otp_expires_at_ms: now + 1_000 + 300_000,
            rp_id: RP_ID.to_owned(),
            server_time_ms: now + 1_000,
        }),
        post(paths::ACTIVATION_START),
        Direction::Response,
        "The activation challenge both new keys sign (ceremony mobank.bind), and where the OTP \
         went. The challenge is the one of the bind_* assertion vectors.",
    )?);
    out.push(example(
        AnyMessage::CompleteActivationRequest(activation_request(vectors, None)?),
        post(paths::ACTIVATION_COMPLETE),
        Direction::Request,
        "Step 2 of binding: the OTP, both public keys, and one mobank.bind proof per key (the \
         bind_possession and bind_user_verified vectors).",
    )?);
    out.push(example(
        AnyMessage::CompleteActivationResponse(CompleteActivationResponse {
            device_id: "dev_8a1d6f3e0b7c4295".to_owned(),
            customer_name: "李伟 (Li Wei)".to_owned(),
            bound_at_ms: now + 30_000,
            server_time_ms: now + 30_000,
        }),
        post(paths::ACTIVATION_COMPLETE),
        Direction::Response,
        "The device is bound; device_id identifies it from now on.",
    )?);
    out.push(example(
        AnyMessage::LoginChallengeRequest(LoginChallengeRequest {
            device_id: "dev_8a1d6f3e0b7c4295".to_owned(),
        }),
        post(paths::LOGIN_CHALLENGE),
        Direction::Request,
        "Ask for a login challenge.",
    )?);
    out.push(example(
        AnyMessage::ChallengeResponse(ChallengeResponse {
            challenge_id: "chl_c3b09a7e51f24d68".to_owned(),
            challenge: login_possession.inputs.challenge.clone(),
            expires_at_ms: now + 120_000 + 60_000,
            rp_id: RP_ID.to_owned(),
            server_time_ms: now + 120_000,
        }),
        post(paths::LOGIN_CHALLENGE),
        Direction::Response,
        "32 random bytes, single use, valid 60 s. The challenge is the one of the login_* \
         assertion vectors.",
    )?);
    out.push(example(
        AnyMessage::LoginRequest(LoginRequest {
            device_id: "dev_8a1d6f3e0b7c4295".to_owned(),
            challenge_id: "chl_c3b09a7e51f24d68".to_owned(),
            assertions: vec![
                login_possession.assertion.clone(),
                login_user_verified.assertion.clone(),
            ],
            integrity: None,
        }),
        post(paths::LOGIN),
        Direction::Request,
        "Login with possession + user-verified: one mobank.login assertion per factor (the \
         login_possession and login_user_verified vectors).",
    )?);
    out.push(example(
        AnyMessage::LoginResponse(LoginResponse {
            session_token: "stk_9QmT3vX0aLr7Wc2ZpK8eYbN4".to_owned(),
            idle_timeout_secs: 300,
            expires_at_ms: now + 121_000 + 12 * 3_600_000,
            server_time_ms: now + 121_000,
            notices: Vec::new(),
            limits: None,
        }),
        post(paths::LOGIN),
        Direction::Response,
        "The session token, sent as Authorization: Bearer <session_token>.",
    )?);
    out.push(example(
        AnyMessage::AccountsResponse(AccountsResponse {
            accounts: vec![
                Account {
                    account_id: "acc_current_01".to_owned(),
                    product: ProductKind::Current,
                    name: "活期账户 Current account".to_owned(),
                    currency: "CNY".to_owned(),
                    balance: Decimal::from_str("12850.75")?,
                    masked_number: "6222 **** **** 7890".to_owned(),
                    parent_account_id: None,
                },
                Account {
                    account_id: "acc_savings_01".to_owned(),
                    product: ProductKind::Savings,
                    name: "储蓄账户 Savings account".to_owned(),
                    currency: "CNY".to_owned(),
                    balance: Decimal::from_str("86000.00")?,
                    masked_number: "6222 **** **** 4431".to_owned(),
                    parent_account_id: None,
                },
                Account {
                    account_id: "acc_margin_01".to_owned(),
                    product: ProductKind::Margin,
                    name: "贵金属保证金 Precious-metal margin".to_owned(),
                    currency: "CNY".to_owned(),
                    balance: Decimal::from_str("0.00")?,
                    masked_number: "6222 **** **** 0218".to_owned(),
                    parent_account_id: Some("acc_current_01".to_owned()),
                },
            ],
            server_time_ms: now + 122_000,
        }),
        format!("GET {}", paths::ACCOUNTS),
        Direction::Response,
        "Every product of the customer; balances are decimal strings. A sub-account names its \
         parent_account_id; the field is absent otherwise. GET with Authorization: Bearer \
         <session_token>, no body.",
    )?);
    out.push(example(
        AnyMessage::ErrorBody(ErrorBody {
            error: ApiError {
                code: ErrorCode::AuthenticationFailed,
                message: "authentication failed".to_owned(),
                attempts_remaining: Some(4),
            },
        }),
        post(paths::LOGIN),
        Direction::Error,
        "A failed login: never says which factor failed; says how many attempts remain before \
         the binding is blocked.",
    )?);
    out.push(example(
        AnyMessage::ErrorBody(ErrorBody {
            error: ApiError {
                code: ErrorCode::ChallengeInvalid,
                message: "challenge unknown, used or expired".to_owned(),
                attempts_remaining: None,
            },
        }),
        post(paths::LOGIN),
        Direction::Error,
        "A replayed or expired challenge. attempts_remaining is absent where it does not apply.",
    )?);
    Ok(out)
}
