// Leptos views nest deep types; the release build (no erased components) needs more room.
#![recursion_limit = "256"]
use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = server::cli::Cli::parse();
    match server::run::main(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("baton: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
