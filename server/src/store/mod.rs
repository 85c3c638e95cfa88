//! The sqlx store: one pool over SQLite (embedded default) or PostgreSQL (`DATABASE_URL`).
//! Queries are written once, in the SQL both accept; dates are `YYYY-MM-DD` text and instants
//! are Unix seconds, so rows decode the same on both.

mod audit;
mod bench_data;
mod changes;
mod console;
mod demo_tokens;
mod failures;
mod operator;
mod people;
mod readiness;
#[cfg(test)]
mod schema_parity;
mod secrets;
mod sessions;
#[cfg(test)]
mod test_databases;
mod token_cache;
mod token_changes;
mod token_page;
mod tokens;

use std::str::FromStr;

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::AnyPool;

use app::backend::{FailureCounts, Limits, LocalCounts, StoreError};

pub use bench_data::{BenchDataError, BenchSize};
pub use operator::{DemoOutcome, NewPerson, OperatorError, PersonChange, CLI_CLIENT};
pub use token_cache::{CachedToken, TokenCache, DEFAULT_CAPACITY as DEFAULT_TOKEN_CACHE_SIZE};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    url: String,
    /// Validated bearer tokens; see [`TokenCache`].
    cache: Arc<TokenCache>,
    /// PostgreSQL: the notification channel of token changes (one per schema).
    channel: String,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/jetons.db";
/// A request waits at most this long for a database connection: with the database gone, the
/// console and the API answer 503 within it, not after sqlx's default 30 s.
const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

impl Db {
    /// Connects and applies the embedded migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::Url(
                "DATABASE_URL must start with sqlite: or postgres:",
            ));
        };
        let url = match backend {
            Backend::Sqlite => sqlite_url(url)?,
            Backend::Postgres => url.to_owned(),
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 16 })
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        sqlx::query("PRAGMA foreign_keys = ON")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA busy_timeout = 5000")
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|e| StoreError::Open(e.into()))?;
        if backend == Backend::Sqlite {
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await
                .map_err(db_error)?;
        }
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&pool)
            .await
            .map_err(|e| StoreError::Migrate(e.into()))?;
        let channel = match backend {
            Backend::Postgres => {
                let schema: String = sqlx::query_scalar("SELECT current_schema()::text")
                    .fetch_one(&pool)
                    .await
                    .map_err(db_error)?;
                changes::channel(&schema)
            }
            Backend::Sqlite => String::new(),
        };
        Ok(Self {
            channel,
            pool,
            backend,
            url,
            cache: Arc::new(TokenCache::new(token_cache::DEFAULT_CAPACITY)),
        })
    }

    /// Connections the pool holds, and how many of them are idle.
    pub fn pool_connections(&self) -> (u32, usize) {
        (self.pool.size(), self.pool.num_idle())
    }

    /// Where refused attempts are counted: in the database every instance uses (PostgreSQL),
    /// or in this process (SQLite: one server).
    pub fn failure_counts(&self, limits: Limits) -> Arc<dyn FailureCounts> {
        match self.backend {
            Backend::Postgres => Arc::new(self.shared_counts(limits)),
            Backend::Sqlite => Arc::new(LocalCounts::new(limits)),
        }
    }

    /// [`Db::failure_counts`] when they are shared by several instances.
    pub fn shared_failure_counts(&self) -> Option<Arc<dyn FailureCounts>> {
        (self.backend == Backend::Postgres).then(|| self.failure_counts(Limits::default()))
    }

    /// At most `capacity` validated tokens are kept in memory (emptied by the change).
    pub fn set_token_cache_capacity(&mut self, capacity: usize) {
        self.cache = Arc::new(TokenCache::new(capacity));
    }

    /// A transaction that writes. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`, waiting up to the busy timeout): a transaction that read first could not
    /// take it later once another writer committed, and would fail instead of waiting.
    pub(crate) async fn write_transaction(
        &self,
    ) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A SQLite URL whose file (and folder) are created when missing.
fn sqlite_url(url: &str) -> Result<String, StoreError> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" {
        return Err(StoreError::Url(
            "an in-memory SQLite database would give each connection its own data; use a file",
        ));
    }
    if let Some(parent) = std::path::Path::new(path).parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::Folder {
                path: parent.display().to_string(),
                source,
            })?;
        }
    }
    let query = if query.contains("mode=") {
        query.to_owned()
    } else if query.is_empty() {
        "mode=rwc".to_owned()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

pub(crate) fn db_error(error: sqlx::Error) -> StoreError {
    let unreachable = match &error {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Tls(_) | sqlx::Error::WorkerCrashed => true,
        // PostgreSQL: connection exceptions (08…), shutting down or restarting (57P0…).
        sqlx::Error::Database(e) => e
            .code()
            .is_some_and(|code| code.starts_with("08") || code.starts_with("57P0")),
        _ => false,
    };
    if unreachable {
        StoreError::Unavailable(error.into())
    } else {
        StoreError::Database(error.into())
    }
}

pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}

pub(crate) fn to_instant(seconds: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp(seconds, 0)
        .ok_or_else(|| StoreError::Corrupt(format!("instant out of range: {seconds}")))
}

pub(crate) fn to_date(text: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::from_str(text)
        .map_err(|e| StoreError::Corrupt(format!("date {text:?} is invalid: {e}")))
}

pub(crate) fn flag(value: bool) -> i64 {
    i64::from(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_get_create_mode_and_refuse_memory() {
        let dir = std::env::temp_dir().join("jetons-url-test");
        let file = dir.join("x.db");
        let url = sqlite_url(&format!("sqlite://{}", file.display())).unwrap();
        assert_eq!(url, format!("sqlite://{}?mode=rwc", file.display()));
        assert!(dir.is_dir());
        assert!(sqlite_url("sqlite::memory:").is_err());
        assert_eq!(
            sqlite_url("sqlite://a.db?mode=ro").unwrap(),
            "sqlite://a.db?mode=ro"
        );
    }
}
