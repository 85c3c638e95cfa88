//! What the tokens table shows: filters, sort and page, as the URL query carries them
//! (`?status=active&user=svc-erp&q=export&sort=name&dir=asc&after=…`), so that a filtered,
//! sorted page is a link. Parsed once, here, for the browser and the server alike.

use serde::{Deserialize, Serialize};

use crate::model::{TokenRow, TokenStatus};

/// Rows on one page of the tokens table.
pub const PAGE_SIZE: usize = 50;
/// Matches are counted exactly up to this many; past it the table says "more than".
pub const COUNT_LIMIT: u64 = 10_000;
/// The longest search text accepted (characters).
pub const SEARCH_MAX_CHARS: usize = 100;

pub use crate::routes::{NEW_TOKEN_PATH, TOKENS_PATH};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SortKey {
    #[default]
    Created,
    Expires,
    Name,
    User,
    LastUsed,
}

impl SortKey {
    pub const ALL: [Self; 5] = [
        Self::User,
        Self::Name,
        Self::Created,
        Self::Expires,
        Self::LastUsed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Expires => "expires",
            Self::Name => "name",
            Self::User => "user",
            Self::LastUsed => "last_used",
        }
    }

    /// Dates start with the newest, names with A.
    pub fn natural_order(self) -> SortOrder {
        match self {
            Self::Name | Self::User => SortOrder::Asc,
            Self::Created | Self::Expires | Self::LastUsed => SortOrder::Desc,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortOrder {
    Asc,
    Desc,
}

impl SortOrder {
    pub fn code(self) -> &'static str {
        match self {
            Self::Asc => "asc",
            Self::Desc => "desc",
        }
    }

    pub fn reversed(self) -> Self {
        match self {
            Self::Asc => Self::Desc,
            Self::Desc => Self::Asc,
        }
    }

    /// The value of `aria-sort` on a sorted column header.
    pub fn aria(self) -> &'static str {
        match self {
            Self::Asc => "ascending",
            Self::Desc => "descending",
        }
    }
}

impl TokenStatus {
    pub const ALL: [Self; 5] = [
        Self::Active,
        Self::ExpiresSoon,
        Self::Expired,
        Self::Removed,
        Self::UserInactive,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::ExpiresSoon => "expires_soon",
            Self::Expired => "expired",
            Self::Removed => "removed",
            Self::UserInactive => "user_inactive",
        }
    }
}

/// A position between two rows: the sort key's value and the id of the row it follows (or
/// precedes). In the URL: `<id>.<value>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub id: i64,
    pub value: String,
}

impl Cursor {
    pub fn encode(&self) -> String {
        format!("{}.{}", self.id, self.value)
    }

