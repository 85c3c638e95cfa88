//! The server functions: the only way the UI reads or changes data. Each one reads the
//! request at the edge, then hands over to `crate::service`, which checks session, right
//! 090201 and the feature flag on every call.

#[cfg(feature = "ssr")]
mod cookies;
#[cfg(feature = "ssr")]
pub mod edge;

#[cfg(feature = "ssr")]
pub use edge::ClientAddr;

use leptos::prelude::*;

use crate::model::{AdminInfo, AuditPage, ConsoleError, CreatedToken, Day, EligibleUser, TokenRow};
use crate::token_query::TokenPage;

/// Session and right only (see `service::current_admin`).
#[server(endpoint = "current_admin")]
pub async fn current_admin() -> Result<AdminInfo, ConsoleError> {
    let (console, caller) = edge::request()?;
    edge::respond(crate::service::current_admin(&console, &caller).await)
}

/// One page of the tokens table; the fields are the page's URL query (all optional).
#[server(endpoint = "list_tokens")]
pub async fn list_tokens(
    #[server(default)] status: Option<String>,
    #[server(default)] user: Option<String>,
    #[server(default)] q: Option<String>,
    #[server(default)] sort: Option<String>,
    #[server(default)] dir: Option<String>,
    #[server(default)] after: Option<String>,
    #[server(default)] before: Option<String>,
) -> Result<TokenPage, ConsoleError> {
    let params = crate::token_query::QueryParams {
        status,
        user,
        q,
        sort,
        dir,
        after,
        before,
    };
    let (console, caller) = edge::request()?;
    edge::respond(crate::service::list_tokens(&console, &caller, &params).await)
}

/// The technical users the "User" field offers for `search`.
#[server(endpoint = "eligible_users")]
pub async fn eligible_users(
    #[server(default)] search: String,
) -> Result<Vec<EligibleUser>, ConsoleError> {
    let (console, caller) = edge::request()?;
    edge::respond(crate::service::eligible_users(&console, &caller, &search).await)
}

/// `user_id` is the user picked in the "User" field; when it is empty, `user` (a login, or
/// the field's "Name (login)") names the user.
#[server(endpoint = "create_token")]
pub async fn create_token(
    user_id: String,
    #[server(default)] user: String,
    name: String,
    expiration: String,
    #[server(default)] allowed_addresses: String,
) -> Result<CreatedToken, ConsoleError> {
    let form = crate::service::NewTokenForm {
        user_id: &user_id,
        user: &user,
        name: &name,
        expiration: &expiration,
        allowed_addresses: &allowed_addresses,
    };
    let (console, caller) = edge::request()?;
    edge::respond(crate::service::create_token(&console, &caller, form).await)
}

/// The latest expiration date a token created today may get (`None`: no limit).
#[server(endpoint = "latest_expiration")]
pub async fn latest_expiration() -> Result<Option<Day>, ConsoleError> {
    let (console, caller) = edge::request()?;
    edge::respond(crate::service::latest_expiration(&console, &caller).await)
}

#[server(endpoint = "remove_token")]
pub async fn remove_token(id: i64) -> Result<TokenRow, ConsoleError> {
    let (console, caller) = edge::request()?;
    edge::respond(crate::service::remove_token(&console, &caller, id).await)
}

/// `allowed_addresses` as in the create form; empty: any address.
#[server(endpoint = "set_allowed_addresses")]
pub async fn set_allowed_addresses(
    id: i64,
    #[server(default)] allowed_addresses: String,
) -> Result<TokenRow, ConsoleError> {
    let (console, caller) = edge::request()?;
    edge::respond(
        crate::service::set_allowed_addresses(&console, &caller, id, &allowed_addresses).await,
    )
}

/// `expiration` empty: today plus the old token's lifetime; `overlap`: how long the old token
/// keeps working ("0", "1h", "24h", "7d"; empty: immediately).
#[server(endpoint = "rotate_token")]
pub async fn rotate_token(
    id: i64,
    #[server(default)] expiration: String,
    #[server(default)] overlap: String,
) -> Result<CreatedToken, ConsoleError> {
    let form = crate::service::RotateForm {
        id,
        expiration: &expiration,
        overlap: &overlap,
    };
    let (console, caller) = edge::request()?;
    edge::respond(crate::service::rotate_token(&console, &caller, form).await)
}

#[server(endpoint = "delete_token")]
pub async fn delete_token(id: i64) -> Result<(), ConsoleError> {
    let (console, caller) = edge::request()?;
    edge::respond(crate::service::delete_token(&console, &caller, id).await)
}

#[server(endpoint = "audit_log")]
pub async fn audit_log(page: u32) -> Result<AuditPage, ConsoleError> {
    let (console, caller) = edge::request()?;
    edge::respond(crate::service::audit_log(&console, &caller, page).await)
}

#[server(endpoint = "login")]
pub async fn login(login: String, password: String) -> Result<(), ConsoleError> {
    let (console, caller) = edge::request()?;
    match crate::service::login(&console, &caller, &login, &password).await {
        Ok(logged_in) => {
            edge::logged_in(&console, &logged_in);
            Ok(())
        }
        Err(error) => Err(edge::refuse_login(error)),
    }
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), ConsoleError> {
    let (console, caller) = edge::request()?;
    edge::respond(crate::service::logout(&console, &caller).await)?;
    edge::logged_out(&console);
    Ok(())
}
