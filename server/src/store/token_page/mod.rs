//! One page of the tokens table, read by keyset (never OFFSET): the rows after (or before) a
//! cursor in the order of an indexed sort key and the id, so every page costs the same at any
//! depth and rows inserted meanwhile neither repeat nor vanish between pages.

use chrono::NaiveDate;
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, Row};

use app::backend::{StoreResult, TokenRecordPage};
use app::domain::StatusDates;
use app::model::TokenStatus;
use app::token_query::{PageAt, SortKey, SortOrder, TokenQuery, COUNT_LIMIT};

use super::tokens::{token_from_row, CREATOR_JOIN, TOKEN_COLUMNS};
use super::{db_error, Backend, Db};

mod search;
use search::{anywhere, push_indexed_search, push_scanned_start};
pub(crate) use search::{case_blind_like, escape_like, Search, LIKE_ESCAPE};

#[derive(Debug, Clone, PartialEq)]
enum Arg {
    Int(i64),
    Text(String),
}

/// SQL text with its `$n` arguments, numbered as they are pushed.
#[derive(Debug, Default, Clone)]
pub(crate) struct Sql {
    pub text: String,
    args: Vec<Arg>,
}

impl Sql {
    fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    fn bind(&mut self, arg: Arg) -> &mut Self {
        self.args.push(arg);
        self.text.push_str(&format!("${}", self.args.len()));
        self
    }

    pub fn query(&self) -> Query<'_, Any, AnyArguments<'_>> {
        self.args
            .iter()
            .fold(sqlx::query(&self.text), |query, arg| match arg {
                Arg::Int(value) => query.bind(*value),
                Arg::Text(value) => query.bind(value.clone()),
            })
    }
}

/// The indexed expression each sort key orders by (see the migrations' indexes).
fn sort_column(key: SortKey) -> &'static str {
    match key {
        SortKey::Created => "t.created_at",
        SortKey::Expires => "t.expires_on",
        SortKey::Name => "t.name",
        SortKey::User => "o.login",
        SortKey::LastUsed => "COALESCE(t.last_used_at, 0)",
    }
}

fn cursor_arg(key: SortKey, value: &str) -> Arg {
    match key {
        SortKey::Created | SortKey::LastUsed => Arg::Int(value.parse().unwrap_or(0)),
        SortKey::Expires | SortKey::Name | SortKey::User => Arg::Text(value.to_owned()),
    }
}

/// In which order a query reads tokens and their owners.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    /// Tokens first, in the order of the sort key's index: a page reads about one page of
    /// rows. Written as a `CROSS JOIN`, which SQLite never reorders: with statistics, it would
    /// otherwise start from the technical users' index and sort every matching token.
    TokensFirst,
    /// Owners first, then their tokens through the owner index: sorted by user, the rows come
    /// in login then id order; one user's tokens, or inactive users', are read alone.
    OwnersFirst,
    /// Whatever the planner finds best: a count of common rows, or the few rows a search
    /// index found.
    Planner,
    /// Tokens alone: the filters need nothing of the owner.
    TokensOnly,
}

/// `FROM … WHERE` with `t` the token and `o` its owner (and `c` its creator, for the rows).
fn push_from(sql: &mut Sql, order: Order, creator: bool) {
    let creator = if creator { CREATOR_JOIN } else { "" };
    sql.push(&match order {
        Order::TokensFirst => {
            format!(" FROM api_tokens t CROSS JOIN people o{creator} WHERE o.id = t.owner_id")
        }
        Order::OwnersFirst => {
            format!(" FROM people o CROSS JOIN api_tokens t{creator} WHERE t.owner_id = o.id")
        }
        Order::Planner => {
            format!(" FROM api_tokens t JOIN people o ON o.id = t.owner_id{creator} WHERE 1 = 1")
        }
        Order::TokensOnly => " FROM api_tokens t WHERE 1 = 1".to_owned(),
    });
}

/// The owner `o` is a technical user working in the company on `today`
/// (`Employment::eligible_on`).
fn push_eligible(sql: &mut Sql, today: &str) {
    sql.push("(o.technical = 1 AND o.employed_from <= ")
        .bind(Arg::Text(today.to_owned()))
        .push(" AND (o.employed_until IS NULL OR o.employed_until >= ")
        .bind(Arg::Text(today.to_owned()))
        .push("))");
}

