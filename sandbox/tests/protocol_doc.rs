//! docs/protocol.md is what bank teams build against. Section 4 has one table of every error code
//! with the HTTP status the bank answers it with: these tests read that table, check it against
//! `ErrorCode` in both directions, and drive the live sandbox into every error it can send, so the
//! table and the bank cannot drift apart. The last tests hold the bank to the statements a bank
//! team could least guess from the vectors alone: the client data it tolerates, where a malformed
//! assertion becomes a failed attempt, and which limit reason wins a tie.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::{bound, expect_error, expect_ok, quote_request, Bank, Phone};
use mobank_protocol::assertion::operations;
use mobank_protocol::messages::{
    paths, AddPayeeRequest, ChallengePurpose, ChallengeResponse, ChannelLimits, IntegritySignals,
    LimitReason, LoginChallengeRequest, LoginResponse, PayeeCheckRequest, PayeeCheckResponse,
    PayeeView, RemovePayeeRequest, SetLimitsRequest, StartActivationRequest, UnbindDeviceRequest,
};
use mobank_protocol::money::{Amount, Currency};
use mobank_protocol::transfer::messages::{paths as transfer_paths, TransferResponse};
use mobank_protocol::transfer::Channel;
use mobank_protocol::{
    b64, signed_bytes, ApiError, Assertion, AuthenticatorData, Ceremony, ErrorCode, Factor,
};
use reqwest::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
use reqwest::StatusCode;
use ring::rand::SystemRandom;

const PROTOCOL_DOC: &str = include_str!("../../docs/protocol.md");

/// The header of the status table; the rows follow its separator line.
const TABLE_HEADER: &str = "| `code` | HTTP status | Endpoints | When |";

/// What the "When" cell of a row says when the sandbox never answers with that code.
const NOT_SENT: &str = "The sandbox does not send it";

/// Every `ErrorCode`. `code_name` matches on each without a wildcard, so a new variant does not
/// compile until it is added there, and `every_error_code_has_a_row_and_every_row_a_code` then
/// asks for it here and in the table.
const ALL_CODES: [ErrorCode; 27] = [
    ErrorCode::BadRequest,
    ErrorCode::ActivationInvalid,
    ErrorCode::OtpInvalid,
    ErrorCode::OtpExpired,
    ErrorCode::ChallengeInvalid,
    ErrorCode::AuthenticationFailed,
    ErrorCode::DeviceBlocked,
    ErrorCode::DeviceUnknown,
    ErrorCode::Unauthorized,
    ErrorCode::SessionExpired,
    ErrorCode::StepUpRequired,
    ErrorCode::NotFound,
    ErrorCode::Suspended,
    ErrorCode::PayeeInvalid,
    ErrorCode::AccountUnknown,
    ErrorCode::CurrencyMismatch,
    ErrorCode::IdempotencyConflict,
    ErrorCode::Internal,
    ErrorCode::WarningUnknown,
    ErrorCode::ExecutionDateInvalid,
    ErrorCode::NotCancellable,
    ErrorCode::ChannelClosed,
    ErrorCode::LimitExceeded,
    ErrorCode::LimitInvalid,
    ErrorCode::PayeeUnknown,
    ErrorCode::PayeeExists,
    ErrorCode::PayeeChanged,
];

