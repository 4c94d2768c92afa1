use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match convive::cli::run(convive::cli::Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
