//! Saved payees against the bank's API: the name check answers with the holder name the
//! payee's bank registered, the add is refused unless signed over that name and masked
//! account after a fresh strong authentication, a name that changed since the check is
//! refused, and nicknames, duplicates and unknown ids are refused with nothing stored.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::{bound, expect_error, Bank, Phone};
use mobank_protocol::assertion::operations;
use mobank_protocol::messages::{
    paths, AddPayeeRequest, NoticeKind, PayeeCheckRequest, PayeeCheckResponse, PayeeView,
    PayeesResponse, RemovePayeeRequest, RenamePayeeRequest,
};
use mobank_protocol::{Ceremony, ErrorCode, Factor};
use mobank_sandbox::{DEMO_CUSTOMER_ID, LANDLORD_ACCOUNT_NUMBER, LANDLORD_HOLDER_NAME};

const LANDLORD_MASKED: &str = "**** 6509";

async fn check(bank: &Bank, token: &str, number: &str, bank_code: &str) -> PayeeCheckResponse {
    let request = PayeeCheckRequest {
        account_number: number.to_owned(),
        bank_code: bank_code.to_owned(),
    };
    bank.post_authorized_ok(paths::PAYEES_CHECK, token, &request)
        .await
}

fn add_request(
    phone: &mut Phone,
    checked: &PayeeCheckResponse,
    bank_code: &str,
    nickname: &str,
) -> AddPayeeRequest {
    let operation = operations::add_payee(
        bank_code,
        &checked.masked_account_number,
        &checked.registered_name,
    );
    AddPayeeRequest {
        check_id: checked.check_id.clone(),
        nickname: nickname.to_owned(),
        assertion: phone.assert_operation(
            Factor::Possession,
            Ceremony::Operation,
            &checked.challenge,
            Some(&operation),
        ),
    }
}

async fn listed(bank: &Bank, token: &str) -> Vec<PayeeView> {
    let list: PayeesResponse = bank.get_ok(paths::PAYEES, token).await;
    list.payees
}

