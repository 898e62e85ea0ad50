//! Saved payees against the sandbox bank: the bank names the account before it is added, a
//! typed name that is not the registered one blocks the add until acknowledged, the add needs a
//! step-up and is signed (a tampered signature stores nothing), every device hears of it, the
//! nickname changes and the payee goes at once, and a transfer drafted by payee id signs the
//! name the bank registered. Bad ids, duplicates and nicknames are refused with nothing stored.

use crate::current_account_id;
use mobank_core::testing::newest_otp;
use mobank_core::{
    Channel, MobankError, MobankEvent, NoticeKind, Payee, PayeeCheck, TransferInput, TransferState,
    WarningCode,
};
use mobank_e2e::tamper_proxy::TamperingProxy;
use mobank_e2e::{pin, Bank, CountingProxy, Phone, PIN};
use mobank_sandbox::{
    DEMO_CUSTOMER_ID, LANDLORD_CUSTOMER_ID, LANDLORD_HOLDER_NAME, LANDLORD_PHONE,
};

const LANDLORD_TYPED: &str = "6222 0288 8800 6509";
const LANDLORD_LABEL: &str = "王芳 (**** 6509)";

async fn check_landlord(phone: &Phone, typed_name: Option<&str>) -> PayeeCheck {
    phone
        .mobank
        .payees()
        .check(
            LANDLORD_TYPED.to_owned(),
            "MOBANK".to_owned(),
            typed_name.map(str::to_owned),
        )
        .await
        .unwrap()
}

/// Logged in (a fresh strong authentication) and the landlord saved as "房东".
async fn add_landlord(phone: &Phone) -> Payee {
    let checked = check_landlord(phone, None).await;
    phone
        .mobank
        .payees()
        .add(checked.token, "房东".to_owned(), false)
        .await
        .unwrap()
}

fn to_payee(payer: &str, payee_id: &str, amount: &str) -> TransferInput {
    TransferInput {
        payer_account_id: payer.to_owned(),
        payee_account_number: String::new(),
        payee_bank_code: String::new(),
        amount: amount.to_owned(),
        memo: "房租".to_owned(),
        channel: Channel::MobileTransfer,
        payee_name: None,
        execution_date: None,
        payee_id: Some(payee_id.to_owned()),
    }
}

fn payee_notices(bank: &Bank) -> Vec<mobank_protocol::messages::Notification> {
    bank.sandbox
        .notifications(DEMO_CUSTOMER_ID)
        .unwrap()
        .notifications
        .into_iter()
        .filter(|n| n.kind == NoticeKind::PayeeAdded)
        .collect()
}

