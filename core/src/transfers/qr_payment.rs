//! Scan to pay: a merchant's QR code made into the same transfer a customer would type, on the
//! QR payment channel, so that it goes through the same quote, confirmation and signing.
//!
//! What the code decides: the payee (Mobank's merchant account template), the currency, and
//! the amount when it carries one. What it does not: the payee's name. The confirmation shows
//! the name the bank registered for the account, as for any transfer, and says when no name in
//! the code is that name, since a code's name is the merchant's claim and a swapped sticker
//! claims whatever its maker likes. Decision record 0029 gives the reasons.

use std::fmt;

use mobank_protocol::money::{Amount, Currency};

use super::model::{Confirmation, TransferInput};
use crate::accounts::Account;
use crate::error::MobankError;
use crate::input::InputError;
use crate::money::parse_typed_amount;
use crate::qr::{Label, MerchantPayment, MobankPayee, QrError, QrRejection, Tip};
use mobank_protocol::transfer::Channel;

/// A scanned code and what the customer entered beside it.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct QrPaymentInput {
    /// One of the customer's accounts; the code's currency must be its currency.
    pub payer_account_id: String,
    /// The text the scanner read, as read.
    pub payload: String,
    /// As typed (`25`, `¥25.00`). Needed when the code has no amount; when it has one, either
    /// absent or the same amount.
    pub amount: Option<String>,
}

impl fmt::Debug for QrPaymentInput {
    // The payload carries the merchant's full account number.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QrPaymentInput")
            .field("payer_account_id", &self.payer_account_id)
            .field("payload", &format_args!("<{} bytes>", self.payload.len()))
            .field("amount", &self.amount)
            .finish()
    }
}

/// The confirmation of a QR payment: the transfer's confirmation, whose `payee_name` is the
/// bank's registered name of the merchant account, and what the code itself said.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct QrConfirmation {
    /// Show it as for any transfer; pass its `token` to sign.
    pub confirmation: Confirmation,
    /// The merchant name the code carries: the one in the merchant's language (data object 64)
    /// if present, else the one in data object 59. A claim, not the payee: show it as such.
    pub code_merchant_name: String,
    /// True when no name in the code is the bank's registered name: show both, so that the
    /// customer sees who really gets the money (warning code `qr_name_differs`).
    pub name_differs: bool,
    /// True when the amount came from the code (a dynamic code), false when typed.
    pub amount_from_code: bool,
}

/// What a read code means for a transfer, before the bank is asked.
pub(super) struct QrPlan {
    pub input: TransferInput,
    pub amount_from_code: bool,
    /// The names the code gives the merchant (59, and 64.01 if present).
    pub code_names: Vec<String>,
    /// The one to show: 64.01 if present, else 59.
    pub shown_name: String,
}

/// Reads the code and finds its payee: everything the phone judges without knowing the payer.
pub(super) fn read(payload: &str) -> Result<(MerchantPayment, MobankPayee), MobankError> {
    let read = MerchantPayment::parse(payload).and_then(|payment| {
        let payee = payment.mobank_payee()?;
        Ok((payment, payee))
    });
    read.map_err(|error: QrError| {
        // Names data objects by ID only, never their values.
        tracing::info!(%error, "QR payload refused");
        MobankError::from(error)
    })
}

/// The transfer the code asks for from `payer`, with `typed` as the customer entered it.
pub(super) fn plan(
    payment: &MerchantPayment,
    payee: MobankPayee,
    payer: &Account,
    typed: Option<&str>,
) -> Result<QrPlan, MobankError> {
    let rejected = |reason| MobankError::QrRejected { reason };
    if matches!(payment.tip, Some(Tip::FixedFee(_) | Tip::PercentageFee(_))) {
        return Err(rejected(QrRejection::FeeUnsupported));
    }
    let currency: Currency = payer.currency.parse().map_err(|_| {
        MobankError::from(InputError {
            what: "the payer account's currency is not supported",
        })
    })?;
    if payment.currency != currency {
        return Err(rejected(QrRejection::CurrencyMismatch));
    }
    let typed = typed
        .filter(|text| !text.trim().is_empty())
        .map(|text| {
            parse_typed_amount(text, currency)
                .map_err(|reason| MobankError::AmountRejected { reason })
        })
        .transpose()?;
    let amount: Amount = match (payment.amount, typed) {
        (Some(coded), Some(typed)) if coded != typed => {
            return Err(rejected(QrRejection::AmountDiffers))
        }
        (Some(coded), _) => coded,
        (None, Some(typed)) => typed,
        (None, None) => return Err(rejected(QrRejection::AmountRequired)),
    };
    let mut code_names = vec![payment.merchant_name.clone()];
    if let Some(language) = &payment.alternate_language {
        code_names.push(language.merchant_name.clone());
    }
    let shown_name = code_names.last().cloned().unwrap_or_default();
    Ok(QrPlan {
        input: TransferInput {
            payer_account_id: payer.account_id.clone(),
            payee_account_number: payee.account_number,
            payee_bank_code: payee.bank_code,
            amount: amount.to_wire(),
            memo: memo(payment),
            channel: Channel::QrPayment,
            // The bank's registered name is what the confirmation shows; the code's name is
            // compared separately (`name_differs`).
            payee_name: None,
            execution_date: None,
            payee_id: None,
        },
        amount_from_code: payment.amount.is_some(),
        code_names,
        shown_name,
    })
}

