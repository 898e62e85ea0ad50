//! Correctly signed assertions whose client data a device never writes (it writes compact JSON
//! in a fixed field order) but a bank accepts, because it parses the JSON rather than matching
//! bytes. Each shows one tolerance; invalid vectors show where tolerance ends (a byte-order mark,
//! a duplicate field, bytes after the object, a null required field).

use mobank_protocol::assertion::verify;
use mobank_protocol::vectors::{Expected, Inputs, ToleratedVector};
use mobank_protocol::{b64, ClientData, Factor};

use crate::der;
use crate::fixtures::{build, expectation, signed_assertion, Keys, Result, RP_ID};
use crate::kept::Kept;

struct Variant<'a> {
    name: &'a str,
    description: &'a str,
    variant: &'a str,
    /// The valid vector's inputs whose client data this rewrites.
    base: &'a Inputs,
    text: String,
}

/// `login` and `revoke` are the inputs of `login_possession` and `operation_revoke_device`.
pub(super) fn vectors(
    keys: &Keys,
    kept: &Kept,
    login: &Inputs,
    revoke: &Inputs,
) -> Result<Vec<ToleratedVector>> {
    let login_challenge = b64::encode(&login.challenge);
    let revoke_challenge = b64::encode(&revoke.challenge);
    let operation = revoke
        .operation
        .as_deref()
        .ok_or("revoke names its operation")?;
    let variants = [
        Variant {
            name: "client_data_fields_reordered",
            description: "login_possession's client data with its fields in another order.",
            variant: "fields in the order rp_id, challenge, type",
            base: login,
            text: format!(
                r#"{{"rp_id":"{RP_ID}","challenge":"{login_challenge}","type":"mobank.login"}}"#
            ),
        },
        Variant {
            name: "client_data_whitespace",
            description: "login_possession's client data pretty-printed: JSON whitespace (space, \
                          tab, CR, LF) before, between and after the tokens.",
            variant: "a tab before the object, CR LF and two spaces before each field, a space \
                      after each colon, LF and a space after the object",
            base: login,
            text: format!(
                "\t{{\r\n  \"type\": \"mobank.login\",\r\n  \"challenge\": \
                 \"{login_challenge}\",\r\n  \"rp_id\": \"{RP_ID}\"\r\n}}\n "
            ),
        },
        Variant {
            name: "client_data_unicode_escapes",
            description: "operation_revoke_device's client data with \\u escapes in a field name \
                          and in three values. The bank compares the decoded text, so the \
                          operation still names the right device.",
            variant: "\"\\u0074ype\" for \"type\", \\u002e and \\u002E for '.', \\u003a for ':'",
            base: revoke,
            text: format!(
                r#"{{"\u0074ype":"mobank\u002eoperation","challenge":"{revoke_challenge}","rp_id":"{}","operation":"{}"}}"#,
                RP_ID.replacen('.', "\\u002E", 1),
                operation.replacen(':', "\\u003a", 1),
            ),
        },
        Variant {
            name: "client_data_operation_null",
            description: "A login assertion whose client data carries \"operation\":null. An \
                          optional field that is null reads as absent, so this is a login \
                          assertion like login_possession.",
            variant: "\"operation\":null after rp_id",
            base: login,
            text: format!(
                r#"{{"type":"mobank.login","challenge":"{login_challenge}","rp_id":"{RP_ID}","operation":null}}"#
            ),
        },
    ];
    variants
        .into_iter()
        .map(|variant| tolerated(keys, kept, variant))
        .collect()
}

fn tolerated(keys: &Keys, kept: &Kept, variant: Variant<'_>) -> Result<ToleratedVector> {
    let Variant {
        name, base, text, ..
    } = variant;
    let (authenticator_data, canonical) = build(base);
    if text.as_bytes() == canonical
        || ClientData::parse(text.as_bytes()) != ClientData::parse(&canonical)
    {
        return Err(format!("{name}: not another text of the same client data").into());
    }
    let key = &keys.possession;
    let signed = signed_assertion(
        key,
        Factor::Possession,
        authenticator_data,
        text.clone().into_bytes(),
    )?;
    let assertion = kept.signature_for(name, signed);
    let expect = expectation(base, false, base.sign_count - 1);
    let verified = verify(&assertion, &key.public_key(), &expect.borrow())
        .map_err(|e| format!("{name}: tolerated vector does not verify: {e}"))?;
    Ok(ToleratedVector {
        name: name.to_owned(),
        description: variant.description.to_owned(),
        variant: variant.variant.to_owned(),
        key: key.name.to_owned(),
        factor: Factor::Possession,
        client_data_json_text: text,
        high_s: der::is_high_s(&assertion.signature)?,
        assertion,
        expectation: expect,
        expected: Expected {
            sign_count: verified.sign_count,
            user_verified: verified.user_verified,
        },
    })
}
