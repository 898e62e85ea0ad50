//! The canonical transfer and its bytes.
//!
//! ```text
//! canonical = "MOBANK-TRANSFER" 0x01 field{14}
//! field     = length (u32, big-endian, byte count) ‖ UTF-8 bytes
//! ```
//!
//! The fourteen fields, in this order, all as text: payer account id, payee account number,
//! payee bank code, payee name, amount (wire form), currency (ISO 4217 alpha), fee (wire form of
//! the same currency, `0.00` allowed), memo (may be empty), channel, execution date
//! (`YYYY-MM-DD`), idempotency key (32 lower-case hex digits), challenge (base64url, unpadded),
//! quoted at (Unix milliseconds in decimal, no leading zeros), acknowledged warnings (the codes
//! joined by `,`, ascending, empty for none). Nothing may follow the last field.

use ring::digest::{digest, SHA256};
use ring::rand::SecureRandom;
use serde::{Deserialize, Serialize};

use super::account_number;
use super::fields;
use crate::b64;
use crate::money::{Amount, Currency};
use crate::CHALLENGE_LEN;

const MAGIC: &[u8] = b"MOBANK-TRANSFER";
/// The version byte after the magic: this encoding.
pub const CANONICAL_VERSION: u8 = 1;
const FIELD_COUNT: usize = 14;

/// How the money moves; each channel has its own limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A transfer the customer enters in the app: on for every customer.
    MobileTransfer,
    /// Paying a merchant by scanning its QR code.
    QrPayment,
    /// Small payments without a payee list.
    QuickPay,
}

impl Channel {
    pub const ALL: [Channel; 3] = [
        Channel::MobileTransfer,
        Channel::QrPayment,
        Channel::QuickPay,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Channel::MobileTransfer => "mobile_transfer",
            Channel::QrPayment => "qr_payment",
            Channel::QuickPay => "quick_pay",
        }
    }

    pub fn from_code(code: &str) -> Option<Channel> {
        Channel::ALL
            .into_iter()
            .find(|channel| channel.code() == code)
    }
}

/// 128 random bits the phone draws once per transfer intent and reuses on every retry, so one
/// intent becomes at most one transfer. Lower-case hex on the wire.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdempotencyKey([u8; 16]);

impl IdempotencyKey {
    pub fn generate(random: &dyn SecureRandom) -> Result<Self, ring::error::Unspecified> {
        let mut bytes = [0u8; 16];
        random.fill(&mut bytes)?;
        Ok(Self(bytes))
    }

    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    pub fn to_hex(self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Exactly 32 lower-case hex digits.
    pub fn parse(text: &str) -> Option<Self> {
        if text.len() != 32
            || !text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return None;
        }
        let mut bytes = [0u8; 16];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(Self(bytes))
    }
}

impl std::fmt::Debug for IdempotencyKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IdempotencyKey({})", self.to_hex())
    }
}

impl Serialize for IdempotencyKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for IdempotencyKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).ok_or_else(|| {
            serde::de::Error::custom("idempotency key is not 32 lower-case hex digits")
        })
    }
}

/// Who receives the money, as the bank registered them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Payee {
    /// Digits only, with a valid check digit.
    pub account_number: String,
    /// The payee's bank: `MOBANK` for this bank.
    pub bank_code: String,
    /// The holder's name as the payee's bank registered it (never as the customer typed it).
    pub name: String,
}