#[tokio::test(flavor = "multi_thread")]
async fn a_payee_is_saved_with_the_registered_name_after_a_signed_add_and_every_device_is_told() {
    let (bank, mut phone) = bound().await;
    let token = bank.login(&mut phone).await.session_token;

    let checked = check(&bank, &token, LANDLORD_ACCOUNT_NUMBER, "MOBANK").await;
    assert_eq!(checked.registered_name, LANDLORD_HOLDER_NAME);
    assert_eq!(checked.masked_account_number, LANDLORD_MASKED);
    let request = add_request(&mut phone, &checked, "MOBANK", "房东");
    let added: PayeeView = bank
        .post_authorized_ok(paths::PAYEES_ADD, &token, &request)
        .await;
    assert_eq!(added.registered_name, LANDLORD_HOLDER_NAME);
    assert_eq!(added.nickname, "房东");
    assert_eq!(added.account_number, LANDLORD_ACCOUNT_NUMBER);
    assert_eq!(listed(&bank, &token).await, vec![added.clone()]);

    let told = bank.sandbox.notifications(DEMO_CUSTOMER_ID).unwrap();
    let payee_notices: Vec<_> = told
        .notifications
        .iter()
        .filter(|n| n.kind == NoticeKind::PayeeAdded)
        .collect();
    assert_eq!(payee_notices.len(), 1);
    assert_eq!(payee_notices[0].payee.as_deref(), Some("王芳 (**** 6509)"));
    assert_eq!(payee_notices[0].channel, None);

    // A second add with the same check: the check was spent.
    let again = bank
        .post_authorized(paths::PAYEES_ADD, &token, &request)
        .await;
    assert_eq!(
        expect_error(again).await.1.code,
        ErrorCode::ChallengeInvalid
    );
    // The account again: already saved.
    let request = PayeeCheckRequest {
        account_number: LANDLORD_ACCOUNT_NUMBER.to_owned(),
        bank_code: "MOBANK".to_owned(),
    };
    let (status, error) = bank
        .post_authorized_err(paths::PAYEES_CHECK, &token, &request)
        .await;
    assert_eq!((status.as_u16(), error.code), (409, ErrorCode::PayeeExists));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_add_signed_over_another_name_or_without_a_fresh_strong_authentication_stores_nothing() {
    let (bank, mut phone) = bound().await;
    let token = bank.login(&mut phone).await.session_token;

    let checked = check(&bank, &token, LANDLORD_ACCOUNT_NUMBER, "MOBANK").await;
    let mut forged = checked.clone();
    forged.registered_name = "王方".to_owned();
    let request = add_request(&mut phone, &forged, "MOBANK", "房东");
    let (_, error) = bank
        .post_authorized_err(paths::PAYEES_ADD, &token, &request)
        .await;
    assert_eq!(error.code, ErrorCode::AuthenticationFailed);
    assert!(listed(&bank, &token).await.is_empty());

    bank.sandbox.advance_clock(Duration::from_secs(4 * 60));
    let checked = check(&bank, &token, LANDLORD_ACCOUNT_NUMBER, "MOBANK").await;
    bank.sandbox.advance_clock(Duration::from_secs(61));
    let request = add_request(&mut phone, &checked, "MOBANK", "房东");
    let (status, error) = bank
        .post_authorized_err(paths::PAYEES_ADD, &token, &request)
        .await;
    assert_eq!(
        (status.as_u16(), error.code),
        (403, ErrorCode::StepUpRequired)
    );
    assert!(listed(&bank, &token).await.is_empty());
    assert!(bank
        .sandbox
        .notifications(DEMO_CUSTOMER_ID)
        .unwrap()
        .notifications
        .iter()
        .all(|n| n.kind != NoticeKind::PayeeAdded));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_registered_name_that_changed_since_the_check_is_refused() {
    let (bank, mut phone) = bound().await;
    let token = bank.login(&mut phone).await.session_token;
    let checked = check(&bank, &token, LANDLORD_ACCOUNT_NUMBER, "MOBANK").await;
    let db = rusqlite::Connection::open(bank.dir.path().join("bank.sqlite3")).unwrap();
    db.execute(
        "UPDATE customers SET holder_name = '王芳芳' WHERE customer_id = 'landlord'",
        [],
    )
    .unwrap();

    let request = add_request(&mut phone, &checked, "MOBANK", "房东");
    let (status, error) = bank
        .post_authorized_err(paths::PAYEES_ADD, &token, &request)
        .await;
    assert_eq!(
        (status.as_u16(), error.code),
        (409, ErrorCode::PayeeChanged)
    );
    assert!(listed(&bank, &token).await.is_empty());
    let again = check(&bank, &token, LANDLORD_ACCOUNT_NUMBER, "MOBANK").await;
    assert_eq!(again.registered_name, "王芳芳");
}

#[tokio::test(flavor = "multi_thread")]
async fn nicknames_with_hidden_or_look_alike_characters_are_refused_and_unknown_ids_are_404() {
    let (bank, mut phone) = bound().await;
    let token = bank.login(&mut phone).await.session_token;
    let checked = check(&bank, &token, "6217000000123456786", "EASTDEMO").await;
    assert_eq!(checked.registered_name, "陈静");
    for nickname in ["陈\u{202E}静", "陈\u{200B}静", "Ch\u{435}n", " 陈静"] {
        let request = add_request(&mut phone, &checked, "EASTDEMO", nickname);
        let (_, error) = bank
            .post_authorized_err(paths::PAYEES_ADD, &token, &request)
            .await;
        assert_eq!(error.code, ErrorCode::BadRequest, "{nickname:?}");
    }
    let request = add_request(&mut phone, &checked, "EASTDEMO", "Chen");
    let added: PayeeView = bank
        .post_authorized_ok(paths::PAYEES_ADD, &token, &request)
        .await;

    let rename = RenamePayeeRequest {
        payee_id: added.payee_id.clone(),
        nickname: "Chen\u{2066}".to_owned(),
    };
    let (_, error) = bank
        .post_authorized_err(paths::PAYEES_RENAME, &token, &rename)
        .await;
    assert_eq!(error.code, ErrorCode::BadRequest);
    let unknown = RenamePayeeRequest {
        payee_id: "pye_nope".to_owned(),
        nickname: "x".to_owned(),
    };
    let (status, error) = bank
        .post_authorized_err(paths::PAYEES_RENAME, &token, &unknown)
        .await;
    assert_eq!(
        (status.as_u16(), error.code),
        (404, ErrorCode::PayeeUnknown)
    );
    let remove = RemovePayeeRequest {
        payee_id: "pye_nope".to_owned(),
    };
    let (status, error) = bank
        .post_authorized_err(paths::PAYEES_REMOVE, &token, &remove)
        .await;
    assert_eq!(
        (status.as_u16(), error.code),
        (404, ErrorCode::PayeeUnknown)
    );
    assert_eq!(listed(&bank, &token).await, vec![added]);
}
