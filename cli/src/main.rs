//! `mobank`: a terminal phone for the Mobank sandbox bank.

// Tests may unwrap; the non-test build of the same code is still linted without this.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod demo;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "mobank",
    version,
    about = "A terminal phone for the Mobank sandbox bank"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Walk through the whole customer journey against an embedded sandbox bank.
    Demo {
        /// Print without colours.
        #[arg(long)]
        plain: bool,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo { plain } => demo::run(demo::Narrator::new(plain)).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("mobank: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
