//! From a payload to a [`MerchantPayment`]: integrity first (length, structure, CRC, format
//! indicator), then each data object by its rule.

use std::collections::BTreeSet;

use mobank_protocol::money::Currency;

use super::crc::crc16_ccitt_false;
use super::error::{QrError, Tag};
use super::model::{
    AdditionalData, AlternateLanguage, CustomerDataRequest, DataObject, Initiation, Label,
    MerchantAccount, MerchantPayment, Template, Tip,
};
use super::tlv::{self, find, RawObject};
use super::values::{self, ans, ascii_text, opaque, shown_text};
use super::MAX_PAYLOAD_CHARS;

/// The longest payload in bytes: 512 characters of at most four bytes each. Anything longer is
/// refused before a character is counted.
const MAX_PAYLOAD_BYTES: usize = MAX_PAYLOAD_CHARS * 4;

const CRC: u8 = 63;
const ASK_CUSTOMER: &str = "***";

pub(super) fn parse(payload: &str) -> Result<MerchantPayment, QrError> {
    if payload.is_empty() {
        return Err(QrError::Empty);
    }
    if payload.len() > MAX_PAYLOAD_BYTES || payload.chars().count() > MAX_PAYLOAD_CHARS {
        return Err(QrError::TooLong {
            max_chars: MAX_PAYLOAD_CHARS,
        });
    }
    let objects = tlv::read(payload, None)?;
    check_crc(payload, &objects)?;
    check_format_indicator(&objects)?;
    unique(&objects, Tag::root)?;

    let mut merchant_accounts = Vec::new();
    let mut unreserved_templates = Vec::new();
    let mut reserved = Vec::new();
    for object in &objects {
        let tag = Tag::root(object.id);
        match object.id {
            2..=25 => merchant_accounts.push(MerchantAccount::Network {
                id: object.id,
                value: ans(object.value, tag)?.to_owned(),
            }),
            26..=51 => {
                merchant_accounts.push(MerchantAccount::Template(template(object.value, tag)?))
            }
            65..=79 => reserved.push(data_object(object, tag)?),
            80..=99 => unreserved_templates.push(template(object.value, tag)?),
            _ => {}
        }
    }
    if merchant_accounts.is_empty() {
        return Err(QrError::NoMerchantAccount);
    }

    let required = |id: u8| find(&objects, id).ok_or(QrError::Missing(Tag::root(id)));
    let initiation = find(&objects, 1).map(initiation).transpose()?;
    let mcc = values::mcc(required(52)?)?;
    let currency = values::currency(required(53)?)?;
    let amount = find(&objects, 54)
        .map(|text| values::amount(text, currency, Tag::root(54)))
        .transpose()?;
    let tip = tip(&objects, currency)?;
    let country = values::country(required(58)?)?;
    let merchant_name = ascii_text(required(59)?, Tag::root(59), 25)?;
    let merchant_city = ascii_text(required(60)?, Tag::root(60), 15)?;
    let postal_code = find(&objects, 61)
        .map(|text| ascii_text(text, Tag::root(61), 10))
        .transpose()?;
    let additional_data = find(&objects, 62).map(additional_data).transpose()?;
    let alternate_language = find(&objects, 64).map(alternate_language).transpose()?;

    Ok(MerchantPayment {
        initiation,
        merchant_accounts,
        mcc,
        currency,
        amount,
        tip,
        country,
        merchant_name,
        merchant_city,
        postal_code,
        additional_data,
        alternate_language,
        unreserved_templates,
        reserved,
    })
}

/// Data object 63 is last and holds, in upper-case hex, the CRC of everything before its four
/// digits ("6304" included).
fn check_crc(payload: &str, objects: &[RawObject<'_>]) -> Result<(), QrError> {
    let last = match objects.last() {
        Some(last) if last.id == CRC => last,
        _ if objects.iter().any(|object| object.id == CRC) => return Err(QrError::CrcNotLast),
        _ => return Err(QrError::CrcMissing),
    };
    let digits = last.value;
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(QrError::CrcMalformed);
    }
    if digits.bytes().any(|b| b.is_ascii_lowercase()) {
        return Err(QrError::CrcLowerCase);
    }
    let written = u16::from_str_radix(digits, 16).map_err(|_| QrError::CrcMalformed)?;
    // The last value is these four ASCII digits, so the covered part ends on a boundary.
    let covered = &payload.as_bytes()[..payload.len() - digits.len()];
    if crc16_ccitt_false(covered) == written {
        Ok(())
    } else {
        Err(QrError::CrcMismatch)
    }
}

