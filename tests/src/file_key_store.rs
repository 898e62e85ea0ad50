//! A key store whose keys are plain files in a directory, so that a phone killed in the middle
//! of a transfer comes back with the same keys, as a real phone's hardware key store would.
//!
//! # INSECURE: a test fixture only
//!
//! Private signing keys (PKCS#8) and wrapping keys are written **raw** to disk. Anything that
//! reads the directory owns the binding. It exists so the crash tests can restart a phone in a
//! new process; nothing outside `tests/` may use it.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use mobank_core::platform::{KeyPurpose, KeyStore, KeyStoreError};
use mobank_store::Zeroizing;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};

const WRAP_KEY_LEN: usize = 32;
const POSSESSION: u8 = 0;
const USER_VERIFIED: u8 = 1;

/// P-256 signing keys and AES-256-GCM wrapping keys kept raw in files under one directory.
///
/// **Insecure by design; see the module documentation.**
pub struct InsecureFileKeyStore {
    dir: PathBuf,
    rng: SystemRandom,
}

impl InsecureFileKeyStore {
    /// Keys under `dir`, created if missing. Two stores on the same directory see the same keys.
    pub fn open(dir: impl Into<PathBuf>) -> std::io::Result<Self> {
        let dir = dir.into();
        fs::create_dir_all(&dir)?;
        Ok(Self {
            dir,
            rng: SystemRandom::new(),
        })
    }

    fn path(&self, alias: &str, kind: &str) -> PathBuf {
        // Hex keeps any alias a plain file name.
        let name: String = alias.bytes().map(|b| format!("{b:02x}")).collect();
        self.dir.join(format!("{name}.{kind}"))
    }

    fn read(&self, alias: &str, kind: &str) -> Result<Zeroizing<Vec<u8>>, KeyStoreError> {
        match fs::read(self.path(alias, kind)) {
            Ok(bytes) => Ok(Zeroizing::new(bytes)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                Err(KeyStoreError::NotFound)
            }
            Err(error) => Err(io_error(&error)),
        }
    }

    /// The signing key of `alias`: its purpose byte, then PKCS#8.
    fn signing(&self, alias: &str) -> Result<(u8, EcdsaKeyPair), KeyStoreError> {
        let bytes = self.read(alias, "signing")?;
        let (&purpose, pkcs8) = bytes.split_first().ok_or_else(damaged)?;
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8, &self.rng)
            .map_err(|_| damaged())?;
        Ok((purpose, pair))
    }

    fn wrapping_key(&self, alias: &str, create: bool) -> Result<LessSafeKey, KeyStoreError> {
        let key = match self.read(alias, "wrapping") {
            Err(KeyStoreError::NotFound) if create => {
                let mut key = Zeroizing::new(vec![0u8; WRAP_KEY_LEN]);
                self.rng.fill(&mut key).map_err(|_| rng_failure())?;
                write_durably(&self.path(alias, "wrapping"), &key)?;
                key
            }
            other => other?,
        };
        UnboundKey::new(&AES_256_GCM, &key)
            .map(LessSafeKey::new)
            .map_err(|_| damaged())
    }
}

/// Written to a temporary file, synced, then renamed: a kill leaves the old key or the new one.
fn write_durably(path: &Path, bytes: &[u8]) -> Result<(), KeyStoreError> {
    let partial = path.with_extension("partial");
    let mut file = fs::File::create(&partial).map_err(|e| io_error(&e))?;
    file.write_all(bytes).map_err(|e| io_error(&e))?;
    file.sync_all().map_err(|e| io_error(&e))?;
    fs::rename(&partial, path).map_err(|e| io_error(&e))
}

fn io_error(error: &std::io::Error) -> KeyStoreError {
    KeyStoreError::Platform(format!("key file: {}", error.kind()))
}

fn damaged() -> KeyStoreError {
    KeyStoreError::Platform("key file damaged".to_owned())
}

fn rng_failure() -> KeyStoreError {
    KeyStoreError::Platform("system random generator failed".to_owned())
}

impl KeyStore for InsecureFileKeyStore {
    fn generate(&self, alias: &str, purpose: KeyPurpose) -> Result<Vec<u8>, KeyStoreError> {
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &self.rng)
            .map_err(|_| rng_failure())?;
        let pair =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &self.rng)
                .map_err(|_| damaged())?;
        let tag = match purpose {
            KeyPurpose::Possession => POSSESSION,
            KeyPurpose::UserVerified => USER_VERIFIED,
        };
        let mut bytes = Zeroizing::new(vec![tag]);
        bytes.extend_from_slice(pkcs8.as_ref());
        write_durably(&self.path(alias, "signing"), &bytes)?;
        Ok(pair.public_key().as_ref().to_vec())
    }

    fn public_key(&self, alias: &str) -> Result<Vec<u8>, KeyStoreError> {
        Ok(self.signing(alias)?.1.public_key().as_ref().to_vec())
    }

    fn sign(
        &self,
        alias: &str,
        message: &[u8],
        prompt: Option<&str>,
    ) -> Result<Vec<u8>, KeyStoreError> {
        let (purpose, pair) = self.signing(alias)?;
        // As on a phone: a user-verified key is released only behind a prompt (always passed).
        if purpose == USER_VERIFIED && prompt.is_none() {
            return Err(KeyStoreError::Platform(
                "a user-verified key needs a prompt".to_owned(),
            ));
        }
        let signature = pair
            .sign(&self.rng, message)
            .map_err(|_| KeyStoreError::Platform("signing failed".to_owned()))?;
        Ok(signature.as_ref().to_vec())
    }

    fn delete(&self, alias: &str) -> Result<(), KeyStoreError> {
        for kind in ["signing", "wrapping"] {
            match fs::remove_file(self.path(alias, kind)) {
                Ok(()) => {}
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => return Err(io_error(&error)),
            }
        }
        Ok(())
    }

    fn wrap(&self, alias: &str, plaintext: &[u8]) -> Result<Vec<u8>, KeyStoreError> {
        let key = self.wrapping_key(alias, true)?;
        let mut nonce = [0u8; NONCE_LEN];
        self.rng.fill(&mut nonce).map_err(|_| rng_failure())?;
        let mut sealed = plaintext.to_vec();
        key.seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(alias.as_bytes()),
            &mut sealed,
        )
        .map_err(|_| KeyStoreError::Platform("wrapping failed".to_owned()))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    fn unwrap(&self, alias: &str, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeyStoreError> {
        let key = self.wrapping_key(alias, false)?;
        let (nonce, sealed) = wrapped
            .split_at_checked(NONCE_LEN)
            .ok_or_else(|| KeyStoreError::Platform("wrapped data is too short".to_owned()))?;
        let nonce = Nonce::try_assume_unique_for_key(nonce)
            .map_err(|_| KeyStoreError::Platform("wrapped data is too short".to_owned()))?;
        let mut buffer = Zeroizing::new(sealed.to_vec());
        let len = key
            .open_in_place(nonce, Aad::from(alias.as_bytes()), buffer.as_mut_slice())
            .map_err(|_| KeyStoreError::Platform("wrapped data failed authentication".to_owned()))?
            .len();
        buffer.truncate(len);
        Ok(buffer)
    }
}
