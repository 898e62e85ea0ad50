//! What the customer types into a transfer is judged on the phone: every refusal is typed, sends
//! not one byte to the bank and stores nothing.

use mobank_core::{Channel, MobankError, TransferInput};
use mobank_e2e::{Bank, CountingProxy, Phone, PIN};
use mobank_protocol::transfer::account_number::AccountNumberError;
use mobank_sandbox::LANDLORD_ACCOUNT_NUMBER;

fn input(payer: &str, payee: &str, amount: &str, memo: &str) -> TransferInput {
    TransferInput {
        payer_account_id: payer.to_owned(),
        payee_account_number: payee.to_owned(),
        payee_bank_code: "MOBANK".to_owned(),
        amount: amount.to_owned(),
        memo: memo.to_owned(),
        channel: Channel::MobileTransfer,
        payee_name: None,
        execution_date: None,
        payee_id: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_transfer_input_is_refused_on_the_phone_without_a_byte_sent() {
    let bank = Bank::start().await.unwrap();
    let proxy = CountingProxy::start(&bank).await.unwrap();
    let phone = Phone::bound(&bank, proxy.endpoint(&bank)).await.unwrap();
    phone.login_pin(PIN).await.unwrap();
    let transfers = phone.mobank.transfers();
    let accounts = phone.mobank.accounts().list().await.unwrap();
    let payer = accounts
        .iter()
        .find(|account| account.currency == "CNY")
        .unwrap()
        .account_id
        .clone();

    // The payer's currency is learnt once per session, with the first draft.
    let first = transfers
        .draft(input(&payer, LANDLORD_ACCOUNT_NUMBER, "5e3", ""))
        .await;
    assert!(matches!(first, Err(MobankError::AmountRejected { .. })));

    for amount in [
        "", "0", "-500", "5e3", "500,50", "1.234", "5OO", "$500", "NaN", "5.",
    ] {
        let refused = proxy
            .assert_sends_nothing(transfers.draft(input(
                &payer,
                LANDLORD_ACCOUNT_NUMBER,
                amount,
                "",
            )))
            .await;
        assert!(
            matches!(refused, Err(MobankError::AmountRejected { .. })),
            "{amount:?}: {refused:?}"
        );
    }
    let long_memo = "租".repeat(141);
    for memo in [
        long_memo.as_str(),
        "rent\u{202E}tner",
        "line\nbreak",
        "nul\u{0}",
    ] {
        let refused = proxy
            .assert_sends_nothing(transfers.draft(input(
                &payer,
                LANDLORD_ACCOUNT_NUMBER,
                "500",
                memo,
            )))
            .await;
        assert!(
            matches!(refused, Err(MobankError::InvalidInput { .. })),
            "{refused:?}"
        );
    }
    let mut wrong_digit = LANDLORD_ACCOUNT_NUMBER.to_owned();
    let last = wrong_digit.pop().unwrap();
    wrong_digit.push(if last == '9' { '0' } else { '9' });
    for (payee, reason) in [
        (wrong_digit.as_str(), AccountNumberError::CheckDigit),
        ("6222-0212", AccountNumberError::NotDigits),
        ("12345", AccountNumberError::Length),
    ] {
        let refused = proxy
            .assert_sends_nothing(transfers.draft(input(&payer, payee, "500", "")))
            .await;
        assert_eq!(
            refused.unwrap_err(),
            MobankError::PayeeAccountRejected { reason }
        );
    }
    let unknown = transfers
        .draft(input("no-such-account", LANDLORD_ACCOUNT_NUMBER, "500", ""))
        .await;
    assert_eq!(unknown.unwrap_err(), MobankError::PayerAccountUnknown);

    assert!(transfers.list().await.unwrap().is_empty());
    bank.stop().await;
}
