//! The server functions: the only way the UI reads or changes data. Each one is a thin shell over
//! `crate::service`, which checks session, right 090201 and the feature flag on every call.

use leptos::prelude::*;

use crate::model::{AdminInfo, AuditPage, ConsoleError, CreatedToken, EligibleUser, TokenRow};
use crate::token_query::TokenPage;

/// Session and right only: the console frame (and its "Log out") must still show when the
/// feature flag is off, so the tokens page can explain why it offers nothing.
#[server(endpoint = "current_admin")]
pub async fn current_admin() -> Result<AdminInfo, ConsoleError> {
    crate::service::respond(crate::service::current_admin().await)
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
    crate::service::respond(crate::service::list_tokens(&params).await)
}

/// The technical users the "User" field offers for `search`.
#[server(endpoint = "eligible_users")]
pub async fn eligible_users(
    #[server(default)] search: String,
) -> Result<Vec<EligibleUser>, ConsoleError> {
    crate::service::respond(crate::service::eligible_users(&search).await)
}

/// `user_id` is the user picked in the "User" field; when it is empty, `user` (a login, or
/// the field's "Name (login)") names the user.
#[server(endpoint = "create_token")]
pub async fn create_token(
    user_id: String,
    #[server(default)] user: String,
    name: String,
    expiration: String,
) -> Result<CreatedToken, ConsoleError> {
    crate::service::respond(crate::service::create_token(&user_id, &user, &name, &expiration).await)
}

#[server(endpoint = "remove_token")]
pub async fn remove_token(id: i64) -> Result<TokenRow, ConsoleError> {
    crate::service::respond(crate::service::remove_token(id).await)
}

#[server(endpoint = "delete_token")]
pub async fn delete_token(id: i64) -> Result<(), ConsoleError> {
    crate::service::respond(crate::service::delete_token(id).await)
}

#[server(endpoint = "audit_log")]
pub async fn audit_log(page: u32) -> Result<AuditPage, ConsoleError> {
    crate::service::respond(crate::service::audit_log(page).await)
}

#[server(endpoint = "login")]
pub async fn login(login: String, password: String) -> Result<(), ConsoleError> {
    crate::service::login(&login, &password).await
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), ConsoleError> {
    crate::service::respond(crate::service::logout().await)
}
