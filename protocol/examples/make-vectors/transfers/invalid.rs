//! Canonical bytes and submissions a bank must refuse, each with the reason.

use mobank_protocol::assertion::verify;
use mobank_protocol::money::{Amount, Currency};
use mobank_protocol::transfer::{CanonicalError, CanonicalTransfer};
use mobank_protocol::vectors::{error_name, hex};
use mobank_protocol::{signed_bytes, Assertion, Ceremony, Factor, FLAG_USER_PRESENT};
use serde_json::Value;

use super::file::{InvalidCanonical, InvalidSignature, ValidTransfer};
use super::kept::KeptSignatures;
use super::{bank_expectation, encode, encode_texts, transfer_inputs, MAGIC, VERSION};
use crate::fixtures::{build, Keys, Result};

/// Field positions in the encoding.
const ACCOUNT: usize = 1;
const NAME: usize = 3;
const AMOUNT: usize = 4;
const FEE: usize = 6;
const MEMO: usize = 7;
const KEY: usize = 10;
const CHALLENGE: usize = 11;
const QUOTED_AT: usize = 12;
const WARNINGS: usize = 13;

fn named<'a>(valid: &'a [ValidTransfer], name: &str) -> Result<&'a ValidTransfer> {
    valid
        .iter()
        .find(|v| v.name == name)
        .ok_or_else(|| format!("no valid vector {name}").into())
}

struct FieldDefect {
    name: &'static str,
    description: &'static str,
    field: &'static str,
    position: usize,
    text: String,
    /// Where the same text sits in the wire JSON, if JSON can carry it.
    json_path: Option<&'static [&'static str]>,
}

fn error_of(error: CanonicalError) -> (&'static str, Option<String>) {
    match error {
        CanonicalError::Magic => ("Magic", None),
        CanonicalError::Version(_) => ("Version", None),
        CanonicalError::Truncated => ("Truncated", None),
        CanonicalError::TrailingBytes => ("TrailingBytes", None),
        CanonicalError::NotUtf8 => ("NotUtf8", None),
        CanonicalError::Field(field) => ("Field", Some(field.to_owned())),
    }
}

fn set(json: &mut Value, path: &[&str], value: Value) -> Result<()> {
    let mut at = json;
    for step in path {
        at = at.get_mut(*step).ok_or("no such JSON path")?;
    }
    *at = value;
    Ok(())
}

