//! The command line and the frame of a latency benchmark (`session-bench`, `transfer-bench`):
//! its options, a temporary work directory, a tokio runtime, the table on stdout and the JSON
//! document written to `--out`.
//!
//! ```text
//! <bench> [--iterations N] [--warmup N] [--out FILE] [--work DIR]
//! ```

use std::path::{Path, PathBuf};

use tokio::runtime::Runtime;

pub struct Options {
    pub iterations: usize,
    pub warmup: usize,
    pub out: PathBuf,
    pub work: Option<PathBuf>,
}

/// What a run reports: a table for people, a document for tools.
pub struct Output {
    pub table: String,
    pub json: serde_json::Value,
}

/// Parses the command line, runs `bench` in a fresh work directory with a multi-threaded
/// runtime, prints its table and writes its document. Exits with 1 and the message on error.
pub fn main(
    name: &str,
    default_out: &str,
    bench: impl FnOnce(&Options, &Path, &Runtime) -> Result<Output, String>,
) {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ran = parse(&args, default_out).and_then(|options| run(name, &options, bench));
    if let Err(message) = ran {
        eprintln!("{name}: {message}");
        std::process::exit(1);
    }
}

fn parse(args: &[String], default_out: &str) -> Result<Options, String> {
    let mut options = Options {
        iterations: 500,
        warmup: 20,
        out: PathBuf::from(default_out),
        work: None,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        let count = || {
            value
                .parse::<usize>()
                .map_err(|_| format!("{flag} takes a number"))
        };
        match flag.as_str() {
            "--iterations" => options.iterations = count()?,
            "--warmup" => options.warmup = count()?,
            "--out" => options.out = PathBuf::from(value),
            "--work" => options.work = Some(PathBuf::from(value)),
            other => return Err(format!("unknown option {other}")),
        }
    }
    if options.iterations < 1 {
        return Err("--iterations must be at least 1".into());
    }
    Ok(options)
}

fn run(
    name: &str,
    options: &Options,
    bench: impl FnOnce(&Options, &Path, &Runtime) -> Result<Output, String>,
) -> Result<(), String> {
    let parent = options.work.clone().unwrap_or_else(std::env::temp_dir);
    std::fs::create_dir_all(&parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    let work = tempfile::Builder::new()
        .prefix(&format!("{name}-"))
        .tempdir_in(&parent)
        .map_err(|e| format!("{}: {e}", parent.display()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let output = bench(options, work.path(), &runtime)?;
    print!("{}", output.table);
    if let Some(dir) = options.out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let json = serde_json::to_string_pretty(&output.json).map_err(|e| e.to_string())?;
    std::fs::write(&options.out, json + "\n")
        .map_err(|e| format!("{}: {e}", options.out.display()))?;
    eprintln!("{name}: wrote {}", options.out.display());
    Ok(())
}
