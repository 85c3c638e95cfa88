//! `server token create|list|remove|delete`: API tokens for automation, with every rule of the
//! console, audited as the operator. Only a new token, or the list, goes to standard output.

use std::io::Write;

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;

use app::backend::Console;
use app::model::{ConsoleError, Field, FieldError, TokenRow, TokenStatus};
use app::product::{FLAG_DOMAIN, FLAG_LABEL};
use app::service::operator::{self, Operator, OperatorToken};
use app::token_query::{PageAt, SortKey, TokenQuery};

use super::operator_name;
use crate::store::CLI_CLIENT;

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token and print it, once, alone on standard output
    /// (`TOKEN=$(server token create …)`).
    Create(TokenCreate),
    /// List API tokens, newest first.
    List(TokenList),
    /// Remove a token: it stops at once; its row stays, marked removed.
    Remove(TokenId),
    /// Delete a token: it stops at once; its row is gone.
    Delete(TokenId),
}

#[derive(Debug, Args)]
pub struct TokenCreate {
    /// The technical user's login; they must work in the company today.
    #[arg(long, value_name = "LOGIN")]
    pub user: String,
    /// The token name, unique among the user's tokens that are not removed.
    #[arg(long)]
    pub name: String,
    /// The expiration date (default today), within the lifetime policy.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub expires: Option<String>,
    /// Where the token may be used from: addresses and ranges separated by commas (default:
    /// any address).
    #[arg(long, value_name = "LIST", default_value = "")]
    pub allowed_addresses: String,
}

#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum ListFormat {
    /// Tab-separated columns, with a header line.
    #[default]
    Text,
    /// A JSON array of tokens.
    Json,
}

#[derive(Debug, Args)]
pub struct TokenList {
    /// Only this user's tokens.
    #[arg(long, value_name = "LOGIN")]
    pub user: Option<String>,
    /// Only tokens with this status.
    #[arg(long, value_parser = status_arg)]
    pub status: Option<TokenStatus>,
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct TokenId {
    /// The token's id, as `token list` shows it.
    #[arg(long)]
    pub id: i64,
}

/// `--status` names no status of the table.
#[derive(Debug, thiserror::Error)]
#[error("use one of {}", TokenStatus::ALL.map(TokenStatus::code).join(", "))]
pub struct UnknownStatus;

fn status_arg(code: &str) -> Result<TokenStatus, UnknownStatus> {
    TokenStatus::ALL
        .into_iter()
        .find(|status| status.code() == code)
        .ok_or(UnknownStatus)
}

/// Runs the command; what it has to say on standard output (`None`: it wrote it itself).
pub async fn token(
    console: &Console,
    command: TokenCommand,
) -> Result<Option<String>, TokenCliError> {
    Ok(Some(match command {
        TokenCommand::Create(args) => create(console, args).await?,
        TokenCommand::Remove(args) => remove(console, args).await?,
        TokenCommand::Delete(args) => delete(console, args).await?,
        TokenCommand::List(args) => {
            list(
                console,
                args,
                &mut std::io::BufWriter::new(std::io::stdout()),
            )
            .await?;
            return Ok(None);
        }
    }))
}

/// Why a token command changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum TokenCliError {
    #[error("{}", refusals(.0))]
    Refused(Vec<FieldError>),
    #[error(
        "API tokens are disabled (feature flag {} > {} is off): a new token would not work; \
         enable it with: server flag enable {} \"{}\"",
        FLAG_DOMAIN,
        FLAG_LABEL,
        FLAG_DOMAIN,
        FLAG_LABEL
    )]
    FeatureDisabled,
    #[error("{0}")]
    Console(ConsoleError),
    #[error("cannot write the list: {0}")]
    Output(#[source] std::io::Error),
}

impl From<ConsoleError> for TokenCliError {
    fn from(error: ConsoleError) -> Self {
        match error {
            ConsoleError::Invalid { errors } => Self::Refused(errors),
            ConsoleError::FeatureDisabled => Self::FeatureDisabled,
            other => Self::Console(other),
        }
    }
}

/// The option each of the console's fields is given by.
fn option_of(field: Field) -> &'static str {
    match field {
        Field::User => "--user",
        Field::Name => "--name",
        Field::Expiration => "--expires",
        Field::AllowedAddresses => "--allowed-addresses",
        Field::Overlap => "--overlap",
    }
}

fn refusals(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", option_of(e.field), e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

fn operator(name: &str) -> Operator<'_> {
    Operator {
        name,
        client: CLI_CLIENT,
    }
}

