//! Risk warnings on the confirmation, against the sandbox bank: what each rule raises, the
//! acknowledgement that must come before signing, the codes the bank records. Time rules move
//! the bank's clock, never sleep.

use std::time::Duration;

use crate::current_account_id;
use mobank_core::{
    Channel, Confirmation, IntegritySignals, MobankError, TransferInput, TransferState,
    WarningAction, WarningCode,
};
use mobank_e2e::{Bank, Phone, PIN};
use mobank_protocol::transfer::IdempotencyKey;
use mobank_sandbox::dev::CreditRequest;
use mobank_sandbox::{DEMO_CUSTOMER_ID, LANDLORD_HOLDER_NAME, OTHER_BANK_ACCOUNTS};

const HOUR: u64 = 3600;

fn to_landlord(payer: &str, amount: &str) -> TransferInput {
    TransferInput {
        payer_account_id: payer.to_owned(),
        payee_account_number: "6222 0288 8800 6509".to_owned(),
        payee_bank_code: "MOBANK".to_owned(),
        amount: amount.to_owned(),
        memo: "房租".to_owned(),
        channel: Channel::MobileTransfer,
        payee_name: None,
        execution_date: None,
        payee_id: None,
    }
}

/// A phone bound more than a day ago (bank time), past its cooling-off, logged in.
async fn settled_phone() -> (Bank, Phone, String) {
    let bank = Bank::start_with(|config| config.cooling_off = Duration::ZERO)
        .await
        .unwrap();
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    bank.sandbox.advance_clock(Duration::from_secs(25 * HOUR));
    phone.login_pin(PIN).await.unwrap();
    let payer = current_account_id(&phone).await;
    (bank, phone, payer)
}

/// The bank's clock moves on by `by`; a new session, since the old one idled out meanwhile.
async fn later(bank: &Bank, phone: &Phone, by: Duration) {
    bank.sandbox.advance_clock(by);
    phone.login_pin(PIN).await.unwrap();
}

fn codes(confirmation: &Confirmation) -> Vec<WarningCode> {
    confirmation.warnings.iter().map(|w| w.kind).collect()
}

