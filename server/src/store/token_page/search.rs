//! Searching token names and users' logins and names: texts of three characters or more
//! anywhere in them, through trigram indexes (SQLite FTS5, PostgreSQL pg_trgm); shorter texts
//! at their start, through indexes of the lowercased texts.

use app::backend::StoreResult;

use super::{Arg, Sql};
use crate::store::{db_error, Backend, Db};

/// How a search is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Search {
    /// Few matches, found in the trigram indexes: read first, by their ids, then sorted.
    FewIndexed,
    /// Matches found in the trigram indexes, but many: a page walks its sort index, and
    /// `+t.id` keeps the id lookup from being chosen.
    ManyIndexed,
    /// Every row tested until the page is full: matches are so many that the sort index
    /// finds them at once.
    Scan,
}

/// The search indexes hold trigrams: shorter texts are searched at the start of names and
/// logins.
const TRIGRAM: usize = 3;

/// Whether `text` is searched anywhere in names and logins, or only at their start.
pub(super) fn anywhere(text: &str) -> bool {
    text.chars().count() >= TRIGRAM
}

/// `(column starts with text)`, any letter case (SQLite: ASCII letters), as a range of the
/// index on the lowercased column (compared byte by byte, whatever the database's collation).
fn push_starts_with(sql: &mut Sql, column: &str, text: &str, backend: Backend) {
    let text = Arg::Text(text.to_owned());
    let (collate, last_char) = match backend {
        Backend::Sqlite => ("", "char(1114111)"),
        Backend::Postgres => (" COLLATE \"C\"", "chr(1114111)"),
    };
    sql.push(&format!("(lower({column}){collate} >= lower("))
        .bind(text.clone())
        .push(&format!(
            "){collate} AND lower({column}){collate} < (lower("
        ))
        .bind(text)
        .push(&format!(") || {last_char}){collate})"));
}

/// `SELECT id FROM people WHERE` the login or the name starts with `text`.
fn push_people_starting(sql: &mut Sql, text: &str, backend: Backend) {
    sql.push("SELECT id FROM people WHERE ");
    push_starts_with(sql, "login", text, backend);
    sql.push(" OR ");
    push_starts_with(sql, "name", text, backend);
}

/// ` AND (t.name starts with text OR t's owner's login or name does)`, for every row tested.
pub(super) fn push_scanned_start(sql: &mut Sql, text: &str, backend: Backend) {
    sql.push(" AND (");
    push_starts_with(sql, "t.name", text, backend);
    sql.push(" OR t.owner_id IN (");
    push_people_starting(sql, text, backend);
    sql.push("))");
}

/// Tokens whose name, or whose owner's login or name, starts with `text`, read from the
/// indexes of lowercased texts.
fn push_indexed_start(sql: &mut Sql, text: &str, backend: Backend, id: &str) {
    sql.push(&format!(
        " AND {id} IN (SELECT s.id FROM api_tokens s WHERE "
    ));
    push_starts_with(sql, "s.name", text, backend);
    sql.push(" UNION SELECT s.id FROM api_tokens s WHERE s.owner_id IN (");
    push_people_starting(sql, text, backend);
    sql.push("))");
}

/// Matching tokens (by name, or by their owner) past which collecting them from the trigram
/// indexes costs more than testing rows in page order (they are then dense).
const NEARLY_EVERYWHERE: i64 = 100_000;

/// One FTS5 phrase: the text as it is, quotes doubled.
fn fts_phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The tokens whose name, or whose owner's login or name, holds `search` (any case), read
/// from the trigram indexes: FTS5 on SQLite, pg_trgm on PostgreSQL; or, for a short text,
/// starts with it.
pub(super) fn push_indexed_search(sql: &mut Sql, search: &str, backend: Backend, id: &str) {
    if !anywhere(search) {
        return push_indexed_start(sql, search, backend, id);
    }
    match backend {
        Backend::Sqlite => {
            let phrase = Arg::Text(fts_phrase(search));
            sql.push(&format!(
                " AND {id} IN (SELECT rowid FROM api_tokens_search WHERE api_tokens_search MATCH "
            ))
            .bind(phrase.clone())
            .push(
                " UNION SELECT s.id FROM api_tokens s WHERE s.owner_id IN \
                 (SELECT rowid FROM people_search WHERE people_search MATCH ",
            )
            .bind(phrase)
            .push("))");
        }
        Backend::Postgres => {
            let pattern = Arg::Text(format!("%{}%", escape_like(search)));
            let escape = format!(" ESCAPE '{LIKE_ESCAPE}'");
            sql.push(&format!(
                " AND {id} IN (SELECT s.id FROM api_tokens s WHERE s.name ILIKE "
            ))
            .bind(pattern.clone())
            .push(&escape)
            .push(
                " UNION SELECT s.id FROM api_tokens s WHERE s.owner_id IN \
                     (SELECT p.id FROM people p WHERE p.login ILIKE ",
            )
            .bind(pattern.clone())
            .push(&escape)
            .push(" OR p.name ILIKE ")
            .bind(pattern)
            .push(&escape)
            .push("))");
        }
    }
}