pub(crate) fn canonical(valid: &[ValidTransfer]) -> Result<Vec<InvalidCanonical>> {
    let base = named(valid, "cny_own_account")?;
    let texts = &base.field_texts;
    let mut wrong_digit = texts[ACCOUNT].clone();
    let last = wrong_digit.pop().ok_or("empty account number")?;
    let last = last.to_digit(10).ok_or("not a digit")?;
    wrong_digit.push(char::from_digit((last + 1) % 10, 10).ok_or("not a digit")?);
    let defects = [
        FieldDefect {
            name: "payee_account_check_digit",
            description: "The payee account number with its last (check) digit one off: the \
                          Luhn sum is no longer a multiple of ten.",
            field: "payee.account_number",
            position: ACCOUNT,
            text: wrong_digit,
            json_path: Some(&["payee", "account_number"]),
        },
        FieldDefect {
            name: "payee_name_not_nfc",
            description: "A payee name with e + U+0301 (combining acute) instead of U+00E9: the \
                          same visible name with other bytes. Names must already be NFC.",
            field: "payee.name",
            position: NAME,
            text: "Rene\u{301}e Martin".to_owned(),
            json_path: Some(&["payee", "name"]),
        },
        FieldDefect {
            name: "memo_bidi_control",
            description: "A memo with U+202E (right-to-left override), which makes the text \
                          display in another order than its bytes.",
            field: "memo",
            position: MEMO,
            text: "rent \u{202E}fdp.exe".to_owned(),
            json_path: Some(&["memo"]),
        },
        FieldDefect {
            name: "fee_zero_one_decimal",
            description: "A fee of \"0.0\": the zero of CNY is \"0.00\", exactly two decimals \
                          like every CNY amount.",
            field: "fee",
            position: FEE,
            text: "0.0".to_owned(),
            json_path: Some(&["fee"]),
        },
        FieldDefect {
            name: "amount_one_decimal",
            description: "An amount of \"500.0\": the same value as \"500.00\" in another text; \
                          only the currency's exact number of decimals is an amount.",
            field: "amount",
            position: AMOUNT,
            text: "500.0".to_owned(),
            json_path: Some(&["amount", "value"]),
        },
        FieldDefect {
            name: "idempotency_key_upper_case",
            description: "The idempotency key in upper-case hex: only the 32 lower-case hex \
                          digits are the key's text.",
            field: "idempotency_key",
            position: KEY,
            text: texts[KEY].to_uppercase(),
            json_path: Some(&["idempotency_key"]),
        },
        FieldDefect {
            name: "warnings_unsorted",
            description: "Two acknowledged warnings in descending order: one set of warnings has \
                          one text, the codes ascending.",
            field: "acknowledged_warnings",
            position: WARNINGS,
            text: "unusual_amount,repeat_payment".to_owned(),
            json_path: Some(&["acknowledged_warnings"]),
        },
        FieldDefect {
            name: "challenge_padded",
            description: "The challenge in base64url with `=` padding: binary values are \
                          unpadded base64url.",
            field: "challenge",
            position: CHALLENGE,
            text: format!("{}=", texts[CHALLENGE]),
            json_path: Some(&["challenge"]),
        },
        FieldDefect {
            name: "quoted_at_leading_zero",
            description: "quoted_at_ms with a leading zero: decimal without leading zeros. (JSON \
                          numbers cannot carry it, so only the bytes have this defect.)",
            field: "quoted_at_ms",
            position: QUOTED_AT,
            text: format!("0{}", texts[QUOTED_AT]),
            json_path: None,
        },
    ];

    let wire = serde_json::to_value(&base.transfer)?;
    let mut out = Vec::new();
    for defect in defects {
        let mut changed = texts.clone();
        changed[defect.position] = defect.text.clone();
        let json = match defect.json_path {
            Some(path) => {
                let mut json = wire.clone();
                let value = if defect.position == WARNINGS {
                    Value::from(defect.text.split(',').collect::<Vec<_>>())
                } else {
                    Value::from(defect.text.clone())
                };
                set(&mut json, path, value)?;
                Some(json)
            }
            None => None,
        };
        out.push(checked(
            defect.name,
            defect.description,
            &format!(
                "{} with the field {} as {:?}",
                base.name, defect.field, defect.text
            ),
            encode_texts(&changed),
            json,
            ("Field", Some(defect.field.to_owned())),
        )?);
    }

    let bytes = encode_texts(texts);
    let mut trailing = bytes.clone();
    trailing.push(0);
    let truncated = bytes[..bytes.len() - 1].to_vec();
    let fields: Vec<&[u8]> = texts.iter().map(|t| t.as_bytes()).collect();
    let mut not_utf8 = fields.clone();
    not_utf8[MEMO] = b"rent \xff";
    let byte_cases = [
        (
            "trailing_byte",
            "A zero byte after the last field: nothing may follow it.",
            "cny_own_account's canonical bytes with 0x00 appended",
            trailing,
            ("TrailingBytes", None),
        ),
        (
            "truncated",
            "The last byte cut off: the last field's length prefix is incomplete.",
            "cny_own_account's canonical bytes without their last byte",
            truncated,
            ("Truncated", None),
        ),
        (
            "wrong_magic",
            "The magic in lower case: it is exactly the 15 ASCII bytes MOBANK-TRANSFER.",
            "cny_own_account's fields after \"mobank-transfer\"",
            encode(b"mobank-transfer", VERSION, &fields),
            ("Magic", None),
        ),
        (
            "wrong_version",
            "Version byte 2 after the magic: only version 1 is defined.",
            "cny_own_account's canonical bytes with version byte 0x02",
            encode(MAGIC, 2, &fields),
            ("Version", None),
        ),
        (
            "memo_not_utf8",
            "A memo containing the byte 0xFF, which is not UTF-8.",
            "cny_own_account with the memo bytes \"rent \" 0xFF",
            encode(MAGIC, VERSION, &not_utf8),
            ("NotUtf8", None),
        ),
    ];
    for (name, description, mutation, bytes, expected) in byte_cases {
        out.push(checked(name, description, mutation, bytes, None, expected)?);
    }
    Ok(out)
}