    fn decode(text: &str) -> Option<Self> {
        let (id, value) = text.split_once('.')?;
        Some(Self {
            id: id.parse().ok()?,
            value: value.to_owned(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum PageAt {
    #[default]
    First,
    After(Cursor),
    Before(Cursor),
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TokenQuery {
    pub status: Option<TokenStatus>,
    /// A user's login, exactly.
    pub user: Option<String>,
    /// Part of a token name, or of its user's login or name (ASCII letters in any case).
    pub search: Option<String>,
    pub sort: SortKey,
    pub order: Option<SortOrder>,
    pub page: PageAt,
}

/// The URL query's fields, as text (what a form or a link sends).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct QueryParams {
    pub status: Option<String>,
    pub user: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub after: Option<String>,
    pub before: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("Unknown status {0:?}: use active, expires_soon, expired, removed or user_inactive.")]
    Status(String),
    #[error("Unknown sort {0:?}: use user, name, created, expires or last_used.")]
    Sort(String),
    #[error("Unknown direction {0:?}: use asc or desc.")]
    Direction(String),
    #[error("The page position {0:?} is not one this table gave.")]
    Cursor(String),
    #[error("Give either after or before, not both.")]
    BothCursors,
    #[error("The search text must be at most {SEARCH_MAX_CHARS} characters, without control characters.")]
    Search,
    #[error("The user filter must be a login of at most {SEARCH_MAX_CHARS} characters.")]
    User,
}

/// A given text of at most [`SEARCH_MAX_CHARS`] characters without control characters.
fn short_text(value: &Option<String>, error: QueryError) -> Result<Option<String>, QueryError> {
    match given(value) {
        None => Ok(None),
        Some(text)
            if text.chars().count() > SEARCH_MAX_CHARS || text.chars().any(char::is_control) =>
        {
            Err(error)
        }
        Some(text) => Ok(Some(text.to_owned())),
    }
}

/// `YYYY-MM-DD` digits (the stored form of an expiration date).
fn is_date_shaped(value: &str) -> bool {
    value.len() == 10
        && value.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        })
}

/// Empty or blank means "not given" (an empty form field).
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl TokenQuery {
    pub fn parse(params: &QueryParams) -> Result<Self, QueryError> {
        let status = given(&params.status)
            .map(|code| {
                TokenStatus::ALL
                    .into_iter()
                    .find(|s| s.code() == code)
                    .ok_or_else(|| QueryError::Status(code.to_owned()))
            })
            .transpose()?;
        let sort = given(&params.sort)
            .map(|code| {
                SortKey::ALL
                    .into_iter()
                    .find(|k| k.code() == code)
                    .ok_or_else(|| QueryError::Sort(code.to_owned()))
            })
            .transpose()?
            .unwrap_or_default();
        let order = given(&params.dir)
            .map(|code| match code {
                "asc" => Ok(SortOrder::Asc),
                "desc" => Ok(SortOrder::Desc),
                other => Err(QueryError::Direction(other.to_owned())),
            })
            .transpose()?;
        // A position carries a value of the sort key's kind: a number of seconds, or a date.
        let fits = |value: &str| match sort {
            SortKey::Created | SortKey::LastUsed => value.parse::<i64>().is_ok(),
            SortKey::Expires => is_date_shaped(value),
            SortKey::Name | SortKey::User => true,
        };
        let cursor = |text: &str| {
            Cursor::decode(text)
                .filter(|c| fits(&c.value))
                .ok_or(QueryError::Cursor(text.to_owned()))
        };
        let page = match (given(&params.after), given(&params.before)) {
            (Some(_), Some(_)) => return Err(QueryError::BothCursors),
            (Some(after), None) => PageAt::After(cursor(after)?),
            (None, Some(before)) => PageAt::Before(cursor(before)?),
            (None, None) => PageAt::First,
        };
        let search = short_text(&params.q, QueryError::Search)?;
        let user = short_text(&params.user, QueryError::User)?;
        Ok(Self {
            status,
            user,
            search,
            sort,
            order,
            page,
        })
    }

    pub fn order(&self) -> SortOrder {
        self.order.unwrap_or(self.sort.natural_order())
    }

    /// No filters, the same sort, first page.
    pub fn cleared(&self) -> Self {
        Self {
            sort: self.sort,
            order: self.order,
            ..Self::default()
        }
    }

    /// Sorted by `key`: the other direction if it already is, else its natural one; first page.
    pub fn sorted_by(&self, key: SortKey) -> Self {
        let order = if self.sort == key {
            self.order().reversed()
        } else {
            key.natural_order()
        };
        Self {
            sort: key,
            order: Some(order),
            page: PageAt::First,
            ..self.clone()
        }
    }

    pub fn at(&self, page: PageAt) -> Self {
        Self {
            page,
            ..self.clone()
        }
    }

    pub fn to_params(&self) -> QueryParams {
        let (after, before) = match &self.page {
            PageAt::First => (None, None),
            PageAt::After(c) => (Some(c.encode()), None),
            PageAt::Before(c) => (None, Some(c.encode())),
        };
        QueryParams {
            status: self.status.map(|s| s.code().to_owned()),
            user: self.user.clone(),
            q: self.search.clone(),
            sort: (self.sort != SortKey::default()).then(|| self.sort.code().to_owned()),
            dir: self.order.map(|o| o.code().to_owned()),
            after,
            before,
        }
    }

    /// The link to this view of the tokens page.
    pub fn href(&self) -> String {
        let params = self.to_params();
        let pairs: Vec<(&str, &String)> = [
            ("status", &params.status),
            ("user", &params.user),
            ("q", &params.q),
            ("sort", &params.sort),
            ("dir", &params.dir),
            ("after", &params.after),
            ("before", &params.before),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.as_ref().map(|v| (name, v)))
        .collect();
        match serde_urlencoded::to_string(&pairs) {
            Ok(query) if !query.is_empty() => format!("{TOKENS_PATH}?{query}"),
            _ => TOKENS_PATH.to_owned(),
        }
    }
}

/// How many tokens match the filters: exact up to [`COUNT_LIMIT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Matches {
    pub count: u64,
    pub exact: bool,
}

/// One page of the tokens table, with the positions of its neighbours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenPage {
    pub rows: Vec<TokenRow>,
    pub matches: Matches,
    pub previous: Option<Cursor>,
    pub next: Option<Cursor>,
}

#[cfg(test)]
mod tests;
