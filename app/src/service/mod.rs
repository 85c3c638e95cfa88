//! Server side of the server functions: session + right + flag gate, then domain, then store.

mod audit;
mod cookies;
mod session;
mod table;

pub use audit::audit_log;
use audit::{audit, token_target};

pub use session::{login, logout};
pub use table::{eligible_users, list_tokens};

use std::net::IpAddr;

use axum::http::{header, request::Parts, HeaderValue, StatusCode};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use rand::RngCore;

use crate::backend::{
    AuditRecord, ClientAddr, Console, InsertOutcome, NewToken, PersonRecord, RemoveOutcome,
    StoreError, TokenRecord,
};
use crate::domain::{rules, TokenName, TokenSecret, CONSOLE_RIGHT, FLAG_DOMAIN, FLAG_LABEL};
use crate::model::{
    AdminInfo, AuditAction, ConsoleError, CreatedToken, Field, FieldError, TokenRow, TokenStatus,
    DATABASE_RETRY_SECONDS,
};

/// The page's Content-Security-Policy: only this origin's script and WASM, plus the inline
/// hydration script, which carries this response's nonce.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

pub fn send_content_security_policy() {
    let (Some(nonce), Some(response)) =
        (leptos::nonce::use_nonce(), use_context::<ResponseOptions>())
    else {
        tracing::error!(
            "page rendered without a nonce: the Content-Security-Policy is the default one"
        );
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Gives a failed call its HTTP status.
pub fn respond<T>(result: Result<T, ConsoleError>) -> Result<T, ConsoleError> {
    if let Err(error) = &result {
        if let Some(response) = use_context::<ResponseOptions>() {
            response.set_status(
                StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            );
            if let Some(seconds) = error.retry_after() {
                response.insert_header(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
        }
    }
    result
}

pub(crate) fn console() -> Result<Console, ConsoleError> {
    use_context::<Console>().ok_or_else(|| {
        tracing::error!("server function called without a Console in context");
        ConsoleError::Internal
    })
}

pub(crate) fn internal(error: StoreError) -> ConsoleError {
    tracing::error!(%error, "store failure");
    match error {
        StoreError::Unavailable(_) => ConsoleError::DatabaseUnavailable {
            retry_after: DATABASE_RETRY_SECONDS,
        },
        StoreError::Failed(_) => ConsoleError::Internal,
    }
}

pub(crate) fn request_parts() -> Option<Parts> {
    use_context::<Parts>()
}

/// The address the request came from, as the server decided it.
pub(crate) fn client_ip() -> Option<IpAddr> {
    ClientAddr::of(&request_parts()?.extensions)
}

struct Admin {
    console: Console,
    person: PersonRecord,
}

/// A valid console session whose person holds right 090201 and works in the company today.
async fn admin() -> Result<Admin, ConsoleError> {
    let console = console()?;
    let person = session::session_person(&console)
        .await?
        .ok_or(ConsoleError::NotLoggedIn)?;
    if !person.has_right(CONSOLE_RIGHT) {
        return Err(ConsoleError::Forbidden);
    }
    may_use_console(&console, &person)?;
    Ok(Admin { console, person })
}

/// People who have left (or not yet started) cannot use the console, whatever their rights.
pub(crate) fn may_use_console(
    console: &Console,
    person: &PersonRecord,
) -> Result<(), ConsoleError> {
    person
        .employment
        .employed_on(console.today())
        .map_err(|_| ConsoleError::NotEmployed)
}

/// [`admin`], and the feature flag Technique > Jetons Api enabled.
async fn token_admin() -> Result<Admin, ConsoleError> {
    let admin = admin().await?;
    let enabled = admin
        .console
        .store
        .flag_enabled(FLAG_DOMAIN, FLAG_LABEL)
        .await
        .map_err(internal)?;
    if !enabled {
        return Err(ConsoleError::FeatureDisabled);
    }
    Ok(admin)
}

pub async fn current_admin() -> Result<AdminInfo, ConsoleError> {
    let admin = admin().await?;
    Ok(AdminInfo {
        login: admin.person.login,
        name: admin.person.name,
    })
}

fn to_row(console: &Console, token: TokenRecord) -> TokenRow {
    let status = match rules::check_usable(
        token.removed_at.is_some(),
        token.expires_on,
        &token.owner_employment,
        console.today(),
    ) {
        Ok(()) => TokenStatus::Active,
        Err(rules::Unusable::Removed) => TokenStatus::Removed,
        Err(rules::Unusable::Expired) => TokenStatus::Expired,
        Err(rules::Unusable::OwnerIneligible) => TokenStatus::UserInactive,
    };
    TokenRow {
        id: token.id,
        user_login: token.owner_login,
        user_name: token.owner_name,
        name: token.name,
        hint: token.hint,
        created_on: console.local_date(token.created_at).to_string(),
        created_by: token.created_by,
        expires_on: token.expires_on.to_string(),
        removed_on: token
            .removed_at
            .map(|at| console.local_date(at).to_string()),
        status,
        last_used: token.last_used_at.map(|at| {
            at.with_timezone(&console.zone)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        }),
        last_used_from: token.last_used_from,
    }
}

/// The login in what the "User" field shows ("Name (login)"), or the text itself.
fn login_in(text: &str) -> &str {
    let text = text.trim();
    text.strip_suffix(')')
        .and_then(|rest| rest.rsplit_once(" ("))
        .map_or(text, |(_, login)| login.trim())
}

pub async fn create_token(
    user_id: &str,
    user: &str,
    name: &str,
    expiration: &str,
) -> Result<CreatedToken, ConsoleError> {
    let admin = token_admin().await?;
    let console = &admin.console;
    let today = console.today();
    // Every field is checked, so the form can show all its problems at once.
    let mut errors = Vec::new();
    let mut refuse = |field: Field, message: String| errors.push(FieldError { field, message });
    let user_id = match (user_id.trim(), login_in(user)) {
        ("", "") => {
            refuse(Field::User, "Select a user.".into());
            None
        }
        ("", login) => match console.store.credentials(login).await.map_err(internal)? {
            Some(found) => Some(found.person.id),
            None => {
                refuse(Field::User, "This user does not exist.".into());
                None
            }
        },
        (id, _) => id
            .parse::<i64>()
            .map_err(|_| refuse(Field::User, "This user does not exist.".into()))
            .ok(),
    };
    let name = TokenName::parse(name)
        .map_err(|e| refuse(Field::Name, e.to_string()))
        .ok();
    let expires_on = rules::expiration_date(expiration, today)
        .map_err(|e| refuse(Field::Expiration, e.to_string()))
        .ok();
    let owner = match user_id {
        Some(id) => match console.store.person(id).await.map_err(internal)? {
            None => {
                refuse(Field::User, "This user does not exist.".into());
                None
            }
            Some(person) => person
                .employment
                .eligible_on(today)
                .map(|()| person)
                .map_err(|e| refuse(Field::User, e.to_string()))
                .ok(),
        },
        None => None,
    };
    let (Some(owner), Some(name), Some(expires_on)) = (owner, name, expires_on) else {
        return Err(ConsoleError::Invalid { errors });
    };

    let mut entropy = [0u8; crate::domain::token::ENTROPY_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut entropy);
    let secret = TokenSecret::from_entropy(entropy);
    let event = audit(
        console,
        AuditAction::TokenCreated,
        admin.person.login.clone(),
        token_target(&owner.login, name.as_str()),
    );
    let created_at = event.at;
    let outcome = console
        .store
        .insert_token(
            NewToken {
                owner_id: owner.id,
                name: name.clone(),
                hash: secret.hash(),
                hint: secret.hint(),
                created_at,
                created_by: admin.person.id,
                expires_on,
            },
            event,
        )
        .await
        .map_err(internal)?;
    let id = match outcome {
        InsertOutcome::Inserted(id) => id,
        InsertOutcome::NameTaken => {
            return Err(ConsoleError::invalid(
                Field::Name,
                format!(
                    "{} already has a token named “{}”.",
                    owner.name,
                    name.as_str()
                ),
            ))
        }
    };
    let record = console
        .store
        .token(id)
        .await
        .map_err(internal)?
        .ok_or_else(|| {
            internal(StoreError::Failed(format!(
                "token {id} vanished after insert"
            )))
        })?;
    tracing::info!(token_id = id, owner = %owner.login, by = %admin.person.login, "API token created");
    Ok(CreatedToken {
        token: secret.into_exposed(),
        row: to_row(console, record),
    })
}

fn token_gone() -> ConsoleError {
    ConsoleError::NotFound {
        message: "This token does not exist (it may have been deleted).".into(),
    }
}

/// The token `id` and the audit event of `action` on it, by the calling admin.
async fn token_event(
    admin: &Admin,
    id: i64,
    action: AuditAction,
) -> Result<(TokenRecord, AuditRecord), ConsoleError> {
    let token = admin
        .console
        .store
        .token(id)
        .await
        .map_err(internal)?
        .ok_or_else(token_gone)?;
    let event = audit(
        &admin.console,
        action,
        admin.person.login.clone(),
        token_target(&token.owner_login, &token.name),
    );
    Ok((token, event))
}

pub async fn remove_token(id: i64) -> Result<TokenRow, ConsoleError> {
    let admin = token_admin().await?;
    let (mut token, event) = token_event(&admin, id, AuditAction::TokenRemoved).await?;
    let removed_at = event.at;
    match admin
        .console
        .store
        .remove_token(id, admin.person.id, event)
        .await
        .map_err(internal)?
    {
        RemoveOutcome::Removed => {}
        RemoveOutcome::AlreadyRemoved => {
            return Err(ConsoleError::Conflict {
                message: "This token has already been removed.".into(),
            })
        }
        RemoveOutcome::NotFound => return Err(token_gone()),
    }
    tracing::info!(token_id = id, by = %admin.person.login, "API token removed");
    token.removed_at = Some(removed_at);
    Ok(to_row(&admin.console, token))
}

pub async fn delete_token(id: i64) -> Result<(), ConsoleError> {
    let admin = token_admin().await?;
    let (_, event) = token_event(&admin, id, AuditAction::TokenDeleted).await?;
    if !admin
        .console
        .store
        .delete_token(id, event)
        .await
        .map_err(internal)?
    {
        return Err(token_gone());
    }
    tracing::info!(token_id = id, by = %admin.person.login, "API token deleted");
    Ok(())
}
