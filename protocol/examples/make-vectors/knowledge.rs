//! `vectors/knowledge.json`: the knowledge (PIN) factor, HMAC-SHA256 instead of ECDSA.

use mobank_protocol::assertion::{operations, verify_knowledge};
use mobank_protocol::vectors::{
    error_name, hex, Expected, Inputs, InvalidKnowledgeVector, KnowledgeVectors, OwnedExpectation,
    ValidKnowledgeVector,
};
use mobank_protocol::{
    signed_bytes, Assertion, Ceremony, Factor, FLAG_USER_PRESENT, FLAG_USER_VERIFIED,
};

use crate::fixtures::{
    build, challenge, expectation, inputs, operation_inputs, KnowledgeKey, KnowledgeKeys,
    LaterChallenges, Result, TICKET_ID,
};

fn valid_knowledge_vector(
    name: &str,
    description: &str,
    key: &KnowledgeKey,
    inputs: Inputs,
    expect: OwnedExpectation,
) -> Result<ValidKnowledgeVector> {
    let assertion = key.assertion(&inputs);
    let verified = verify_knowledge(&assertion, &key.key, &expect.borrow())
        .map_err(|e| format!("{name}: valid vector does not verify: {e}"))?;
    Ok(ValidKnowledgeVector {
        name: name.to_owned(),
        description: description.to_owned(),
        key: key.name.to_owned(),
        factor: Factor::Knowledge,
        authenticator_data_hex: hex(&assertion.authenticator_data),
        client_data_json_text: String::from_utf8(assertion.client_data_json.clone())?,
        signed_bytes_hex: hex(&signed_bytes(
            &assertion.authenticator_data,
            &assertion.client_data_json,
        )),
        signature_hex: hex(&assertion.signature),
        inputs,
        assertion,
        expectation: expect,
        expected: Expected {
            sign_count: verified.sign_count,
            user_verified: verified.user_verified,
        },
    })
}

struct InvalidKnowledge {
    name: &'static str,
    description: &'static str,
    mutation: &'static str,
    key: &'static str,
    assertion: Assertion,
    expectation: OwnedExpectation,
    expected_error: &'static str,
}

impl InvalidKnowledge {
    fn checked(self, keys: &KnowledgeKeys) -> Result<InvalidKnowledgeVector> {
        let on_file = keys.named(self.key)?;
        match verify_knowledge(&self.assertion, &on_file.key, &self.expectation.borrow()) {
            Err(error) if error_name(&error) == self.expected_error => Ok(InvalidKnowledgeVector {
                name: self.name.to_owned(),
                description: self.description.to_owned(),
                mutation: self.mutation.to_owned(),
                key: self.key.to_owned(),
                assertion: self.assertion,
                expectation: self.expectation,
                expected_error: self.expected_error.to_owned(),
            }),
            other => Err(format!(
                "{}: expected {}, verify_knowledge returned {other:?}",
                self.name, self.expected_error
            )
            .into()),
        }
    }
}

