//! The tokens table and the "User" field: what the console reads, a page at a time.

use super::tokens::to_row;
use super::{internal, token_admin, Caller};
use crate::backend::{Console, TokenRecord};
use crate::i18n::td_string;
use crate::messages;
use crate::model::{ConsoleError, EligibleUser, USER_MATCHES};
use crate::token_query::{
    Cursor, Matches, PageAt, QueryParams, SortKey, TokenPage, TokenQuery, COUNT_LIMIT, PAGE_SIZE,
    SEARCH_MAX_CHARS,
};

/// The sort key's value of a row, as a page cursor carries it.
pub(super) fn cursor_of(token: &TokenRecord, key: SortKey) -> Cursor {
    let value = match key {
        SortKey::Created => token.created_at.timestamp().to_string(),
        SortKey::Expires => token.expires_on.to_string(),
        SortKey::Name => token.name.clone(),
        SortKey::User => token.owner_login.clone(),
        SortKey::LastUsed => token
            .last_used_at
            .map_or(0, |at| at.timestamp())
            .to_string(),
    };
    Cursor {
        id: token.id,
        value,
    }
}

pub async fn list_tokens(
    console: &Console,
    caller: &Caller,
    params: &QueryParams,
) -> Result<TokenPage, ConsoleError> {
    token_admin(console, caller).await?;
    let query = TokenQuery::parse(params).map_err(|e| ConsoleError::BadRequest {
        message: messages::query(caller.locale, &e),
    })?;
    let dates = console.status_dates();
    let page = console
        .store
        .token_page(&query, dates, PAGE_SIZE)
        .await
        .map_err(internal)?;
    let first = page.rows.first().map(|t| cursor_of(t, query.sort));
    let last = page.rows.last().map(|t| cursor_of(t, query.sort));
    let (previous, next) = match query.page {
        PageAt::First => (None, last.filter(|_| page.more)),
        PageAt::After(_) => (first, last.filter(|_| page.more)),
        PageAt::Before(_) => (first.filter(|_| page.more), last),
    };
    Ok(TokenPage {
        rows: page
            .rows
            .into_iter()
            .map(|t| to_row(console, dates, t))
            .collect(),
        matches: Matches {
            count: page.matches.min(COUNT_LIMIT),
            exact: page.matches <= COUNT_LIMIT,
        },
        previous,
        next,
    })
}

/// Technical users working in the company today whose login or name contains `search` (any
/// case), by name: at most [`USER_MATCHES`].
pub async fn eligible_users(
    console: &Console,
    caller: &Caller,
    search: &str,
) -> Result<Vec<EligibleUser>, ConsoleError> {
    token_admin(console, caller).await?;
    let search = search.trim();
    if search.chars().count() > SEARCH_MAX_CHARS || search.chars().any(char::is_control) {
        return Err(ConsoleError::BadRequest {
            message: td_string!(
                caller.locale,
                user_field.search_too_long,
                max = SEARCH_MAX_CHARS
            )
            .to_string(),
        });
    }
    let today = console.today();
    let people = console
        .store
        .eligible_people(search, today, USER_MATCHES)
        .await
        .map_err(internal)?;
    Ok(people
        .into_iter()
        .filter(|p| p.employment.eligible_on(today).is_ok())
        .map(|p| EligibleUser {
            id: p.id,
            login: p.login,
            name: p.name,
        })
        .collect())
}
