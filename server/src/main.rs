//! `glossary-server`: parse the command line, set up logging, run.

use clap::Parser;

// A long-running server with many threads (actix workers and the blocking
// pool) fragmented glibc's per-thread arenas: RSS grew by gigabytes across
// bursts of load and never came back. mimalloc returns freed pages to the
// system and keeps RSS flat (tools/bench/mixed.sh measures it).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = server::cli::Cli::parse();
    let default_level = match cli.command {
        server::cli::Command::Serve(_) => "info",
        _ => "warn",
    };
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or(default_level)).init();
    if let Err(e) = server::cli::run(cli) {
        eprintln!("glossary-server: {e}");
        std::process::exit(1);
    }
}
