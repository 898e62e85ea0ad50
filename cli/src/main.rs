//! `mobank`: a terminal phone for the Mobank sandbox bank.

mod demo;
mod narrate;

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
        Command::Demo { plain } => demo::run(narrate::Narrator::new(plain)).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("mobank: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