pub(crate) fn vectors(keys: &KnowledgeKeys) -> Result<KnowledgeVectors> {
    let later = LaterChallenges::new();
    let login_challenge = challenge("mobank vectors: login challenge");
    let up_uv = FLAG_USER_PRESENT | FLAG_USER_VERIFIED;
    // The knowledge factor has its own counter: it made no binding proof, so its first
    // signature is the first login's; a PIN change does not restart it.
    let login = inputs(Ceremony::Login, &login_challenge, up_uv, 1);
    let step_up = inputs(Ceremony::StepUp, &later.step_up, up_uv, 2);
    let begin = operation_inputs(&later.pin_begin, up_uv, 3, operations::PIN_CHANGE_BEGIN);
    let commit = operation_inputs(
        &later.pin_ticket,
        up_uv,
        4,
        &operations::pin_change_commit(TICKET_ID),
    );

    let valid = vec![
        valid_knowledge_vector(
            "login_knowledge",
            "PIN login: the knowledge half, over the same login challenge as login_possession \
             in assertions.json. Flags UP and UV; the bank requires UV for this factor. Its \
             first signature, so counter 1 over a stored 0.",
            &keys.current,
            login.clone(),
            expectation(&login, true, 0),
        )?,
        valid_knowledge_vector(
            "step_up_knowledge",
            "Step-up with the PIN (with step_up_possession).",
            &keys.current,
            step_up.clone(),
            expectation(&step_up, true, 1),
        )?,
        valid_knowledge_vector(
            "pin_change_begin_knowledge",
            "A PIN change's first step, made with the OLD PIN's key (with \
             pin_change_begin_possession).",
            &keys.current,
            begin.clone(),
            expectation(&begin, true, 2),
        )?,
        valid_knowledge_vector(
            "pin_change_commit_knowledge",
            "A PIN change's second step, made with the NEW key the request carries; the bank \
             checks it with that key, and the counter continues from the old key's.",
            &keys.after_change,
            commit.clone(),
            expectation(&commit, true, 3),
        )?,
    ];

    let (auth, client) = build(&login);
    let mut short = keys.current.assertion(&login);
    short.signature.truncate(16);
    let mut unhashed = keys.current.assertion(&login);
    let mut raw = auth.clone();
    raw.extend_from_slice(&client);
    unhashed.signature = ring::hmac::sign(
        &ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &keys.current.key),
        &raw,
    )
    .as_ref()
    .to_vec();
    let up_only = Inputs {
        flags: FLAG_USER_PRESENT,
        ..login.clone()
    };
    let login_at_step_up = Inputs {
        challenge: step_up.challenge.clone(),
        ..login.clone()
    };
    let mut begin_as_commit = expectation(&begin, true, 2);
    begin_as_commit.operation = Some(operations::pin_change_commit(TICKET_ID));

    let invalid = vec![
        InvalidKnowledge {
            name: "knowledge_wrong_pin",
            description: "The phone decrypted its knowledge key with a wrong PIN and tagged with \
                          the result. Indistinguishable from any other bad signature; it counts \
                          as one failed attempt.",
            mutation: "login_knowledge tagged with knowledge_wrong_pin",
            key: "knowledge",
            assertion: keys.wrong_pin.assertion(&login),
            expectation: expectation(&login, true, 0),
            expected_error: "BadSignature",
        },
        InvalidKnowledge {
            name: "knowledge_tag_truncated",
            description: "The first 16 bytes of the right tag. The tag is always the full 32 \
                          bytes.",
            mutation: "login_knowledge with the signature cut to 16 bytes",
            key: "knowledge",
            assertion: short,
            expectation: expectation(&login, true, 0),
            expected_error: "BadSignature",
        },
        InvalidKnowledge {
            name: "knowledge_client_data_not_hashed",
            description: "Tagged over authenticator_data || client_data_json, forgetting to hash \
                          the client data first.",
            mutation: "login_knowledge with the tag over authData || clientDataJSON",
            key: "knowledge",
            assertion: unhashed,
            expectation: expectation(&login, true, 0),
            expected_error: "BadSignature",
        },
        InvalidKnowledge {
            name: "knowledge_commit_with_old_key",
            description: "A PIN change commit tagged with the old key instead of the new one it \
                          carries.",
            mutation: "pin_change_commit_knowledge tagged with knowledge instead of \
                       knowledge_new",
            key: "knowledge_new",
            assertion: keys.current.assertion(&commit),
            expectation: expectation(&commit, true, 3),
            expected_error: "BadSignature",
        },
        InvalidKnowledge {
            name: "knowledge_user_not_verified",
            description: "Flags 0x01: a knowledge assertion must say the user was verified \
                          (the PIN was entered).",
            mutation: "login_knowledge with flags 0x01; re-tagged",
            key: "knowledge",
            assertion: keys.current.assertion(&up_only),
            expectation: expectation(&login, true, 0),
            expected_error: "UserNotVerified",
        },
        InvalidKnowledge {
            name: "knowledge_login_at_step_up",
            description: "A mobank.login assertion over the step-up challenge presented at \
                          step-up.",
            mutation: "login_knowledge over the step-up challenge; re-tagged; the bank expects \
                       mobank.step_up",
            key: "knowledge",
            assertion: keys.current.assertion(&login_at_step_up),
            expectation: expectation(&step_up, true, 1),
            expected_error: "CeremonyMismatch",
        },
        InvalidKnowledge {
            name: "knowledge_operation_mismatch",
            description: "The begin step's assertion presented as the commit over the same \
                          challenge: the operation text differs.",
            mutation: "pin_change_begin_knowledge unchanged; the bank expects operation \
                       pin_change:commit:pct_0e4b7a91c2d35f68",
            key: "knowledge",
            assertion: keys.current.assertion(&begin),
            expectation: begin_as_commit,
            expected_error: "OperationMismatch",
        },
        InvalidKnowledge {
            name: "knowledge_counter_equal",
            description: "Correctly tagged with the right key, counter 1 where the bank stored \
                          1: an old copy of the phone's state signing again. A clone: block the \
                          device. (A wrong PIN can never get here: its tag fails first.)",
            mutation: "login_knowledge unchanged; the bank's previous_sign_count is 1",
            key: "knowledge",
            assertion: keys.current.assertion(&login),
            expectation: expectation(&login, true, 1),
            expected_error: "CounterNotIncreasing",
        },
    ]
    .into_iter()
    .map(|case| case.checked(keys))
    .collect::<Result<Vec<_>>>()?;

    Ok(KnowledgeVectors {
        description: "Mobank knowledge-factor (PIN) test vectors: fixed 32-byte knowledge keys, \
                      the bytes a device builds and tags, and assertions a bank must accept or \
                      reject with the named error. Generated by \
                      protocol/examples/make-vectors/, checked by protocol/tests/vectors.rs; \
                      see docs/protocol.md and docs/decisions/0010-knowledge-factor.md."
            .to_owned(),
        notes: vec![
            "authenticator_data, client_data_json and signed_bytes are built exactly as for the \
             ECDSA factors (see assertions.json); factor is \"knowledge\" and flags are UP|UV \
             (0x05)."
                .to_owned(),
            "signature = HMAC-SHA256(knowledge key, signed_bytes): 32 bytes, deterministic, so \
             your tag over the same inputs must equal signature_hex exactly. Compare tags in \
             constant time."
                .to_owned(),
            "The bank holds the knowledge key; the phone recovers it only with the right PIN. A \
             wrong PIN yields another key and so BadSignature, which counts as a failed attempt \
             like any other factor's."
                .to_owned(),
            "The knowledge factor has its own signature counter, checked after the tag exactly \
             like the ECDSA keys' counters; a PIN change keeps counting."
                .to_owned(),
            "In invalid vectors `key` names the key the bank has on file; expected_error names \
             a variant of mobank_protocol::VerifyError."
                .to_owned(),
        ],
        keys: vec![
            keys.current.test_key(),
            keys.wrong_pin.test_key(),
            keys.after_change.test_key(),
        ],
        valid,
        invalid,
    })
}
