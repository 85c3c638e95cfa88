//! What the server functions do, free of HTTP: each call gets the [`Console`] and the
//! [`Caller`] (read from the request by `crate::api`), passes the gate (session, right
//! 090201, feature flag), then the domain, then the store.

mod audit;
pub mod operator;
mod rotate;
mod session;
mod table;
#[cfg(test)]
mod tests;
mod tokens;

pub use audit::audit_log;
pub use rotate::{rotate_token, RotateForm};
pub use session::{login, logout, LoggedIn};
pub use table::{eligible_users, list_tokens};
pub use tokens::{
    create_token, delete_token, latest_expiration, remove_token, set_allowed_addresses,
    NewTokenForm,
};

use std::fmt;
use std::net::IpAddr;

use crate::backend::{Author, Console, PersonRecord, SessionHolder, StoreError};
use crate::domain::token::sha256_hex;
use crate::domain::{CONSOLE_RIGHT, FLAG_DOMAIN, FLAG_LABEL};
use crate::language::Locale;
use crate::model::{AdminInfo, ConsoleError, DATABASE_RETRY_SECONDS};

/// Who calls, as the request showed it: the secrets its console cookies carry, and its
/// address as the server decided it. `Debug` never shows the secrets.
#[derive(Clone, Default)]
pub struct Caller {
    /// The console session's id.
    pub session: Option<String>,
    /// The browser's device proof (see [`crate::domain::device`]).
    pub device: Option<String>,
    pub client: Option<IpAddr>,
    /// The language the caller's messages are written in.
    pub locale: Locale,
}

impl fmt::Debug for Caller {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Caller")
            .field("session", &self.session.as_ref().map(|_| "…"))
            .field("device", &self.device.as_ref().map(|_| "…"))
            .field("client", &self.client)
            .field("locale", &self.locale)
            .finish()
    }
}

pub(crate) fn internal(error: StoreError) -> ConsoleError {
    tracing::error!(%error, "store failure");
    match error {
        StoreError::Unavailable(_) => ConsoleError::DatabaseUnavailable {
            retry_after: DATABASE_RETRY_SECONDS,
        },
        _ => ConsoleError::Internal,
    }
}

/// The person of the caller's live session, if any; the session counts as used now.
async fn session_holder(
    console: &Console,
    caller: &Caller,
) -> Result<Option<SessionHolder>, ConsoleError> {
    let Some(secret) = &caller.session else {
        return Ok(None);
    };
    console
        .store
        .session_holder(&sha256_hex(secret), console.now(), console.sessions)
        .await
        .map_err(internal)
}

/// Whoever acts on tokens, checked: an administrator in the console, or an operator on the
/// server's command line (see [`operator`]). What they do is audited under `name`, from `client`.
pub(crate) struct Actor<'a> {
    console: &'a Console,
    author: Author,
    name: String,
    client: String,
    locale: Locale,
}

/// An administrator, checked, and the call they make.
struct Admin<'a> {
    console: &'a Console,
    caller: &'a Caller,
    person: PersonRecord,
}

/// A valid console session whose person holds right 090201 and works in the company today.
async fn admin<'a>(console: &'a Console, caller: &'a Caller) -> Result<Admin<'a>, ConsoleError> {
    let holder = session_holder(console, caller)
        .await?
        .ok_or(ConsoleError::NotLoggedIn)?;
    if !holder.has_right(CONSOLE_RIGHT) {
        return Err(ConsoleError::Forbidden);
    }
    may_use_console(console, &holder.person)?;
    Ok(Admin {
        console,
        caller,
        person: holder.person,
    })
}

/// People who have left (or not yet started) cannot use the console, whatever their rights.
fn may_use_console(console: &Console, person: &PersonRecord) -> Result<(), ConsoleError> {
    person
        .employment
        .employed_on(console.today())
        .map_err(|_| ConsoleError::NotEmployed)
}

/// [`admin`], and the feature flag Technique > Jetons Api enabled.
async fn token_admin<'a>(
    console: &'a Console,
    caller: &'a Caller,
) -> Result<Admin<'a>, ConsoleError> {
    let admin = admin(console, caller).await?;
    tokens_enabled(console).await?;
    Ok(admin)
}

/// The feature flag Technique > Jetons Api: without it, the screen and API tokens are off.
async fn tokens_enabled(console: &Console) -> Result<(), ConsoleError> {
    let enabled = console
        .store
        .flag_enabled(FLAG_DOMAIN, FLAG_LABEL)
        .await
        .map_err(internal)?;
    if enabled {
        Ok(())
    } else {
        Err(ConsoleError::FeatureDisabled)
    }
}

/// Session and right only: the console frame (and its "Log out") still shows when the
/// feature flag is off, so the tokens page can explain why it offers nothing.
pub async fn current_admin(console: &Console, caller: &Caller) -> Result<AdminInfo, ConsoleError> {
    let admin = admin(console, caller).await?;
    Ok(AdminInfo {
        login: admin.person.login,
        name: admin.person.name,
    })
}
