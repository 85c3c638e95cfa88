//! The operator CLI: `serve` (default), `migrate`, `user add|set`, `flag enable|disable`, `demo`,
//! `token create|list|remove|delete`.

mod tokens;

pub use tokens::{token, TokenCliError, TokenCommand};

use std::io::Read;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use rand::RngCore;

use app::backend::StoreError;
use app::domain::password::{hash_password, PasswordError};
use app::domain::rules::{parse_date, today};
use app::domain::token::to_hex;
use app::product::{CONSOLE_RIGHT, FLAG_DOMAIN, FLAG_LABEL};

use crate::config::{SettingArgs, Settings, OTHER_VARIABLES};
use crate::store::{
    BenchDataError, BenchSize, Db, DemoOutcome, NewPerson, OperatorError, PersonChange,
};

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
pub enum UserCommand {
    /// Add a person.
    Add(UserAdd),
    /// Change a person: technical status, employment dates, rights, password. Ends the
    /// person's console sessions.
    Set(UserSet),
}

#[derive(Debug, Args)]
pub struct UserSet {
    #[arg(long)]
    pub login: String,
    /// Whether the person is a technical user.
    #[arg(long, value_name = "true|false")]
    pub technical: Option<bool>,
    /// First day in the company.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub employed_from: Option<String>,
    /// Last day in the company, or `none` when there is no end.
    #[arg(long, value_name = "YYYY-MM-DD|none")]
    pub employed_until: Option<String>,
    /// Grant a right, such as 090201; repeatable.
    #[arg(long = "right", value_name = "CODE")]
    pub grant: Vec<String>,
    /// Take a right away; repeatable.
    #[arg(long = "revoke-right", value_name = "CODE")]
    pub revoke: Vec<String>,
    /// Clear the console password: the person can no longer log in.
    #[arg(long)]
    pub no_password: bool,
    /// Take everything away at once: password, every right, and the technical status (so
    /// the person's API tokens stop).
    #[arg(long, conflicts_with_all = ["technical", "grant"])]
    pub disable: bool,
}

#[derive(Debug, Args)]
pub struct UserAdd {
    #[arg(long)]
    pub login: String,
    #[arg(long)]
    pub name: String,
    /// A technical user (may own API tokens).
    #[arg(long)]
    pub technical: bool,
    /// First day in the company (YYYY-MM-DD); default today.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub employed_from: Option<String>,
    /// Last day in the company (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub employed_until: Option<String>,
    /// A right code, such as 090201; repeatable.
    #[arg(long = "right", value_name = "CODE")]
    pub rights: Vec<String>,
    /// Read a console password from standard input.
    #[arg(long)]
    pub password_stdin: bool,
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

fn date_arg(flag: &'static str, value: &str) -> Result<NaiveDate, CliError> {
    parse_date(value).map_err(|_| CliError::Date {
        flag,
        value: value.to_owned(),
    })
}

#[derive(Debug, thiserror::Error)]
#[error(
    "{flag} {code:?}: a right code is six digits, such as {}",
    CONSOLE_RIGHT
)]
pub struct RightCodeError {
    flag: &'static str,
    code: String,
}

fn check_rights(flag: &'static str, codes: &[String]) -> Result<(), RightCodeError> {
    match codes
        .iter()
        .find(|code| code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()))
    {
        Some(code) => Err(RightCodeError {
            flag,
            code: code.clone(),
        }),
        None => Ok(()),
    }
}

fn salt() -> [u8; 16] {
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    salt
}

pub async fn user_add(db: &Db, settings: &Settings, args: UserAdd) -> Result<String, CliError> {
    let now = settings.clock.now();
    let login = args.login.trim().to_owned();
    let name = args.name.trim().to_owned();
    if login.is_empty()
        || login.chars().count() > 100
        || login.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(CliError::Login);
    }
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(CliError::Name);
    }
    let employed_from = match &args.employed_from {
        Some(value) => date_arg("--employed-from", value)?,
        None => today(now, settings.zone),
    };
    let employed_until = args
        .employed_until
        .as_deref()
        .map(|value| date_arg("--employed-until", value))
        .transpose()?;
    if employed_until.is_some_and(|until| until < employed_from) {
        return Err(CliError::UntilBeforeFrom);
    }
    check_rights("--right", &args.rights)?;
    let password_hash = if args.password_stdin {
        let mut password = String::new();
        std::io::stdin()
            .read_to_string(&mut password)
            .map_err(CliError::Stdin)?;
        let password = password.trim_end_matches(['\r', '\n']);
        Some(hash_password(password, &salt())?)
    } else {
        None
    };
    let person = NewPerson {
        login,
        name,
        technical: args.technical,
        employed_from,
        employed_until,
        rights: args.rights,
        password_hash,
    };
    let id = db.add_person(&person, now, &operator_name()).await?;
    Ok(format!("added {} (id {id})", person.login))
}

pub async fn user_set(db: &Db, settings: &Settings, args: UserSet) -> Result<String, CliError> {
    let employment_given =
        args.technical.is_some() || args.employed_from.is_some() || args.employed_until.is_some();
    if !employment_given
        && args.grant.is_empty()
        && args.revoke.is_empty()
        && !args.no_password
        && !args.disable
    {
        return Err(CliError::NothingToChange);
    }
    check_rights("--right", &args.grant)?;
    check_rights("--revoke-right", &args.revoke)?;
    let login = args.login.trim();
    let person = db
        .person_by_login(login)
        .await?
        .ok_or_else(|| CliError::UnknownLogin(login.to_owned()))?;
    let mut employment = person.employment.clone();
    if let Some(technical) = args.technical {
        employment.technical = technical;
    }
    if let Some(value) = &args.employed_from {
        employment.start = date_arg("--employed-from", value)?;
    }
    match args.employed_until.as_deref() {
        None => {}
        Some("none") => employment.end = None,
        Some(value) => employment.end = Some(date_arg("--employed-until", value)?),
    }
    if employment.end.is_some_and(|end| end < employment.start) {
        return Err(CliError::EndBeforeStart);
    }
    if args.disable {
        employment.technical = false;
    }
    let change = PersonChange {
        employment: (employment_given || args.disable).then_some(employment),
        grant: args.grant,
        revoke: args.revoke,
        revoke_all: args.disable,
        clear_password: args.no_password || args.disable,
    };
    let ended = db
        .change_person(&person, &change, settings.clock.now(), &operator_name())
        .await?;
    let done = if args.disable { "disabled" } else { "updated" };
    let plural = if ended == 1 { "" } else { "s" };
    Ok(format!(
        "{done} {}; {ended} console session{plural} ended",
        person.login
    ))
}

/// Who the audit log names for a CLI command: the operating-system account that ran it.
pub(crate) fn operator_name() -> String {
    match std::env::var("USER").or_else(|_| std::env::var("LOGNAME")) {
        Ok(account) if !account.trim().is_empty() => format!("operator {} (CLI)", account.trim()),
        _ => "operator (CLI)".to_owned(),
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
