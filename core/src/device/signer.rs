//! Turns a server challenge into a WebAuthn-shaped assertion signed by a device key, or by
//! the knowledge key.

use mobank_protocol::assertion::knowledge_signature;
use mobank_protocol::{
    signed_bytes, Assertion, AuthenticatorData, Ceremony, ClientData, Factor, FLAG_USER_PRESENT,
    FLAG_USER_VERIFIED,
};

use super::knowledge::KnowledgeKey;
use crate::platform::{KeyStore, KeyStoreError};

/// Everything one signature covers.
pub(crate) struct AssertionSpec<'a> {
    pub factor: Factor,
    pub alias: &'a str,
    pub ceremony: Ceremony,
    pub rp_id: &'a str,
    pub challenge: &'a [u8],
    /// For `mobank.operation`: the canonical text of what is authorised.
    pub operation: Option<&'a str>,
    /// Already reserved and persisted by the caller.
    pub sign_count: u32,
    /// Shown by the OS before it releases a user-verified key; `None` for possession.
    pub prompt: Option<&'a str>,
}

/// Signs `authData ‖ SHA-256(clientData)` with the key of `spec.alias`.
///
/// The user-verified flag is set only for the user-verified key: the platform releases that
/// key only after the OS has verified the customer, so a signature by it is the proof that
/// verification ran.
pub(crate) fn make_assertion(
    key_store: &dyn KeyStore,
    spec: &AssertionSpec<'_>,
) -> Result<Assertion, KeyStoreError> {
    let (authenticator_data, client_data_json) = signed_parts(spec);
    let message = signed_bytes(&authenticator_data, &client_data_json);
    let signature = key_store.sign(spec.alias, &message, spec.prompt)?;
    Ok(Assertion {
        factor: spec.factor,
        authenticator_data,
        client_data_json,
        signature,
    })
}

/// The knowledge factor's assertion: the same bytes, authenticated by HMAC under the key the
/// PIN opened. `spec.alias` and `spec.prompt` are not used.
pub(crate) fn make_knowledge_assertion(key: &KnowledgeKey, spec: &AssertionSpec<'_>) -> Assertion {
    let (authenticator_data, client_data_json) = signed_parts(spec);
    let signature = knowledge_signature(key.bytes(), &authenticator_data, &client_data_json);
    Assertion {
        factor: Factor::Knowledge,
        authenticator_data,
        client_data_json,
        signature,
    }
}

fn signed_parts(spec: &AssertionSpec<'_>) -> (Vec<u8>, Vec<u8>) {
    let flags = match spec.factor {
        Factor::Possession => FLAG_USER_PRESENT,
        // The knowledge factor is "user verified" in the WebAuthn sense: the customer typed it.
        Factor::UserVerified | Factor::Knowledge => FLAG_USER_PRESENT | FLAG_USER_VERIFIED,
    };
    let authenticator_data = AuthenticatorData::new(spec.rp_id, flags, spec.sign_count)
        .to_bytes()
        .to_vec();
    let client_data_json = ClientData {
        ceremony: spec.ceremony,
        challenge: spec.challenge.to_vec(),
        rp_id: spec.rp_id.to_owned(),
        operation: spec.operation.map(str::to_owned),
    }
    .to_json();
    (authenticator_data, client_data_json)
}

#[cfg(test)]
mod tests {
    use mobank_protocol::{assertion::verify, Expectation, VerifyError};

    use super::*;
    use crate::platform::{InsecureSoftwareKeyStore, KeyPurpose};

    const RP_ID: &str = "sandbox.mobank.local";