/// Counts "User inactive" from the people who ever held a token (`holds_tokens`, kept by a
/// trigger) and cannot use them today, then each one's live tokens from the owner index. On
/// PostgreSQL the per-owner lookup is a `LATERAL` subquery, which the planner cannot turn
/// into a walk of every live token.
fn inactive_count_sql(today: NaiveDate, backend: Backend) -> Sql {
    let today = today.to_string();
    let mut sql = Sql::default();
    sql.push("SELECT COUNT(*) FROM (SELECT 1 FROM people o CROSS JOIN ");
    let live = "t.owner_id = o.id AND t.removed_at IS NULL AND t.expires_on >= ";
    match backend {
        Backend::Postgres => {
            sql.push(&format!("LATERAL (SELECT 1 FROM api_tokens t WHERE {live}"))
                .bind(Arg::Text(today.clone()))
                .push(" OFFSET 0) t WHERE o.holds_tokens = 1");
        }
        Backend::Sqlite => {
            sql.push(&format!("api_tokens t WHERE o.holds_tokens = 1 AND {live}"))
                .bind(Arg::Text(today.clone()));
        }
    }
    sql.push(" AND NOT ");
    push_eligible(&mut sql, &today);
    sql.push(&format!(" LIMIT {}) m", COUNT_LIMIT + 1));
    sql
}

/// ` AND …` for the filters (the status judged on `today`), without the page position.
/// In a page query, `removed` is written `+t.removed_at`: no index may be chosen for it, so
/// the status indexes (made for counting) cannot lure a page away from its sort key's index.
fn push_filters(
    sql: &mut Sql,
    query: &TokenQuery,
    dates: StatusDates,
    backend: Backend,
    page: bool,
    how: Search,
) {
    let removed = if page {
        "+t.removed_at"
    } else {
        "t.removed_at"
    };
    let today = dates.today.to_string();
    if let Some(status) = query.status {
        match status {
            TokenStatus::Removed => {
                sql.push(&format!(" AND {removed} IS NOT NULL"));
            }
            TokenStatus::Expired => {
                sql.push(&format!(" AND {removed} IS NULL AND t.expires_on < "))
                    .bind(Arg::Text(today.clone()));
            }
            TokenStatus::Active => {
                sql.push(&format!(" AND {removed} IS NULL AND t.expires_on > "))
                    .bind(Arg::Text(dates.soon_until.to_string()))
                    .push(" AND ");
                push_eligible(sql, &today);
            }
            TokenStatus::ExpiresSoon => {
                sql.push(&format!(" AND {removed} IS NULL AND t.expires_on >= "))
                    .bind(Arg::Text(today.clone()))
                    .push(" AND t.expires_on <= ")
                    .bind(Arg::Text(dates.soon_until.to_string()))
                    .push(" AND ");
                push_eligible(sql, &today);
            }
            TokenStatus::UserInactive => {
                sql.push(&format!(" AND {removed} IS NULL AND t.expires_on >= "))
                    .bind(Arg::Text(today.clone()))
                    .push(" AND NOT ");
                push_eligible(sql, &today);
            }
        }
    }
    if let Some(login) = &query.user {
        sql.push(" AND o.login = ").bind(Arg::Text(login.clone()));
    }
    if let Some(search) = &query.search {
        if how != Search::Scan {
            let id = if page && how == Search::ManyIndexed {
                "+t.id"
            } else {
                "t.id"
            };
            push_indexed_search(sql, search, backend, id);
            return;
        }
        if !anywhere(search) {
            push_scanned_start(sql, search, backend);
            return;
        }
        // The owners are matched once, not once per token.
        let like = case_blind_like(backend);
        let pattern = Arg::Text(format!("%{}%", escape_like(search)));
        let escape = format!(" ESCAPE '{LIKE_ESCAPE}'");
        sql.push(&format!(" AND (t.name {like} "))
            .bind(pattern.clone())
            .push(&escape)
            .push(&format!(
                " OR t.owner_id IN (SELECT id FROM people WHERE login {like} "
            ))
            .bind(pattern.clone())
            .push(&escape)
            .push(&format!(" OR name {like} "))
            .bind(pattern)
            .push(&escape)
            .push("))");
    }
}

