//! Transfers against the sandbox bank: the quote, the confirmation, the signed transfer, the
//! bank's signed receipt and reconciliation. Needs the bank's transfer endpoints and its receipt
//! key in `Bank::receipt_keys`.

use crate::current_account;
use mobank_core::{Channel, MobankError, MobankEvent, TransferInput, TransferState};
use mobank_e2e::{Bank, CountingProxy, Phone, PIN, WRONG_PIN};
use mobank_sandbox::{LANDLORD_ACCOUNT_NUMBER, LANDLORD_HOLDER_NAME};

fn to_landlord(payer: &str, amount: &str) -> TransferInput {
    TransferInput {
        payer_account_id: payer.to_owned(),
        payee_account_number: "6222 0288 8800 6509".to_owned(),
        payee_bank_code: "MOBANK".to_owned(),
        amount: amount.to_owned(),
        memo: "十二月房租".to_owned(),
        channel: Channel::MobileTransfer,
        payee_name: None,
        execution_date: None,
        payee_id: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmed_transfer_settles_once_with_a_verified_receipt() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    phone.login_pin(PIN).await.unwrap();
    let payer = current_account(&phone).await;
    let transfers = phone.mobank.transfers();

    let confirmation = transfers
        .draft(to_landlord(&payer.account_id, "500"))
        .await
        .unwrap();
    assert_eq!(confirmation.payee_name, LANDLORD_HOLDER_NAME);
    assert_eq!(confirmation.payee_masked_number, "**** 6509");
    assert_eq!(confirmation.amount_zh, "¥500.00");
    assert!(confirmation.amount_capitals.contains("伍佰元整"));
    assert_eq!(
        confirmation.prompt,
        format!("向 {LANDLORD_HOLDER_NAME} (**** 6509) 转账 ¥500.00")
    );
    assert!(!LANDLORD_ACCOUNT_NUMBER.is_empty());

    let sent = transfers
        .sign_and_submit_pin(&confirmation.token, mobank_e2e::pin(PIN).unwrap())
        .await
        .unwrap();
    assert_eq!(sent.state, TransferState::Settled);
    assert!(sent
        .receipt
        .as_ref()
        .is_some_and(|receipt| receipt.accepted));
    assert!(phone
        .events
        .events()
        .contains(&MobankEvent::TransferSettled {
            transfer_id: confirmation.transfer_id.clone()
        }));

    // The confirmation is spent: signing it again is refused before any key is used.
    let again = transfers
        .sign_and_submit_pin(&confirmation.token, mobank_e2e::pin(PIN).unwrap())
        .await;
    assert_eq!(again.unwrap_err(), MobankError::ConfirmationInvalid);

    let after = current_account(&phone).await;
    assert_eq!(
        payer.balance - after.balance,
        rust_decimal::Decimal::new(50_000, 2)
    );
    let listed = transfers.list().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].transfer_id, confirmation.transfer_id);
    // Nothing left to reconcile, and reconciling sends nothing twice.
    assert!(transfers.reconcile().await.unwrap().is_empty());
    assert_eq!(current_account(&phone).await.balance, after.balance);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_pin_leaves_nothing_queued_and_reports_the_attempts_left() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    phone.login_pin(PIN).await.unwrap();
    let payer = current_account(&phone).await;
    let transfers = phone.mobank.transfers();
    let confirmation = transfers
        .draft(to_landlord(&payer.account_id, "500"))
        .await
        .unwrap();
    let refused = transfers
        .sign_and_submit_pin(&confirmation.token, mobank_e2e::pin(WRONG_PIN).unwrap())
        .await;
    assert!(matches!(
        refused,
        Err(MobankError::AuthenticationFailed {
            attempts_remaining: Some(_)
        })
    ));
    assert!(transfers.list().await.unwrap().is_empty());
    assert_eq!(current_account(&phone).await.balance, payer.balance);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_line_cut_before_sending_queues_nothing() {
    let bank = Bank::start().await.unwrap();
    let proxy = CountingProxy::start(&bank).await.unwrap();
    let phone = Phone::bound(&bank, proxy.endpoint(&bank)).await.unwrap();
    phone.login_pin(PIN).await.unwrap();
    let payer = current_account(&phone).await;
    let transfers = phone.mobank.transfers();
    let confirmation = transfers
        .draft(to_landlord(&payer.account_id, "500"))
        .await
        .unwrap();
    proxy.cut();
    let result = transfers
        .sign_and_submit_pin(&confirmation.token, mobank_e2e::pin(PIN).unwrap())
        .await;
    assert!(
        matches!(result, Err(MobankError::Network { .. })),
        "{result:?}"
    );
    assert!(transfers.list().await.unwrap().is_empty());
    bank.stop().await;
}
