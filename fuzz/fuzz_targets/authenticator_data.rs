//! `AuthenticatorData::parse` over arbitrary bytes: exactly the 37-byte inputs parse, each to the
//! value whose `to_bytes` gives the input back; and any value survives `parse(to_bytes(x))`.

#![no_main]

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use mobank_protocol::assertion::{rp_id_hash, AUTHENTICATOR_DATA_LEN};
use mobank_protocol::{AuthenticatorData, VerifyError, FLAG_USER_PRESENT, FLAG_USER_VERIFIED};

fuzz_target!(|data: &[u8]| {
    match AuthenticatorData::parse(data) {
        Ok(parsed) => {
            assert_eq!(data.len(), AUTHENTICATOR_DATA_LEN);
            assert_eq!(parsed.to_bytes()[..], data[..]);
            check_value(parsed);
        }
        Err(error) => {
            assert_ne!(data.len(), AUTHENTICATOR_DATA_LEN);
            assert_eq!(error, VerifyError::MalformedAuthenticatorData);
        }
    }

    // The same bytes read as a value (fields in another order than on the wire), and as the
    // inputs of `AuthenticatorData::new`.
    let mut u = Unstructured::new(data);
    let (Ok(flags), Ok(sign_count), Ok(rp_id_hash_bytes)) = (
        u.arbitrary::<u8>(),
        u.arbitrary::<u32>(),
        u.arbitrary::<[u8; 32]>(),
    ) else {
        return;
    };
    check_value(AuthenticatorData {
        rp_id_hash: rp_id_hash_bytes,
        flags,
        sign_count,
    });
    if let Ok(rp_id) = u.arbitrary::<&str>() {
        let made = AuthenticatorData::new(rp_id, flags, sign_count);
        assert_eq!(made.rp_id_hash, rp_id_hash(rp_id));
        check_value(made);
    }
});

fn check_value(value: AuthenticatorData) {
    let bytes = value.to_bytes();
    assert_eq!(AuthenticatorData::parse(&bytes), Ok(value));
    assert_eq!(bytes[..32], value.rp_id_hash);
    assert_eq!(bytes[32], value.flags);
    assert_eq!(bytes[33..], value.sign_count.to_be_bytes());
    assert_eq!(value.user_present(), value.flags & FLAG_USER_PRESENT != 0);
    assert_eq!(value.user_verified(), value.flags & FLAG_USER_VERIFIED != 0);
}