/// Creates the token; returns it (for standard output) after describing it on standard error.
async fn create(console: &Console, args: TokenCreate) -> Result<String, TokenCliError> {
    let name = operator_name();
    let token = OperatorToken {
        user: &args.user,
        name: &args.name,
        expires: args.expires.as_deref(),
        allowed_addresses: &args.allowed_addresses,
    };
    let created = operator::create_token(console, operator(&name), token).await?;
    let row = &created.row;
    eprintln!(
        "created token {} “{}” of {} (id {}), expires {}",
        row.hint, row.name, row.user_login, row.id, row.expires_on
    );
    Ok(created.token)
}

async fn remove(console: &Console, args: TokenId) -> Result<String, TokenCliError> {
    let name = operator_name();
    let row = operator::remove_token(console, operator(&name), args.id).await?;
    Ok(format!(
        "removed token {} “{}” of {} (id {})",
        row.hint, row.name, row.user_login, row.id
    ))
}

async fn delete(console: &Console, args: TokenId) -> Result<String, TokenCliError> {
    let name = operator_name();
    operator::delete_token(console, operator(&name), args.id).await?;
    Ok(format!("deleted token {}", args.id))
}

/// Rows read per query while listing.
const LIST_BATCH: usize = 500;

/// Writes the tokens to `out` a batch at a time, so a million of them take no more memory
/// than one batch.
async fn list(
    console: &Console,
    args: TokenList,
    out: &mut impl Write,
) -> Result<(), TokenCliError> {
    let mut query = TokenQuery {
        status: args.status,
        user: args.user.map(|login| login.trim().to_owned()),
        sort: SortKey::Created,
        ..TokenQuery::default()
    };
    let write = |out: &mut dyn Write, text: &str| {
        out.write_all(text.as_bytes())
            .map_err(TokenCliError::Output)
    };
    let mut first = true;
    // The first batch is read before anything is written: a refusal (an unknown user) leaves
    // standard output empty.
    let mut batch = operator::token_page(console, &query, LIST_BATCH).await?;
    match args.format {
        ListFormat::Text => write(out, &format!("{}\n", TEXT_COLUMNS.join("\t")))?,
        ListFormat::Json => write(out, "[")?,
    }
    loop {
        let (rows, next) = batch;
        for row in &rows {
            let line = match args.format {
                ListFormat::Text => text_line(row),
                ListFormat::Json => {
                    let item = serde_json::to_string(&Listed::from(row))
                        .map_err(|e| TokenCliError::Output(e.into()))?;
                    format!("{}\n{item}", if first { "" } else { "," })
                }
            };
            first = false;
            write(out, &line)?;
        }
        match next {
            Some(cursor) => query.page = PageAt::After(cursor),
            None => break,
        }
        batch = operator::token_page(console, &query, LIST_BATCH).await?;
    }
    if let ListFormat::Json = args.format {
        write(out, "\n]\n")?;
    }
    out.flush().map_err(TokenCliError::Output)
}

const TEXT_COLUMNS: [&str; 8] = [
    "ID",
    "User",
    "Token name",
    "Status",
    "Creation date",
    "Created by",
    "Expiration date",
    "Last used",
];

/// One tab-separated line; tabs and line breaks inside a value become spaces.
fn text_line(row: &TokenRow) -> String {
    let id = row.id.to_string();
    let fields = [
        id.as_str(),
        &row.user_login,
        &row.name,
        row.status.code(),
        &row.created_on,
        &row.created_by,
        &row.expires_on,
        row.last_used.as_deref().unwrap_or(""),
    ];
    let mut line = fields
        .iter()
        .map(|field| field.replace(['\t', '\n', '\r'], " "))
        .collect::<Vec<_>>()
        .join("\t");
    line.push('\n');
    line
}

/// A token as `token list --format json` shows it. Never the token itself.
#[derive(Serialize)]
struct Listed<'a> {
    id: i64,
    user: &'a str,
    user_name: &'a str,
    name: &'a str,
    hint: &'a str,
    status: &'static str,
    created_on: &'a str,
    created_by: &'a str,
    expires_on: &'a str,
    removed_on: Option<&'a str>,
    removal_reason: Option<&'static str>,
    works_until: Option<&'a str>,
    allowed_addresses: Option<&'a str>,
    last_used: Option<&'a str>,
    last_used_from: Option<&'a str>,
}

impl<'a> From<&'a TokenRow> for Listed<'a> {
    fn from(row: &'a TokenRow) -> Self {
        Self {
            id: row.id,
            user: &row.user_login,
            user_name: &row.user_name,
            name: &row.name,
            hint: &row.hint,
            status: row.status.code(),
            created_on: &row.created_on,
            created_by: &row.created_by,
            expires_on: &row.expires_on,
            removed_on: row.removed_on.as_deref(),
            removal_reason: row.removal_reason.map(|reason| reason.code()),
            works_until: row.works_until.as_deref(),
            allowed_addresses: row.allowed_addresses.as_deref(),
            last_used: row.last_used.as_deref(),
            last_used_from: row.last_used_from.as_deref(),
        }
    }
}
