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

/// The route of the tokens page.
pub const TOKENS_PATH: &str = "/security/api-tokens";

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

    /// The column it sorts, as its header says.
    pub fn label(self) -> &'static str {
        match self {
            Self::Created => "Creation date",
            Self::Expires => "Expiration date",
            Self::Name => "Token name",
            Self::User => "User",
            Self::LastUsed => "Last used",
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
    pub const ALL: [Self; 4] = [
        Self::Active,
        Self::Expired,
        Self::Removed,
        Self::UserInactive,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Active => "active",
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
    /// Part of a token name, or of its user's login or name (any case).
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
    #[error("Unknown status {0:?}: use active, expired, removed or user_inactive.")]
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
        let cursor = |text: &str| Cursor::decode(text).ok_or(QueryError::Cursor(text.to_owned()));
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

    /// The same filters and sort, on their first page.
    pub fn first_page(&self) -> Self {
        Self {
            page: PageAt::First,
            ..self.clone()
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

impl Matches {
    pub fn label(self) -> String {
        match (self.exact, self.count) {
            (false, _) => format!("More than {} tokens", grouped(COUNT_LIMIT)),
            (true, 1) => "1 token".to_owned(),
            (true, n) => format!("{} tokens", grouped(n)),
        }
    }
}

/// `12345` → `12,345`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
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
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> QueryParams {
        let mut p = QueryParams::default();
        for (k, v) in pairs {
            let v = Some((*v).to_owned());
            match *k {
                "status" => p.status = v,
                "user" => p.user = v,
                "q" => p.q = v,
                "sort" => p.sort = v,
                "dir" => p.dir = v,
                "after" => p.after = v,
                "before" => p.before = v,
                _ => unreachable!(),
            }
        }
        p
    }

    #[test]
    fn a_view_survives_its_own_link() {
        let query = TokenQuery::parse(&params(&[
            ("status", "user_inactive"),
            ("user", "svc-erp"),
            ("q", "nightly & co"),
            ("sort", "name"),
            ("dir", "desc"),
            ("after", "42.Nightly export"),
        ]))
        .unwrap();
        assert_eq!(query.order(), SortOrder::Desc);
        assert_eq!(
            query.page,
            PageAt::After(Cursor {
                id: 42,
                value: "Nightly export".into()
            })
        );
        let href = query.href();
        assert!(href.starts_with("/security/api-tokens?status=user_inactive&user=svc-erp&q=nightly+%26+co&sort=name&dir=desc&after=42.Nightly+export"), "{href}");
        assert_eq!(TokenQuery::parse(&query.to_params()).unwrap(), query);
    }

    #[test]
    fn empty_fields_mean_defaults_and_bad_ones_are_named() {
        let query = TokenQuery::parse(&params(&[("status", ""), ("q", "  ")])).unwrap();
        assert_eq!(query, TokenQuery::default());
        assert_eq!(query.href(), TOKENS_PATH);
        assert_eq!(query.order(), SortOrder::Desc);
        for (pairs, error) in [
            (&[("status", "gone")][..], QueryError::Status("gone".into())),
            (&[("sort", "hash")][..], QueryError::Sort("hash".into())),
            (&[("dir", "up")][..], QueryError::Direction("up".into())),
            (&[("after", "x.1")][..], QueryError::Cursor("x.1".into())),
            (
                &[("after", "1.a"), ("before", "2.b")][..],
                QueryError::BothCursors,
            ),
            (&[("q", "a\u{7}b")][..], QueryError::Search),
        ] {
            assert_eq!(TokenQuery::parse(&params(pairs)), Err(error));
        }
    }

    #[test]
    fn sorting_a_column_again_reverses_it_and_starts_over() {
        let query = TokenQuery::default().at(PageAt::After(Cursor {
            id: 1,
            value: "9".into(),
        }));
        let by_name = query.sorted_by(SortKey::Name);
        assert_eq!(
            (by_name.sort, by_name.order()),
            (SortKey::Name, SortOrder::Asc)
        );
        assert_eq!(by_name.page, PageAt::First);
        assert_eq!(by_name.sorted_by(SortKey::Name).order(), SortOrder::Desc);
        assert_eq!(query.sorted_by(SortKey::Created).order(), SortOrder::Asc);
    }

    #[test]
    fn counts_read_as_a_person_would_say_them() {
        assert_eq!(
            Matches {
                count: 1,
                exact: true
            }
            .label(),
            "1 token"
        );
        assert_eq!(
            Matches {
                count: 0,
                exact: true
            }
            .label(),
            "0 tokens"
        );
        assert_eq!(
            Matches {
                count: 1234,
                exact: true
            }
            .label(),
            "1,234 tokens"
        );
        assert_eq!(
            Matches {
                count: 10_001,
                exact: false
            }
            .label(),
            "More than 10,000 tokens"
        );
    }
}
