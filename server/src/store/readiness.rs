//! Whether this instance can serve: the database answers, and its schema is the one this
//! binary expects (every embedded migration applied).

use std::time::Duration;

use super::{Backend, Db, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};

/// A readiness check answers within this, whatever the database does.
pub const READINESS_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Debug, thiserror::Error)]
pub enum NotReady {
    #[error("the database did not answer within {} s", READINESS_TIMEOUT.as_secs())]
    Timeout,
    #[error("the database cannot be reached")]
    Unreachable(#[source] sqlx::Error),
    #[error("the database schema is at migration {applied}, this server needs {expected}")]
    MigrationsBehind { applied: i64, expected: i64 },
}

impl Db {
    /// The newest migration this binary carries.
    fn expected_migration(&self) -> i64 {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.iter().map(|m| m.version).max().unwrap_or(0)
    }

    pub async fn readiness(&self) -> Result<(), NotReady> {
        let applied =
            sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(version) FROM _sqlx_migrations")
                .fetch_one(&self.pool);
        let applied = tokio::time::timeout(READINESS_TIMEOUT, applied)
            .await
            .map_err(|_| NotReady::Timeout)?
            .map_err(NotReady::Unreachable)?
            .unwrap_or(0);
        let expected = self.expected_migration();
        if applied < expected {
            return Err(NotReady::MigrationsBehind { applied, expected });
        }
        Ok(())
    }
}
