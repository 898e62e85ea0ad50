//! Binding a phone: fresh device keys and their proofs over the bank's activation challenge.

use mobank_protocol::{Assertion, Ceremony, Factor};
use ring::rand::{SecureRandom, SystemRandom};

use super::signer::{make_assertion, AssertionSpec};
use super::state::DeviceState;
use crate::platform::{KeyPurpose, KeyStore, KeyStoreError};

/// The bank's activation, between the code and the OTP.
#[derive(Debug, Clone)]
pub(crate) struct PendingActivation {
    pub activation_id: String,
    pub challenge: Vec<u8>,
    pub rp_id: String,
}

pub(crate) const BIND_PROMPT: &str = "Confirm binding this phone to your bank account";

/// The two freshly generated device keys.
#[derive(Debug, Clone)]
pub(crate) struct NewKeys {
    pub possession_alias: String,
    pub user_verified_alias: String,
    pub possession_public_key: Vec<u8>,
    pub user_verified_public_key: Vec<u8>,
}

/// A fresh alias prefix, so a new key never overwrites one that may still be in use.
fn new_prefix() -> Result<String, KeyStoreError> {
    let mut random = [0u8; 8];
    SystemRandom::new()
        .fill(&mut random)
        .map_err(|_| KeyStoreError::Platform("system random generator failed".to_owned()))?;
    let id: String = random.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("mobank.{id}"))
}

fn new_aliases() -> Result<(String, String), KeyStoreError> {
    let prefix = new_prefix()?;
    Ok((format!("{prefix}.possession"), format!("{prefix}.uv")))
}

/// The alias of a re-enrolled biometric key: new, so the old key stays usable until the bank
/// has accepted the new one.
pub(crate) fn new_user_verified_alias() -> Result<String, KeyStoreError> {
    Ok(format!("{}.uv", new_prefix()?))
}

/// The platform wrapping key of the knowledge factor belongs to the binding of `possession_alias`.
pub(crate) fn knowledge_alias(possession_alias: &str) -> String {
    let prefix = possession_alias
        .strip_suffix(".possession")
        .unwrap_or(possession_alias);
    format!("{prefix}.knowledge")
}

/// Generates both keys and signs the activation challenge with each (counter 1, the first
/// signature of a new key). If anything fails, the keys made so far are deleted again.
pub(crate) fn create_keys_and_proofs(
    key_store: &dyn KeyStore,
    pending: &PendingActivation,
) -> Result<(NewKeys, Vec<Assertion>), KeyStoreError> {
    let (possession_alias, user_verified_alias) = new_aliases()?;
    let result = (|| {
        let possession_public_key =
            key_store.generate(&possession_alias, KeyPurpose::Possession)?;
        let user_verified_public_key =
            key_store.generate(&user_verified_alias, KeyPurpose::UserVerified)?;
        let spec = |factor, alias, prompt| AssertionSpec {
            factor,
            alias,
            ceremony: Ceremony::Bind,
            rp_id: &pending.rp_id,
            challenge: &pending.challenge,
            operation: None,
            sign_count: 1,
            prompt,
        };
        let proofs = vec![
            make_assertion(
                key_store,
                &spec(Factor::Possession, &possession_alias, None),
            )?,
            make_assertion(
                key_store,
                &spec(
                    Factor::UserVerified,
                    &user_verified_alias,
                    Some(BIND_PROMPT),
                ),
            )?,
        ];
        Ok((
            NewKeys {
                possession_alias: possession_alias.clone(),
                user_verified_alias: user_verified_alias.clone(),
                possession_public_key,
                user_verified_public_key,
            },
            proofs,
        ))
    })();
    if result.is_err() {
        delete_keys(key_store, &[&possession_alias, &user_verified_alias]);
    }
    result
}

/// Best effort: a key that cannot be deleted now is unusable anyway, as no state refers to it.
pub(crate) fn delete_keys<S: AsRef<str>>(key_store: &dyn KeyStore, aliases: &[S]) {
    for alias in aliases {
        if let Err(error) = key_store.delete(alias.as_ref()) {
            tracing::warn!(%error, "could not delete a device key");
        }
    }
}

/// Every key of a new binding, the knowledge wrapping key included (it may not exist yet;
/// deleting a missing key is not an error).
pub(crate) fn new_key_aliases(keys: &NewKeys) -> Vec<String> {
    vec![
        keys.possession_alias.clone(),
        keys.user_verified_alias.clone(),
        knowledge_alias(&keys.possession_alias),
    ]
}

/// Every key a saved binding refers to.
pub(crate) fn state_aliases(state: &DeviceState) -> Vec<String> {
    let mut aliases = vec![
        state.possession_key_alias.clone(),
        state.user_verified_key_alias.clone(),
        knowledge_alias(&state.possession_key_alias),
    ];
    if let Some(knowledge) = &state.knowledge {
        if !aliases.contains(&knowledge.wrap_alias) {
            aliases.push(knowledge.wrap_alias.clone());
        }
    }
    aliases
}

#[cfg(test)]
mod tests {
    use mobank_protocol::assertion::verify;
    use mobank_protocol::Expectation;

    use super::*;
    use crate::platform::InsecureSoftwareKeyStore;

    fn pending() -> PendingActivation {
        PendingActivation {
            activation_id: "act_1".to_owned(),
            challenge: vec![3u8; 32],
            rp_id: "sandbox.mobank.local".to_owned(),
        }
    }

    #[test]
    fn proofs_verify_as_bind_assertions_with_counter_one() {
        let store = InsecureSoftwareKeyStore::new();
        let pending = pending();
        let (keys, proofs) = create_keys_and_proofs(&store, &pending).unwrap();
        assert!(
            keys.possession_alias.starts_with("mobank.")
                && keys.possession_alias.ends_with(".possession")
        );
        assert!(keys.user_verified_alias.ends_with(".uv"));
        let expect = |uv| Expectation {
            rp_id: &pending.rp_id,
            ceremony: Ceremony::Bind,
            challenge: &pending.challenge,
            require_user_verified: uv,
            previous_sign_count: 0,
            operation: None,
        };
        assert_eq!(proofs[0].factor, Factor::Possession);
        assert_eq!(
            verify(&proofs[0], &keys.possession_public_key, &expect(false))
                .unwrap()
                .sign_count,
            1
        );
        assert_eq!(proofs[1].factor, Factor::UserVerified);
        assert!(
            verify(&proofs[1], &keys.user_verified_public_key, &expect(true))
                .unwrap()
                .user_verified
        );
        assert_eq!(store.prompts_shown(), [BIND_PROMPT]);
    }

    #[test]
    fn each_binding_gets_new_aliases() {
        let store = InsecureSoftwareKeyStore::new();
        let (first, _) = create_keys_and_proofs(&store, &pending()).unwrap();
        let (second, _) = create_keys_and_proofs(&store, &pending()).unwrap();
        assert_ne!(first.possession_alias, second.possession_alias);
        assert_eq!(store.aliases().len(), 4);
    }

    #[test]
    fn a_cancelled_prompt_leaves_no_key_behind() {
        let store = InsecureSoftwareKeyStore::new();
        store.set_user_cancels(true);
        assert_eq!(
            create_keys_and_proofs(&store, &pending()).unwrap_err(),
            KeyStoreError::UserCancelled
        );
        assert!(store.aliases().is_empty());
    }
}
