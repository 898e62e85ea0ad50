//! `vectors/assertions.json`: the ECDSA factors, valid, tolerated and invalid.

mod invalid;
mod tolerated;

use mobank_protocol::assertion::{operations, rp_id_hash, verify};
use mobank_protocol::vectors::{
    hex, AssertionVectors, Expected, Inputs, OwnedExpectation, ValidVector,
};
use mobank_protocol::{signed_bytes, Ceremony, Factor, FLAG_USER_PRESENT, FLAG_USER_VERIFIED};
use ring::digest::{digest, SHA256};

use crate::der;
use crate::fixtures::{
    build, challenge, expectation, inputs, operation_inputs, signed_assertion, Key, Keys,
    LaterChallenges, Result, OTHER_DEVICE_ID, THIS_DEVICE_ID, TICKET_ID,
};
use crate::kept::Kept;

/// The idempotency key of the transfer the cancel vector cancels.
const CANCELLED_TRANSFER_KEY: &str = "5f3a9c0e7b214d68a1c2e3f405162738";

fn valid_vector(
    kept: &Kept,
    name: &str,
    description: &str,
    key: &Key,
    factor: Factor,
    inputs: Inputs,
    expect: OwnedExpectation,
) -> Result<ValidVector> {
    let (authenticator_data, client_data_json) = build(&inputs);
    let assertion = kept.signature_for(
        name,
        signed_assertion(
            key,
            factor,
            authenticator_data.clone(),
            client_data_json.clone(),
        )?,
    );
    let verified = verify(&assertion, &key.public_key(), &expect.borrow())
        .map_err(|e| format!("{name}: valid vector does not verify: {e}"))?;
    Ok(ValidVector {
        name: name.to_owned(),
        description: description.to_owned(),
        key: key.name.to_owned(),
        factor,
        rp_id_hash_hex: hex(&rp_id_hash(&inputs.rp_id)),
        authenticator_data_hex: hex(&authenticator_data),
        client_data_json_text: String::from_utf8(client_data_json.clone())?,
        client_data_hash_hex: hex(digest(&SHA256, &client_data_json).as_ref()),
        signed_bytes_hex: hex(&signed_bytes(&authenticator_data, &client_data_json)),
        signature_der_hex: hex(&assertion.signature),
        high_s: der::is_high_s(&assertion.signature)?,
        inputs,
        assertion,
        expectation: expect,
        expected: Expected {
            sign_count: verified.sign_count,
            user_verified: verified.user_verified,
        },
    })
}

