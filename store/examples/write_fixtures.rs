//! Writes the fixture stores of every schema version into `store/tests/fixtures/v<N>/`.
//!
//! Run once per new schema version and commit the result; existing fixtures are never rewritten,
//! since their point is to be what an older app left on a phone:
//!
//! ```sh
//! cargo run -p mobank-store --features fixture-writer --example write_fixtures -- store/tests/fixtures
//! ```
#![allow(clippy::unwrap_used)]

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::PathBuf;

use mobank_store::{Store, SCHEMA_VERSION};
use support::{fixture, TestWrapper};

fn main() {
    let root = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "store/tests/fixtures".into()),
    );
    for version in 1..=SCHEMA_VERSION {
        let dir = root.join(format!("v{version}"));
        if dir.exists() {
            println!("{} exists, kept", dir.display());
            continue;
        }
        let store = Store::create_at_schema_version(&dir, TestWrapper::fixture(), version).unwrap();
        fixture::fill_v1(&store);
        if version >= 2 {
            fixture::fill_v2(&store);
        }
        // Checkpoint so each database is one self-contained file.
        store.pause().unwrap();
        println!("wrote {}", dir.display());
    }
}
