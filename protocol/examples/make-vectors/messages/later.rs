//! Examples of the messages added after the first version (history, the PIN, step-up, the
//! device lifecycle), after those of the first version so that those keep their place.

use std::str::FromStr;

use mobank_protocol::messages::{
    paths, AppendTransactionRequest, ChallengePurpose, ChallengeRequest, ChallengeResponse,
    DeviceInfo, DeviceStatus, DevicesResponse, IntegritySignals, LimitReason, Limits, LoginRequest,
    LoginResponse, Notice, NoticeKind, Notification, NotificationOutbox, PinChangeBeginRequest,
    PinChangeCommitRequest, PinChangeResponse, PinChangeTicket, ReenrolBiometricRequest,
    ReenrolBiometricResponse, RevokeDeviceRequest, RevokeDeviceResponse, StepUpRequest,
    StepUpResponse, Transaction, TransactionsPage, UnbindDeviceRequest,
};
use mobank_protocol::vectors::{
    AnyMessage, AssertionVectors, Direction, KnowledgeVectors, MessageExample,
};
use mobank_protocol::{ApiError, Assertion, ErrorBody, ErrorCode};
use rust_decimal::Decimal;

use super::{activation_request, example, public_key, valid, valid_knowledge};
use crate::fixtures::{KnowledgeKeys, Result, OTHER_DEVICE_ID, RP_ID, THIS_DEVICE_ID, TICKET_ID};