pub(crate) fn vectors(keys: &Keys, kept: &Kept) -> Result<AssertionVectors> {
    let bind_challenge = challenge("mobank vectors: activation challenge");
    let login_challenge = challenge("mobank vectors: login challenge");
    let earlier_challenge = challenge("mobank vectors: an earlier login challenge");
    let up = FLAG_USER_PRESENT;
    let up_uv = FLAG_USER_PRESENT | FLAG_USER_VERIFIED;

    let bind_possession = inputs(Ceremony::Bind, &bind_challenge, up, 1);
    let bind_user_verified = inputs(Ceremony::Bind, &bind_challenge, up_uv, 1);
    let login_possession = inputs(Ceremony::Login, &login_challenge, up, 2);
    let login_user_verified = inputs(Ceremony::Login, &login_challenge, up_uv, 2);
    let byte_order = inputs(Ceremony::Login, &login_challenge, up, 0x0102_0304);
    let later = LaterChallenges::new();
    let step_up_possession = inputs(Ceremony::StepUp, &later.step_up, up, 3);
    let step_up_user_verified = inputs(Ceremony::StepUp, &later.step_up, up_uv, 3);
    let revoke = operation_inputs(
        &later.revoke,
        up,
        4,
        &operations::revoke_device(OTHER_DEVICE_ID),
    );
    let pin_begin = operation_inputs(&later.pin_begin, up, 5, operations::PIN_CHANGE_BEGIN);
    let pin_commit = operation_inputs(
        &later.pin_ticket,
        up,
        6,
        &operations::pin_change_commit(TICKET_ID),
    );
    let unbind = operation_inputs(&later.unbind, up, 7, &operations::unbind(THIS_DEVICE_ID));
    let reenrol = |flags, count| {
        operation_inputs(&later.reenrol, flags, count, operations::REENROL_BIOMETRIC)
    };
    let (reenrol_possession, reenrol_new_key) = (reenrol(up, 8), reenrol(up_uv, 1));
    let enable_channel = operation_inputs(
        &later.enable_channel,
        up,
        9,
        &operations::enable_channel("qr_payment"),
    );
    let set_limits = operation_inputs(
        &later.set_limits,
        up,
        10,
        &operations::set_limits("qr_payment", "2000", "5000", "20000"),
    );
    let cancel_transfer = operation_inputs(
        &later.cancel_transfer,
        up,
        11,
        &operations::cancel_transfer(CANCELLED_TRANSFER_KEY),
    );
    let add_payee = operation_inputs(
        &later.add_payee,
        up,
        12,
        &operations::add_payee("MOBANK", "**** 6509", "王芳"),
    );

    let mut valid = vec![
        valid_vector(
            kept,
            "bind_possession",
            "Activation proof of the possession key: the first signature this key ever makes, so \
             its counter is 1. The bank has nothing stored yet (previous_sign_count 0).",
            &keys.possession,
            Factor::Possession,
            bind_possession.clone(),
            expectation(&bind_possession, false, 0),
        )?,
        valid_vector(
            kept,
            "bind_user_verified",
            "Activation proof of the user-verified (biometric) key over the same activation \
             challenge. UP and UV set: the OS released the key only after verifying the user.",
            &keys.user_verified,
            Factor::UserVerified,
            bind_user_verified.clone(),
            expectation(&bind_user_verified, true, 0),
        )?,
        valid_vector(
            kept,
            "login_possession",
            "Login with the possession key, its second signature (counter 2, bank stored 1).",
            &keys.possession,
            Factor::Possession,
            login_possession.clone(),
            expectation(&login_possession, false, 1),
        )?,
        valid_vector(
            kept,
            "login_user_verified",
            "Login with the user-verified key over the same login challenge; the bank requires \
             UV for this factor.",
            &keys.user_verified,
            Factor::UserVerified,
            login_user_verified.clone(),
            expectation(&login_user_verified, true, 1),
        )?,
        valid_vector(
            kept,
            "login_counter_byte_order",
            "Counter 0x01020304 (16909060): the last four bytes of the authenticator data are \
             01 02 03 04, i.e. big-endian.",
            &keys.possession,
            Factor::Possession,
            byte_order.clone(),
            expectation(&byte_order, false, 0x0102_0303),
        )?,
        valid_vector(
            kept,
            "step_up_possession",
            "Step-up inside a session (ceremony mobank.step_up) with the possession key, its \
             third signature.",
            &keys.possession,
            Factor::Possession,
            step_up_possession.clone(),
            expectation(&step_up_possession, false, 2),
        )?,
        valid_vector(
            kept,
            "step_up_user_verified",
            "The user-verified key's half of the same step-up; UV required.",
            &keys.user_verified,
            Factor::UserVerified,
            step_up_user_verified.clone(),
            expectation(&step_up_user_verified, true, 2),
        )?,
        valid_vector(
            kept,
            "operation_revoke_device",
            "Revoking another device (ceremony mobank.operation): the client data carries the \
             operation text revoke_device:<device_id> after rp_id, and the bank expects exactly \
             that text.",
            &keys.possession,
            Factor::Possession,
            revoke.clone(),
            expectation(&revoke, false, 3),
        )?,
        valid_vector(
            kept,
            "pin_change_begin_possession",
            "The possession half of a PIN change's first step (operation pin_change:begin); \
             the knowledge half, with the old PIN's key, is pin_change_begin_knowledge in \
             knowledge.json.",
            &keys.possession,
            Factor::Possession,
            pin_begin.clone(),
            expectation(&pin_begin, false, 4),
        )?,
        valid_vector(
            kept,
            "pin_change_commit_possession",
            "The possession half of a PIN change's second step, over the ticket's challenge \
             (operation pin_change:commit:<ticket_id>).",
            &keys.possession,
            Factor::Possession,
            pin_commit.clone(),
            expectation(&pin_commit, false, 5),
        )?,
        valid_vector(
            kept,
            "operation_unbind",
            "Unbinding the signing device itself (operation unbind:<its own device_id>).",
            &keys.possession,
            Factor::Possession,
            unbind.clone(),
            expectation(&unbind, false, 6),
        )?,
        valid_vector(
            kept,
            "operation_reenrol_biometric_possession",
            "The possession half of registering a new biometric key after an enrolment change \
             (operation reenrol_biometric, no device id: it is always the signing device).",
            &keys.possession,
            Factor::Possession,
            reenrol_possession.clone(),
            expectation(&reenrol_possession, false, 7),
        )?,
        valid_vector(
            kept,
            "operation_reenrol_biometric_new_key",
            "The new user-verified key's proof in the same request: its first signature, so \
             counter 1 over previous_sign_count 0, UP and UV set; the bank checks it with the \
             public key the request carries and then stores counter 1 for the new key.",
            &keys.user_verified_new,
            Factor::UserVerified,
            reenrol_new_key.clone(),
            expectation(&reenrol_new_key, true, 0),
        )?,
        valid_vector(
            kept,
            "operation_enable_channel",
            "Turning the QR payment channel on (operation enable_channel:<channel code>).",
            &keys.possession,
            Factor::Possession,
            enable_channel.clone(),
            expectation(&enable_channel, false, 8),
        )?,
        valid_vector(
            kept,
            "operation_set_limits_raise",
            "Raising the QR payment channel's limits (operation \
             set_limits:<channel>:<per_transaction>:<daily>:<monthly>, each value exactly as \
             the decimal string of the request).",
            &keys.possession,
            Factor::Possession,
            set_limits.clone(),
            expectation(&set_limits, false, 9),
        )?,
        valid_vector(
            kept,
            "operation_cancel_transfer",
            "Cancelling a scheduled transfer (operation cancel_transfer:<idempotency key, \
             lower-case hex>).",
            &keys.possession,
            Factor::Possession,
            cancel_transfer.clone(),
            expectation(&cancel_transfer, false, 10),
        )?,
        valid_vector(
            kept,
            "operation_add_payee",
            "Saving a payee over the name check's challenge (operation \
             add_payee:<bank_code>:<masked account>:<registered name>; the name is UTF-8 and \
             comes last).",
            &keys.possession,
            Factor::Possession,
            add_payee.clone(),
            expectation(&add_payee, false, 11),
        )?,
    ];
    valid.push(other_s_twin(&valid, "login_possession", &keys.possession)?);

    let mut invalid = invalid::invalid_vectors(
        keys,
        &login_possession,
        &login_user_verified,
        &earlier_challenge,
    )?;
    invalid.extend(invalid::operation_invalid_vectors(
        keys,
        &revoke,
        &login_possession,
    )?);
    invalid.extend(invalid::strictness_vectors(
        keys,
        &login_possession,
        &revoke,
    )?);
    let invalid = invalid
        .into_iter()
        .map(|case| case.checked(kept))
        .collect::<Result<Vec<_>>>()?;

    let tolerated = tolerated::vectors(keys, kept, &login_possession, &revoke)?;

    Ok(AssertionVectors {
        description: "Mobank assertion test vectors: fixed P-256 test keys, the exact bytes a \
                      device builds and signs, and assertions a bank must accept (valid and \
                      tolerated) or reject with the named error (invalid). Generated by \
                      protocol/examples/make-vectors/, checked by protocol/tests/vectors.rs; \
                      see docs/protocol.md."
            .to_owned(),
        notes: vec![
            "Fields ending in _hex are lowercase hex; every other binary field (keys, challenge, \
             and the fields of `assertion`) is unpadded base64url (RFC 4648 section 5), as on \
             the wire."
                .to_owned(),
            "authenticator_data = SHA-256(rp_id) (32) || flags (1) || sign_count (4, \
             big-endian): 37 bytes."
                .to_owned(),
            "client_data_json is compact JSON {\"type\",\"challenge\",\"rp_id\"} in that order, \
             followed by \"operation\" for the mobank.operation ceremony only; a verifier \
             hashes the bytes it received and never re-serialises them."
                .to_owned(),
            "signed_bytes = authenticator_data || SHA-256(client_data_json); the signature is \
             ECDSA P-256 with SHA-256 over signed_bytes (the signer hashes signed_bytes once \
             more), DER-encoded."
                .to_owned(),
            "Signatures are randomised: your own signature over the same signed_bytes will \
             differ; check that yours verify, and that these verify in your code."
                .to_owned(),
            "Each invalid vector has exactly one defect and is otherwise correctly signed, so \
             any order of checks reports the same error; the one exception \
             (bad_signature_and_counter_equal) says so."
                .to_owned(),
            "expected_error names a variant of mobank_protocol::VerifyError.".to_owned(),
            "high_s says whether the signature's s is above (n - 1) / 2. Both forms are valid \
             and both occur; login_possession and login_possession_low_s are the two signatures \
             over the same bytes."
                .to_owned(),
            "tolerated holds correctly signed assertions whose client data is not what a device \
             writes but means the same (fields reordered, whitespace, \\u escapes, a null \
             operation): a bank parses the JSON, so it accepts them."
                .to_owned(),
        ],
        keys: vec![
            keys.possession.test_key(),
            keys.user_verified.test_key(),
            keys.other_device.test_key(),
            keys.user_verified_new.test_key(),
        ],
        valid,
        invalid,
        tolerated,
    })
}

