//! A product a branch opens for the customer (story 4: precious-metal trading and its margin
//! account opened behind the customer's back): it is in the accounts list at once, and every
//! bound device is told at its next login, the money in it findable.

use mobank_core::{MobankEvent, ProductKind};
use mobank_e2e::{Bank, Phone, PIN};
use mobank_protocol::messages::NoticeKind;
use mobank_sandbox::dev::OpenProductRequest;
use mobank_sandbox::{SandboxError, DEMO_CUSTOMER_ID, LANDLORD_CUSTOMER_ID};

use crate::current_account_id;

const MARGIN: &str = "贵金属保证金 Precious-metal margin";

fn margin_under(parent: Option<String>) -> OpenProductRequest {
    OpenProductRequest {
        product: ProductKind::Margin,
        name: MARGIN.to_owned(),
        currency: "CNY".to_owned(),
        parent_account_id: parent,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_product_opened_by_a_branch_is_listed_and_every_bound_device_is_told() {
    let bank = Bank::start().await.unwrap();
    let first = Phone::bound(&bank, bank.endpoint()).await.unwrap();
    let second = Phone::named(bank.endpoint(), "iPhone 15").unwrap();
    second.bind(&bank).await.unwrap();
    first.login_pin(PIN).await.unwrap();
    let current = current_account_id(&first).await;

    let opened = bank
        .sandbox
        .open_product(DEMO_CUSTOMER_ID, &margin_under(Some(current.clone())))
        .unwrap();
    assert!(opened.masked_number.starts_with("**** "));
    assert_eq!(opened.masked_number.len(), "**** 0000".len());

    // In the list at once, under the current account.
    let listed = first.mobank.accounts().list().await.unwrap();
    let margin = listed
        .iter()
        .find(|account| account.account_id == opened.account_id)
        .expect("the new product is listed");
    assert_eq!(margin.product, ProductKind::Margin);
    assert_eq!(margin.name, MARGIN);
    assert_eq!(margin.parent_account_id.as_deref(), Some(current.as_str()));

    // Every bound device hears of it at its next login, with the name and the masked number.
    let label = format!("{MARGIN} ({})", opened.masked_number);
    for phone in [&first, &second] {
        phone.mobank.auth().logout();
        phone.login_pin(PIN).await.unwrap();
        let told = phone
            .events
            .events()
            .into_iter()
            .filter(|event| matches!(event, MobankEvent::ProductOpened { .. }))
            .collect::<Vec<_>>();
        assert_eq!(told.len(), 1, "{told:?}");
        assert!(
            matches!(&told[0], MobankEvent::ProductOpened { product: Some(shown), .. } if *shown == label)
        );
    }
    let sent = bank.sandbox.notifications(DEMO_CUSTOMER_ID).unwrap();
    let product_notices = sent
        .notifications
        .iter()
        .filter(|sent| sent.kind == NoticeKind::ProductOpened)
        .count();
    assert_eq!(product_notices, 2, "one push per bound device");
    assert!(bank.sandbox.check_ledger().unwrap().balanced);
    bank.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_branch_cannot_open_a_product_under_another_customers_account_or_with_a_bidi_name() {
    let bank = Bank::start().await.unwrap();
    let landlords = bank.sandbox.accounts(LANDLORD_CUSTOMER_ID).unwrap();
    let before = bank.sandbox.accounts(DEMO_CUSTOMER_ID).unwrap().len();

    let under_another = bank.sandbox.open_product(
        DEMO_CUSTOMER_ID,
        &margin_under(Some(landlords[0].account_id.clone())),
    );
    assert!(matches!(under_another, Err(SandboxError::UnknownAccount)));
    let mut bidi = margin_under(None);
    bidi.name = "保证金\u{202E}tnuocca".to_owned();
    assert!(matches!(
        bank.sandbox.open_product(DEMO_CUSTOMER_ID, &bidi),
        Err(SandboxError::InvalidText(_))
    ));
    let mut odd_currency = margin_under(None);
    odd_currency.currency = "XAU".to_owned();
    assert!(matches!(
        bank.sandbox.open_product(DEMO_CUSTOMER_ID, &odd_currency),
        Err(SandboxError::InvalidRequest(_))
    ));
    assert!(matches!(
        bank.sandbox.open_product("nobody", &margin_under(None)),
        Err(SandboxError::UnknownCustomer)
    ));
    assert_eq!(
        bank.sandbox.accounts(DEMO_CUSTOMER_ID).unwrap().len(),
        before,
        "nothing opened"
    );
    bank.stop().await;
}
