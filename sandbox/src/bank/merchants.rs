//! Merchants: the QR code the bank prints for a merchant's account, and the rule that a QR
//! payment goes to a merchant. The code is an EMVCo merchant-presented payload naming the
//! account in Mobank's merchant account template (`mobank_protocol::qr`); `docs/protocol.md`
//! section 13 lists what it holds.

use mobank_protocol::money::Currency as WireCurrency;
use mobank_protocol::qr::{
    crc16_ccitt_false, ACCOUNT_NUMBER_ID, BANK_CODE_ID, MERCHANT_ACCOUNT_GUID,
};
use mobank_protocol::transfer::Channel;
use mobank_protocol::ErrorCode;
use rusqlite::Connection;
use rust_decimal::Decimal;

use super::transfer::payee::Destination;
use super::transfer::BANK_CODE;
use super::Bank;
use crate::db::merchants;
use crate::dev::MerchantQr;
use crate::error::{ApiFailure, SandboxError};
use crate::ledger::money::AmountError;

/// The merchant account template's ID: the first of the range (26–51) EMVCo leaves to payment
/// systems.
const TEMPLATE_ID: u8 = 26;
/// The longest amount EMVCo allows (data object 54).
const MAX_AMOUNT_CHARS: usize = 13;

/// The code for `merchant_id`: static (the customer types the amount) without `amount`,
/// dynamic with it.
pub(crate) fn qr_code(
    bank: &Bank,
    merchant_id: &str,
    amount: Option<Decimal>,
) -> Result<MerchantQr, SandboxError> {
    let merchant = bank
        .with_db(|conn| merchants::by_id(conn, merchant_id))?
        .ok_or(SandboxError::UnknownMerchant)?;
    let amount = amount
        .map(|amount| {
            let minor = merchant.currency.positive_minor(amount).map_err(|error| {
                SandboxError::InvalidRequest(match error {
                    AmountError::TooPrecise => {
                        "amount has more decimals than its currency (JPY none, the others two)"
                    }
                    AmountError::NotPositive => "amount must be greater than zero",
                })
            })?;
            let text = merchant.currency.to_decimal(minor).to_string();
            if text.len() > MAX_AMOUNT_CHARS {
                return Err(SandboxError::InvalidRequest(
                    "amount has more than the 13 characters a QR code holds",
                ));
            }
            Ok(text)
        })
        .transpose()?;
    let currency: WireCurrency = merchant
        .currency
        .code()
        .parse()
        .map_err(|_| SandboxError::Internal("a merchant in a currency the wire lacks"))?;

    let account = object(0, MERCHANT_ACCOUNT_GUID)?
        + &object(ACCOUNT_NUMBER_ID, &merchant.account_number)?
        + &object(BANK_CODE_ID, BANK_CODE)?;
    let local = object(0, &merchant.language)?
        + &object(1, &merchant.name_local)?
        + &object(2, &merchant.city_local)?;
    let mut payload = object(0, "01")?;
    payload += &object(1, if amount.is_some() { "12" } else { "11" })?;
    payload += &object(TEMPLATE_ID, &account)?;
    payload += &object(52, &merchant.mcc)?;
    payload += &object(53, &format!("{:03}", currency.numeric_code()))?;
    if let Some(amount) = &amount {
        payload += &object(54, amount)?;
    }
    payload += &object(58, "CN")?;
    payload += &object(59, &merchant.name_latin)?;
    payload += &object(60, &merchant.city_latin)?;
    payload += &object(64, &local)?;
    payload += "6304";
    let crc = crc16_ccitt_false(payload.as_bytes());
    payload += &format!("{crc:04X}");
    Ok(MerchantQr {
        merchant_id: merchant_id.to_owned(),
        payload,
    })
}

/// One data object: two-digit ID, two-digit length in characters, value.
fn object(id: u8, value: &str) -> Result<String, SandboxError> {
    let length = value.chars().count();
    if !(1..=99).contains(&length) {
        return Err(SandboxError::Internal(
            "a merchant value that no QR data object can hold",
        ));
    }
    Ok(format!("{id:02}{length:02}{value}"))
}

/// A QR payment must go to a merchant's account at this bank: a code naming anyone else's
/// account is refused (`payee_invalid`), whatever the phone showed.
pub(crate) fn require_merchant_payee(
    conn: &Connection,
    channel: Channel,
    destination: &Destination,
) -> Result<(), ApiFailure> {
    if channel != Channel::QrPayment {
        return Ok(());
    }
    let is_merchant = match destination {
        Destination::Here { account_id, .. } => merchants::takes_qr_payments(conn, account_id)?,
        Destination::OtherBank { .. } => false,
    };
    if is_merchant {
        Ok(())
    } else {
        Err(ApiFailure::new(
            ErrorCode::PayeeInvalid,
            "a QR payment goes to a merchant account of this bank",
        ))
    }
}