/// The valid vector `name` with `s` replaced by n − `s`: the same signed bytes, the other
/// valid signature.
fn other_s_twin(valid: &[ValidVector], name: &str, key: &Key) -> Result<ValidVector> {
    let original = valid
        .iter()
        .find(|v| v.name == name)
        .ok_or_else(|| format!("no valid vector {name}"))?;
    let mut assertion = original.assertion.clone();
    assertion.signature = der::other_s(&original.assertion.signature)?;
    let high_s = der::is_high_s(&assertion.signature)?;
    let form = if high_s { "high" } else { "low" };
    let verified = verify(
        &assertion,
        &key.public_key(),
        &original.expectation.borrow(),
    )
    .map_err(|e| format!("{name} with the other s does not verify: {e}"))?;
    Ok(ValidVector {
        name: format!("{name}_{form}_s"),
        description: format!(
            "{name} with its signature's s replaced by n - s, which makes the {form}-S form of \
             the same signature: both verify, and a bank must accept both."
        ),
        key: original.key.clone(),
        factor: original.factor,
        inputs: original.inputs.clone(),
        rp_id_hash_hex: original.rp_id_hash_hex.clone(),
        authenticator_data_hex: original.authenticator_data_hex.clone(),
        client_data_json_text: original.client_data_json_text.clone(),
        client_data_hash_hex: original.client_data_hash_hex.clone(),
        signed_bytes_hex: original.signed_bytes_hex.clone(),
        signature_der_hex: hex(&assertion.signature),
        high_s,
        assertion,
        expectation: original.expectation.clone(),
        expected: Expected {
            sign_count: verified.sign_count,
            user_verified: verified.user_verified,
        },
    })
}
