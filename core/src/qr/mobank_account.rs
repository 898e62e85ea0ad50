//! Which account at a Mobank bank a merchant payment pays: the merchant account information
//! template the bank prints (see [`mobank_protocol::qr`]). A payload may name other payment
//! systems beside it; Mobank pays only through its own template and ignores the rest.

use std::fmt;

use mobank_protocol::qr::{ACCOUNT_NUMBER_ID, BANK_CODE_ID, MERCHANT_ACCOUNT_GUID};
use mobank_protocol::transfer::account_number;

use super::error::{QrError, Tag};
use super::model::{MerchantAccount, MerchantPayment, Template};

/// The payee a merchant payment names, in the wire form of a transfer's payee.
#[derive(Clone, PartialEq, Eq)]
pub struct MobankPayee {
    /// 12 to 19 digits, Luhn check digit verified.
    pub account_number: String,
    /// 2 to 16 upper-case ASCII letters and digits (`MOBANK`).
    pub bank_code: String,
}

impl fmt::Debug for MobankPayee {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MobankPayee")
            .field("account_number", &"<hidden>")
            .field("bank_code", &self.bank_code)
            .finish()
    }
}

impl MerchantPayment {
    /// The account the payment goes to: the one merchant account template whose identifier is
    /// `cn.mobank` (any ASCII case), its account number in sub-object 01 and bank code in 02.
    /// Sub-objects 03–99 are ignored. No such template is [`QrError::NoMobankAccount`], two
    /// are [`QrError::MobankAccountAmbiguous`], and a missing or malformed sub-object is
    /// [`QrError::MobankAccountInvalid`] naming it.
    pub fn mobank_payee(&self) -> Result<MobankPayee, QrError> {
        let mut ours = self
            .merchant_accounts
            .iter()
            .filter_map(|account| match account {
                MerchantAccount::Template(template)
                    if template.guid.eq_ignore_ascii_case(MERCHANT_ACCOUNT_GUID) =>
                {
                    Some(template)
                }
                _ => None,
            });
        let template = ours.next().ok_or(QrError::NoMobankAccount)?;
        if ours.next().is_some() {
            return Err(QrError::MobankAccountAmbiguous);
        }
        let account_number = sub_object(template, ACCOUNT_NUMBER_ID)?;
        if account_number::check(account_number).is_err() {
            return Err(QrError::MobankAccountInvalid(tag(
                template,
                ACCOUNT_NUMBER_ID,
            )));
        }
        let bank_code = sub_object(template, BANK_CODE_ID)?;
        let valid_code = (2..=16).contains(&bank_code.len())
            && bank_code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if !valid_code {
            return Err(QrError::MobankAccountInvalid(tag(template, BANK_CODE_ID)));
        }
        Ok(MobankPayee {
            account_number: account_number.to_owned(),
            bank_code: bank_code.to_owned(),
        })
    }
}

fn sub_object(template: &Template, id: u8) -> Result<&str, QrError> {
    template
        .data
        .iter()
        .find(|object| object.id == id)
        .map(|object| object.value.as_str())
        .ok_or(QrError::MobankAccountInvalid(tag(template, id)))
}

fn tag(template: &Template, id: u8) -> Tag {
    Tag::nested(template.id, id)
}
