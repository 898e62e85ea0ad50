//! `verify` and `verify_knowledge` with attacker-chosen assertion bytes against a genuine key
//! and expectation. They must never panic, and must accept (or report a counter problem, which
//! they do only after the signature checked out) only what the key really signed: a fuzzer
//! cannot forge ECDSA or HMAC, so anything else accepted is a verification bug.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mobank_fuzz::verify_input::VerifyInput;
use mobank_protocol::{AuthenticatorData, ClientData, VerifyError};

fuzz_target!(|data: &[u8]| {
    let input = VerifyInput::from_bytes(data);
    let case = input.case();
    let expect = case.expectation.borrow();
    let assertion = &input.assertion;
    let result = case.verify(assertion);

    let signature_checked = matches!(
        result,
        Ok(_) | Err(VerifyError::CounterNotIncreasing { .. })
    );
    if !signature_checked {
        return;
    }
    assert!(
        case.genuinely_signed(assertion),
        "accepted a signature the key never made: {assertion:?} -> {result:?}"
    );
    let Ok(auth) = AuthenticatorData::parse(&assertion.authenticator_data) else {
        panic!("accepted malformed authenticator data: {result:?}");
    };
    let Ok(client) = ClientData::parse(&assertion.client_data_json) else {
        panic!("accepted malformed client data: {result:?}");
    };
    assert_eq!(client.ceremony, expect.ceremony);
    assert_eq!(client.challenge, expect.challenge);
    assert_eq!(client.rp_id, expect.rp_id);
    assert_eq!(client.operation.as_deref(), expect.operation);
    assert!(auth.user_present());
    assert!(auth.user_verified() || !expect.require_user_verified);
    match result {
        Ok(verified) => {
            assert_eq!(verified.sign_count, auth.sign_count);
            assert!(verified.sign_count > expect.previous_sign_count);
            assert_eq!(verified.user_verified, auth.user_verified());
        }
        Err(VerifyError::CounterNotIncreasing { stored, received }) => {
            assert_eq!(stored, expect.previous_sign_count);
            assert_eq!(received, auth.sign_count);
            assert!(received <= stored);
        }
        Err(_) => unreachable!("only signature-checked results get here"),
    }
});