fn check_format_indicator(objects: &[RawObject<'_>]) -> Result<(), QrError> {
    match objects.first() {
        Some(first) if first.id == 0 && first.value == "01" => Ok(()),
        Some(first) if first.id == 0 => Err(QrError::UnsupportedFormat),
        _ if objects.iter().any(|object| object.id == 0) => Err(QrError::FormatIndicatorNotFirst),
        _ => Err(QrError::FormatIndicatorMissing),
    }
}

/// No ID twice in one list: a second amount or account would leave the reader to choose.
fn unique(objects: &[RawObject<'_>], tag: impl Fn(u8) -> Tag) -> Result<(), QrError> {
    let mut seen = BTreeSet::new();
    match objects.iter().find(|object| !seen.insert(object.id)) {
        Some(object) => Err(QrError::Duplicate(tag(object.id))),
        None => Ok(()),
    }
}

fn initiation(text: &str) -> Result<Initiation, QrError> {
    match text {
        "11" => Ok(Initiation::Static),
        "12" => Ok(Initiation::Dynamic),
        _ => Err(QrError::InvalidValue(Tag::root(1))),
    }
}

/// 55 says what 56 or 57 must hold; a fee value without its indicator is refused rather than
/// ignored, since it changes what the customer pays.
fn tip(objects: &[RawObject<'_>], currency: Currency) -> Result<Option<Tip>, QrError> {
    let fixed = find(objects, 56);
    let percentage = find(objects, 57);
    let tip = match (find(objects, 55), fixed, percentage) {
        (None, None, None) => return Ok(None),
        (Some("01"), None, None) => Tip::AskCustomer,
        (Some("02"), Some(fee), None) => {
            Tip::FixedFee(values::amount(fee, currency, Tag::root(56))?)
        }
        (Some("03"), None, Some(fee)) => {
            Tip::PercentageFee(values::percentage(fee, Tag::root(57))?)
        }
        (Some("01" | "02" | "03"), _, _) | (None, _, _) => {
            return Err(QrError::ConvenienceFeeMismatch)
        }
        (Some(_), _, _) => return Err(QrError::InvalidValue(Tag::root(55))),
    };
    Ok(Some(tip))
}

/// A template with a globally unique identifier in 00 (merchant accounts 26–51, unreserved
/// templates 80–99, payment system templates 62.50–99). Its other sub-objects are kept as read:
/// the specification nests no deeper, so they are never parsed again.
fn template(value: &str, at: Tag) -> Result<Template, QrError> {
    // A Tag has two levels: inside a template that is itself nested, errors name that template.
    let inner = |id: u8| match at.template {
        None => Tag::nested(at.id, id),
        Some(_) => at,
    };
    let objects = tlv::read(value, Some(at))?;
    unique(&objects, inner)?;
    let guid = find(&objects, 0).ok_or(QrError::Missing(inner(0)))?;
    let guid = ans(guid, inner(0))?;
    if guid.chars().count() > 32 {
        return Err(QrError::InvalidValue(inner(0)));
    }
    let data = objects
        .iter()
        .filter(|object| object.id != 0)
        .map(|object| data_object(object, inner(object.id)))
        .collect::<Result<_, _>>()?;
    Ok(Template {
        id: at.id,
        guid: guid.to_owned(),
        data,
    })
}

fn data_object(object: &RawObject<'_>, tag: Tag) -> Result<DataObject, QrError> {
    Ok(DataObject {
        id: object.id,
        value: opaque(object.value, tag)?,
    })
}

fn additional_data(value: &str) -> Result<AdditionalData, QrError> {
    const ID: u8 = 62;
    let objects = tlv::read(value, Some(Tag::root(ID)))?;
    unique(&objects, |id| Tag::nested(ID, id))?;
    let mut data = AdditionalData::default();
    for object in &objects {
        let tag = Tag::nested(ID, object.id);
        let text = object.value;
        match object.id {
            1 => data.bill_number = Some(label(text, tag)?),
            2 => data.mobile_number = Some(label(text, tag)?),
            3 => data.store_label = Some(label(text, tag)?),
            4 => data.loyalty_number = Some(label(text, tag)?),
            5 => data.reference_label = Some(label(text, tag)?),
            6 => data.customer_label = Some(label(text, tag)?),
            7 => data.terminal_label = Some(label(text, tag)?),
            8 => data.purpose = Some(label(text, tag)?),
            9 => data.customer_data_request = Some(customer_data_request(text, tag)?),
            10 => data.merchant_tax_id = Some(ascii_text(text, tag, 20)?),
            11 => {
                if ans(text, tag)?.len() != 3 {
                    return Err(QrError::InvalidValue(tag));
                }
                data.merchant_channel = Some(text.to_owned());
            }
            0 | 12..=49 => data.reserved.push(data_object(object, tag)?),
            _ => data.payment_system_templates.push(template(text, tag)?),
        }
    }
    Ok(data)
}

/// `***` (after trimming) asks the customer; anything else is the value.
fn label(text: &str, tag: Tag) -> Result<Label, QrError> {
    let text = ascii_text(text, tag, 25)?;
    Ok(if text == ASK_CUSTOMER {
        Label::AskCustomer
    } else {
        Label::Given(text)
    })
}

fn customer_data_request(text: &str, tag: Tag) -> Result<CustomerDataRequest, QrError> {
    let mut request = CustomerDataRequest::default();
    for c in text.chars() {
        let flag = match c {
            'A' => &mut request.address,
            'M' => &mut request.mobile,
            'E' => &mut request.email,
            _ => return Err(QrError::InvalidValue(tag)),
        };
        if std::mem::replace(flag, true) {
            return Err(QrError::InvalidValue(tag));
        }
    }
    Ok(request)
}

fn alternate_language(value: &str) -> Result<AlternateLanguage, QrError> {
    const ID: u8 = 64;
    let objects = tlv::read(value, Some(Tag::root(ID)))?;
    unique(&objects, |id| Tag::nested(ID, id))?;
    let tag = |id| Tag::nested(ID, id);
    let language = find(&objects, 0).ok_or(QrError::Missing(tag(0)))?;
    if language.len() != 2 || !language.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(QrError::InvalidValue(tag(0)));
    }
    let merchant_name = find(&objects, 1).ok_or(QrError::Missing(tag(1)))?;
    let merchant_name = shown_text(merchant_name, tag(1), 25)?;
    let merchant_city = find(&objects, 2)
        .map(|text| shown_text(text, tag(2), 15))
        .transpose()?;
    let reserved = objects
        .iter()
        .filter(|object| object.id > 2)
        .map(|object| data_object(object, tag(object.id)))
        .collect::<Result<_, _>>()?;
    Ok(AlternateLanguage {
        language: language.to_owned(),
        merchant_name,
        merchant_city,
        reserved,
    })
}