async fn send(phone: &Phone, input: TransferInput) -> TransferState {
    let transfers = phone.mobank.transfers();
    let confirmation = transfers.draft(input).await.unwrap();
    transfers
        .sign_and_submit_pin(&confirmation.token, mobank_e2e::pin(PIN).unwrap())
        .await
        .unwrap()
        .state
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_thousand_after_five_hundred_needs_acknowledging_before_signing() {
    let (bank, phone, payer) = settled_phone().await;
    let transfers = phone.mobank.transfers();

    // The first transfer to the landlord only informs, and signs as it is.
    let first = transfers.draft(to_landlord(&payer, "500")).await.unwrap();
    assert_eq!(codes(&first), vec![WarningCode::NewPayee]);
    assert_eq!(first.warnings[0].action, WarningAction::Inform);
    let sent = transfers
        .sign_and_submit_pin(&first.token, mobank_e2e::pin(PIN).unwrap())
        .await
        .unwrap();
    assert_eq!(sent.state, TransferState::Settled);
    later(&bank, &phone, Duration::from_secs(HOUR)).await;

    let typo = transfers.draft(to_landlord(&payer, "5000")).await.unwrap();
    assert_eq!(codes(&typo), vec![WarningCode::UnusualAmount]);
    let warning = &typo.warnings[0];
    assert_eq!(warning.code, "unusual_amount");
    assert_eq!(warning.action, WarningAction::Acknowledge);
    assert!(!warning.acknowledged);
    assert!(warning.reason_zh.contains("¥5,000.00") && warning.reason_zh.contains("¥500.00"));
    assert!(warning.reason_en.contains("10.0 times"));
    assert!(warning
        .figures
        .iter()
        .any(|f| f.name == "median" && f.value == "¥500.00"));

    // No acknowledgement, no signature; nothing is queued.
    let refused = transfers
        .sign_and_submit_pin(&typo.token, mobank_e2e::pin(PIN).unwrap())
        .await;
    assert_eq!(
        refused.unwrap_err(),
        MobankError::WarningsNotAcknowledged {
            codes: vec!["unusual_amount".to_owned()]
        }
    );
    assert_eq!(transfers.list().await.unwrap().len(), 1);

    // A warning that was not shown cannot be acknowledged, and changes nothing.
    let not_shown = transfers
        .acknowledge(&typo.token, vec!["refund_scam".to_owned()])
        .await;
    assert_eq!(not_shown.unwrap_err(), MobankError::WarningNotShown);

    let acknowledged = transfers
        .acknowledge(&typo.token, vec!["unusual_amount".to_owned()])
        .await
        .unwrap();
    assert_ne!(acknowledged.token, typo.token);
    assert_eq!(acknowledged.transfer_id, typo.transfer_id);
    assert!(acknowledged.warnings[0].acknowledged);
    // The old token's transfer is not the one that will be signed any more.
    let stale = transfers
        .sign_and_submit_pin(&typo.token, mobank_e2e::pin(PIN).unwrap())
        .await;
    assert_eq!(stale.unwrap_err(), MobankError::ConfirmationInvalid);

    let sent = transfers
        .sign_and_submit_pin(&acknowledged.token, mobank_e2e::pin(PIN).unwrap())
        .await
        .unwrap();
    assert_eq!(sent.state, TransferState::Settled);
    let key = IdempotencyKey::parse(&acknowledged.transfer_id).unwrap();
    assert_eq!(
        bank.sandbox
            .acknowledged_warnings(DEMO_CUSTOMER_ID, key)
            .unwrap(),
        Some(vec!["unusual_amount".to_owned()])
    );
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_payee_and_amount_again_within_ten_minutes_is_a_repeat() {
    let (bank, phone, payer) = settled_phone().await;
    let transfers = phone.mobank.transfers();
    assert_eq!(
        send(&phone, to_landlord(&payer, "500")).await,
        TransferState::Settled
    );

    later(&bank, &phone, Duration::from_secs(9 * 60)).await;
    let again = transfers.draft(to_landlord(&payer, "500")).await.unwrap();
    assert_eq!(codes(&again), vec![WarningCode::RepeatPayment]);
    assert!(again.warnings[0]
        .figures
        .iter()
        .any(|f| f.name == "minutes_ago" && f.value == "9"));
    let other_amount = transfers.draft(to_landlord(&payer, "501")).await.unwrap();
    assert!(codes(&other_amount).is_empty());

    later(&bank, &phone, Duration::from_secs(2 * 60)).await;
    let eleven_minutes_on = transfers.draft(to_landlord(&payer, "500")).await.unwrap();
    assert!(codes(&eleven_minutes_on).is_empty());
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sending_back_an_unexpected_credit_warns_within_72_hours_only() {
    let (bank, phone, payer) = settled_phone().await;
    let stranger = &OTHER_BANK_ACCOUNTS[1];
    bank.sandbox
        .credit(&CreditRequest {
            account_id: payer.clone(),
            amount: "3000.00".parse().unwrap(),
            currency: "CNY".to_owned(),
            counterparty_name: stranger.holder_name.to_owned(),
            counterparty_account: stranger.account_number.to_owned(),
            memo: "转错了".to_owned(),
            category: None,
        })
        .unwrap();
    let back = || TransferInput {
        payer_account_id: payer.clone(),
        payee_account_number: stranger.account_number.to_owned(),
        payee_bank_code: stranger.bank_code.to_owned(),
        amount: "3000".to_owned(),
        memo: String::new(),
        channel: Channel::MobileTransfer,
        payee_name: None,
        execution_date: None,
        payee_id: None,
    };
    let transfers = phone.mobank.transfers();

    let scam = transfers.draft(back()).await.unwrap();
    assert_eq!(
        codes(&scam),
        vec![WarningCode::NewPayee, WarningCode::RefundScam]
    );
    let warning = &scam.warnings[1];
    assert_eq!(warning.action, WarningAction::Acknowledge);
    assert!(warning.reason_zh.contains("¥3,000.00"));
    assert!(!warning.reason_zh.contains(stranger.account_number));

    // Whatever the amount.
    let mut one_yuan = back();
    one_yuan.amount = "1".to_owned();
    assert!(codes(&transfers.draft(one_yuan).await.unwrap()).contains(&WarningCode::RefundScam));

    later(&bank, &phone, Duration::from_secs(71 * HOUR)).await;
    assert!(codes(&transfers.draft(back()).await.unwrap()).contains(&WarningCode::RefundScam));

    later(&bank, &phone, Duration::from_secs(2 * HOUR)).await;
    assert_eq!(
        codes(&transfers.draft(back()).await.unwrap()),
        vec![WarningCode::NewPayee]
    );
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_typed_payee_name_that_is_not_the_registered_one_needs_acknowledging() {
    let (bank, phone, payer) = settled_phone().await;
    let transfers = phone.mobank.transfers();
    let typed = |name: &str| TransferInput {
        payee_name: Some(name.to_owned()),
        ..to_landlord(&payer, "50")
    };

    let wrong = transfers.draft(typed("张三")).await.unwrap();
    let mismatch = wrong
        .warnings
        .iter()
        .find(|w| w.kind == WarningCode::PayeeNameMismatch)
        .expect("mismatch");
    assert_eq!(mismatch.action, WarningAction::Acknowledge);
    assert!(mismatch.reason_zh.contains(LANDLORD_HOLDER_NAME));
    // The name shown and signed is the bank's, never the typed one.
    assert_eq!(wrong.payee_name, LANDLORD_HOLDER_NAME);

    let spaced: String = LANDLORD_HOLDER_NAME
        .chars()
        .flat_map(|c| [c, ' '])
        .collect();
    let right = transfers.draft(typed(&spaced)).await.unwrap();
    assert!(!codes(&right).contains(&WarningCode::PayeeNameMismatch));

    let bidi = transfers.draft(typed("\u{202E}张三")).await;
    assert!(matches!(bidi, Err(MobankError::InvalidInput { .. })));
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hooked_phone_cannot_draft_and_a_rooted_one_must_acknowledge() {
    let (bank, phone, payer) = settled_phone().await;
    let transfers = phone.mobank.transfers();

    phone.integrity.set(IntegritySignals {
        hooking: true,
        ..IntegritySignals::default()
    });
    let Err(MobankError::TransferBlocked { warnings }) =
        transfers.draft(to_landlord(&payer, "50")).await
    else {
        panic!("a hooked phone must not get a confirmation");
    };
    assert!(warnings
        .iter()
        .any(|w| w.kind == WarningCode::DeviceTampered && w.action == WarningAction::Block));

    phone.integrity.set(IntegritySignals {
        rooted: true,
        ..IntegritySignals::default()
    });
    let rooted = transfers.draft(to_landlord(&payer, "50")).await.unwrap();
    let warning = rooted
        .warnings
        .iter()
        .find(|w| w.kind == WarningCode::DeviceRooted)
        .expect("rooted");
    assert_eq!(warning.action, WarningAction::Acknowledge);
    assert!(transfers.list().await.unwrap().is_empty());
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_bound_less_than_a_day_ago_is_told_so() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    phone.login_pin(PIN).await.unwrap();
    let payer = current_account_id(&phone).await;
    let transfers = phone.mobank.transfers();
    let confirmation = transfers.draft(to_landlord(&payer, "100")).await.unwrap();
    assert_eq!(
        codes(&confirmation),
        vec![WarningCode::NewDevice, WarningCode::NewPayee]
    );
    assert!(confirmation.warnings[0]
        .figures
        .iter()
        .any(|f| f.name == "bound_hours_ago" && f.value == "0"));
    // Informing warnings do not hold back the signature.
    let sent = transfers
        .sign_and_submit_pin(&confirmation.token, mobank_e2e::pin(PIN).unwrap())
        .await
        .unwrap();
    assert_eq!(sent.state, TransferState::Settled);
    bank.stop().await;
}
