//! The signatures of the committed `assertions.json`, so that regenerating keeps every vector
//! whose signed content did not change.

use std::collections::BTreeMap;
use std::path::Path;

use mobank_protocol::Assertion;
use serde_json::Value;

use crate::fixtures::Result;

/// The signatures of the committed `assertions.json`, by vector name.
pub(crate) struct Kept(BTreeMap<String, Assertion>);

impl Kept {
    pub(crate) fn load(path: &Path) -> Result<Self> {
        if !path.exists() {
            return Ok(Self(BTreeMap::new()));
        }
        // Read loosely: the file may have been written before the layout gained a field.
        let existing: Value = serde_json::from_str(&std::fs::read_to_string(path)?)?;
        let mut kept = BTreeMap::new();
        for part in ["valid", "invalid", "tolerated"] {
            let Some(vectors) = existing.get(part).and_then(Value::as_array) else {
                continue;
            };
            for vector in vectors {
                let name = vector.get("name").and_then(Value::as_str);
                let assertion = vector.get("assertion").cloned();
                if let (Some(name), Some(assertion)) = (name, assertion) {
                    kept.insert(name.to_owned(), serde_json::from_value(assertion)?);
                }
            }
        }
        Ok(Self(kept))
    }

    /// `assertion` with the committed signature of the vector `name`, if that vector signed
    /// the same content; unchanged otherwise. The callers verify the result either way.
    pub(crate) fn signature_for(&self, name: &str, mut assertion: Assertion) -> Assertion {
        if let Some(kept) = self.0.get(name) {
            if kept.factor == assertion.factor
                && kept.authenticator_data == assertion.authenticator_data
                && kept.client_data_json == assertion.client_data_json
            {
                assertion.signature = kept.signature.clone();
            }
        }
        assertion
    }
}
