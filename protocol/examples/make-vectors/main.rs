//! Writes `vectors/assertions.json`, `vectors/knowledge.json`, `vectors/messages.json` and
//! `vectors/transfers.json`.
//!
//! ECDSA signatures are randomised, so a fresh run would give every vector a new signature over
//! the same bytes. To keep committed vectors (and the examples quoted in docs/protocol.md)
//! stable, the generator reads the existing `assertions.json` (and `transfers.json`) and keeps the signature of every
//! vector whose name and signed content are unchanged; only new or changed vectors are signed
//! afresh. Delete the file to re-sign everything. HMAC (the knowledge factor) is deterministic.
//! `tests/vectors.rs` checks the committed files against the code.
//!
//! `cargo run -p mobank-protocol --example make-vectors`

mod assertions;
mod der;
mod fixtures;
mod kept;
mod knowledge;
mod messages;
mod transfers;

use std::path::Path;

use serde::Serialize;

use fixtures::{Keys, KnowledgeKeys, Result};
use kept::Kept;

fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    std::fs::write(path, text)?;
    println!("wrote {}", path.display());
    Ok(())
}

fn main() -> Result<()> {
    let keys = Keys::load()?;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors");
    let kept = Kept::load(&dir.join("assertions.json"))?;
    let vectors = assertions::vectors(&keys, &kept)?;
    let knowledge_keys = KnowledgeKeys::new();
    let knowledge = knowledge::vectors(&knowledge_keys)?;
    let messages = messages::examples(&vectors, &knowledge, &knowledge_keys)?;
    let transfers = transfers::vectors(&keys, &knowledge_keys, &dir.join("transfers.json"))?;
    std::fs::create_dir_all(&dir)?;
    write_json(&dir.join("assertions.json"), &vectors)?;
    write_json(&dir.join("knowledge.json"), &knowledge)?;
    write_json(&dir.join("messages.json"), &messages)?;
    write_json(&dir.join("transfers.json"), &transfers)?;
    Ok(())
}
