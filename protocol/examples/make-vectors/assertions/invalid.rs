//! The invalid ECDSA vectors: each has exactly one defect and is otherwise correctly signed.

use mobank_protocol::assertion::{operations, verify, PUBLIC_KEY_LEN};
use mobank_protocol::vectors::{error_name, Inputs, InvalidVector, OwnedExpectation};
use mobank_protocol::{
    b64, signed_bytes, Assertion, Ceremony, Factor, FLAG_USER_PRESENT, FLAG_USER_VERIFIED,
};
use ring::digest::{digest, SHA256};

use crate::der;
use crate::fixtures::{
    build, expectation, signed_assertion, Keys, Result, OTHER_DEVICE_ID, P256_SPKI_PREFIX,
    PHISHING_RP_ID, RP_ID, THIS_DEVICE_ID,
};
use crate::kept::Kept;

pub(super) struct Invalid<'a> {
    name: &'a str,
    description: &'a str,
    mutation: &'a str,
    public_key: Vec<u8>,
    assertion: Assertion,
    expectation: OwnedExpectation,
    expected_error: &'a str,
}

impl Invalid<'_> {
    /// Refuses to write a vector that does not fail the way it claims.
    pub(super) fn checked(mut self, kept: &Kept) -> Result<InvalidVector> {
        self.assertion = kept.signature_for(self.name, self.assertion);
        let outcome = verify(
            &self.assertion,
            &self.public_key,
            &self.expectation.borrow(),
        );
        match outcome {
            Err(error) if error_name(&error) == self.expected_error => Ok(InvalidVector {
                name: self.name.to_owned(),
                description: self.description.to_owned(),
                mutation: self.mutation.to_owned(),
                public_key: self.public_key,
                assertion: self.assertion,
                expectation: self.expectation,
                expected_error: self.expected_error.to_owned(),
            }),
            other => Err(format!(
                "{}: expected {}, verify returned {other:?}",
                self.name, self.expected_error
            )
            .into()),
        }
    }
}

