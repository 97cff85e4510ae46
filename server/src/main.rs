//! `glossary-server`: parse the command line, set up logging, run.

use clap::Parser;

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