/// The transfer's confirmation with what the code said beside it.
pub(super) fn confirm(confirmation: Confirmation, plan: QrPlan) -> QrConfirmation {
    let registered = comparable(&confirmation.payee_name);
    let name_differs = !plan
        .code_names
        .iter()
        .any(|name| comparable(name) == registered);
    QrConfirmation {
        confirmation,
        code_merchant_name: plan.shown_name,
        name_differs,
        amount_from_code: plan.amount_from_code,
    }
}

/// A name as compared: without spaces, ASCII letters in lower case. Both sides are already
/// NFC and free of invisible characters (the display-text rule).
fn comparable(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The merchant's reference for the payment, so it reaches the merchant with the money: the
/// reference label (62.05), else the bill number (62.01). Labels the code asks the customer
/// to enter (`***`) are not asked for.
fn memo(payment: &MerchantPayment) -> String {
    let given = |label: &Option<Label>| match label {
        Some(Label::Given(text)) => Some(text.clone()),
        _ => None,
    };
    payment
        .additional_data
        .as_ref()
        .and_then(|data| given(&data.reference_label).or_else(|| given(&data.bill_number)))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use mobank_protocol::qr::MERCHANT_ACCOUNT_GUID;
    use rust_decimal::Decimal;

    use super::*;
    use crate::accounts::ProductKind;
    use crate::qr::{
        AdditionalData, AlternateLanguage, CountryCode, DataObject, Initiation, MerchantAccount,
        MerchantCategoryCode, Percentage, Template,
    };

    const SHOP_ACCOUNT: &str = "6222027777000011";

    fn payment(amount: Option<&str>) -> MerchantPayment {
        MerchantPayment {
            initiation: Some(if amount.is_some() {
                Initiation::Dynamic
            } else {
                Initiation::Static
            }),
            merchant_accounts: vec![MerchantAccount::Template(Template {
                id: 26,
                guid: MERCHANT_ACCOUNT_GUID.to_owned(),
                data: vec![
                    DataObject {
                        id: 1,
                        value: SHOP_ACCOUNT.to_owned(),
                    },
                    DataObject {
                        id: 2,
                        value: "MOBANK".to_owned(),
                    },
                ],
            })],
            mcc: MerchantCategoryCode::new(5411).unwrap(),
            currency: Currency::Cny,
            amount: amount.map(|wire| Amount::parse_wire(wire, Currency::Cny).unwrap()),
            tip: None,
            country: CountryCode::new("CN").unwrap(),
            merchant_name: "CORNER SHOP".to_owned(),
            merchant_city: "SHANGHAI".to_owned(),
            postal_code: None,
            additional_data: None,
            alternate_language: Some(AlternateLanguage {
                language: "ZH".to_owned(),
                merchant_name: "街角便利店".to_owned(),
                merchant_city: None,
                reserved: Vec::new(),
            }),
            unreserved_templates: Vec::new(),
            reserved: Vec::new(),
        }
    }

    fn account(currency: &str) -> Account {
        Account {
            account_id: "acct_current_01".to_owned(),
            product: ProductKind::Current,
            name: "活期账户".to_owned(),
            currency: currency.to_owned(),
            balance: Decimal::new(100_000, 2),
            masked_number: "6222 **** **** 7890".to_owned(),
            parent_account_id: None,
        }
    }

    fn plan_for(payment: &MerchantPayment, typed: Option<&str>) -> Result<QrPlan, MobankError> {
        let payee = payment.mobank_payee().unwrap();
        plan(payment, payee, &account("CNY"), typed)
    }

    fn refused(reason: QrRejection) -> MobankError {
        MobankError::QrRejected { reason }
    }

    #[test]
    fn a_dynamic_code_pays_its_amount_to_its_account_on_the_qr_channel() {
        let plan = plan_for(&payment(Some("25.50")), None).unwrap();
        assert_eq!(plan.input.amount, "25.50");
        assert_eq!(plan.input.payee_account_number, SHOP_ACCOUNT);
        assert_eq!(plan.input.payee_bank_code, "MOBANK");
        assert_eq!(plan.input.channel, Channel::QrPayment);
        assert!(plan.amount_from_code);
        assert_eq!(plan.shown_name, "街角便利店");
    }

    #[test]
    fn a_dynamic_code_accepts_the_same_amount_typed_and_refuses_another() {
        let coded = payment(Some("25.50"));
        assert_eq!(
            plan_for(&coded, Some("¥25.50")).unwrap().input.amount,
            "25.50"
        );
        assert_eq!(
            plan_for(&coded, Some("255")).err(),
            Some(refused(QrRejection::AmountDiffers))
        );
    }

    #[test]
    fn a_static_code_pays_what_the_customer_typed_and_needs_it() {
        let sticker = payment(None);
        let plan = plan_for(&sticker, Some("18")).unwrap();
        assert_eq!(plan.input.amount, "18.00");
        assert!(!plan.amount_from_code);
        for typed in [None, Some(""), Some("  ")] {
            assert_eq!(
                plan_for(&sticker, typed).err(),
                Some(refused(QrRejection::AmountRequired))
            );
        }
        assert!(matches!(
            plan_for(&sticker, Some("5e3")),
            Err(MobankError::AmountRejected { .. })
        ));
    }

    #[test]
    fn a_code_in_another_currency_than_the_payer_account_is_refused() {
        let code = payment(Some("25.00"));
        let payee = code.mobank_payee().unwrap();
        assert_eq!(
            plan(&code, payee, &account("JPY"), None).err(),
            Some(refused(QrRejection::CurrencyMismatch))
        );
    }

    #[test]
    fn a_convenience_fee_is_refused_and_a_tip_prompt_is_not_asked() {
        let mut code = payment(Some("25.00"));
        code.tip = Some(Tip::PercentageFee(
            Percentage::from_hundredths(300).unwrap(),
        ));
        assert_eq!(
            plan_for(&code, None).err(),
            Some(refused(QrRejection::FeeUnsupported))
        );
        code.tip = Some(Tip::FixedFee(
            Amount::parse_wire("1.00", Currency::Cny).unwrap(),
        ));
        assert_eq!(
            plan_for(&code, None).err(),
            Some(refused(QrRejection::FeeUnsupported))
        );
        code.tip = Some(Tip::AskCustomer);
        assert_eq!(plan_for(&code, None).unwrap().input.amount, "25.00");
    }

    #[test]
    fn the_merchants_reference_becomes_the_memo() {
        let mut code = payment(Some("25.00"));
        assert_eq!(plan_for(&code, None).unwrap().input.memo, "");
        code.additional_data = Some(AdditionalData {
            bill_number: Some(Label::Given("B-77".to_owned())),
            reference_label: Some(Label::AskCustomer),
            ..AdditionalData::default()
        });
        assert_eq!(plan_for(&code, None).unwrap().input.memo, "B-77");
        code.additional_data = Some(AdditionalData {
            bill_number: Some(Label::Given("B-77".to_owned())),
            reference_label: Some(Label::Given("ORDER 9".to_owned())),
            ..AdditionalData::default()
        });
        assert_eq!(plan_for(&code, None).unwrap().input.memo, "ORDER 9");
    }

    fn confirmation(payee_name: &str) -> Confirmation {
        Confirmation {
            token: "t".to_owned(),
            transfer_id: "k".to_owned(),
            payer_account_id: "acct_current_01".to_owned(),
            payer_masked_number: "6222 **** **** 7890".to_owned(),
            payee_name: payee_name.to_owned(),
            payee_masked_number: "**** 0011".to_owned(),
            payee_bank_name: "Mobank Sandbox Bank".to_owned(),
            amount_zh: "¥25.00".to_owned(),
            amount_en: "25.00 CNY".to_owned(),
            amount_capitals: "人民币贰拾伍元整".to_owned(),
            currency: "CNY".to_owned(),
            fee_zh: "¥0.00".to_owned(),
            fee_en: "0.00 CNY".to_owned(),
            total_zh: "¥25.00".to_owned(),
            total_en: "25.00 CNY".to_owned(),
            memo: String::new(),
            execution_date: "2026-12-03".to_owned(),
            warnings: Vec::new(),
            runs_at_ms: None,
            schedule_reason: None,
            prompt: "向 街角便利店 (**** 0011) 转账 ¥25.00".to_owned(),
            expires_at_ms: 9,
        }
    }

    #[test]
    fn the_name_differs_only_when_no_name_in_the_code_is_the_registered_one() {
        let code = payment(Some("25.00"));
        let shown = confirm(confirmation("街角便利店"), plan_for(&code, None).unwrap());
        assert!(!shown.name_differs);
        assert_eq!(shown.code_merchant_name, "街角便利店");
        assert_eq!(shown.confirmation.payee_name, "街角便利店");

        let latin = confirm(confirmation("Corner  shop"), plan_for(&code, None).unwrap());
        assert!(!latin.name_differs);

        let elsewhere = confirm(confirmation("张三"), plan_for(&code, None).unwrap());
        assert!(elsewhere.name_differs);
        assert_eq!(elsewhere.confirmation.payee_name, "张三");
        assert_eq!(elsewhere.code_merchant_name, "街角便利店");
    }

    #[test]
    fn the_input_in_a_log_shows_no_payload() {
        let input = QrPaymentInput {
            payer_account_id: "acct_current_01".to_owned(),
            payload: format!("000201{SHOP_ACCOUNT}"),
            amount: None,
        };
        let logged = format!("{input:?}");
        assert!(!logged.contains(SHOP_ACCOUNT), "{logged}");
        assert!(logged.contains("22 bytes"), "{logged}");
    }
}
