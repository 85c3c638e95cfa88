//! The operator CLI: `serve` (default), `migrate`, `user add|set`, `flag enable|disable`, `demo`,
//! `token create|list|remove|delete`.

mod people;
mod tokens;

pub use people::{user_add, user_set, RightCodeError, UserCommand};
pub use tokens::{token, TokenCliError, TokenCommand};

use clap::{Args, Parser, Subcommand};
use rand::RngCore;

use app::backend::StoreError;
use app::domain::password::{hash_password, PasswordError};
use app::domain::rules::today;
use app::domain::token::to_hex;
use app::product::{FLAG_DOMAIN, FLAG_LABEL};

use crate::config::{SettingArgs, Settings, OTHER_VARIABLES};
use crate::store::{BenchDataError, BenchSize, Db, DemoOutcome, OperatorError};
use people::salt;

#[derive(Debug, Parser)]
#[command(
    name = "server",
    about = "Jetons: the API token console of the administration console",
    after_help = OTHER_VARIABLES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Serve (the default command) with demo data, seeded first when the database is empty.
    #[arg(long)]
    pub demo: bool,
    #[command(flatten)]
    pub settings: SettingArgs,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Seed demo data first when the database is empty.
    #[arg(long)]
    pub demo: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the console (the default).
    Serve(ServeArgs),
    /// Apply the database migrations and exit.
    Migrate,
    /// Seed an empty database with demo data.
    Demo,
    /// Manage people.
    #[command(subcommand)]
    User(UserCommand),
    /// Enable or disable a feature flag.
    #[command(subcommand)]
    Flag(FlagCommand),
    /// Create, list, remove or delete API tokens (for automation).
    #[command(subcommand)]
    Token(TokenCommand),
    /// Load benchmark data (people load-0000001…, their tokens in every state) and print one
    /// usable token of the first technical user. For benchmarks and load tests only.
    BenchData(BenchData),
}

#[derive(Debug, Args)]
pub struct BenchData {
    /// People to add.
    #[arg(long, default_value_t = 100_000)]
    pub people: i64,
    /// How many of them are technical users (0: the tokens belong to people who are not).
    #[arg(long, default_value_t = 10_000)]
    pub technical: i64,
    /// Tokens to add, spread over the technical users.
    #[arg(long, default_value_t = 1_000_000)]
    pub tokens: i64,
}

#[derive(Debug, Subcommand)]
pub enum FlagCommand {
    Enable { domain: String, label: String },
    Disable { domain: String, label: String },
}

/// Why an operator command changed nothing; each message names what to fix.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{flag} {value:?}: expected a date as YYYY-MM-DD")]
    Date { flag: &'static str, value: String },
    #[error("--login must be 1 to 100 characters without spaces")]
    Login,
    #[error("--name must be 1 to 200 printable characters")]
    Name,
    #[error("--employed-until is before --employed-from")]
    UntilBeforeFrom,
    #[error("the last day in the company would be before the first")]
    EndBeforeStart,
    #[error(transparent)]
    RightCode(#[from] RightCodeError),
    #[error("cannot read the password from standard input: {0}")]
    Stdin(#[source] std::io::Error),
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error(
        "nothing to change: give --technical, --employed-from, --employed-until, --right, \
         --revoke-right, --no-password or --disable"
    )]
    NothingToChange,
    #[error("no person has the login {0:?}")]
    UnknownLogin(String),
    #[error(
        "a feature flag needs a domain and a label, such as: {} \"{}\"",
        FLAG_DOMAIN,
        FLAG_LABEL
    )]
    FlagName,
    #[error(transparent)]
    Operator(#[from] OperatorError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Who the audit log names for a CLI command: the operating-system account that ran it.
pub(crate) fn operator_name() -> String {
    let account = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_default();
    let account: String = account
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(64)
        .collect();
    if account.is_empty() {
        "operator (CLI)".to_owned()
    } else {
        format!("operator {account} (CLI)")
    }
}

pub async fn set_flag(
    db: &Db,
    settings: &Settings,
    command: FlagCommand,
) -> Result<String, CliError> {
    let (domain, label, enabled) = match command {
        FlagCommand::Enable { domain, label } => (domain, label, true),
        FlagCommand::Disable { domain, label } => (domain, label, false),
    };
    let (domain, label) = (domain.trim().to_owned(), label.trim().to_owned());
    if domain.is_empty() || label.is_empty() {
        return Err(CliError::FlagName);
    }
    db.set_flag(
        &domain,
        &label,
        enabled,
        settings.clock.now(),
        &operator_name(),
    )
    .await?;
    let state = if enabled { "enabled" } else { "disabled" };
    Ok(format!("feature flag {domain} > {label} {state}"))
}

pub async fn demo(db: &Db, settings: &Settings) -> Result<String, CliError> {
    let mut secret = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    let password = to_hex(&secret);
    let hash = hash_password(&password, &salt())?;
    let now = settings.clock.now();
    match db.seed_demo(hash, today(now, settings.zone), now).await? {
        DemoOutcome::Seeded { admin_login } => Ok(format!(
            "Demo data created. Log in as {admin_login} with password {password} (shown only this once)."
        )),
        DemoOutcome::AlreadyPopulated => Ok(
            "Demo data not added: the database already has people (the admin password was shown when it was created)."
                .into(),
        ),
    }
}

/// The token goes to stdout alone (`TOKEN=$(server bench-data …)`); the summary to stderr.
pub async fn bench_data(
    db: &Db,
    settings: &Settings,
    args: BenchData,
) -> Result<String, BenchDataError> {
    let size = BenchSize {
        people: args.people,
        technical: args.technical,
        tokens: args.tokens,
    };
    let started = std::time::Instant::now();
    let token = db
        .load_bench_data(size, settings.clock.now(), &operator_name())
        .await?;
    eprintln!(
        "loaded {} people ({} technical users) and {} tokens in {:.1?}",
        size.people,
        size.technical,
        size.tokens,
        started.elapsed()
    );
    match token {
        Some(token) => Ok(token.into_exposed()),
        None => {
            eprintln!("no technical users: no usable token to print");
            Ok(String::new())
        }
    }
}