pub(super) fn invalid_vectors(
    keys: &Keys,
    login_possession: &Inputs,
    login_user_verified: &Inputs,
    earlier_challenge: &[u8],
) -> Result<Vec<Invalid<'static>>> {
    let possession_key = keys.possession.public_key();
    let uv_key = keys.user_verified.public_key();
    let login = expectation(login_possession, false, 1);
    let login_uv = expectation(login_user_verified, true, 1);
    let (auth, client) = build(login_possession);
    let sign = |auth: Vec<u8>, client: Vec<u8>| {
        signed_assertion(&keys.possession, Factor::Possession, auth, client)
    };
    let client_text = String::from_utf8(client.clone())?;
    let mut cases = Vec::new();

    let mut short = auth.clone();
    short.pop();
    cases.push(Invalid {
        name: "authenticator_data_36_bytes",
        description: "Authenticator data one byte short (the counter has only 3 bytes).",
        mutation: "login_possession authenticator data without its last byte; re-signed",
        public_key: possession_key.clone(),
        assertion: sign(short, client.clone())?,
        expectation: login.clone(),
        expected_error: "MalformedAuthenticatorData",
    });

    let mut long = auth.clone();
    long.push(0xa0);
    cases.push(Invalid {
        name: "authenticator_data_38_bytes",
        description: "Authenticator data with a trailing byte (as if extensions followed). \
                      Mobank authenticator data is always exactly 37 bytes.",
        mutation: "login_possession authenticator data with 0xa0 appended; re-signed",
        public_key: possession_key.clone(),
        assertion: sign(long, client.clone())?,
        expectation: login.clone(),
        expected_error: "MalformedAuthenticatorData",
    });

    let with_origin = client_text.replacen('}', ",\"origin\":\"https://sandbox.mobank.local\"}", 1);
    cases.push(Invalid {
        name: "client_data_unknown_field",
        description: "Client data with a field Mobank does not define. Unknown fields are \
                      rejected, not ignored, so nothing unverified can ride along in signed data.",
        mutation: "login_possession client data with \"origin\" added; re-signed",
        public_key: possession_key.clone(),
        assertion: sign(auth.clone(), with_origin.into_bytes())?,
        expectation: login.clone(),
        expected_error: "MalformedClientData",
    });

    let webauthn_type = client_text.replacen("mobank.login", "webauthn.get", 1);
    cases.push(Invalid {
        name: "client_data_unknown_type",
        description: "Client data whose type is not a Mobank ceremony (a browser WebAuthn \
                      assertion). Only \"mobank.bind\" and \"mobank.login\" exist.",
        mutation: "login_possession client data with type \"webauthn.get\"; re-signed",
        public_key: possession_key.clone(),
        assertion: sign(auth.clone(), webauthn_type.into_bytes())?,
        expectation: login.clone(),
        expected_error: "MalformedClientData",
    });

    let challenge_text = b64::encode(&login_possession.challenge);
    let padded = client_text.replacen(&challenge_text, &format!("{challenge_text}="), 1);
    cases.push(Invalid {
        name: "client_data_challenge_padded",
        description: "Challenge in padded base64url (a trailing '='; java.util.Base64's URL \
                      encoder pads unless .withoutPadding()). Only unpadded base64url is valid.",
        mutation: "login_possession client data with '=' appended to the challenge; re-signed",
        public_key: possession_key.clone(),
        assertion: sign(auth.clone(), padded.into_bytes())?,
        expectation: login.clone(),
        expected_error: "MalformedClientData",
    });

    let no_rp = client_text.replacen(&format!(",\"rp_id\":\"{RP_ID}\""), "", 1);
    cases.push(Invalid {
        name: "client_data_missing_rp_id",
        description: "Client data without its rp_id field.",
        mutation: "login_possession client data without \"rp_id\"; re-signed",
        public_key: possession_key.clone(),
        assertion: sign(auth.clone(), no_rp.into_bytes())?,
        expectation: login.clone(),
        expected_error: "MalformedClientData",
    });

    cases.push(Invalid {
        name: "client_data_not_json",
        description: "Client data that is not JSON at all.",
        mutation: "client data replaced by the text 'mobank.login'; re-signed",
        public_key: possession_key.clone(),
        assertion: sign(auth.clone(), b"mobank.login".to_vec())?,
        expectation: login.clone(),
        expected_error: "MalformedClientData",
    });

    let mut compressed = vec![0x02 | (possession_key[PUBLIC_KEY_LEN - 1] & 1)];
    compressed.extend_from_slice(&possession_key[1..33]);
    cases.push(Invalid {
        name: "public_key_compressed",
        description: "The bank stored the key as a 33-byte compressed point. Keys are always \
                      the 65-byte uncompressed point 0x04 || X || Y.",
        mutation: "login_possession unchanged; public key compressed",
        public_key: compressed,
        assertion: sign(auth.clone(), client.clone())?,
        expectation: login.clone(),
        expected_error: "MalformedPublicKey",
    });

    let mut spki = P256_SPKI_PREFIX.to_vec();
    spki.extend_from_slice(&possession_key);
    cases.push(Invalid {
        name: "public_key_spki_der",
        description: "The bank stored the 91-byte SubjectPublicKeyInfo DER (Java's \
                      PublicKey.getEncoded()) instead of the raw point. Its last 65 bytes are \
                      the point.",
        mutation: "login_possession unchanged; public key wrapped in SubjectPublicKeyInfo DER",
        public_key: spki,
        assertion: sign(auth.clone(), client.clone())?,
        expectation: login.clone(),
        expected_error: "MalformedPublicKey",
    });

    let phishing = Inputs {
        rp_id: PHISHING_RP_ID.to_owned(),
        ..login_possession.clone()
    };
    let (phish_auth, phish_client) = build(&phishing);
    cases.push(Invalid {
        name: "rp_id_other_relying_party",
        description: "A consistent assertion for another relying party (a look-alike bank): \
                      both the client data rp_id and the rpIdHash name it.",
        mutation: "login_possession built for rp_id sandbox.mobank.example; signed",
        public_key: possession_key.clone(),
        assertion: sign(phish_auth.clone(), phish_client)?,
        expectation: login.clone(),
        expected_error: "RpIdMismatch",
    });
    cases.push(Invalid {
        name: "rp_id_hash_mismatch",
        description: "The client data names the right bank but the rpIdHash in the \
                      authenticator data is another relying party's. Both must match.",
        mutation: "login_possession with authenticator data of rp_id sandbox.mobank.example; \
                   re-signed",
        public_key: possession_key.clone(),
        assertion: sign(phish_auth, client.clone())?,
        expectation: login.clone(),
        expected_error: "RpIdMismatch",
    });

    let (bind_auth, bind_client) = build(&Inputs {
        ceremony: Ceremony::Bind,
        ..login_possession.clone()
    });
    cases.push(Invalid {
        name: "ceremony_bind_at_login",
        description: "An activation (mobank.bind) assertion presented at login over the right \
                      challenge.",
        mutation: "login_possession with client data type mobank.bind; signed",
        public_key: possession_key.clone(),
        assertion: sign(bind_auth, bind_client)?,
        expectation: login.clone(),
        expected_error: "CeremonyMismatch",
    });

    let replay = Inputs {
        challenge: earlier_challenge.to_vec(),
        ..login_possession.clone()
    };
    let (replay_auth, replay_client) = build(&replay);
    cases.push(Invalid {
        name: "challenge_other",
        description: "An assertion over an earlier challenge (a replay): well signed, counter \
                      higher than stored, but not over the challenge issued now.",
        mutation: "login_possession over another challenge; signed",
        public_key: possession_key.clone(),
        assertion: sign(replay_auth, replay_client)?,
        expectation: login.clone(),
        expected_error: "ChallengeMismatch",
    });

    let (no_flags, _) = build(&Inputs {
        flags: 0,
        ..login_possession.clone()
    });
    cases.push(Invalid {
        name: "user_not_present",
        description: "Flags 0x00: user-present bit clear.",
        mutation: "login_possession with flags 0x00; re-signed",
        public_key: possession_key.clone(),
        assertion: sign(no_flags, client.clone())?,
        expectation: login.clone(),
        expected_error: "UserNotPresent",
    });

    let (uv_only, _) = build(&Inputs {
        flags: FLAG_USER_VERIFIED,
        ..login_possession.clone()
    });
    cases.push(Invalid {
        name: "user_verified_without_present",
        description: "Flags 0x04: UV set but UP clear. UP is required on every assertion.",
        mutation: "login_possession with flags 0x04; re-signed",
        public_key: possession_key.clone(),
        assertion: sign(uv_only, client.clone())?,
        expectation: login.clone(),
        expected_error: "UserNotPresent",
    });

    let (_, uv_client) = build(login_user_verified);
    let (up_only, _) = build(&Inputs {
        flags: FLAG_USER_PRESENT,
        ..login_user_verified.clone()
    });
    cases.push(Invalid {
        name: "user_not_verified",
        description: "The user-verified factor signed with flags 0x01 (the OS did not verify \
                      the user) where the bank requires UV.",
        mutation: "login_user_verified with flags 0x01; re-signed",
        public_key: uv_key.clone(),
        assertion: signed_assertion(
            &keys.user_verified,
            Factor::UserVerified,
            up_only,
            uv_client.clone(),
        )?,
        expectation: login_uv.clone(),
        expected_error: "UserNotVerified",
    });

    cases.push(Invalid {
        name: "bad_signature_other_key",
        description: "Everything right, but signed by another device's key.",
        mutation: "login_possession signed by other_device",
        public_key: possession_key.clone(),
        assertion: signed_assertion(
            &keys.other_device,
            Factor::Possession,
            auth.clone(),
            client.clone(),
        )?,
        expectation: login.clone(),
        expected_error: "BadSignature",
    });

    let mut forged_uv = sign(auth.clone(), client.clone())?;
    forged_uv.authenticator_data[32] |= FLAG_USER_VERIFIED;
    cases.push(Invalid {
        name: "bad_signature_uv_flag_added",
        description: "The UV bit set after signing, to pass a possession-only signature off as \
                      user-verified.",
        mutation:
            "login_possession signed with flags 0x01, then flags changed to 0x05; not re-signed",
        public_key: possession_key.clone(),
        assertion: forged_uv,
        expectation: expectation(login_possession, true, 1),
        expected_error: "BadSignature",
    });

    let mut raised = sign(auth.clone(), client.clone())?;
    raised.authenticator_data[36] = 0x09;
    cases.push(Invalid {
        name: "bad_signature_counter_edited",
        description: "The counter changed after signing (from 2 to 9).",
        mutation: "login_possession, last authenticator data byte changed to 0x09; not re-signed",
        public_key: possession_key.clone(),
        assertion: raised,
        expectation: login.clone(),
        expected_error: "BadSignature",
    });

    let mut reformatted = sign(auth.clone(), client.clone())?;
    reformatted.client_data_json = client_text
        .replace("\":", "\": ")
        .replace(",\"", ", \"")
        .into_bytes();
    cases.push(Invalid {
        name: "bad_signature_client_data_reserialized",
        description: "The same client data re-serialised with spaces: same JSON meaning, other \
                      bytes. The signature covers the hash of the exact bytes received.",
        mutation: "login_possession, client data re-serialised with spaces; not re-signed",
        public_key: possession_key.clone(),
        assertion: reformatted,
        expectation: login.clone(),
        expected_error: "BadSignature",
    });

    let mut fixed_width = sign(auth.clone(), client.clone())?;
    fixed_width.signature = keys.possession.sign_fixed(&signed_bytes(&auth, &client))?;
    cases.push(Invalid {
        name: "bad_signature_raw_r_s",
        description: "A correct signature in the 64-byte r || s form (WebCrypto, JOSE) instead \
                      of DER. Signatures must be DER.",
        mutation: "login_possession signed in fixed-width form",
        public_key: possession_key.clone(),
        assertion: fixed_width,
        expectation: login.clone(),
        expected_error: "BadSignature",
    });

    let mut over_raw = sign(auth.clone(), client.clone())?;
    let mut raw_message = auth.clone();
    raw_message.extend_from_slice(&client);
    over_raw.signature = keys.possession.sign_der(&raw_message)?;
    cases.push(Invalid {
        name: "bad_signature_client_data_not_hashed",
        description: "Signed over authenticator_data || client_data_json, forgetting to hash \
                      the client data first.",
        mutation: "login_possession with the signature over authData || clientDataJSON",
        public_key: possession_key.clone(),
        assertion: over_raw,
        expectation: login.clone(),
        expected_error: "BadSignature",
    });

    let mut double_hashed = sign(auth.clone(), client.clone())?;
    let prehash = digest(&SHA256, &signed_bytes(&auth, &client));
    double_hashed.signature = keys.possession.sign_der(prehash.as_ref())?;
    cases.push(Invalid {
        name: "bad_signature_prehashed",
        description: "Signed over SHA-256(signed_bytes) with ECDSA-SHA256, i.e. hashed twice \
                      (a common mistake with platform APIs that hash themselves).",
        mutation: "login_possession with the signature over SHA-256(signed_bytes)",
        public_key: possession_key.clone(),
        assertion: double_hashed,
        expectation: login.clone(),
        expected_error: "BadSignature",
    });

    cases.push(Invalid {
        name: "counter_equal",
        description: "Correctly signed, counter 2 where the bank stored 2: the key signed with \
                      a counter it had used before. A clone or restored copy: block the device.",
        mutation: "login_possession unchanged; the bank's previous_sign_count is 2",
        public_key: possession_key.clone(),
        assertion: sign(auth.clone(), client.clone())?,
        expectation: expectation(login_possession, false, 2),
        expected_error: "CounterNotIncreasing",
    });

    cases.push(Invalid {
        name: "counter_lower",
        description: "Correctly signed, counter 2 where the bank stored 7 (an old copy of the \
                      device state). Block the device.",
        mutation: "login_possession unchanged; the bank's previous_sign_count is 7",
        public_key: possession_key.clone(),
        assertion: sign(auth.clone(), client.clone())?,
        expectation: expectation(login_possession, false, 7),
        expected_error: "CounterNotIncreasing",
    });

    let (zero_auth, _) = build(&Inputs {
        sign_count: 0,
        ..login_possession.clone()
    });
    cases.push(Invalid {
        name: "counter_zero",
        description: "Counter 0 on a new key: the device must increment before signing, so the \
                      first signature carries 1 and 0 never verifies.",
        mutation: "login_possession with counter 0; re-signed; the bank's previous_sign_count is 0",
        public_key: possession_key.clone(),
        assertion: sign(zero_auth, client.clone())?,
        expectation: expectation(login_possession, false, 0),
        expected_error: "CounterNotIncreasing",
    });

    cases.push(Invalid {
        name: "bad_signature_and_counter_equal",
        description: "Two defects on purpose: another key's signature and a counter equal to \
                      the stored one. The signature is checked first: a counter is a clone \
                      signal only on an assertion the device key really signed, so this must \
                      not block the device.",
        mutation: "login_possession signed by other_device; the bank's previous_sign_count is 2",
        public_key: possession_key,
        assertion: signed_assertion(&keys.other_device, Factor::Possession, auth, client)?,
        expectation: expectation(login_possession, false, 2),
        expected_error: "BadSignature",
    });

    Ok(cases)
}

