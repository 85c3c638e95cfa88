//! Tokens from the server's command line: every rule of the console, without its session. The
//! operator is trusted as whoever holds the database is. While the feature flag is off, API
//! tokens do not work: a new one is refused, as in the console; listing, removing and deleting
//! stay possible.

use super::table::cursor_of;
use super::tokens::{create_as, delete_as, remove_as, to_row};
use super::{internal, tokens_enabled, Actor, NewTokenForm};
use crate::backend::{Author, Console};
use crate::i18n::td_string;
use crate::language::Locale;
use crate::model::{ConsoleError, CreatedToken, Field, TokenRow};
use crate::token_query::{Cursor, TokenQuery};

/// The operator as the audit log names them, and where they act from.
#[derive(Debug, Clone, Copy)]
pub struct Operator<'a> {
    pub name: &'a str,
    pub client: &'a str,
}

impl Operator<'_> {
    fn actor<'c>(&self, console: &'c Console) -> Actor<'c> {
        Actor {
            console,
            author: Author::Operator(self.name.to_owned()),
            name: self.name.to_owned(),
            client: self.client.to_owned(),
            locale: Locale::en,
        }
    }
}

/// A token to create: its user's login, its name, its expiration date (`None`: today, as in
/// the console) and where it may be used from (empty: anywhere).
#[derive(Debug, Clone, Copy)]
pub struct OperatorToken<'a> {
    pub user: &'a str,
    pub name: &'a str,
    pub expires: Option<&'a str>,
    pub allowed_addresses: &'a str,
}

pub async fn create_token(
    console: &Console,
    operator: Operator<'_>,
    token: OperatorToken<'_>,
) -> Result<CreatedToken, ConsoleError> {
    tokens_enabled(console).await?;
    let form = NewTokenForm {
        user_id: "",
        user: token.user,
        name: token.name,
        expiration: token.expires.unwrap_or_default(),
        allowed_addresses: token.allowed_addresses,
    };
    create_as(&operator.actor(console), form).await
}

pub async fn remove_token(
    console: &Console,
    operator: Operator<'_>,
    id: i64,
) -> Result<TokenRow, ConsoleError> {
    remove_as(&operator.actor(console), id).await
}

pub async fn delete_token(
    console: &Console,
    operator: Operator<'_>,
    id: i64,
) -> Result<(), ConsoleError> {
    delete_as(&operator.actor(console), id).await
}

/// Up to `limit` tokens that `query` selects, as the table shows them, and where the next ones
/// start (`None`: these were the last), for a first or `After` page. A user filter must name
/// a person.
pub async fn token_page(
    console: &Console,
    query: &TokenQuery,
    limit: usize,
) -> Result<(Vec<TokenRow>, Option<Cursor>), ConsoleError> {
    if let Some(login) = &query.user {
        if console
            .store
            .person_by_login(login)
            .await
            .map_err(internal)?
            .is_none()
        {
            let message = td_string!(Locale::en, user_field.no_such_user);
            return Err(ConsoleError::invalid(Field::User, message));
        }
    }
    let dates = console.status_dates();
    let page = console
        .store
        .token_page(query, dates, limit)
        .await
        .map_err(internal)?;
    let next = page
        .rows
        .last()
        .filter(|_| page.more)
        .map(|token| cursor_of(token, query.sort));
    let rows = page
        .rows
        .into_iter()
        .map(|token| to_row(console, dates, token))
        .collect();
    Ok((rows, next))
}
