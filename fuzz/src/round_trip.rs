//! The property every wire message must have: whatever a peer's bytes parse to serialises to
//! JSON that parses back to the same value, and serialising is stable.

use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::Serialize;

/// Parses `bytes` as `T`; if they parse, panics unless the value survives a round trip.
/// Returns whether they parsed.
#[allow(clippy::expect_used)]
pub fn check<T>(bytes: &[u8]) -> bool
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let Ok(value) = serde_json::from_slice::<T>(bytes) else {
        return false;
    };
    let json = serde_json::to_vec(&value).expect("a parsed message serialises");
    let again: T = serde_json::from_slice(&json).expect("a serialised message parses");
    assert_eq!(value, again, "round trip changed the value");
    let json_again = serde_json::to_vec(&again).expect("a parsed message serialises");
    assert_eq!(json, json_again, "serialisation is not stable");
    true
}