pub(super) fn operation_invalid_vectors(
    keys: &Keys,
    revoke: &Inputs,
    login_possession: &Inputs,
) -> Result<Vec<Invalid<'static>>> {
    let possession_key = keys.possession.public_key();
    let sign = |inputs: &Inputs| -> Result<Assertion> {
        let (auth, client) = build(inputs);
        signed_assertion(&keys.possession, Factor::Possession, auth, client)
    };
    let mut other_target = expectation(revoke, false, 3);
    other_target.operation = Some(operations::revoke_device(THIS_DEVICE_ID));
    let without_operation = Inputs {
        operation: None,
        ..revoke.clone()
    };
    let login_with_operation = Inputs {
        operation: Some(operations::revoke_device(OTHER_DEVICE_ID)),
        ..login_possession.clone()
    };
    Ok(vec![
        Invalid {
            name: "operation_other_target",
            description: "A correctly signed revocation of one device presented to revoke \
                          another: the operation text names the device, so the signature \
                          cannot be moved to another target.",
            mutation: "operation_revoke_device unchanged; the bank expects \
                       revoke_device:dev_8a1d6f3e0b7c4295",
            public_key: possession_key.clone(),
            assertion: sign(revoke)?,
            expectation: other_target,
            expected_error: "OperationMismatch",
        },
        Invalid {
            name: "operation_missing",
            description: "A mobank.operation assertion whose client data names no operation.",
            mutation: "operation_revoke_device without \"operation\" in the client data; \
                       re-signed",
            public_key: possession_key.clone(),
            assertion: sign(&without_operation)?,
            expectation: expectation(revoke, false, 3),
            expected_error: "OperationMismatch",
        },
        Invalid {
            name: "operation_at_login",
            description: "A login assertion whose client data carries an operation: only \
                          mobank.operation assertions may, so nothing unexpected rides along \
                          in a login.",
            mutation: "login_possession with \"operation\" added to the client data; re-signed",
            public_key: possession_key,
            assertion: sign(&login_with_operation)?,
            expectation: expectation(login_possession, false, 1),
            expected_error: "OperationMismatch",
        },
    ])
}