pub(super) fn examples(
    vectors: &AssertionVectors,
    knowledge: &KnowledgeVectors,
    knowledge_keys: &KnowledgeKeys,
    now: i64,
) -> Result<Vec<MessageExample<AnyMessage>>> {
    let ecdsa = |name: &str| -> Result<Assertion> { Ok(valid(vectors, name)?.assertion.clone()) };
    let hmac = |name: &str| -> Result<Assertion> {
        Ok(valid_knowledge(knowledge, name)?.assertion.clone())
    };
    let challenge_of =
        |name: &str| -> Result<Vec<u8>> { Ok(valid(vectors, name)?.inputs.challenge.clone()) };
    let post = |path: &str| format!("POST {path}");
    let get = |path: &str| format!("GET {path}");
    let cny = |text: &str| Decimal::from_str(text);
    let mut out = Vec::new();

    out.push(example(
        AnyMessage::CompleteActivationRequest(activation_request(
            vectors,
            Some(knowledge_keys.current.key.to_vec()),
        )?),
        post(paths::ACTIVATION_COMPLETE),
        Direction::Request,
        "Binding with a PIN: the same request with knowledge_key, the 32-byte key the PIN \
         protects on the phone (the knowledge key of knowledge.json). Sent once, here.",
    )?);
    out.push(example(
        AnyMessage::LoginRequest(LoginRequest {
            device_id: THIS_DEVICE_ID.to_owned(),
            challenge_id: "chl_c3b09a7e51f24d68".to_owned(),
            assertions: vec![ecdsa("login_possession")?, hmac("login_knowledge")?],
            integrity: Some(IntegritySignals {
                rooted: false,
                debugger: false,
                hooking: false,
                emulator: true,
            }),
        }),
        post(paths::LOGIN),
        Direction::Request,
        "PIN login: possession + knowledge (login_possession, and login_knowledge of \
         knowledge.json) over the same challenge, with the app's device-integrity findings.",
    )?);
    out.push(example(
        AnyMessage::LoginResponse(LoginResponse {
            session_token: "stk_2HcV8nQe5tWk0yRb7LmX4fZa".to_owned(),
            idle_timeout_secs: 300,
            expires_at_ms: now + 121_000 + 12 * 3_600_000,
            server_time_ms: now + 121_000,
            notices: vec![Notice {
                notice_id: "ntc_7d2f9a0c4e1b8356".to_owned(),
                kind: NoticeKind::NewDeviceBound,
                device_name: Some("iPhone 15".to_owned()),
                at_ms: now - 3_600_000,
                channel: None,
                payee: None,
                product: None,
            }],
            limits: Some(Limits {
                per_transaction: cny("500.00")?,
                daily: cny("1000.00")?,
                currency: "CNY".to_owned(),
                reason: LimitReason::IntegrityRisk,
                cooling_off_until_ms: Some(now + 20 * 3_600_000),
            }),
        }),
        post(paths::LOGIN),
        Direction::Response,
        "A login with notices not yet shown on this device (delivered once) and the limits of \
         the session: low, because an emulator was reported, and the device is still cooling \
         off after its binding. notices is omitted when empty, limits when the bank sets none.",
    )?);
    out.push(example(
        AnyMessage::TransactionsPage(TransactionsPage {
            transactions: vec![
                Transaction {
                    transaction_id: "txn_4b1e0c9a7f3d2865".to_owned(),
                    account_id: "acc_current_01".to_owned(),
                    booked_at_ms: now - 20 * 86_400_000 + 7_200_000,
                    amount: cny("28500.00")?,
                    currency: "CNY".to_owned(),
                    counterparty: "ACME Ltd 艾克米有限公司".to_owned(),
                    counterparty_account: None,
                    memo: "工资 Salary 2025-12".to_owned(),
                    category: "salary".to_owned(),
                },
                Transaction {
                    transaction_id: "txn_9e3a6d0f2c7b4158".to_owned(),
                    account_id: "acc_current_01".to_owned(),
                    booked_at_ms: now - 19 * 86_400_000 + 41_000_000,
                    amount: cny("-186.40")?,
                    currency: "CNY".to_owned(),
                    counterparty: "盒马鲜生 Hema".to_owned(),
                    counterparty_account: None,
                    memo: "盒马鲜生 生鲜蔬果".to_owned(),
                    category: "groceries".to_owned(),
                },
            ],
            next_cursor: "AQAAAAAAAAAC".to_owned(),
            has_more: true,
            server_time_ms: now + 123_000,
            remaining: Some(1_998),
        }),
        format!("{}?limit=2", get(paths::TRANSACTIONS)),
        Direction::Response,
        "A page of history in booking order; amounts are signed (negative: money out). Ask \
         again with cursor=next_cursor for the rest, now or at the next sync.",
    )?);
    out.push(example(
        AnyMessage::ChallengeRequest(ChallengeRequest {
            purpose: ChallengePurpose::StepUp,
        }),
        post(paths::CHALLENGES),
        Direction::Request,
        "A challenge inside the session (Authorization: Bearer): step_up for a step-up, \
         operation for revoke, unbind and PIN change. Answered with a ChallengeResponse.",
    )?);
    out.push(example(
        AnyMessage::ChallengeResponse(ChallengeResponse {
            challenge_id: "chl_1f6b0e8d3a9c4527".to_owned(),
            challenge: challenge_of("step_up_possession")?,
            expires_at_ms: now + 200_000 + 60_000,
            rp_id: RP_ID.to_owned(),
            server_time_ms: now + 200_000,
        }),
        post(paths::CHALLENGES),
        Direction::Response,
        "The step-up challenge of the step_up_* vectors.",
    )?);
    out.push(example(
        AnyMessage::StepUpRequest(StepUpRequest {
            challenge_id: "chl_1f6b0e8d3a9c4527".to_owned(),
            assertions: vec![ecdsa("step_up_possession")?, hmac("step_up_knowledge")?],
        }),
        post(paths::STEP_UP),
        Direction::Request,
        "Step-up with possession + PIN (possession + user_verified works the same way).",
    )?);
    out.push(example(
        AnyMessage::StepUpResponse(StepUpResponse {
            strong_auth_at_ms: now + 201_000,
            server_time_ms: now + 201_000,
        }),
        post(paths::STEP_UP),
        Direction::Response,
        "The session's strong authentication is now; sensitive operations accept it for 5 \
         minutes.",
    )?);
    out.push(example(
        AnyMessage::DevicesResponse(DevicesResponse {
            devices: vec![
                DeviceInfo {
                    device_id: THIS_DEVICE_ID.to_owned(),
                    name: "Pixel 8".to_owned(),
                    platform: "android".to_owned(),
                    bound_at_ms: now + 60_000,
                    last_seen_ms: Some(now + 202_000),
                    status: DeviceStatus::Active,
                    this_device: true,
                },
                DeviceInfo {
                    device_id: OTHER_DEVICE_ID.to_owned(),
                    name: "iPhone 15".to_owned(),
                    platform: "ios".to_owned(),
                    bound_at_ms: now - 3_600_000,
                    last_seen_ms: None,
                    status: DeviceStatus::Active,
                    this_device: false,
                },
            ],
            server_time_ms: now + 202_000,
        }),
        get(paths::DEVICES),
        Direction::Response,
        "The customer's devices, oldest binding first; this_device marks the asking one.",
    )?);
    out.push(example(
        AnyMessage::RevokeDeviceRequest(RevokeDeviceRequest {
            device_id: OTHER_DEVICE_ID.to_owned(),
            challenge_id: "chl_6a0d3f9b2e7c1485".to_owned(),
            assertion: ecdsa("operation_revoke_device")?,
        }),
        post(paths::DEVICES_REVOKE),
        Direction::Request,
        "Revoke another device: a possession assertion (mobank.operation, \
         revoke_device:<device_id>) over an operation challenge; needs a strong authentication \
         in the last 5 minutes.",
    )?);
    out.push(example(
        AnyMessage::RevokeDeviceResponse(RevokeDeviceResponse {
            device_id: OTHER_DEVICE_ID.to_owned(),
            revoked_at_ms: now + 203_000,
            server_time_ms: now + 203_000,
        }),
        post(paths::DEVICES_REVOKE),
        Direction::Response,
        "Revoked (also the answer to unbind). Asking again for the same device gives the same \
         answer.",
    )?);
    out.push(example(
        AnyMessage::UnbindDeviceRequest(UnbindDeviceRequest {
            challenge_id: "chl_0c8e2b6f4a9d3571".to_owned(),
            assertion: ecdsa("operation_unbind")?,
        }),
        post(paths::DEVICES_UNBIND),
        Direction::Request,
        "Unbind this device: operation unbind:<its own device_id>.",
    )?);
    out.push(example(
        AnyMessage::PinChangeBeginRequest(PinChangeBeginRequest {
            challenge_id: "chl_8b4f1a7e0d3c6952".to_owned(),
            assertions: vec![
                ecdsa("pin_change_begin_possession")?,
                hmac("pin_change_begin_knowledge")?,
            ],
        }),
        post(paths::PIN_CHANGE_BEGIN),
        Direction::Request,
        "PIN change, step 1: possession + the OLD PIN (operation pin_change:begin) over an \
         operation challenge.",
    )?);
    out.push(example(
        AnyMessage::PinChangeTicket(PinChangeTicket {
            ticket_id: TICKET_ID.to_owned(),
            challenge: challenge_of("pin_change_commit_possession")?,
            expires_at_ms: now + 204_000 + 300_000,
            server_time_ms: now + 204_000,
        }),
        post(paths::PIN_CHANGE_BEGIN),
        Direction::Response,
        "The ticket for step 2 and the challenge its assertions sign.",
    )?);
    out.push(example(
        AnyMessage::PinChangeCommitRequest(PinChangeCommitRequest {
            ticket_id: TICKET_ID.to_owned(),
            new_knowledge_key: knowledge_keys.after_change.key.to_vec(),
            assertions: vec![
                ecdsa("pin_change_commit_possession")?,
                hmac("pin_change_commit_knowledge")?,
            ],
        }),
        post(paths::PIN_CHANGE_COMMIT),
        Direction::Request,
        "PIN change, step 2: the new knowledge key and, over the ticket's challenge \
         (operation pin_change:commit:<ticket_id>), possession + knowledge made with the NEW key.",
    )?);
    out.push(example(
        AnyMessage::PinChangeResponse(PinChangeResponse {
            changed_at_ms: now + 230_000,
            server_time_ms: now + 230_000,
        }),
        post(paths::PIN_CHANGE_COMMIT),
        Direction::Response,
        "From now on only the new PIN works on this device.",
    )?);
    out.push(example(
        AnyMessage::ErrorBody(ErrorBody {
            error: ApiError {
                code: ErrorCode::StepUpRequired,
                message: "this operation needs a recent strong authentication".to_owned(),
                attempts_remaining: None,
            },
        }),
        post(paths::DEVICES_REVOKE),
        Direction::Error,
        "The session's last strong authentication is too old for this operation: step up, \
         then try again with a new challenge.",
    )?);
    out.push(example(
        AnyMessage::AppendTransactionRequest(AppendTransactionRequest {
            account_id: None,
            amount: cny("-36.00")?,
            counterparty: "Starbucks 星巴克".to_owned(),
            memo: "Starbucks latte".to_owned(),
            category: "dining".to_owned(),
        }),
        post(paths::DEV_TRANSACTIONS),
        Direction::Request,
        "Developer API: book a transaction now (account_id absent: the demo current account).",
    )?);
    out.push(example(
        AnyMessage::Transaction(Transaction {
            transaction_id: "txn_2d7c5a1e9f0b3846".to_owned(),
            account_id: "acc_current_01".to_owned(),
            booked_at_ms: now + 240_000,
            amount: cny("-36.00")?,
            currency: "CNY".to_owned(),
            counterparty: "Starbucks 星巴克".to_owned(),
            counterparty_account: None,
            memo: "Starbucks latte".to_owned(),
            category: "dining".to_owned(),
        }),
        post(paths::DEV_TRANSACTIONS),
        Direction::Response,
        "The booked transaction; the next history sync returns it after everything before.",
    )?);
    out.push(example(
        AnyMessage::NotificationOutbox(NotificationOutbox {
            notifications: vec![Notification {
                customer_id: "demo".to_owned(),
                device_id: THIS_DEVICE_ID.to_owned(),
                kind: NoticeKind::NewDeviceBound,
                device_name: Some("iPhone 15".to_owned()),
                at_ms: now - 3_600_000,
                channel: None,
                payee: None,
                product: None,
            }],
        }),
        format!("GET {}{{customer_id}}", paths::DEV_NOTIFICATIONS_PREFIX),
        Direction::Response,
        "Developer API: the notifications the bank sent to the customer's devices, oldest \
         first.",
    )?);
    out.push(example(
        AnyMessage::TransactionsPage(TransactionsPage {
            transactions: Vec::new(),
            next_cursor: "AQAAAAAAAAfQ".to_owned(),
            has_more: false,
            server_time_ms: now + 250_000,
            remaining: Some(0),
        }),
        format!("{}?cursor=AQAAAAAAAAfQ", get(paths::TRANSACTIONS)),
        Direction::Response,
        "Nothing booked since the last sync: an empty page whose next_cursor is the cursor \
         asked with, has_more false and remaining 0 (remaining is 0 on every last page, and on \
         an empty ledger).",
    )?);
    out.push(example(
        AnyMessage::ReenrolBiometricRequest(ReenrolBiometricRequest {
            challenge_id: "chl_3e9a1c7f5b0d2846".to_owned(),
            user_verified_public_key: public_key(vectors, "user_verified_new")?,
            assertions: vec![
                ecdsa("operation_reenrol_biometric_possession")?,
                ecdsa("operation_reenrol_biometric_new_key")?,
            ],
        }),
        post(paths::DEVICES_BIOMETRIC_KEY),
        Direction::Request,
        "A new biometric key after an enrolment change: over an operation challenge, operation \
         reenrol_biometric, the possession key's assertion and the NEW key's first signature \
         (counter 1); needs a strong authentication in the last 5 minutes (a PIN login \
         counts).",
    )?);
    out.push(example(
        AnyMessage::ReenrolBiometricResponse(ReenrolBiometricResponse {
            server_time_ms: now + 260_000,
        }),
        post(paths::DEVICES_BIOMETRIC_KEY),
        Direction::Response,
        "The bank now holds the new key, with the proof's counter (1) as its stored counter.",
    )?);
    out.push(example(
        AnyMessage::ErrorBody(ErrorBody {
            error: ApiError {
                code: ErrorCode::DeviceBlocked,
                message: "the device binding is blocked".to_owned(),
                attempts_remaining: None,
            },
        }),
        post(paths::LOGIN),
        Direction::Error,
        "The fifth consecutive failed attempt (HTTP 403): the binding is blocked, so the answer \
         is device_blocked, not authentication_failed with attempts_remaining 0.",
    )?);
    Ok(out)
}
