//! Payees: Li Wei saves his landlord. He types her name slightly wrong; the bank answers with
//! the name her account is registered to, the app warns, he acknowledges, steps up with his
//! face, and the add is signed. Then he drafts to the saved payee without typing her account.

use mobank_core::{Account, Channel, Payee, ProductKind, TransferInput, WarningCode};
use mobank_sandbox::{LANDLORD_ACCOUNT_NUMBER, LANDLORD_HOLDER_NAME};

use super::{ensure, unexpected, Demo, OrFail, Outcome};

/// What Li Wei types: one character off (方 for 芳).
const TYPED_NAME: &str = "王方";
const NICKNAME: &str = "房东 landlord";
/// Within the new binding's first-day limits.
const DEPOSIT: &str = "300";

pub async fn run(demo: &Demo) -> Outcome {
    demo.say.chapter("Payees");
    let payee = add_landlord(demo).await?;
    draft_to_payee(demo, &payee).await
}

async fn add_landlord(demo: &Demo) -> Outcome<Payee> {
    let say = &demo.say;
    say.step("Save the landlord as a payee: the bank names the account first");
    demo.phone
        .auth()
        .login_biometric("Log in to Mobank")
        .await
        .or_fail("the biometric login")?;
    say.phone(&format!(
        "entered: her account number, bank MOBANK, name \"{TYPED_NAME}\""
    ));
    let payees = demo.phone.payees();
    let checked = payees
        .check(
            LANDLORD_ACCOUNT_NUMBER.to_owned(),
            "MOBANK".to_owned(),
            Some(TYPED_NAME.to_owned()),
        )
        .await
        .or_fail("the payee's name check")?;
    say.bank(&format!(
        "{} is registered to {} at {}",
        checked.masked_account_number, checked.registered_name, checked.bank_name
    ));
    let warning = checked
        .warning
        .as_ref()
        .filter(|w| w.kind == WarningCode::PayeeNameMismatch)
        .ok_or_else(|| unexpected("a name mismatch warning", &checked.warning))?;
    say.phone(&format!("⚠ {}", warning.reason_zh));
    say.phone(&format!("  {}", warning.reason_en));
    let refused = payees
        .add(checked.token.clone(), NICKNAME.to_owned(), false)
        .await;
    ensure(
        matches!(
            refused,
            Err(mobank_core::MobankError::WarningsNotAcknowledged { .. })
        ),
        || unexpected("no add before the warning is acknowledged", &refused),
    )?;
    say.refused("not saved until he confirms it is the right person");
    say.phone("he checks with her: the bank's name is right, he mistyped; he confirms");
    let payee = payees
        .add(checked.token, NICKNAME.to_owned(), true)
        .await
        .or_fail("adding the payee")?;
    ensure(payee.registered_name == LANDLORD_HOLDER_NAME, || {
        unexpected("the payee saved under the bank's name", &payee)
    })?;
    say.ok(&format!(
        "saved \"{}\" — {} {} (signed by this phone; every bound device is told)",
        payee.nickname, payee.registered_name, payee.masked_account_number
    ));
    say.aside(
        "The name shown and signed is the bank's; his own words only ever go into the nickname.",
    );
    Ok(payee)
}

async fn draft_to_payee(demo: &Demo, payee: &Payee) -> Outcome {
    let say = &demo.say;
    say.step("Draft to the saved payee: no account number typed");
    let current = current_account(demo).await?;
    let confirmation = demo
        .phone
        .transfers()
        .draft(TransferInput {
            payer_account_id: current.account_id,
            payee_account_number: String::new(),
            payee_bank_code: String::new(),
            amount: DEPOSIT.to_owned(),
            memo: "钥匙押金 key deposit".to_owned(),
            channel: Channel::MobileTransfer,
            payee_name: None,
            execution_date: None,
            payee_id: Some(payee.payee_id.clone()),
        })
        .await
        .or_fail("the draft to the saved payee")?;
    ensure(
        confirmation.payee_name == LANDLORD_HOLDER_NAME
            && confirmation
                .warnings
                .iter()
                .any(|w| w.kind == WarningCode::NewPayee),
        || {
            unexpected(
                "a confirmation naming the registered holder, with the new-payee warning",
                (&confirmation.payee_name, &confirmation.warnings),
            )
        },
    )?;
    say.phone(&format!(
        "Confirm: {} to {} {} — {}",
        confirmation.amount_zh,
        confirmation.payee_name,
        confirmation.payee_masked_number,
        confirmation.prompt
    ));
    for warning in &confirmation.warnings {
        say.phone(&format!("ⓘ {}", warning.reason_en));
    }
    say.aside("He does not sign it now: the rent comes in the next chapter.");
    Ok(())
}

async fn current_account(demo: &Demo) -> Outcome<Account> {
    demo.phone
        .accounts()
        .list()
        .await
        .or_fail("listing the accounts")?
        .into_iter()
        .find(|a| a.product == ProductKind::Current)
        .ok_or_else(|| "Li Wei has no current account".to_string())
}
