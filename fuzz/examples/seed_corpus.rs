//! Writes the seed corpora: `cargo run --example seed_corpus -- [CORPUS_DIR]` (default `corpus`,
//! the directory `cargo fuzz run` reads).

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let corpus = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("corpus"));
    match mobank_fuzz::seeds::write_all(&corpus) {
        Ok(count) => {
            println!("fuzz: {count} seed inputs in {}", corpus.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!(
                "fuzz: writing seeds to {} failed: {error}",
                corpus.display()
            );
            ExitCode::FAILURE
        }
    }
}
