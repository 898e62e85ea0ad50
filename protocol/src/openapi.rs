//! JSON Schemas of the wire forms that are not what their Rust types look like: amounts and
//! decimals are strings, binary values are unpadded base64url, an idempotency key is hex.
//! Only the sandbox's OpenAPI document uses them (feature `openapi`); `docs/protocol.md` stays
//! the contract, and these schemas describe the same strings.

use std::borrow::Cow;

use utoipa::openapi::schema::{
    AdditionalProperties, KnownFormat, Object, ObjectBuilder, SchemaFormat, Type,
};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use crate::money::{Amount, Currency};
use crate::transfer::IdempotencyKey;

/// The wire form of an amount (`money` module): 1 to 15 integer digits without a leading zero,
/// then exactly the currency's decimals (two; none for JPY).
pub const AMOUNT_PATTERN: &str = r"^(0|[1-9][0-9]{0,14})(\.[0-9]{2})?$";
/// A decimal as `rust_decimal` writes it: optional minus, digits, optional fraction.
pub const DECIMAL_PATTERN: &str = r"^-?[0-9]+(\.[0-9]+)?$";
/// Unpadded base64url.
pub const BASE64URL_PATTERN: &str = r"^[A-Za-z0-9_-]*$";

fn string(description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
}

/// A decimal string (`"1200.50"`, `"-35.00"`): balances, limits, history amounts.
pub fn decimal() -> Object {
    string("A decimal number as a string, never a JSON number: optional minus, digits, optional fraction.")
        .pattern(Some(DECIMAL_PATTERN))
        .examples(["1200.50"])
        .build()
}

/// An ISO 4217 alphabetic currency code (`"CNY"`) where the field is text rather than the
/// `Currency` enum: the bank may name a currency it keeps that a phone does not.
pub fn currency_code() -> Object {
    string("An ISO 4217 alphabetic currency code, e.g. \"CNY\".")
        .pattern(Some("^[A-Z]{3}$"))
        .examples(["CNY"])
        .build()
}

/// Any unpadded base64url value.
pub fn base64url() -> Object {
    string("Bytes as unpadded base64url.")
        .pattern(Some(BASE64URL_PATTERN))
        .content_encoding("base64url")
        .build()
}

fn base64url_of(bytes: usize, description: &str) -> Object {
    // Unpadded base64url: four characters for every three bytes, rounded up.
    let chars = (bytes * 4).div_ceil(3);
    string(description)
        .pattern(Some(BASE64URL_PATTERN))
        .content_encoding("base64url")
        .min_length(Some(chars))
        .max_length(Some(chars))
        .build()
}

/// A 32-byte server challenge.
pub fn challenge() -> Object {
    base64url_of(
        crate::CHALLENGE_LEN,
        "A 32-byte server challenge, unpadded base64url.",
    )
}

/// An uncompressed SEC1 P-256 public key (65 bytes).
pub fn public_key() -> Object {
    base64url_of(
        crate::assertion::PUBLIC_KEY_LEN,
        "An uncompressed SEC1 P-256 public key (65 bytes: 0x04, X, Y), unpadded base64url.",
    )
}

/// A SHA-256 hash (32 bytes).
pub fn sha256() -> Object {
    base64url_of(32, "A SHA-256 hash (32 bytes), unpadded base64url.")
}

/// The 32-byte knowledge (PIN) key.
pub fn knowledge_key() -> Object {
    base64url_of(
        crate::assertion::KNOWLEDGE_KEY_LEN,
        "The 32-byte knowledge (PIN) HMAC key, unpadded base64url.",
    )
}

/// A fee: the wire form of an amount in the transfer's currency, `0.00` allowed.
pub fn fee() -> Object {
    string(
        "The bank's fee in the amount's currency, in the amount's wire form; \"0.00\" when free.",
    )
    .pattern(Some(AMOUNT_PATTERN))
    .examples(["0.00"])
    .build()
}

/// A bank day, `YYYY-MM-DD`.
pub fn date() -> Object {
    string("A calendar day, YYYY-MM-DD.")
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
        .pattern(Some(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))
        .build()
}

impl PartialSchema for Amount {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "A positive amount: `value` in the wire form (no sign, no exponent, no leading \
                 zero, exactly the currency's decimals: two, none for JPY) and its currency.",
            ))
            .property(
                "value",
                string("The amount's wire form.")
                    .pattern(Some(AMOUNT_PATTERN))
                    .examples(["500.00"]),
            )
            .required("value")
            .property("currency", Currency::schema())
            .required("currency")
            .additional_properties(Some(AdditionalProperties::<Schema>::FreeForm(false)))
            .into()
    }
}

impl ToSchema for Amount {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Amount")
    }
}

impl PartialSchema for IdempotencyKey {
    fn schema() -> RefOr<Schema> {
        string("128 random bits drawn once per transfer intent: 32 lower-case hex digits.")
            .pattern(Some(r"^[0-9a-f]{32}$"))
            .examples(["0f1e2d3c4b5a69788796a5b4c3d2e1f0"])
            .into()
    }
}

impl ToSchema for IdempotencyKey {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("IdempotencyKey")
    }
}
