//! A sandbox bank on a tokio runtime of its own, so a test can kill it in the middle of a
//! request: the runtime is shut down without waiting, every connection and handler dropped
//! where it stands and no answer finished, as when the bank's process dies. What SQLite had
//! committed stays. It then starts again on the same data directory and the same ports, so
//! the phone reaches it at the same address with the same pin.

use std::time::{Duration, Instant};

use mobank_sandbox::{RunningSandbox, SandboxConfig, SandboxError};
use tokio::runtime::Runtime;

use crate::{bank_config, Bank, TestResult};

/// How long a restart retries its ports while the killed bank's sockets close.
const REBIND_FOR: Duration = Duration::from_secs(10);

pub struct KillableBank {
    pub bank: Bank,
    /// Always `Some` but while a restart swaps it.
    runtime: Option<Runtime>,
}

impl KillableBank {
    pub async fn start() -> TestResult<Self> {
        let dir = tempfile::tempdir()?;
        let (runtime, sandbox) = serve(bank_config(dir.path().join("bank"))?).await?;
        Ok(Self {
            bank: Bank { sandbox, dir },
            runtime: Some(runtime),
        })
    }

    /// Kills the bank where it stands and starts it again on its data directory and ports.
    pub async fn kill_and_restart(&mut self) -> TestResult<()> {
        let mut config = bank_config(self.bank.data_dir())?;
        config.listen = self
            .bank
            .sandbox
            .base_url()
            .trim_start_matches("https://")
            .parse()?;
        config.dev_listen = self
            .bank
            .sandbox
            .dev_url()
            .trim_start_matches("http://")
            .parse()?;
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
        let started = Instant::now();
        let (runtime, sandbox) = loop {
            match serve(config.clone()).await {
                Err(SandboxError::Listen { .. }) if started.elapsed() < REBIND_FOR => {
                    // The killed runtime's threads are still dropping its listeners.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                started_again => break started_again?,
            }
        };
        self.bank.sandbox = sandbox;
        self.runtime = Some(runtime);
        Ok(())
    }
}

impl Drop for KillableBank {
    fn drop(&mut self) {
        // Dropping a runtime waits for its tasks, which a test's async worker may not do.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// A sandbox started on a new runtime of its own.
async fn serve(config: SandboxConfig) -> Result<(Runtime, RunningSandbox), SandboxError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|error| SandboxError::Config(format!("no runtime for the sandbox: {error}")))?;
    let started = runtime.spawn(mobank_sandbox::start(config)).await;
    match started {
        Ok(Ok(sandbox)) => Ok((runtime, sandbox)),
        failed => {
            // Dropping a runtime blocks; this one has nothing to wait for.
            runtime.shutdown_background();
            match failed {
                Ok(Err(error)) => Err(error),
                _ => Err(SandboxError::Config(
                    "the sandbox's start panicked".to_owned(),
                )),
            }
        }
    }
}
