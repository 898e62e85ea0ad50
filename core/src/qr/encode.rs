//! From a [`MerchantPayment`] to a payload, CRC included: for building test payloads and for
//! checking that what parses is read completely. It writes lengths and IDs right and refuses
//! values too long for their data object; whether the values themselves are acceptable is for
//! the parser to say.

use super::crc::crc16_ccitt_false;
use super::error::{EncodeError, Tag};
use super::model::{
    AdditionalData, AlternateLanguage, DataObject, Label, MerchantAccount, MerchantPayment,
    Template, Tip,
};
use super::values::{write_amount, write_percentage, MAX_AMOUNT_CHARS};
use super::MAX_PAYLOAD_CHARS;

/// The longest value a two-digit length can announce.
const MAX_VALUE_CHARS: usize = 99;

pub(super) fn encode(payment: &MerchantPayment) -> Result<String, EncodeError> {
    let mut out = String::new();
    let mut put = |id: u8, value: &str, max_chars: usize| {
        write(&mut out, id, value, max_chars, Tag::root(id))
    };
    put(0, "01", 2)?;
    if let Some(initiation) = payment.initiation {
        put(1, initiation.code(), 2)?;
    }
    for account in &payment.merchant_accounts {
        match account {
            MerchantAccount::Network { id, value } => {
                in_range(*id, 2..=25, Tag::root(*id))?;
                put(*id, value, MAX_VALUE_CHARS)?;
            }
            MerchantAccount::Template(template) => {
                in_range(template.id, 26..=51, Tag::root(template.id))?;
                put(
                    template.id,
                    &template_value(template, Tag::root(template.id))?,
                    MAX_VALUE_CHARS,
                )?;
            }
        }
    }
    put(52, &payment.mcc.to_string(), 4)?;
    put(53, &format!("{:03}", payment.currency.numeric_code()), 3)?;
    for amount in payment.amount.iter().chain(match &payment.tip {
        Some(Tip::FixedFee(fee)) => Some(fee),
        _ => None,
    }) {
        if amount.currency() != payment.currency {
            return Err(EncodeError::CurrencyMismatch);
        }
    }
    if let Some(amount) = &payment.amount {
        put(54, &write_amount(amount), MAX_AMOUNT_CHARS)?;
    }
    match &payment.tip {
        None => {}
        Some(Tip::AskCustomer) => put(55, "01", 2)?,
        Some(Tip::FixedFee(fee)) => {
            put(55, "02", 2)?;
            put(56, &write_amount(fee), MAX_AMOUNT_CHARS)?;
        }
        Some(Tip::PercentageFee(percentage)) => {
            put(55, "03", 2)?;
            put(57, &write_percentage(*percentage), 5)?;
        }
    }
    put(58, payment.country.as_str(), 2)?;
    put(59, &payment.merchant_name, 25)?;
    put(60, &payment.merchant_city, 15)?;
    if let Some(postal_code) = &payment.postal_code {
        put(61, postal_code, 10)?;
    }
    if let Some(data) = &payment.additional_data {
        put(62, &additional_data_value(data)?, MAX_VALUE_CHARS)?;
    }
    if let Some(language) = &payment.alternate_language {
        put(64, &alternate_language_value(language)?, MAX_VALUE_CHARS)?;
    }
    for object in &payment.reserved {
        in_range(object.id, 65..=79, Tag::root(object.id))?;
        put(object.id, &object.value, MAX_VALUE_CHARS)?;
    }
    for template in &payment.unreserved_templates {
        in_range(template.id, 80..=99, Tag::root(template.id))?;
        put(
            template.id,
            &template_value(template, Tag::root(template.id))?,
            MAX_VALUE_CHARS,
        )?;
    }
    out.push_str("6304");
    let crc = crc16_ccitt_false(out.as_bytes());
    out.push_str(&format!("{crc:04X}"));
    if out.chars().count() > MAX_PAYLOAD_CHARS {
        return Err(EncodeError::TooLong {
            max_chars: MAX_PAYLOAD_CHARS,
        });
    }
    Ok(out)
}

