//! Payment channels and their limits against the sandbox bank: QR payment and quick pay off
//! until the customer turns them on with a strong authentication (every device told), off at
//! once, a branch's opening leaving them off, limits checked on the phone before anything is
//! sent and by the bank again, lowering at once and raising after the cooling-off, and bad
//! limits refused with nothing changed.

use std::time::Duration;

use crate::current_account_id;
use mobank_core::money::AmountInputError;
use mobank_core::{
    Channel, ChannelInfo, ChannelOpener, LimitKind, MobankError, MobankEvent, NoticeKind,
    RejectReason, TransferInput, TransferState,
};
use mobank_e2e::{pin, Bank, CountingProxy, Phone, PIN};
use mobank_sandbox::DEMO_CUSTOMER_ID;
use rust_decimal::Decimal;

fn to_landlord(payer: &str, amount: &str, channel: Channel) -> TransferInput {
    TransferInput {
        payer_account_id: payer.to_owned(),
        payee_account_number: "6222 0288 8800 6509".to_owned(),
        payee_bank_code: "MOBANK".to_owned(),
        amount: amount.to_owned(),
        memo: String::new(),
        channel,
        payee_name: None,
        execution_date: None,
        payee_id: None,
    }
}

fn channel(channels: &[ChannelInfo], which: Channel) -> ChannelInfo {
    channels
        .iter()
        .find(|c| c.channel == which)
        .unwrap()
        .clone()
}

fn cny(units: i64) -> Decimal {
    Decimal::new(units, 0)
}

