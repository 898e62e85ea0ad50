//! `mobank-sandbox`: the reference bank as a process. Prints one JSON line (base URL, SPKI pin,
//! developer URL, rp id) on stdout once listening, logs to stderr, stops on SIGINT or SIGTERM.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use mobank_sandbox::SandboxConfig;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "mobank-sandbox",
    version,
    about = "The Mobank reference bank (a sandbox, not a real bank)"
)]
struct Args {
    /// Directory for the database and the TLS certificate; reuse it to keep devices and the pin.
    #[arg(long, required_unless_present = "openapi")]
    data_dir: Option<PathBuf>,
    /// Address of the customer API (HTTPS).
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// Address of the developer API (plain HTTP, loopback only).
    #[arg(long, default_value = "127.0.0.1:0")]
    dev_listen: SocketAddr,
    /// Book this many transactions of realistic history for the demo customer on first start
    /// (a data directory that already has history keeps it).
    #[arg(long, default_value_t = 0, value_name = "N")]
    seed_history: u32,
    /// Let the developer API move the bank's clock (POST /dev/clock/advance), for test suites.
    /// Without it that route answers 404 not_found and the clock keeps real time.
    #[arg(long)]
    test_clock: bool,
    /// Print the OpenAPI document of both APIs (docs/openapi.json) on stdout and exit.
    #[arg(long)]
    openapi: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    if args.openapi {
        return print_document();
    }
    let config = SandboxConfig {
        data_dir: args.data_dir.unwrap_or_default(),
        listen: args.listen,
        dev_listen: args.dev_listen,
        seed_history: args.seed_history,
        test_clock: args.test_clock,
        ..SandboxConfig::default()
    };
    let sandbox = match mobank_sandbox::start(config).await {
        Ok(sandbox) => sandbox,
        Err(error) => {
            eprintln!("mobank-sandbox: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(error) = announce(&sandbox.announcement()) {
        eprintln!("mobank-sandbox: could not write the start line to stdout: {error}");
        sandbox.shutdown().await;
        return ExitCode::FAILURE;
    }
    if let Err(error) = stop_requested().await {
        eprintln!("mobank-sandbox: cannot wait for signals: {error}");
    }
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}

fn print_document() -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(mobank_sandbox::openapi_document().as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("mobank-sandbox: could not write the OpenAPI document: {error}");
            ExitCode::FAILURE
        }
    }
}

fn announce(announcement: &mobank_sandbox::Announcement) -> std::io::Result<()> {
    let line = serde_json::to_string(announcement)?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{line}")?;
    stdout.flush()
}

#[cfg(unix)]
async fn stop_requested() -> std::io::Result<()> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut terminate = signal(SignalKind::terminate())?;
    tokio::select! {
        result = tokio::signal::ctrl_c() => result,
        _ = terminate.recv() => Ok(()),
    }
}

#[cfg(not(unix))]
async fn stop_requested() -> std::io::Result<()> {
    tokio::signal::ctrl_c().await
}