/// Appends data object `id`; `tag` names it in errors.
fn write(
    out: &mut String,
    id: u8,
    value: &str,
    max_chars: usize,
    tag: Tag,
) -> Result<(), EncodeError> {
    let length = value.chars().count();
    if length == 0 || length > max_chars.min(MAX_VALUE_CHARS) {
        return Err(EncodeError::Length(tag));
    }
    out.push_str(&format!("{id:02}{length:02}{value}"));
    Ok(())
}

fn in_range(id: u8, range: std::ops::RangeInclusive<u8>, tag: Tag) -> Result<(), EncodeError> {
    if range.contains(&id) {
        Ok(())
    } else {
        Err(EncodeError::Id(tag))
    }
}

/// A template's value: its identifier in 00, then its data objects.
fn template_value(template: &Template, at: Tag) -> Result<String, EncodeError> {
    let inner = |id: u8| match at.template {
        None => Tag::nested(at.id, id),
        Some(_) => at,
    };
    let mut value = String::new();
    write(&mut value, 0, &template.guid, 32, inner(0))?;
    objects(&mut value, &template.data, 1..=99, inner)?;
    Ok(value)
}

fn objects(
    out: &mut String,
    objects: &[DataObject],
    range: std::ops::RangeInclusive<u8>,
    tag: impl Fn(u8) -> Tag,
) -> Result<(), EncodeError> {
    for object in objects {
        let tag = tag(object.id);
        in_range(object.id, range.clone(), tag)?;
        write(out, object.id, &object.value, MAX_VALUE_CHARS, tag)?;
    }
    Ok(())
}

fn additional_data_value(data: &AdditionalData) -> Result<String, EncodeError> {
    const ID: u8 = 62;
    let tag = |id| Tag::nested(ID, id);
    let mut value = String::new();
    let labels = [
        (1, &data.bill_number),
        (2, &data.mobile_number),
        (3, &data.store_label),
        (4, &data.loyalty_number),
        (5, &data.reference_label),
        (6, &data.customer_label),
        (7, &data.terminal_label),
        (8, &data.purpose),
    ];
    for (id, label) in labels {
        match label {
            Some(Label::Given(text)) => write(&mut value, id, text, 25, tag(id))?,
            Some(Label::AskCustomer) => write(&mut value, id, "***", 25, tag(id))?,
            None => {}
        }
    }
    if let Some(request) = data.customer_data_request {
        let letters: String = [
            (request.address, 'A'),
            (request.mobile, 'M'),
            (request.email, 'E'),
        ]
        .into_iter()
        .filter_map(|(asked, letter)| asked.then_some(letter))
        .collect();
        write(&mut value, 9, &letters, 3, tag(9))?;
    }
    if let Some(tax_id) = &data.merchant_tax_id {
        write(&mut value, 10, tax_id, 20, tag(10))?;
    }
    if let Some(channel) = &data.merchant_channel {
        write(&mut value, 11, channel, 3, tag(11))?;
    }
    for object in &data.reserved {
        let at = tag(object.id);
        if !(object.id == 0 || (12..=49).contains(&object.id)) {
            return Err(EncodeError::Id(at));
        }
        write(&mut value, object.id, &object.value, MAX_VALUE_CHARS, at)?;
    }
    for template in &data.payment_system_templates {
        let at = tag(template.id);
        in_range(template.id, 50..=99, at)?;
        let inner = template_value(template, at)?;
        write(&mut value, template.id, &inner, MAX_VALUE_CHARS, at)?;
    }
    Ok(value)
}

fn alternate_language_value(language: &AlternateLanguage) -> Result<String, EncodeError> {
    const ID: u8 = 64;
    let tag = |id| Tag::nested(ID, id);
    let mut value = String::new();
    write(&mut value, 0, &language.language, 2, tag(0))?;
    write(&mut value, 1, &language.merchant_name, 25, tag(1))?;
    if let Some(city) = &language.merchant_city {
        write(&mut value, 2, city, 15, tag(2))?;
    }
    objects(&mut value, &language.reserved, 3..=99, tag)?;
    Ok(value)
}