fn checked(
    name: &str,
    description: &str,
    mutation: &str,
    bytes: Vec<u8>,
    json: Option<Value>,
    expected: (&str, Option<String>),
) -> Result<InvalidCanonical> {
    let refused = CanonicalTransfer::from_bytes(&bytes)
        .err()
        .map(error_of)
        .ok_or_else(|| format!("{name}: the bytes decode"))?;
    if (refused.0, refused.1.clone()) != (expected.0, expected.1.clone()) {
        return Err(format!("{name}: refused as {refused:?}, expected {expected:?}").into());
    }
    if let Some(json) = &json {
        if let Ok(parsed) = serde_json::from_value::<CanonicalTransfer>(json.clone()) {
            let field = parsed.validate().err().map(error_of).and_then(|(_, f)| f);
            if field != expected.1 {
                return Err(format!("{name}: the JSON is refused as {field:?}").into());
            }
        }
    }
    Ok(InvalidCanonical {
        name: name.to_owned(),
        description: description.to_owned(),
        mutation: mutation.to_owned(),
        canonical_hex: hex(&bytes),
        transfer_json: json,
        expected_error: expected.0.to_owned(),
        field: expected.1,
    })
}

pub(crate) fn signatures(
    valid: &[ValidTransfer],
    keys: &Keys,
    kept: &KeptSignatures,
) -> Result<Vec<InvalidSignature>> {
    let own = named(valid, "cny_own_account")?;
    let other = named(valid, "cny_other_bank_with_fee")?;
    let possession = own
        .assertions
        .iter()
        .find(|a| a.factor == Factor::Possession)
        .ok_or("no possession assertion")?;
    let other_possession = other
        .assertions
        .iter()
        .find(|a| a.factor == Factor::Possession)
        .ok_or("no possession assertion")?;
    let previous = possession.sign_count - 1;

    let mut inflated = own.transfer.clone();
    inflated.amount = Amount::parse_wire("5000.00", Currency::Cny)?;

    let mut swapped = possession.assertion.clone();
    swapped.signature = other_possession.assertion.signature.clone();

    let operation_inputs = transfer_inputs(
        &own.transfer,
        Ceremony::Operation,
        FLAG_USER_PRESENT,
        possession.sign_count,
    )?;
    let (auth, client) = build(&operation_inputs);
    let as_operation = Assertion {
        factor: Factor::Possession,
        signature: kept.sign(&keys.possession, &signed_bytes(&auth, &client))?,
        authenticator_data: auth,
        client_data_json: client,
    };

    let cases = [
        (
            "fields_changed_after_signing",
            "The phone signed 500.00 CNY; the request carries 5000.00 with the same signature. \
             The bank rebuilds the canonical bytes from the fields it would execute, so the \
             operation text it expects is another one.",
            "cny_own_account's possession assertion, submitted with amount 5000.00",
            inflated,
            possession.assertion.clone(),
            "OperationMismatch",
        ),
        (
            "signature_over_other_bytes",
            "The client data of this transfer with the possession key's signature over another \
             transfer's signed bytes.",
            "cny_own_account's possession assertion with the signature of \
             cny_other_bank_with_fee's",
            own.transfer.clone(),
            swapped,
            "BadSignature",
        ),
        (
            "operation_ceremony",
            "The transfer's operation text signed in the generic mobank.operation ceremony: a \
             transfer is authorised only by mobank.transfer.",
            "cny_own_account's possession inputs with ceremony mobank.operation; re-signed",
            own.transfer.clone(),
            as_operation,
            "CeremonyMismatch",
        ),
    ];
    let public_key = keys.possession.public_key();
    let mut out = Vec::new();
    for (name, description, mutation, transfer, assertion, expected) in cases {
        let expectation = bank_expectation(&transfer, false, previous)?;
        match verify(&assertion, &public_key, &expectation.borrow()) {
            Err(error) if error_name(&error) == expected => {}
            other => return Err(format!("{name}: expected {expected}, got {other:?}").into()),
        }
        out.push(InvalidSignature {
            name: name.to_owned(),
            description: description.to_owned(),
            mutation: mutation.to_owned(),
            key: keys.possession.name.to_owned(),
            transfer,
            assertion,
            expectation,
            expected_error: expected.to_owned(),
        });
    }
    Ok(out)
}