/// Where the client-data parser's tolerance ends, and the DER rules of the signature.
pub(super) fn strictness_vectors(
    keys: &Keys,
    login_possession: &Inputs,
    revoke: &Inputs,
) -> Result<Vec<Invalid<'static>>> {
    let possession_key = keys.possession.public_key();
    let login = expectation(login_possession, false, 1);
    let (auth, client) = build(login_possession);
    let client_text = String::from_utf8(client.clone())?;
    let sign = |client: Vec<u8>| {
        signed_assertion(&keys.possession, Factor::Possession, auth.clone(), client)
    };
    let malformed = |name, description, mutation, client: Vec<u8>| -> Result<Invalid<'static>> {
        Ok(Invalid {
            name,
            description,
            mutation,
            public_key: possession_key.clone(),
            assertion: sign(client)?,
            expectation: login.clone(),
            expected_error: "MalformedClientData",
        })
    };

    let mut with_bom = b"\xef\xbb\xbf".to_vec();
    with_bom.extend_from_slice(&client);
    let duplicate = client_text.replacen(
        "{\"type\":\"mobank.login\"",
        "{\"type\":\"mobank.bind\",\"type\":\"mobank.login\"",
        1,
    );
    let mut nul_terminated = client.clone();
    nul_terminated.push(0);
    let rp_id_null = client_text.replacen(&format!("\"{RP_ID}\""), "null", 1);
    let (revoke_auth, revoke_client) = build(revoke);
    let operation = revoke
        .operation
        .as_deref()
        .ok_or("revoke names its operation")?;
    let operation_null = String::from_utf8(revoke_client)?
        .replacen(&format!("\"{operation}\""), "null", 1)
        .into_bytes();
    let genuine = sign(client.clone())?;
    let mut trailing_byte = genuine.clone();
    trailing_byte.signature.push(0);
    let mut padded = genuine;
    padded.signature = der::with_padded_r(&padded.signature)?;

    Ok(vec![
        malformed(
            "client_data_bom",
            "Client data that starts with a UTF-8 byte-order mark (EF BB BF), as some text \
             writers add. JSON text must not start with one here: the bank refuses it rather \
             than skip it.",
            "login_possession client data with EF BB BF in front; re-signed",
            with_bom,
        )?,
        malformed(
            "client_data_duplicate_field",
            "Client data with \"type\" twice, first mobank.bind, then mobank.login. Parsers that \
             keep the first or the last of duplicate names (Go's encoding/json keeps the last) \
             would each see a different ceremony; duplicates are refused.",
            "login_possession client data with \"type\":\"mobank.bind\" put before its type; \
             re-signed",
            duplicate.into_bytes(),
        )?,
        malformed(
            "client_data_trailing_nul",
            "Client data followed by a NUL byte, as a C string would be. Nothing but JSON \
             whitespace may follow the object.",
            "login_possession client data with 0x00 appended; re-signed",
            nul_terminated,
        )?,
        malformed(
            "client_data_rp_id_null",
            "Client data whose rp_id is null. A required field that is null has the wrong type \
             (only an optional field's null reads as absent).",
            "login_possession client data with the rp_id value replaced by null; re-signed",
            rp_id_null.into_bytes(),
        )?,
        Invalid {
            name: "operation_null",
            description: "A mobank.operation assertion whose operation is null: the null reads \
                          as absent, and an operation assertion must name its operation.",
            mutation: "operation_revoke_device with the operation value replaced by null; \
                       re-signed",
            public_key: possession_key.clone(),
            assertion: signed_assertion(
                &keys.possession,
                Factor::Possession,
                revoke_auth,
                operation_null,
            )?,
            expectation: expectation(revoke, false, 3),
            expected_error: "OperationMismatch",
        },
        Invalid {
            name: "bad_signature_der_trailing_byte",
            description: "A correct DER signature followed by one more byte. Signatures are \
                          strict DER: nothing may follow the SEQUENCE.",
            mutation: "login_possession re-signed, 0x00 appended to the signature",
            public_key: possession_key.clone(),
            assertion: trailing_byte,
            expectation: login.clone(),
            expected_error: "BadSignature",
        },
        Invalid {
            name: "bad_signature_der_integer_padded",
            description: "A correct signature whose r is written with a superfluous leading zero \
                          byte (BER, not DER). Signatures are strict DER: integers are minimal.",
            mutation: "login_possession re-signed, one more 0x00 in front of r and the lengths \
                       adjusted",
            public_key: possession_key,
            assertion: padded,
            expectation: login,
            expected_error: "BadSignature",
        },
    ])
}