/// LIKE ignoring letter case: SQLite's LIKE ignores it for ASCII letters, PostgreSQL's ILIKE
/// for every letter its locale knows.
pub(crate) fn case_blind_like(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "LIKE",
        Backend::Postgres => "ILIKE",
    }
}

/// The escape character of LIKE patterns (not a backslash, whose meaning in string literals
/// depends on PostgreSQL's `standard_conforming_strings`).
pub(crate) const LIKE_ESCAPE: char = '!';

/// `text` matched literally inside a LIKE pattern.
pub(crate) fn escape_like(text: &str) -> String {
    text.chars()
        .flat_map(|c| match c {
            '%' | '_' | LIKE_ESCAPE => vec![LIKE_ESCAPE, c],
            c => vec![c],
        })
        .collect()
}

impl Db {
    /// Whether `text` matches so many tokens (by name, or by their owner's login or name) that
    /// collecting them from the trigram indexes would cost more than testing rows in page order.
    pub(super) async fn nearly_everywhere(&self, text: &str) -> StoreResult<bool> {
        if !anywhere(text) {
            return self.nearly_everywhere_at_start(text).await;
        }
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT CASE WHEN (SELECT COUNT(*) FROM (SELECT 1 FROM api_tokens_search \
                 WHERE api_tokens_search MATCH $1 LIMIT $2)) >= $3 \
                 OR (SELECT COUNT(*) FROM (SELECT 1 FROM api_tokens WHERE owner_id IN \
                 (SELECT rowid FROM people_search WHERE people_search MATCH $4) LIMIT $5)) >= $6 \
                 THEN 1 ELSE 0 END"
            }
            Backend::Postgres => {
                "SELECT CASE WHEN (SELECT COUNT(*) FROM (SELECT 1 FROM api_tokens \
                 WHERE name ILIKE $1 ESCAPE '!' LIMIT $2) m) >= $3 \
                 OR (SELECT COUNT(*) FROM (SELECT 1 FROM api_tokens WHERE owner_id IN \
                 (SELECT id FROM people WHERE login ILIKE $4 ESCAPE '!' OR name ILIKE $4 ESCAPE '!') \
                 LIMIT $5) o) >= $6 THEN 1 ELSE 0 END"
            }
        };
        let needle = match self.backend {
            Backend::Sqlite => fts_phrase(text),
            Backend::Postgres => format!("%{}%", escape_like(text)),
        };
        let common: i64 = sqlx::query_scalar(sql)
            .bind(needle.clone())
            .bind(NEARLY_EVERYWHERE)
            .bind(NEARLY_EVERYWHERE)
            .bind(needle)
            .bind(NEARLY_EVERYWHERE)
            .bind(NEARLY_EVERYWHERE)
            .fetch_one(&self.pool)
            .await
            .map_err(db_error)?;
        Ok(common != 0)
    }

    /// [`Db::nearly_everywhere`] for a text searched at the start of names and logins.
    async fn nearly_everywhere_at_start(&self, text: &str) -> StoreResult<bool> {
        let limit = format!(" LIMIT {NEARLY_EVERYWHERE}");
        let mut sql = Sql::default();
        sql.push("SELECT CASE WHEN (SELECT COUNT(*) FROM (SELECT 1 FROM api_tokens WHERE ");
        push_starts_with(&mut sql, "name", text, self.backend);
        sql.push(&format!(
            "{limit}) m) >= {NEARLY_EVERYWHERE} OR (SELECT COUNT(*) FROM (SELECT 1 FROM api_tokens \
             WHERE owner_id IN ("
        ));
        push_people_starting(&mut sql, text, self.backend);
        sql.push(&format!(
            "){limit}) o) >= {NEARLY_EVERYWHERE} THEN 1 ELSE 0 END"
        ));
        let common: i64 = sql
            .query()
            .fetch_one(&self.pool)
            .await
            .and_then(|row| sqlx::Row::try_get(&row, 0))
            .map_err(db_error)?;
        Ok(common != 0)
    }
}
