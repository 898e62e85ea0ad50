//! Stories #1 and #12: paying at the corner shop by scanning its QR code. QR payment is off
//! until Li Wei turns it on in the app with a fresh authentication, and the bank tells him so.

use std::time::Duration;

use mobank_core::qr::{Initiation, MerchantPayment};
use mobank_core::{
    Channel, ChannelOpener, MobankError, MobankEvent, NoticeKind, Operation, ProductKind,
    QrPaymentInput,
};
use mobank_sandbox::{
    CORNER_SHOP_CUSTOMER_ID, CORNER_SHOP_HOLDER_NAME, CORNER_SHOP_MERCHANT_ID, DEMO_CUSTOMER_ID,
};
use rust_decimal::Decimal;

use super::confirming;
use super::format::money;
use super::{ensure, unexpected, Demo, OrFail, Outcome};

/// What the till asks for the shopping.
const BASKET_FEN: i64 = 3_680;

pub async fn run(demo: &Demo) -> Outcome {
    demo.say.chapter("Scan to pay at the corner shop");
    let payload = till_code(demo).await?;
    let scan = scan_refused(demo, &payload).await?;
    turn_on(demo).await?;
    pay(demo, scan).await?;
    told(demo).await
}

/// The code the shop's till shows, and what the phone reads from it.
async fn till_code(demo: &Demo) -> Outcome<String> {
    let say = &demo.say;
    say.step("At the till of 街角便利店, the corner shop: a QR code for the basket");
    demo.pass(Duration::from_secs(10 * 60 * 60), "the next day");
    confirming::log_in_again(demo).await?;
    let basket = Decimal::new(BASKET_FEN, 2);
    let payload = demo
        .bank
        .merchant_qr(CORNER_SHOP_MERCHANT_ID, Some(basket))
        .map_err(|e| format!("the shop's QR code: {e}"))?
        .payload;
    let code = MerchantPayment::parse(&payload).or_fail("reading the shop's QR code")?;
    let local = code.alternate_language.as_ref();
    ensure(
        code.initiation == Some(Initiation::Dynamic)
            && code.amount.as_ref().map(|a| a.value()) == Some(basket)
            && local.is_some_and(|l| l.merchant_name == CORNER_SHOP_HOLDER_NAME),
        || unexpected("a dynamic code for the basket, naming the shop", &code),
    )?;
    say.phone(&format!(
        "scanned {} characters, CRC-16 checked: EMVCo merchant-presented, dynamic",
        payload.chars().count()
    ));
    say.detail(
        "Merchant (the code)",
        &format!(
            "{} / {}, {} · category {}",
            code.merchant_name,
            local.map_or("", |l| l.merchant_name.as_str()),
            code.merchant_city,
            code.mcc.code()
        ),
    );
    say.detail(
        "Amount (the code)",
        &format!("¥{} {}", money(basket), code.currency.code()),
    );
    say.aside("What a code says is the merchant's claim; the bank names who gets the money.");
    Ok(payload)
}

async fn scan_refused(demo: &Demo, payload: &str) -> Outcome<QrPaymentInput> {
    let say = &demo.say;
    let current = confirming::account(demo, ProductKind::Current).await?;
    let scan = QrPaymentInput {
        payer_account_id: current.account_id,
        payload: payload.to_string(),
        amount: None,
    };
    match demo.phone.transfers().draft_qr(scan.clone()).await {
        Err(MobankError::ChannelClosed) => {
            say.refused("ChannelClosed — \"QR payment is off. Turn it on in Settings → Payments.\"")
        }
        other => {
            return Err(unexpected(
                "QR payment must be off until Li Wei turns it on",
                other.map(|q| q.confirmation.amount_zh),
            ))
        }
    }
    say.aside("Every channel but the mobile transfer starts off, whoever opened it (story #12).");
    Ok(scan)
}

