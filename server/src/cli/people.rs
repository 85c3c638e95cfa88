//! `server user add|set`: people, their employment and rights, as the operator changes them.

use std::io::Read;

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use rand::RngCore;

use app::domain::password::hash_password;
use app::domain::rules::{parse_date, today};
use app::product::CONSOLE_RIGHT;

use super::{operator_name, CliError};
use crate::config::Settings;
use crate::store::{Db, NewPerson, PersonChange};

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

pub(super) fn salt() -> [u8; 16] {
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