/// The wire name of a code, as the table spells it.
fn code_name(code: ErrorCode) -> String {
    match code {
        ErrorCode::BadRequest
        | ErrorCode::ActivationInvalid
        | ErrorCode::OtpInvalid
        | ErrorCode::OtpExpired
        | ErrorCode::ChallengeInvalid
        | ErrorCode::AuthenticationFailed
        | ErrorCode::DeviceBlocked
        | ErrorCode::DeviceUnknown
        | ErrorCode::Unauthorized
        | ErrorCode::SessionExpired
        | ErrorCode::StepUpRequired
        | ErrorCode::NotFound
        | ErrorCode::Suspended
        | ErrorCode::PayeeInvalid
        | ErrorCode::AccountUnknown
        | ErrorCode::CurrencyMismatch
        | ErrorCode::IdempotencyConflict
        | ErrorCode::Internal
        | ErrorCode::WarningUnknown
        | ErrorCode::ExecutionDateInvalid
        | ErrorCode::NotCancellable
        | ErrorCode::ChannelClosed
        | ErrorCode::LimitExceeded
        | ErrorCode::LimitInvalid
        | ErrorCode::PayeeUnknown
        | ErrorCode::PayeeExists
        | ErrorCode::PayeeChanged => serde_json::to_value(code)
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    code: ErrorCode,
    status: StatusCode,
    when: String,
}

/// The rows of the status table. Panics, naming the row, on a code `ErrorCode` does not have or
/// a status that is not one.
fn status_table() -> Vec<Row> {
    let mut lines = PROTOCOL_DOC
        .lines()
        .skip_while(|line| *line != TABLE_HEADER);
    assert_eq!(lines.next(), Some(TABLE_HEADER), "no status table found");
    assert!(lines.next().is_some_and(|line| line.starts_with("|---")));
    lines
        .take_while(|line| line.starts_with('|'))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let [_, code, status, _, when, _] = cells[..] else {
                panic!("a status row has four cells: {line}");
            };
            let name = code.trim_matches('`');
            let code = serde_json::from_value(serde_json::Value::String(name.to_owned()))
                .unwrap_or_else(|_| panic!("the table names `{name}`, which ErrorCode lacks"));
            let status = status
                .parse::<u16>()
                .ok()
                .and_then(|status| StatusCode::from_u16(status).ok())
                .unwrap_or_else(|| panic!("`{name}` has no HTTP status: {status}"));
            Row {
                code,
                status,
                when: when.to_owned(),
            }
        })
        .collect()
}

fn documented(rows: &[Row]) -> BTreeSet<(String, StatusCode)> {
    rows.iter()
        .map(|row| (code_name(row.code), row.status))
        .collect()
}

#[test]
fn every_error_code_has_a_row_and_every_row_a_code() {
    let rows = status_table();
    let in_table: BTreeSet<String> = rows.iter().map(|row| code_name(row.code)).collect();
    let all: BTreeSet<String> = ALL_CODES.into_iter().map(code_name).collect();
    assert_eq!(all.len(), ALL_CODES.len(), "ALL_CODES lists a code twice");
    assert_eq!(in_table, all);
}

#[test]
fn no_code_and_status_pair_is_listed_twice_and_only_bad_request_has_several_statuses() {
    let rows = status_table();
    assert_eq!(documented(&rows).len(), rows.len());
    for code in ALL_CODES {
        let statuses = rows.iter().filter(|row| row.code == code).count();
        if code != ErrorCode::BadRequest {
            assert_eq!(statuses, 1, "{}", code_name(code));
        }
    }
    assert!(rows.iter().all(|row| !row.status.is_success()));
}

/// The pairs the bank answered with, each checked against the table as it comes.
struct Observed {
    table: BTreeSet<(String, StatusCode)>,
    seen: BTreeSet<(String, StatusCode)>,
}

impl Observed {
    fn new() -> Self {
        Self {
            table: documented(&status_table()),
            seen: BTreeSet::new(),
        }
    }

    fn record(&mut self, what: &str, (status, error): (StatusCode, ApiError)) -> ApiError {
        let pair = (code_name(error.code), status);
        assert!(
            self.table.contains(&pair),
            "{what}: the bank answered {} with {status}, which the status table does not list",
            pair.0
        );
        self.seen.insert(pair);
        error
    }
}

async fn post_raw(bank: &Bank, path: &str, content_type: &str, body: String) -> reqwest::Response {
    let request = bank
        .client
        .post(bank.url(path))
        .header(CONTENT_TYPE, content_type);
    request.body(body).send().await.unwrap()
}