/// Everything a transfer signature covers. The bank executes exactly these fields.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CanonicalTransfer {
    pub payer_account_id: String,
    pub payee: Payee,
    /// Amount and currency (`{"value": "500.00", "currency": "CNY"}`).
    pub amount: Amount,
    /// The bank's fee in the amount's currency, wire form; `"0.00"` when free.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::fee))]
    pub fee: String,
    /// May be empty.
    pub memo: String,
    pub channel: Channel,
    /// The booking day (`YYYY-MM-DD`, the bank's calendar).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::date))]
    pub execution_date: String,
    pub idempotency_key: IdempotencyKey,
    /// The quote's single-use challenge, base64url.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::challenge))]
    #[serde(with = "b64")]
    pub challenge: Vec<u8>,
    /// When the bank made the quote, Unix milliseconds of its clock.
    pub quoted_at_ms: u64,
    /// Codes of the warnings the customer acknowledged on the confirmation, ascending.
    pub acknowledged_warnings: Vec<String>,
}

/// Why bytes or fields are not a canonical transfer. Never repeats a field's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CanonicalError {
    #[error("not a canonical transfer (magic)")]
    Magic,
    #[error("canonical transfer version {0} is not known")]
    Version(u8),
    #[error("canonical transfer is truncated")]
    Truncated,
    #[error("bytes follow the last field of the canonical transfer")]
    TrailingBytes,
    #[error("a field of the canonical transfer is not UTF-8")]
    NotUtf8,
    #[error("the field `{0}` is not valid")]
    Field(&'static str),
}

impl CanonicalTransfer {
    /// Checks every field's rule (the amount's are checked by its type).
    pub fn validate(&self) -> Result<(), CanonicalError> {
        let checks: [(&'static str, bool); 10] = [
            (
                "payer_account_id",
                fields::is_identifier(&self.payer_account_id),
            ),
            (
                "payee.account_number",
                account_number::check(&self.payee.account_number).is_ok(),
            ),
            (
                "payee.bank_code",
                fields::is_bank_code(&self.payee.bank_code),
            ),
            ("payee.name", fields::is_payee_name(&self.payee.name)),
            (
                "fee",
                parse_fee(&self.fee, self.amount.currency()).is_some(),
            ),
            ("memo", fields::is_memo(&self.memo)),
            ("execution_date", fields::is_date(&self.execution_date)),
            ("challenge", self.challenge.len() == CHALLENGE_LEN),
            ("quoted_at_ms", i64::try_from(self.quoted_at_ms).is_ok()),
            (
                "acknowledged_warnings",
                fields::are_warnings(&self.acknowledged_warnings),
            ),
        ];
        match checks.into_iter().find(|(_, ok)| !ok) {
            Some((name, _)) => Err(CanonicalError::Field(name)),
            None => Ok(()),
        }
    }

    /// The canonical bytes. Refuses a transfer whose fields break a rule, so that nothing
    /// invalid is ever signed.
    pub fn to_bytes(&self) -> Result<Vec<u8>, CanonicalError> {
        self.validate()?;
        let amount = self.amount.to_wire();
        let key = self.idempotency_key.to_hex();
        let challenge = b64::encode(&self.challenge);
        let quoted_at = self.quoted_at_ms.to_string();
        let warnings = self.acknowledged_warnings.join(",");
        let fields: [&str; FIELD_COUNT] = [
            &self.payer_account_id,
            &self.payee.account_number,
            &self.payee.bank_code,
            &self.payee.name,
            &amount,
            self.amount.currency().code(),
            &self.fee,
            &self.memo,
            self.channel.code(),
            &self.execution_date,
            &key,
            &challenge,
            &quoted_at,
            &warnings,
        ];
        let mut out =
            Vec::with_capacity(MAGIC.len() + 1 + fields.iter().map(|f| 4 + f.len()).sum::<usize>());
        out.extend_from_slice(MAGIC);
        out.push(CANONICAL_VERSION);
        for field in fields {
            // Every field is far below 4 GiB: the rules cap each at a few hundred bytes.
            out.extend_from_slice(&(field.len() as u32).to_be_bytes());
            out.extend_from_slice(field.as_bytes());
        }
        Ok(out)
    }

    /// SHA-256 of the canonical bytes: what the transfer assertion signs.
    pub fn hash(&self) -> Result<[u8; 32], CanonicalError> {
        let mut out = [0u8; 32];
        out.copy_from_slice(digest(&SHA256, &self.to_bytes()?).as_ref());
        Ok(out)
    }

    /// Reads canonical bytes back, with every rule checked: `from_bytes(to_bytes(t)) == t`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CanonicalError> {
        let rest = bytes.strip_prefix(MAGIC).ok_or(CanonicalError::Magic)?;
        let (&version, mut rest) = rest.split_first().ok_or(CanonicalError::Truncated)?;
        if version != CANONICAL_VERSION {
            return Err(CanonicalError::Version(version));
        }
        let mut fields: Vec<&str> = Vec::with_capacity(FIELD_COUNT);
        for _ in 0..FIELD_COUNT {
            let (length, tail) = rest
                .split_first_chunk::<4>()
                .ok_or(CanonicalError::Truncated)?;
            let length = u32::from_be_bytes(*length) as usize;
            if tail.len() < length {
                return Err(CanonicalError::Truncated);
            }
            let (field, tail) = tail.split_at(length);
            fields.push(std::str::from_utf8(field).map_err(|_| CanonicalError::NotUtf8)?);
            rest = tail;
        }
        if !rest.is_empty() {
            return Err(CanonicalError::TrailingBytes);
        }
        let field = |name| CanonicalError::Field(name);
        let currency: Currency = fields[5].parse().map_err(|_| field("currency"))?;
        let transfer = CanonicalTransfer {
            payer_account_id: fields[0].to_owned(),
            payee: Payee {
                account_number: fields[1].to_owned(),
                bank_code: fields[2].to_owned(),
                name: fields[3].to_owned(),
            },
            amount: Amount::parse_wire(fields[4], currency).map_err(|_| field("amount"))?,
            fee: fields[6].to_owned(),
            memo: fields[7].to_owned(),
            channel: Channel::from_code(fields[8]).ok_or(field("channel"))?,
            execution_date: fields[9].to_owned(),
            idempotency_key: IdempotencyKey::parse(fields[10]).ok_or(field("idempotency_key"))?,
            challenge: b64::decode(fields[11])
                .ok()
                .filter(|challenge| b64::encode(challenge) == fields[11])
                .ok_or(field("challenge"))?,
            quoted_at_ms: parse_decimal_u64(fields[12]).ok_or(field("quoted_at_ms"))?,
            acknowledged_warnings: if fields[13].is_empty() {
                Vec::new()
            } else {
                fields[13].split(',').map(str::to_owned).collect()
            },
        };
        transfer.validate()?;
        Ok(transfer)
    }