/// The landlord's own phone, bound to her and logged in.
async fn landlords_phone(bank: &Bank) -> Phone {
    let phone = Phone::named(bank.endpoint(), "Wang Fang's phone").unwrap();
    let code = bank
        .sandbox
        .issue_activation_code(LANDLORD_CUSTOMER_ID)
        .unwrap()
        .activation_code;
    phone.mobank.activation().start(code.into()).await.unwrap();
    let outbox = bank.sandbox.sms_outbox(LANDLORD_PHONE).unwrap();
    let otp = newest_otp(outbox.messages.iter().map(|sms| sms.body.as_str())).unwrap();
    phone
        .mobank
        .activation()
        .complete(otp, pin(PIN).unwrap())
        .await
        .unwrap();
    phone.login_pin(PIN).await.unwrap();
    phone
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payee_is_added_with_the_banks_name_after_a_step_up_and_a_second_device_hears_of_it() {
    let bank = Bank::start().await.unwrap();
    let first = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    let second = Phone::named(bank.endpoint(), "iPhone 15").unwrap();
    second.bind(&bank).await.unwrap();
    first.login_pin(PIN).await.unwrap();
    let payees = first.mobank.payees();

    let checked = check_landlord(&first, Some("王芳")).await;
    assert_eq!(checked.registered_name, LANDLORD_HOLDER_NAME);
    assert_eq!(checked.masked_account_number, "**** 6509");
    assert_eq!(checked.warning, None);

    // A stale strong authentication is refused on the phone; a step-up makes it fresh.
    first.let_strong_auth_go_stale().await.unwrap();
    assert_eq!(
        payees
            .add(checked.token.clone(), "房东".to_owned(), false)
            .await
            .unwrap_err(),
        MobankError::StepUpRequired
    );
    first
        .mobank
        .auth()
        .step_up_pin(pin(PIN).unwrap())
        .await
        .unwrap();
    let added = payees
        .add(checked.token.clone(), "房东".to_owned(), false)
        .await
        .unwrap();
    assert_eq!(added.nickname, "房东");
    assert_eq!(added.registered_name, LANDLORD_HOLDER_NAME);
    assert_eq!(added.masked_account_number, "**** 6509");
    assert_eq!(added.bank_code, "MOBANK");
    assert_eq!(payees.list().await.unwrap(), vec![added.clone()]);
    // The check is spent.
    assert_eq!(
        payees
            .add(checked.token, "房东".to_owned(), false)
            .await
            .unwrap_err(),
        MobankError::ConfirmationInvalid
    );

    // Every bound device is told, the one that did it included, with the masked account only.
    let told = payee_notices(&bank);
    assert_eq!(told.len(), 2, "{told:?}");
    assert!(told
        .iter()
        .all(|n| n.payee.as_deref() == Some(LANDLORD_LABEL)
            && n.device_name.as_deref() == Some("Pixel 8")));
    second.login_pin(PIN).await.unwrap();
    assert!(
        second.events.events().iter().any(|event| matches!(
            event,
            MobankEvent::PayeeAdded {
                payee: Some(payee),
                device_name: Some(name),
                ..
            } if payee == LANDLORD_LABEL && name == "Pixel 8"
        )),
        "{:?}",
        second.events.events()
    );
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_typed_name_that_is_not_the_registered_one_blocks_the_add_until_acknowledged() {
    let bank = Bank::start().await.unwrap();
    let proxy = CountingProxy::start(&bank).await.unwrap();
    let phone = Phone::bound(&bank, proxy.endpoint(&bank)).await.unwrap();
    phone.login_pin(PIN).await.unwrap();

    let checked = check_landlord(&phone, Some("王方")).await;
    assert_eq!(checked.registered_name, LANDLORD_HOLDER_NAME);
    let warning = checked.warning.clone().unwrap();
    assert_eq!(warning.kind, WarningCode::PayeeNameMismatch);
    assert!(warning.reason_zh.contains("王方") && warning.reason_zh.contains("王芳"));

    let refused = proxy
        .assert_sends_nothing(phone.mobank.payees().add(
            checked.token.clone(),
            "房东".to_owned(),
            false,
        ))
        .await;
    assert_eq!(
        refused.unwrap_err(),
        MobankError::WarningsNotAcknowledged {
            codes: vec!["payee_name_mismatch".to_owned()]
        }
    );
    assert!(phone.mobank.payees().list().await.unwrap().is_empty());

    // Acknowledged, the same check adds the payee under the bank's name, not the typed one.
    let added = phone
        .mobank
        .payees()
        .add(checked.token, "房东".to_owned(), true)
        .await
        .unwrap();
    assert_eq!(added.registered_name, LANDLORD_HOLDER_NAME);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nickname_changes_and_a_payee_goes_at_once_without_a_step_up() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    phone.login_pin(PIN).await.unwrap();
    let added = add_landlord(&phone).await;
    let payees = phone.mobank.payees();

    phone.let_strong_auth_go_stale().await.unwrap();
    let renamed = payees
        .rename(added.payee_id.clone(), " 王老师的房子 ".to_owned())
        .await
        .unwrap();
    assert_eq!(renamed.nickname, "王老师的房子");
    assert_eq!(renamed.registered_name, LANDLORD_HOLDER_NAME);
    assert_eq!(renamed.payee_id, added.payee_id);
    assert_eq!(payees.list().await.unwrap(), vec![renamed]);

    assert!(payees
        .remove(added.payee_id.clone())
        .await
        .unwrap()
        .is_empty());
    assert!(payees.list().await.unwrap().is_empty());
    assert_eq!(
        payees.remove(added.payee_id).await.unwrap_err(),
        MobankError::PayeeUnknown
    );
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transfer_drafted_by_payee_id_signs_the_registered_name_and_warns_of_a_new_payee() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    phone.login_pin(PIN).await.unwrap();
    let added = add_landlord(&phone).await;
    let payer = current_account_id(&phone).await;
    let transfers = phone.mobank.transfers();

    let confirmation = transfers
        .draft(to_payee(&payer, &added.payee_id, "100"))
        .await
        .unwrap();
    assert_eq!(confirmation.payee_name, LANDLORD_HOLDER_NAME);
    assert_ne!(confirmation.payee_name, added.nickname);
    assert_eq!(confirmation.payee_masked_number, "**** 6509");
    assert!(confirmation
        .warnings
        .iter()
        .any(|warning| warning.kind == WarningCode::NewPayee));
    let sent = transfers
        .sign_and_submit_pin(&confirmation.token, pin(PIN).unwrap())
        .await
        .unwrap();
    assert_eq!(sent.state, TransferState::Settled);
    assert_eq!(sent.payee_name, LANDLORD_HOLDER_NAME);

    // Paid once, the payee is no longer new.
    let again = transfers
        .draft(to_payee(&payer, &added.payee_id, "100"))
        .await
        .unwrap();
    assert!(again
        .warnings
        .iter()
        .all(|warning| warning.kind != WarningCode::NewPayee));

    // A payee id with an account number as well is refused before anything is sent.
    let mut both = to_payee(&payer, &added.payee_id, "100");
    both.payee_account_number = LANDLORD_TYPED.to_owned();
    assert!(matches!(
        transfers.draft(both).await.unwrap_err(),
        MobankError::InvalidInput { .. }
    ));
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_customers_payee_id_is_as_unknown_as_one_that_does_not_exist() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    phone.login_pin(PIN).await.unwrap();
    let landlord = landlords_phone(&bank).await;
    let checked = landlord
        .mobank
        .payees()
        .check(
            "6217000000123456786".to_owned(),
            "EASTDEMO".to_owned(),
            None,
        )
        .await
        .unwrap();
    let hers = landlord
        .mobank
        .payees()
        .add(checked.token, "Chen Jing".to_owned(), false)
        .await
        .unwrap();

    let payees = phone.mobank.payees();
    let payer = current_account_id(&phone).await;
    for id in [hers.payee_id.as_str(), "pye_0000000000000000"] {
        assert_eq!(
            payees
                .rename(id.to_owned(), "mine".to_owned())
                .await
                .unwrap_err(),
            MobankError::PayeeUnknown
        );
        assert_eq!(
            payees.remove(id.to_owned()).await.unwrap_err(),
            MobankError::PayeeUnknown
        );
        assert_eq!(
            phone
                .mobank
                .transfers()
                .draft(to_payee(&payer, id, "1"))
                .await
                .unwrap_err(),
            MobankError::PayeeUnknown
        );
    }
    assert_eq!(landlord.mobank.payees().list().await.unwrap(), vec![hers]);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duplicate_a_bad_nickname_or_a_tampered_signature_stores_nothing() {
    let bank = Bank::start().await.unwrap();
    let proxy = TamperingProxy::start(&bank).await.unwrap();
    let phone = Phone::bound(&bank, proxy.endpoint(&bank)).await.unwrap();
    phone.login_pin(PIN).await.unwrap();
    let payees = phone.mobank.payees();

    let checked = check_landlord(&phone, None).await;
    for nickname in [
        "房东\u{202E}",
        "房\u{200B}东",
        "L\u{430}ndlord",
        &"房".repeat(33),
    ] {
        assert!(
            matches!(
                payees
                    .add(checked.token.clone(), nickname.to_owned(), false)
                    .await
                    .unwrap_err(),
                MobankError::InvalidInput { .. }
            ),
            "{nickname:?}"
        );
    }

    // Acknowledging a warning the check never showed.
    assert_eq!(
        payees
            .add(checked.token.clone(), "房东".to_owned(), true)
            .await
            .unwrap_err(),
        MobankError::WarningNotShown
    );

    proxy.tamper_with_next_payee_adds(1);
    assert!(matches!(
        payees
            .add(checked.token, "房东".to_owned(), false)
            .await
            .unwrap_err(),
        MobankError::AuthenticationFailed { .. }
    ));
    assert!(payees.list().await.unwrap().is_empty());
    assert!(payee_notices(&bank).is_empty());

    add_landlord(&phone).await;
    assert_eq!(
        payees
            .check(LANDLORD_TYPED.to_owned(), "MOBANK".to_owned(), None)
            .await
            .unwrap_err(),
        MobankError::PayeeExists
    );
    assert_eq!(payees.list().await.unwrap().len(), 1);
    bank.stop().await;
}