/// The page's rows query: `limit + 1` rows, to learn whether more follow.
pub(crate) fn page_sql(
    query: &TokenQuery,
    dates: StatusDates,
    limit: usize,
    backend: Backend,
    how: Search,
) -> Sql {
    let mut sql = Sql::default();
    sql.push(TOKEN_COLUMNS);
    // One user's tokens are few: found through the owner index, then sorted.
    let order = if query.sort == SortKey::User || query.user.is_some() {
        Order::OwnersFirst
    } else if query.search.is_some() && how == Search::FewIndexed {
        Order::Planner
    } else {
        Order::TokensFirst
    };
    push_from(&mut sql, order, true);
    push_filters(&mut sql, query, dates, backend, true, how);
    let column = sort_column(query.sort);
    // Reading a `Before` page walks backwards from its cursor; the rows are turned round after.
    let (cursor, order) = match &query.page {
        PageAt::First => (None, query.order()),
        PageAt::After(cursor) => (Some(cursor), query.order()),
        PageAt::Before(cursor) => (Some(cursor), query.order().reversed()),
    };
    if let Some(cursor) = cursor {
        let compare = match order {
            SortOrder::Asc => ">",
            SortOrder::Desc => "<",
        };
        // (column, id) beyond the cursor, written so that the first part is an index range.
        let value = cursor_arg(query.sort, &cursor.value);
        sql.push(&format!(" AND {column} {compare}= "))
            .bind(value.clone())
            .push(&format!(" AND ({column} {compare} "))
            .bind(value)
            .push(&format!(" OR t.id {compare} "))
            .bind(Arg::Int(cursor.id))
            .push(")");
    }
    let direction = match order {
        SortOrder::Asc => "ASC",
        SortOrder::Desc => "DESC",
    };
    sql.push(&format!(
        " ORDER BY {column} {direction}, t.id {direction} LIMIT {}",
        limit + 1
    ));
    sql
}

/// How many rows match, counted up to `COUNT_LIMIT + 1`.
pub(crate) fn count_sql(
    query: &TokenQuery,
    dates: StatusDates,
    backend: Backend,
    how: Search,
) -> Sql {
    if query.status == Some(TokenStatus::UserInactive)
        && query.user.is_none()
        && query.search.is_none()
    {
        return inactive_count_sql(dates.today, backend);
    }
    let mut sql = Sql::default();
    sql.push("SELECT COUNT(*) FROM (SELECT 1");
    let about_owners = query.user.is_some()
        || query.search.is_some()
        || matches!(
            query.status,
            Some(TokenStatus::Active | TokenStatus::ExpiresSoon | TokenStatus::UserInactive)
        );
    let order = match query.status {
        Some(TokenStatus::UserInactive) => Order::OwnersFirst,
        // Live tokens from today on, by the expiration index, each with its owner.
        Some(TokenStatus::Active | TokenStatus::ExpiresSoon)
            if query.user.is_none() && query.search.is_none() =>
        {
            Order::TokensFirst
        }
        _ if about_owners => Order::Planner,
        _ => Order::TokensOnly,
    };
    push_from(&mut sql, order, false);
    push_filters(&mut sql, query, dates, backend, false, how);
    sql.push(&format!(" LIMIT {}) m", COUNT_LIMIT + 1));
    sql
}

impl Db {
    pub(crate) async fn read_token_page(
        &self,
        query: &TokenQuery,
        dates: StatusDates,
        limit: usize,
    ) -> StoreResult<TokenRecordPage> {
        let indexed = match &query.search {
            Some(text) => !self.nearly_everywhere(text).await?,
            None => false,
        };
        let how = if indexed {
            Search::ManyIndexed
        } else {
            Search::Scan
        };
        let count = count_sql(query, dates, self.backend, how);
        let matches: i64 = count
            .query()
            .fetch_one(&self.pool)
            .await
            .and_then(|row| row.try_get(0))
            .map_err(db_error)?;
        let how = if indexed && matches.unsigned_abs() <= COUNT_LIMIT {
            Search::FewIndexed
        } else {
            how
        };
        let page = page_sql(query, dates, limit, self.backend, how);
        let rows = page.query().fetch_all(&self.pool).await.map_err(db_error)?;
        let mut rows = rows
            .iter()
            .map(token_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        let more = rows.len() > limit;
        rows.truncate(limit);
        if matches!(query.page, PageAt::Before(_)) {
            rows.reverse();
        }
        Ok(TokenRecordPage {
            rows,
            more,
            matches: matches.unsigned_abs(),
        })
    }
}

#[cfg(test)]
mod plans;