    /// The fee in minor units of the amount's currency.
    pub fn fee_minor_units(&self) -> Option<i64> {
        parse_fee(&self.fee, self.amount.currency())
    }
}

/// The wire form of a fee: that of an amount, or the currency's zero (`"0.00"`, `"0"` for JPY).
pub fn fee_to_wire(minor_units: i64, currency: Currency) -> Option<String> {
    if minor_units == 0 {
        return Some(zero(currency));
    }
    Amount::from_minor_units(minor_units, currency)
        .ok()
        .map(|fee| fee.to_wire())
}

pub(crate) fn parse_fee(text: &str, currency: Currency) -> Option<i64> {
    if text == zero(currency) {
        return Some(0);
    }
    Amount::parse_wire(text, currency)
        .ok()
        .map(|fee| fee.minor_units())
}

fn zero(currency: Currency) -> String {
    match currency.minor_digits() {
        0 => "0".to_owned(),
        digits => format!("0.{}", "0".repeat(digits as usize)),
    }
}

/// Decimal digits without a leading zero (except `"0"` itself), fitting an i64.
fn parse_decimal_u64(text: &str) -> Option<u64> {
    let canonical = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    canonical
        .then(|| text.parse::<u64>().ok())
        .flatten()
        .filter(|value| i64::try_from(*value).is_ok())
}