/// A login whose user-verified signature is wrong: one failed attempt.
async fn failed_login(bank: &Bank, phone: &mut Phone) -> (StatusCode, ApiError) {
    let challenge = bank.challenge(phone).await;
    let mut request = phone.login_request(&challenge);
    let signature = &mut request.assertions[1].signature;
    let last = signature.len() - 1;
    signature[last] ^= 0x01;
    bank.login_err(&request).await
}

/// Requests a bank refuses before it looks anything up, and lookups that find nothing.
async fn refuse_without_state(bank: &Bank, seen: &mut Observed) {
    let response = post_raw(
        bank,
        paths::LOGIN_CHALLENGE,
        "application/json",
        "{}".into(),
    )
    .await;
    seen.record("a body without its fields", expect_error(response).await);
    let response = bank
        .client
        .get(bank.url(paths::LOGIN))
        .send()
        .await
        .unwrap();
    seen.record("GET on a POST endpoint", expect_error(response).await);
    let padding = "x".repeat(70 * 1024);
    let body = format!(r#"{{"device_id":"{padding}"}}"#);
    let response = post_raw(bank, paths::LOGIN_CHALLENGE, "application/json", body).await;
    seen.record("a body over 64 KiB", expect_error(response).await);
    let body = r#"{"device_id":"dev_1"}"#.to_owned();
    let response = post_raw(bank, paths::LOGIN_CHALLENGE, "text/plain", body).await;
    seen.record(
        "a body that is not application/json",
        expect_error(response).await,
    );
    let response = bank
        .client
        .get(bank.url("/v1/no-such-endpoint"))
        .send()
        .await;
    seen.record("an unknown path", expect_error(response.unwrap()).await);

    let unknown_code = StartActivationRequest {
        activation_code: "ABCD-EFGH-JKLM".to_owned(),
    };
    let refused = bank.post_err(paths::ACTIVATION_START, &unknown_code).await;
    seen.record("an unknown activation code", refused);
    let unknown_device = LoginChallengeRequest {
        device_id: "dev_0000000000000000".to_owned(),
    };
    let refused = bank.post_err(paths::LOGIN_CHALLENGE, &unknown_device).await;
    seen.record("a device never bound", refused);

    let response = bank.client.get(bank.url(paths::ACCOUNTS)).send().await;
    let response = response.unwrap();
    assert_eq!(response.headers()[WWW_AUTHENTICATE], "Bearer");
    seen.record("no session token", expect_error(response).await);
}

/// The OTP, the challenge and the failure count of a bound device, up to its block.
async fn refuse_activation_and_login(bank: &Bank, seen: &mut Observed) {
    let (started, otp) = bank.start_activation().await;
    let wrong = if otp == "000000" { "111111" } else { "000000" };
    let mut newcomer = Phone::new(&bank.sandbox.rp_id());
    let request = newcomer.completion(&started, wrong);
    let error = seen.record("a wrong OTP", bank.complete_err(&request).await);
    assert_eq!(error.attempts_remaining, Some(4));

    let mut phone = Phone::new(&bank.sandbox.rp_id());
    bank.bind(&mut phone).await;
    let never_issued = ChallengeResponse {
        challenge_id: "chl_0000000000000000".to_owned(),
        challenge: vec![7; 32],
        expires_at_ms: bank.sandbox.now_ms() + 60_000,
        rp_id: bank.sandbox.rp_id(),
        server_time_ms: bank.sandbox.now_ms(),
    };
    let request = phone.login_request(&never_issued);
    seen.record("a challenge never issued", bank.login_err(&request).await);

    for remaining in (1..=4).rev() {
        let error = seen.record("a failed login", failed_login(bank, &mut phone).await);
        assert_eq!(error.code, ErrorCode::AuthenticationFailed);
        assert_eq!(error.attempts_remaining, Some(remaining));
    }
    let error = seen.record(
        "the fifth failed login",
        failed_login(bank, &mut phone).await,
    );
    assert_eq!(error.code, ErrorCode::DeviceBlocked);
    assert_eq!(error.attempts_remaining, None);
}

/// What only time brings: a stale strong authentication, an idle session, an expired OTP.
async fn refuse_after_time_passes(seen: &mut Observed) {
    let (bank, mut phone) = bound().await;
    let token = bank.login(&mut phone).await.session_token;
    // Keep the session alive (idle timeout 5 minutes) while its login grows older than the
    // 5 minutes an unbind accepts.
    bank.sandbox.advance_clock(Duration::from_secs(4 * 60));
    assert!(bank.accounts(&token).await.status().is_success());
    bank.sandbox.advance_clock(Duration::from_secs(2 * 60));
    let challenge = bank
        .session_challenge(&token, ChallengePurpose::Operation)
        .await;
    let unbind = UnbindDeviceRequest {
        challenge_id: challenge.challenge_id,
        assertion: phone.assert_operation(
            Factor::Possession,
            Ceremony::Operation,
            &challenge.challenge,
            Some(&operations::unbind(&phone.device_id)),
        ),
    };
    let refused = bank
        .post_authorized_err(paths::DEVICES_UNBIND, &token, &unbind)
        .await;
    seen.record("an unbind 6 minutes after login", refused);

    bank.sandbox.advance_clock(Duration::from_secs(5 * 60 + 1));
    let response = bank.accounts(&token).await;
    assert_eq!(response.headers()[WWW_AUTHENTICATE], "Bearer");
    seen.record("a session idle for 5 minutes", expect_error(response).await);

    let (started, otp) = bank.start_activation().await;
    bank.sandbox.advance_clock(Duration::from_secs(5 * 60));
    let mut newcomer = Phone::new(&bank.sandbox.rp_id());
    let request = newcomer.completion(&started, &otp);
    seen.record(
        "the right OTP 5 minutes late",
        bank.complete_err(&request).await,
    );
}

/// Transfers the bank refuses before deciding them: a payee it does not know, a payer account
/// not the customer's, an amount in another currency, an idempotency key reused for another
/// transfer.
async fn refuse_transfers(seen: &mut Observed) {
    let (bank, mut phone) = bound().await;
    let token = bank.login(&mut phone).await.session_token;
    let quote = |request| {
        let bank = &bank;
        let token = &token;
        async move {
            bank.post_authorized_err(transfer_paths::TRANSFER_QUOTES, token, &request)
                .await
        }
    };
    let unknown_payee = quote_request(
        "acct_current_01",
        "6217000000123456794",
        "EASTDEMO",
        "1.00",
        "",
    );
    let error = seen.record("an unknown payee", quote(unknown_payee).await);
    assert_eq!(error.code, ErrorCode::PayeeInvalid);
    let not_hers = quote_request(
        "acct_landlord_current",
        "6217000000123456786",
        "EASTDEMO",
        "1.00",
        "",
    );
    let error = seen.record("another customer's payer account", quote(not_hers).await);
    assert_eq!(error.code, ErrorCode::AccountUnknown);
    let mut in_dollars = quote_request(
        "acct_current_01",
        "6217000000123456786",
        "EASTDEMO",
        "1.00",
        "",
    );
    in_dollars.amount = Amount::parse_wire("1.00", Currency::Usd).unwrap();
    let error = seen.record("an amount in another currency", quote(in_dollars).await);
    assert_eq!(error.code, ErrorCode::CurrencyMismatch);
    let mut by_qr = quote_request(
        "acct_current_01",
        "6217000000123456786",
        "EASTDEMO",
        "1.00",
        "",
    );
    by_qr.channel = Channel::QrPayment;
    let error = seen.record("a channel that is off", quote(by_qr).await);
    assert_eq!(error.code, ErrorCode::ChannelClosed);
    // A new device may send 500 at most for its first 24 h.
    let over = quote_request(
        "acct_current_01",
        "6217000000123456786",
        "EASTDEMO",
        "500.01",
        "",
    );
    let error = seen.record("an amount over the room left", quote(over).await);
    assert_eq!(error.code, ErrorCode::LimitExceeded);
    let negative = SetLimitsRequest {
        channel: Channel::MobileTransfer,
        limits: ChannelLimits {
            per_transaction: "-1".parse().unwrap(),
            daily: "100".parse().unwrap(),
            monthly: "1000".parse().unwrap(),
        },
        challenge_id: None,
        assertion: None,
    };
    let refused = bank
        .post_authorized_err(paths::CHANNELS_LIMITS, &token, &negative)
        .await;
    let error = seen.record("a negative limit", refused);
    assert_eq!(error.code, ErrorCode::LimitInvalid);

    let request = quote_request(
        "acct_current_01",
        "6217000000123456786",
        "EASTDEMO",
        "1.00",
        "",
    );
    let quoted = bank.quote(&token, &request).await;
    let signed = phone.sign_transfer(&quoted.transfer, Factor::UserVerified);
    let _: TransferResponse = expect_ok("a transfer", bank.submit(&token, &signed).await).await;
    let mut other = signed.clone();
    other.transfer.amount = Amount::parse_wire("2.00", Currency::Cny).unwrap();
    let refused = expect_error(bank.submit(&token, &other).await).await;
    let error = seen.record("an idempotency key reused for another amount", refused);
    assert_eq!(error.code, ErrorCode::IdempotencyConflict);

    let refused = expect_error(
        bank.cancel_transfer(&mut phone, &token, request.idempotency_key)
            .await,
    )
    .await;
    let error = seen.record("a cancel of a transfer that already ran", refused);
    assert_eq!(error.code, ErrorCode::NotCancellable);

    let request = quote_request(
        "acct_current_01",
        "6217000000123456786",
        "EASTDEMO",
        "1.00",
        "",
    );
    let quoted = bank.quote(&token, &request).await;
    let mut unknown = quoted.transfer.clone();
    unknown.acknowledged_warnings = vec!["not_a_warning".to_owned()];
    let signed = phone.sign_transfer(&unknown, Factor::UserVerified);
    let refused = expect_error(bank.submit(&token, &signed).await).await;
    let error = seen.record(
        "an acknowledged warning code the bank does not know",
        refused,
    );
    assert_eq!(error.code, ErrorCode::WarningUnknown);

    let mut next_year = quote_request(
        "acct_current_01",
        "6217000000123456786",
        "EASTDEMO",
        "1.00",
        "",
    );
    next_year.execution_date = Some("2999-01-01".to_owned());
    let error = seen.record("an execution date too far ahead", quote(next_year).await);
    assert_eq!(error.code, ErrorCode::ExecutionDateInvalid);

    bank.sandbox.set_suspended("demo", true).unwrap();
    let refused = expect_error(bank.accounts(&token).await).await;
    let error = seen.record("a suspended customer", refused);
    assert_eq!(error.code, ErrorCode::Suspended);
}

/// Payees: an id that is none of the customer's, an account saved already, a registered name
/// that changed between the check and the add.
async fn refuse_payees(seen: &mut Observed) {
    let (bank, mut phone) = bound().await;
    let token = bank.login(&mut phone).await.session_token;
    let remove = RemovePayeeRequest {
        payee_id: "pye_unknown".to_owned(),
    };
    let refused = bank
        .post_authorized_err(paths::PAYEES_REMOVE, &token, &remove)
        .await;
    let error = seen.record("an unknown payee id", refused);
    assert_eq!(error.code, ErrorCode::PayeeUnknown);

    let check = PayeeCheckRequest {
        account_number: mobank_sandbox::LANDLORD_ACCOUNT_NUMBER.to_owned(),
        bank_code: "MOBANK".to_owned(),
    };
    let add = |phone: &mut Phone, checked: &PayeeCheckResponse| AddPayeeRequest {
        check_id: checked.check_id.clone(),
        nickname: "房东".to_owned(),
        assertion: phone.assert_operation(
            Factor::Possession,
            Ceremony::Operation,
            &checked.challenge,
            Some(&operations::add_payee(
                "MOBANK",
                &checked.masked_account_number,
                &checked.registered_name,
            )),
        ),
    };
    let checked: PayeeCheckResponse = bank
        .post_authorized_ok(paths::PAYEES_CHECK, &token, &check)
        .await;
    let db = rusqlite::Connection::open(bank.dir.path().join("bank.sqlite3")).unwrap();
    let rename_holder = |name: &str| {
        db.execute(
            "UPDATE customers SET holder_name = ?1 WHERE customer_id = 'landlord'",
            [name],
        )
        .unwrap()
    };
    rename_holder("王芳芳");
    let refused = bank
        .post_authorized_err(paths::PAYEES_ADD, &token, &add(&mut phone, &checked))
        .await;
    let error = seen.record("a registered name changed since the check", refused);
    assert_eq!(error.code, ErrorCode::PayeeChanged);
    rename_holder(mobank_sandbox::LANDLORD_HOLDER_NAME);

    let checked: PayeeCheckResponse = bank
        .post_authorized_ok(paths::PAYEES_CHECK, &token, &check)
        .await;
    let _: PayeeView = bank
        .post_authorized_ok(paths::PAYEES_ADD, &token, &add(&mut phone, &checked))
        .await;
    let refused = bank
        .post_authorized_err(paths::PAYEES_CHECK, &token, &check)
        .await;
    let error = seen.record("an account saved as a payee already", refused);
    assert_eq!(error.code, ErrorCode::PayeeExists);
}

/// A failure inside the bank: its database stays locked by another writer past the bank's
/// busy timeout.
async fn fail_inside(seen: &mut Observed) {
    let bank = Bank::start().await;
    let locker = rusqlite::Connection::open(bank.dir.path().join("bank.sqlite3")).unwrap();
    locker.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let request = LoginChallengeRequest {
        device_id: "dev_0000000000000000".to_owned(),
    };
    let refused = bank.post_err(paths::LOGIN_CHALLENGE, &request).await;
    locker.execute_batch("ROLLBACK").unwrap();
    seen.record("a locked database", refused);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sandbox_answers_every_error_it_sends_with_the_documented_status() {
    let mut seen = Observed::new();
    let bank = Bank::start().await;
    refuse_without_state(&bank, &mut seen).await;
    refuse_activation_and_login(&bank, &mut seen).await;
    refuse_after_time_passes(&mut seen).await;
    refuse_transfers(&mut seen).await;
    refuse_payees(&mut seen).await;
    fail_inside(&mut seen).await;

    let rows = status_table();
    let unsent: Vec<&Row> = rows
        .iter()
        .filter(|row| row.when.contains(NOT_SENT))
        .collect();
    for row in &unsent {
        let pair = (code_name(row.code), row.status);
        assert!(!seen.seen.contains(&pair), "{pair:?} is sent after all");
    }
    let unsent: BTreeSet<_> = unsent
        .into_iter()
        .map(|row| (code_name(row.code), row.status))
        .collect();
    let driven: BTreeSet<_> = seen.table.difference(&unsent).cloned().collect();
    assert_eq!(seen.seen, driven, "rows of the status table no test drove");
}

/// A possession assertion over `client_data_json` exactly as given, with the counter of the
/// phone's latest possession assertion (which it replaces).
fn possession_over(
    phone: &Phone,
    client_data_json: &[u8],
    authenticator_data: Vec<u8>,
) -> Assertion {
    let message = signed_bytes(&authenticator_data, client_data_json);
    let signature = phone
        .possession
        .sign(&SystemRandom::new(), &message)
        .unwrap();
    Assertion {
        factor: Factor::Possession,
        authenticator_data,
        client_data_json: client_data_json.to_vec(),
        signature: signature.as_ref().to_vec(),
    }
}

/// A login whose possession assertion signs `client_data(challenge base64url, rp_id)` and
/// `authenticator_data(rp_id, counter)` instead of what the phone writes.
async fn login_with(
    bank: &Bank,
    phone: &mut Phone,
    client_data: impl Fn(&str, &str) -> String,
    authenticator_data: impl Fn(&str, u32) -> Vec<u8>,
) -> reqwest::Response {
    let challenge = bank.challenge(phone).await;
    let mut request = phone.login_request(&challenge);
    let text = client_data(&b64::encode(&challenge.challenge), &phone.rp_id);
    let auth = authenticator_data(&phone.rp_id, phone.possession_count);
    request.assertions[0] = possession_over(phone, text.as_bytes(), auth);
    bank.post(paths::LOGIN, &request).await
}

fn device_authenticator_data(rp_id: &str, count: u32) -> Vec<u8> {
    AuthenticatorData::new(rp_id, common::UP, count)
        .to_bytes()
        .to_vec()
}

#[tokio::test]
async fn the_bank_accepts_client_data_in_any_order_spacing_or_escaping_and_a_null_operation() {
    let (bank, mut phone) = bound().await;
    let variants: [fn(&str, &str) -> String; 4] = [
        |c, rp| format!(r#"{{"rp_id":"{rp}","challenge":"{c}","type":"mobank.login"}}"#),
        |c, rp| {
            format!("\t{{\r\n \"type\" : \"mobank.login\",\n \"challenge\": \"{c}\", \"rp_id\": \"{rp}\"}}\n ")
        },
        |c, rp| {
            let rp = rp.replacen('.', "\\u002E", 1);
            format!(r#"{{"\u0074ype":"mobank\u002elogin","challenge":"{c}","rp_id":"{rp}"}}"#)
        },
        |c, rp| {
            format!(
                r#"{{"type":"mobank.login","challenge":"{c}","rp_id":"{rp}","operation":null}}"#
            )
        },
    ];
    for variant in variants {
        let response = login_with(&bank, &mut phone, variant, device_authenticator_data).await;
        let login: LoginResponse = common::expect_ok("a tolerated client data", response).await;
        assert!(!login.session_token.is_empty());
    }
}

#[tokio::test]
async fn a_malformed_assertion_at_login_is_a_counted_failed_attempt_not_a_bad_request() {
    let (bank, mut phone) = bound().await;
    let canonical = |c: &str, rp: &str| {
        format!(r#"{{"type":"mobank.login","challenge":"{c}","rp_id":"{rp}"}}"#)
    };
    let thirty_eight_bytes = |rp: &str, count: u32| {
        let mut auth = device_authenticator_data(rp, count);
        auth.push(0);
        auth
    };
    let bom = |c: &str, rp: &str| format!("\u{feff}{}", canonical(c, rp));
    let outcomes = [
        login_with(&bank, &mut phone, canonical, thirty_eight_bytes).await,
        login_with(&bank, &mut phone, bom, device_authenticator_data).await,
    ];
    for (response, remaining) in outcomes.into_iter().zip([4, 3]) {
        let (status, error) = expect_error(response).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(error.code, ErrorCode::AuthenticationFailed);
        assert_eq!(error.attempts_remaining, Some(remaining));
    }
}

#[tokio::test]
async fn an_integrity_reason_wins_a_tie_with_cooling_off_which_is_still_reported() {
    let (bank, mut phone) = bound().await;
    let challenge = bank.challenge(&phone).await;
    let mut request = phone.login_request(&challenge);
    request.integrity = Some(IntegritySignals {
        emulator: true,
        ..IntegritySignals::default()
    });
    let login: LoginResponse = bank.post_ok(paths::LOGIN, &request).await;
    let limits = login
        .limits
        .expect("the sandbox sends limits with every login");
    assert_eq!(limits.reason, LimitReason::IntegrityRisk);
    assert!(limits
        .cooling_off_until_ms
        .is_some_and(|until| until > login.server_time_ms));
}
