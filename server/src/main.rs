#![recursion_limit = "256"]
//! Jetons server: the administration console's API tokens screen, its bearer-protected API and
//! the operator CLI.

mod api;
mod assets;
mod bearer;
mod cli;
mod client;
mod config;
mod form;
mod guard;
mod health;
mod language;
mod listener;
mod metrics;
mod no_js;
mod origin;
mod request_id;
mod revoke;
mod store;
mod web;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

use app::backend::StoreError;
use cli::{Cli, CliError, Command, ServeArgs, TokenCliError, UserCommand};
use config::{SettingError, Settings};
use store::{BenchDataError, Db};
use web::ServeError;

/// Why the server did not start, or a command did nothing: the one line printed before exiting
/// with a failure.
#[derive(Debug, thiserror::Error)]
enum RunError {
    #[error(transparent)]
    Setting(#[from] SettingError),
    #[error(transparent)]
    Database(StoreError),
    #[error("--demo only goes with serve (or no command)")]
    DemoWithoutServe,
    #[error(transparent)]
    Command(#[from] CliError),
    #[error(transparent)]
    BenchData(#[from] BenchDataError),
    #[error(transparent)]
    Token(#[from] TokenCliError),
    #[error("cannot set up the console: {0}")]
    Console(#[source] StoreError),
    #[error("cannot write to standard output (the command itself was done): {0}")]
    Stdout(#[source] std::io::Error),
    #[error(transparent)]
    Serve(#[from] ServeError),
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = match cli.settings.log_format.as_deref().map(str::trim) {
        None | Some("" | "text") => false,
        Some("json") => true,
        Some(other) => {
            eprintln!("error: JETONS_LOG_FORMAT={other:?} must be text or json");
            return ExitCode::FAILURE;
        }
    };
    let logs = tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr);
    if json {
        logs.json()
            .with_current_span(true)
            .with_span_list(false)
            .init();
    } else {
        logs.init();
    }
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), RunError> {
    let settings = Settings::from_args(&cli.settings)?;
    let db = Db::open(&settings.database_url)
        .await
        .map_err(RunError::Database)?;
    let command = cli
        .command
        .unwrap_or(Command::Serve(ServeArgs { demo: cli.demo }));
    if cli.demo && !matches!(command, Command::Serve(_)) {
        return Err(RunError::DemoWithoutServe);
    }
    let message = match command {
        Command::Serve(ServeArgs { demo }) => {
            if demo || cli.demo {
                println!("{}", cli::demo(&db, &settings).await?);
            }
            return Ok(web::serve(settings, db).await?);
        }
        Command::Migrate => "database is up to date".to_owned(),
        Command::Demo => cli::demo(&db, &settings).await?,
        Command::User(UserCommand::Add(args)) => cli::user_add(&db, &settings, args).await?,
        Command::User(UserCommand::Set(args)) => cli::user_set(&db, &settings, args).await?,
        Command::Flag(command) => cli::set_flag(&db, &settings, command).await?,
        Command::BenchData(args) => cli::bench_data(&db, &settings, args).await?,
        Command::Token(command) => {
            let console = web::console(&settings, &db)
                .await
                .map_err(RunError::Console)?;
            match cli::token(&console, command).await? {
                Some(message) => message,
                None => {
                    db.close().await;
                    return Ok(());
                }
            }
        }
    };
    db.close().await;
    // Not println!, which panics when standard output is closed: say so instead.
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{message}")
        .and_then(|()| stdout.flush())
        .map_err(RunError::Stdout)
}