    fn expectation(challenge: &[u8], require_uv: bool, previous: u32) -> Expectation<'_> {
        Expectation {
            rp_id: RP_ID,
            ceremony: Ceremony::Login,
            challenge,
            require_user_verified: require_uv,
            previous_sign_count: previous,
            operation: None,
        }
    }

    #[test]
    fn assertions_verify_with_the_protocol_verifier_and_carry_truthful_flags() {
        let store = InsecureSoftwareKeyStore::new();
        let possession = store.generate("p", KeyPurpose::Possession).unwrap();
        let user_verified = store.generate("uv", KeyPurpose::UserVerified).unwrap();
        let challenge = [9u8; 32];
        let spec = |factor, alias, prompt| AssertionSpec {
            factor,
            alias,
            ceremony: Ceremony::Login,
            rp_id: RP_ID,
            challenge: &challenge,
            operation: None,
            sign_count: 5,
            prompt,
        };

        let p = make_assertion(&store, &spec(Factor::Possession, "p", None)).unwrap();
        let verified = verify(&p, &possession, &expectation(&challenge, false, 4)).unwrap();
        assert_eq!((verified.sign_count, verified.user_verified), (5, false));
        assert_eq!(
            verify(&p, &possession, &expectation(&challenge, true, 4)),
            Err(VerifyError::UserNotVerified)
        );

        let uv = make_assertion(&store, &spec(Factor::UserVerified, "uv", Some("Log in"))).unwrap();
        let verified = verify(&uv, &user_verified, &expectation(&challenge, true, 4)).unwrap();
        assert!(verified.user_verified);
        assert_eq!(store.prompts_shown(), ["Log in"]);
        assert_eq!(
            verify(&uv, &user_verified, &expectation(&challenge, true, 5)),
            Err(VerifyError::CounterNotIncreasing {
                stored: 5,
                received: 5
            })
        );
        // Signed by the other key: refused.
        assert_eq!(
            verify(&uv, &possession, &expectation(&challenge, true, 4)),
            Err(VerifyError::BadSignature)
        );
    }

    #[test]
    fn every_user_verified_signature_asks_the_platform_again() {
        let store = InsecureSoftwareKeyStore::new();
        let user_verified = store.generate("uv", KeyPurpose::UserVerified).unwrap();
        store.generate("p", KeyPurpose::Possession).unwrap();
        let challenge = [5u8; 32];
        let prompts = [
            "向 王芳 转账 ¥500.00",
            "向 王芳 转账 ¥20.00",
            "Remove iPhone 15",
        ];
        for (count, prompt) in (1..).zip(prompts) {
            let spec = AssertionSpec {
                factor: Factor::UserVerified,
                alias: "uv",
                ceremony: Ceremony::Login,
                rp_id: RP_ID,
                challenge: &challenge,
                operation: None,
                sign_count: count,
                prompt: Some(prompt),
            };
            let signed = make_assertion(&store, &spec).unwrap();
            let expect = expectation(&challenge, true, count - 1);
            assert!(
                verify(&signed, &user_verified, &expect)
                    .unwrap()
                    .user_verified
            );
            // The possession key signs alongside without a prompt of its own.
            let possession = AssertionSpec {
                factor: Factor::Possession,
                alias: "p",
                prompt: None,
                ..spec
            };
            make_assertion(&store, &possession).unwrap();
        }
        // One prompt per signature, each with the text of its own operation.
        assert_eq!(store.prompts_shown(), prompts);
    }

    #[test]
    fn knowledge_and_operation_assertions_verify_with_the_protocol_verifier() {
        use mobank_protocol::assertion::{operations, verify_knowledge};

        let key = KnowledgeKey::generate().unwrap();
        let challenge = [4u8; 32];
        let spec = AssertionSpec {
            factor: Factor::Knowledge,
            alias: "",
            ceremony: Ceremony::Operation,
            rp_id: RP_ID,
            challenge: &challenge,
            operation: Some(operations::PIN_CHANGE_BEGIN),
            sign_count: 3,
            prompt: None,
        };
        let assertion = make_knowledge_assertion(&key, &spec);
        assert_eq!(assertion.signature.len(), 32);
        let expect = Expectation {
            rp_id: RP_ID,
            ceremony: Ceremony::Operation,
            challenge: &challenge,
            require_user_verified: true,
            previous_sign_count: 2,
            operation: Some(operations::PIN_CHANGE_BEGIN),
        };
        let verified = verify_knowledge(&assertion, key.bytes(), &expect).unwrap();
        assert_eq!((verified.sign_count, verified.user_verified), (3, true));
        // Another key (a wrong PIN) or another operation: refused by the bank's check.
        let other = KnowledgeKey::generate().unwrap();
        assert_eq!(
            verify_knowledge(&assertion, other.bytes(), &expect),
            Err(VerifyError::BadSignature)
        );
        let elsewhere = Expectation {
            operation: Some("unbind:dev_1"),
            ..expect
        };
        assert_eq!(
            verify_knowledge(&assertion, key.bytes(), &elsewhere),
            Err(VerifyError::OperationMismatch)
        );
    }

    #[test]
    fn key_store_refusals_pass_through() {
        let store = InsecureSoftwareKeyStore::new();
        store.generate("uv", KeyPurpose::UserVerified).unwrap();
        store.set_user_cancels(true);
        let spec = AssertionSpec {
            factor: Factor::UserVerified,
            alias: "uv",
            ceremony: Ceremony::Login,
            rp_id: RP_ID,
            challenge: &[1u8; 32],
            operation: None,
            sign_count: 1,
            prompt: Some("Log in"),
        };
        assert_eq!(
            make_assertion(&store, &spec).unwrap_err(),
            KeyStoreError::UserCancelled
        );
        let missing = AssertionSpec {
            alias: "gone",
            ..spec
        };
        assert_eq!(
            make_assertion(&store, &missing).unwrap_err(),
            KeyStoreError::NotFound
        );
    }
}