/// A bank whose new devices have no cooling-off, so the channel limits are the strictest.
async fn bank_without_device_cooling_off() -> Bank {
    Bank::start_with(|config| config.cooling_off = Duration::ZERO)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn qr_payment_is_off_until_turned_on_with_a_step_up_and_every_device_hears_of_it() {
    let bank = Bank::start().await.unwrap();
    let first = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    let second = Phone::named(bank.endpoint(), "iPhone 15").unwrap();
    second.bind(&bank).await.unwrap();
    first.login_pin(PIN).await.unwrap();
    let channels = first.mobank.channels();

    let listed = channels.list().await.unwrap();
    let order: Vec<Channel> = listed.iter().map(|c| c.channel).collect();
    assert_eq!(order, Channel::ALL);
    assert!(channel(&listed, Channel::MobileTransfer).enabled);
    assert!(!channel(&listed, Channel::QrPayment).enabled);
    assert!(!channel(&listed, Channel::QuickPay).enabled);

    let payer = current_account_id(&first).await;
    let closed = first
        .mobank
        .transfers()
        .draft(to_landlord(&payer, "100", Channel::QrPayment))
        .await;
    assert_eq!(closed.unwrap_err(), MobankError::ChannelClosed);

    // A stale strong authentication is refused on the phone; a step-up makes it fresh.
    first.let_strong_auth_go_stale().await.unwrap();
    assert_eq!(
        channels.enable(Channel::QrPayment).await.unwrap_err(),
        MobankError::StepUpRequired
    );
    first
        .mobank
        .auth()
        .step_up_pin(pin(PIN).unwrap())
        .await
        .unwrap();
    let enabled = channels.enable(Channel::QrPayment).await.unwrap();
    let qr = channel(&enabled, Channel::QrPayment);
    assert!(qr.enabled);
    assert_eq!(qr.opened_by, Some(ChannelOpener::App));

    // Every bound device is told, the one that did it included.
    let told: Vec<_> = bank
        .sandbox
        .notifications(DEMO_CUSTOMER_ID)
        .unwrap()
        .notifications
        .into_iter()
        .filter(|n| n.kind == NoticeKind::ChannelEnabled)
        .collect();
    assert_eq!(told.len(), 2, "{told:?}");
    assert!(told
        .iter()
        .all(|n| n.channel == Some(Channel::QrPayment)
            && n.device_name.as_deref() == Some("Pixel 8")));
    second.login_pin(PIN).await.unwrap();
    assert!(
        second.events.events().iter().any(|event| matches!(
            event,
            MobankEvent::ChannelEnabled {
                channel: Some(Channel::QrPayment),
                device_name: Some(name),
                ..
            } if name == "Pixel 8"
        )),
        "{:?}",
        second.events.events()
    );

    // Turning it on again changes nothing and tells nobody twice.
    first
        .mobank
        .auth()
        .step_up_pin(pin(PIN).unwrap())
        .await
        .unwrap();
    channels.enable(Channel::QrPayment).await.unwrap();
    let again = bank
        .sandbox
        .notifications(DEMO_CUSTOMER_ID)
        .unwrap()
        .notifications
        .iter()
        .filter(|n| n.kind == NoticeKind::ChannelEnabled)
        .count();
    assert_eq!(again, 2);

    // Off is instant, without a step-up, and the phone refuses the channel again.
    first.let_strong_auth_go_stale().await.unwrap();
    let disabled = channels.disable(Channel::QrPayment).await.unwrap();
    assert!(!channel(&disabled, Channel::QrPayment).enabled);
    let closed = first
        .mobank
        .transfers()
        .draft(to_landlord(&payer, "100", Channel::QrPayment))
        .await;
    assert_eq!(closed.unwrap_err(), MobankError::ChannelClosed);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_channel_opened_by_the_branch_stays_off_until_the_customer_turns_it_on() {
    let bank = Bank::start().await.unwrap();
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    bank.sandbox
        .open_channel(DEMO_CUSTOMER_ID, Channel::QuickPay)
        .unwrap();

    phone.login_pin(PIN).await.unwrap();
    assert!(
        phone.events.events().iter().any(|event| matches!(
            event,
            MobankEvent::ChannelOpened {
                channel: Some(Channel::QuickPay),
                ..
            }
        )),
        "{:?}",
        phone.events.events()
    );
    let quick = channel(
        &phone.mobank.channels().list().await.unwrap(),
        Channel::QuickPay,
    );
    assert!(!quick.enabled);
    assert_eq!(quick.opened_by, Some(ChannelOpener::Branch));
    let payer = current_account_id(&phone).await;
    let refused = phone
        .mobank
        .transfers()
        .draft(to_landlord(&payer, "50", Channel::QuickPay))
        .await;
    assert_eq!(refused.unwrap_err(), MobankError::ChannelClosed);

    let on = phone
        .mobank
        .channels()
        .enable(Channel::QuickPay)
        .await
        .unwrap();
    let quick = channel(&on, Channel::QuickPay);
    assert!(quick.enabled);
    assert_eq!(quick.opened_by, Some(ChannelOpener::Branch));
    assert!(phone
        .mobank
        .transfers()
        .draft(to_landlord(&payer, "50", Channel::QuickPay))
        .await
        .is_ok());
    assert!(matches!(
        bank.sandbox.open_channel("nobody", Channel::QuickPay),
        Err(mobank_sandbox::SandboxError::UnknownCustomer)
    ));
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_amount_over_the_stricter_of_device_and_channel_limits_is_refused_before_the_network() {
    let bank = Bank::start().await.unwrap();
    let proxy = CountingProxy::start(&bank).await.unwrap();
    let phone = Phone::bound(&bank, proxy.endpoint(&bank)).await.unwrap();
    phone.login_pin(PIN).await.unwrap();
    let payer = current_account_id(&phone).await;

    // A new device: 500 per transfer and 1,000 a day for 24 h, stricter than the channel's
    // 20,000, so the room is the device's.
    let mobile = channel(
        &phone.mobank.channels().list().await.unwrap(),
        Channel::MobileTransfer,
    );
    assert_eq!(mobile.limits.per_transaction, cny(20_000));
    assert_eq!(mobile.room.per_transaction, cny(500));
    assert_eq!(mobile.room.today, cny(1_000));

    // A first draft within the room lets the phone learn the payer's currency and the room.
    phone
        .mobank
        .transfers()
        .draft(to_landlord(&payer, "100", Channel::MobileTransfer))
        .await
        .unwrap();
    let refused = proxy
        .assert_sends_nothing(phone.mobank.transfers().draft(to_landlord(
            &payer,
            "500.01",
            Channel::MobileTransfer,
        )))
        .await;
    assert_eq!(
        refused.unwrap_err(),
        MobankError::LimitExceeded {
            limit: Some(LimitKind::PerTransaction),
            room: Some(cny(500)),
        }
    );

    // Two transfers of 500 use up the day; the phone then asks the bank again and refuses
    // even a single yuan, naming the daily limit.
    for _ in 0..2 {
        let transfers = phone.mobank.transfers();
        let mut confirmation = transfers
            .draft(to_landlord(&payer, "500", Channel::MobileTransfer))
            .await
            .unwrap();
        // The second 500 to the same payee within minutes is a repeat the customer confirms.
        let to_acknowledge: Vec<String> = confirmation
            .warnings
            .iter()
            .filter(|warning| warning.action == mobank_core::WarningAction::Acknowledge)
            .map(|warning| warning.code.clone())
            .collect();
        if !to_acknowledge.is_empty() {
            confirmation = transfers
                .acknowledge(&confirmation.token, to_acknowledge)
                .await
                .unwrap();
        }
        let sent = transfers
            .sign_and_submit_pin(&confirmation.token, pin(PIN).unwrap())
            .await
            .unwrap();
        assert_eq!(sent.state, TransferState::Settled);
    }
    let refused = phone
        .mobank
        .transfers()
        .draft(to_landlord(&payer, "1", Channel::MobileTransfer))
        .await;
    assert_eq!(
        refused.unwrap_err(),
        MobankError::LimitExceeded {
            limit: Some(LimitKind::Daily),
            room: Some(Decimal::ZERO),
        }
    );
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bank_enforces_the_limits_again_at_quote_and_at_submit() {
    let bank = bank_without_device_cooling_off().await;
    let first = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    let second = Phone::named(bank.endpoint(), "iPhone 15").unwrap();
    second.bind(&bank).await.unwrap();
    first.login_pin(PIN).await.unwrap();
    second.login_pin(PIN).await.unwrap();
    let payer = current_account_id(&first).await;

    // The first phone drafts 800 while the room is 20,000; then the second lowers the limit.
    let transfers = first.mobank.transfers();
    let drafted = transfers
        .draft(to_landlord(&payer, "800", Channel::MobileTransfer))
        .await
        .unwrap();
    let lowered = second
        .mobank
        .channels()
        .set_limits(
            Channel::MobileTransfer,
            "100".to_owned(),
            "1000".to_owned(),
            "5000".to_owned(),
        )
        .await
        .unwrap();
    let mobile = channel(&lowered, Channel::MobileTransfer);
    assert_eq!(mobile.limits.per_transaction, cny(100));
    assert!(mobile.pending.is_none(), "lowering needs no cooling-off");

    // Signed and sent, the drafted transfer is rejected by the bank with a signed receipt.
    let sent = transfers
        .sign_and_submit_pin(&drafted.token, pin(PIN).unwrap())
        .await
        .unwrap();
    assert_eq!(
        sent.state,
        TransferState::Rejected {
            reason: RejectReason::LimitExceeded
        }
    );
    assert!(sent.receipt.is_some_and(|receipt| !receipt.accepted));

    // The first phone's view goes stale behind its back: it lists (room 100), the second phone
    // lowers the limit to 50, and a draft of 80 passes the phone's check but not the bank's.
    first.mobank.channels().list().await.unwrap();
    second
        .mobank
        .channels()
        .set_limits(
            Channel::MobileTransfer,
            "50".to_owned(),
            "1000".to_owned(),
            "5000".to_owned(),
        )
        .await
        .unwrap();
    let refused = first
        .mobank
        .transfers()
        .draft(to_landlord(&payer, "80", Channel::MobileTransfer))
        .await;
    assert_eq!(
        refused.unwrap_err(),
        MobankError::LimitExceeded {
            limit: None,
            room: None
        }
    );
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lowering_a_limit_is_instant_and_a_raise_waits_for_its_cooling_off() {
    let bank = bank_without_device_cooling_off().await;
    let phone = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    phone.login_pin(PIN).await.unwrap();
    let payer = current_account_id(&phone).await;
    let channels = phone.mobank.channels();

    channels
        .set_limits(
            Channel::MobileTransfer,
            "1000".to_owned(),
            "5000".to_owned(),
            "20000".to_owned(),
        )
        .await
        .unwrap();
    let over = phone
        .mobank
        .transfers()
        .draft(to_landlord(&payer, "1500", Channel::MobileTransfer))
        .await;
    assert_eq!(
        over.unwrap_err(),
        MobankError::LimitExceeded {
            limit: Some(LimitKind::PerTransaction),
            room: Some(cny(1_000)),
        }
    );

    // A raise needs a fresh strong authentication, checked on the phone first.
    phone.let_strong_auth_go_stale().await.unwrap();
    let raise = || {
        channels.set_limits(
            Channel::MobileTransfer,
            "3000".to_owned(),
            "5000".to_owned(),
            "20000".to_owned(),
        )
    };
    assert_eq!(raise().await.unwrap_err(), MobankError::StepUpRequired);
    phone
        .mobank
        .auth()
        .step_up_pin(pin(PIN).unwrap())
        .await
        .unwrap();
    let raised = channel(&raise().await.unwrap(), Channel::MobileTransfer);
    assert_eq!(
        raised.limits.per_transaction,
        cny(1_000),
        "not yet in force"
    );
    let pending = raised.pending.unwrap();
    assert_eq!(pending.limits.per_transaction, cny(3_000));
    // The bank's clock runs on while the test reads it: the raise applies 24 h after it was
    // asked, which is a moment before now.
    let applies_at_ms = pending
        .applies_at
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    let wait_ms = i64::try_from(applies_at_ms).unwrap() - bank.sandbox.now_ms();
    assert!(
        (24 * 60 * 60 * 1000 - 10_000..=24 * 60 * 60 * 1000).contains(&wait_ms),
        "{wait_ms}"
    );
    assert!(phone
        .mobank
        .transfers()
        .draft(to_landlord(&payer, "1500", Channel::MobileTransfer))
        .await
        .is_err());

    // A minute before the cooling-off ends it still waits; after it, the raise is in force.
    bank.sandbox
        .advance_clock(Duration::from_secs(24 * 60 * 60 - 60));
    phone.login_pin(PIN).await.unwrap();
    let waiting = channel(&channels.list().await.unwrap(), Channel::MobileTransfer);
    assert_eq!(waiting.limits.per_transaction, cny(1_000));
    bank.sandbox.advance_clock(Duration::from_secs(60));
    phone.login_pin(PIN).await.unwrap();
    let applied = channel(&channels.list().await.unwrap(), Channel::MobileTransfer);
    assert_eq!(applied.limits.per_transaction, cny(3_000));
    assert!(applied.pending.is_none());
    assert!(phone
        .mobank
        .transfers()
        .draft(to_landlord(&payer, "1500", Channel::MobileTransfer))
        .await
        .is_ok());
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn negative_over_precise_absurd_and_unordered_limits_are_refused_and_nothing_changes() {
    let bank = Bank::start().await.unwrap();
    let proxy = CountingProxy::start(&bank).await.unwrap();
    let phone = Phone::bound(&bank, proxy.endpoint(&bank)).await.unwrap();
    phone.login_pin(PIN).await.unwrap();
    let channels = phone.mobank.channels();
    let before = channels.list().await.unwrap();

    let set = |per: &str, daily: &str, monthly: &str| {
        channels.set_limits(
            Channel::QrPayment,
            per.to_owned(),
            daily.to_owned(),
            monthly.to_owned(),
        )
    };
    let cases = [
        (
            set("-100", "200", "300"),
            MobankError::AmountRejected {
                reason: AmountInputError::Signed,
            },
        ),
        (
            set("100.001", "200", "300"),
            MobankError::AmountRejected {
                reason: AmountInputError::TooManyDecimals { allowed: 2 },
            },
        ),
        (
            set("0", "200", "300"),
            MobankError::AmountRejected {
                reason: AmountInputError::Zero,
            },
        ),
    ];
    for (call, expected) in cases {
        assert_eq!(
            proxy.assert_sends_nothing(call).await.unwrap_err(),
            expected
        );
    }
    for (per, daily, monthly) in [
        ("99999999999999", "99999999999999", "99999999999999"),
        ("5000.01", "20000", "100000"),
        ("300", "200", "1000"),
    ] {
        assert!(matches!(
            proxy
                .assert_sends_nothing(set(per, daily, monthly))
                .await
                .unwrap_err(),
            MobankError::InvalidInput { .. }
        ));
    }
    assert_eq!(channels.list().await.unwrap(), before);
    bank.stop().await;
}