async fn turn_on(demo: &Demo) -> Outcome {
    let say = &demo.say;
    let channels = demo.phone.channels();
    say.step("He turns QR payment on — a sensitive operation");
    demo.pass(Duration::from_secs(3 * 60), "in the queue");
    let listed = channels
        .list()
        .await
        .or_fail("listing the payment channels")?;
    say.phone("Settings → Payments");
    for channel in &listed {
        say.detail(
            channel.channel.code(),
            if channel.enabled { "on" } else { "off" },
        );
    }
    demo.pass(
        Duration::from_secs(2 * 60 + 30),
        "at the till: the login is now 5:30 old",
    );
    ensure(
        demo.phone.auth().needs_step_up(Operation::EnableChannel),
        || "a login 5:30 old must not be fresh enough to turn a channel on".to_string(),
    )?;
    match channels.enable(Channel::QrPayment).await {
        Err(MobankError::StepUpRequired) => {
            say.refused("StepUpRequired — the phone asks before sending anything")
        }
        other => return Err(unexpected("turning a channel on needs a step-up", other)),
    }
    demo.phone
        .auth()
        .step_up_biometric("Turn on QR payments")
        .await
        .or_fail("the step-up")?;
    let enabled = channels
        .enable(Channel::QrPayment)
        .await
        .or_fail("turning QR payment on")?;
    let qr = enabled
        .iter()
        .find(|c| c.channel == Channel::QrPayment)
        .ok_or("the bank no longer lists QR payment")?;
    ensure(
        qr.enabled && qr.opened_by == Some(ChannelOpener::App),
        || unexpected("QR payment on, opened in the app", qr),
    )?;
    let notices = demo
        .bank
        .notifications(DEMO_CUSTOMER_ID)
        .map_err(|e| format!("reading the bank's notices: {e}"))?
        .notifications;
    let told = notices
        .iter()
        .any(|n| n.kind == NoticeKind::ChannelEnabled && n.channel == Some(Channel::QrPayment));
    ensure(told, || {
        unexpected(
            "every bound device is told QR payment was turned on",
            &notices,
        )
    })?;
    say.ok(&format!(
        "QR payment on, signed by the phone's device key; limits ¥{} per payment, ¥{} a day",
        money(qr.limits.per_transaction),
        money(qr.limits.daily)
    ));
    say.bank("a notice goes to every bound device: QR payment was turned on");
    Ok(())
}

async fn pay(demo: &Demo, scan: QrPaymentInput) -> Outcome {
    let say = &demo.say;
    say.step("He scans again: the confirmation, the face, paid");
    let shop_before = shop_balance(demo)?;
    let qr = demo
        .phone
        .transfers()
        .draft_qr(scan)
        .await
        .or_fail("the QR payment's confirmation")?;
    let basket = format!("¥{}", money(Decimal::new(BASKET_FEN, 2)));
    ensure(
        qr.confirmation.payee_name == CORNER_SHOP_HOLDER_NAME
            && !qr.name_differs
            && qr.amount_from_code
            && qr.confirmation.amount_zh == basket,
        || unexpected("the shop, as the bank names it, for the basket", &qr),
    )?;
    super::transfers::show_confirmation(demo, &qr.confirmation);
    confirming::show_warnings(demo, &qr.confirmation);
    say.aside(&format!(
        "The code calls itself \"{}\"; the payee shown and signed is the bank's name for the \
         account, the same here.",
        qr.code_merchant_name
    ));
    let confirmation = confirming::acknowledge(demo, qr.confirmation).await?;
    let done = confirming::sign(demo, &confirmation).await?;
    super::transfers::show_receipt(demo, &done)?;
    let shop_after = shop_balance(demo)?;
    ensure(
        shop_after - shop_before == Decimal::new(BASKET_FEN, 2),
        || unexpected("the shop is paid the basket", (shop_before, shop_after)),
    )?;
    say.bank(&format!("the shop's account: +{basket}, booked at once"));
    Ok(())
}

/// The notice reaches the phone at its next login, as it does every other bound device.
async fn told(demo: &Demo) -> Outcome {
    let say = &demo.say;
    say.step("Home again, he opens the app");
    demo.pass(Duration::from_secs(20 * 60), "later");
    let (_, events) = confirming::log_in_again(demo).await?;
    let told = events.iter().any(|e| {
        matches!(
            e,
            MobankEvent::ChannelEnabled {
                channel: Some(Channel::QrPayment),
                ..
            }
        )
    });
    ensure(told, || {
        unexpected("the phone hears that QR payment was turned on", &events)
    })?;
    say.ok("the notice arrived: had someone else turned it on, he would know");
    Ok(())
}

fn shop_balance(demo: &Demo) -> Outcome<Decimal> {
    demo.bank
        .accounts(CORNER_SHOP_CUSTOMER_ID)
        .map_err(|e| format!("the shop's accounts: {e}"))?
        .first()
        .map(|a| a.balance)
        .ok_or_else(|| "the shop has no account".to_string())
}
