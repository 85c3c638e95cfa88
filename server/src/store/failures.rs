//! Refused attempts counted in PostgreSQL, so that every instance sees every other's: one row
//! per attempt in an UNLOGGED table (losing it in a crash only forgives recent failures), and a
//! transaction-scoped advisory lock per key so that check-and-count is one step across
//! instances.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, Row};

use app::backend::{BoxFuture, StoreResult};
use app::failure_counts::{FailureCounts, Limits, Scope};
use app::throttle::Blocked;

use super::{db_error, Db};

/// Rows older than this are deleted by [`Db::prune_failures`] (far beyond every window).
const KEEP_MICROS: i64 = 10 * 60 * 1_000_000;

fn micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}

/// Counts kept in the database every instance uses.
#[derive(Clone)]
pub struct SharedCounts {
    db: Db,
    limits: Limits,
}

impl Db {
    pub fn shared_counts(&self, limits: Limits) -> SharedCounts {
        SharedCounts {
            db: self.clone(),
            limits,
        }
    }

    /// Deletes attempts far outside every window (the table stays as small as the traffic of
    /// the last minutes).
    pub async fn prune_failures(&self, now: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query("DELETE FROM throttle_failures WHERE at < $1")
            .bind(micros(now) - KEEP_MICROS)
            .execute(&self.pool)
            .await
            .map_err(db_error)?;
        sqlx::query("DELETE FROM throttle_reports WHERE until_at < $1")
            .bind(micros(now) - KEEP_MICROS)
            .execute(&self.pool)
            .await
            .map_err(db_error)?;
        Ok(())
    }
}

/// Whether `key` is blocked now, judged on its attempts in the window; records the first
/// refusal of each block (shared, so only one instance calls it first).
async fn blocked(
    conn: &mut AnyConnection,
    scope: Scope,
    limit: usize,
    key: &str,
    now: DateTime<Utc>,
) -> StoreResult<Result<(), Blocked>> {
    let cutoff = micros(now - scope.window());
    let recent: Vec<i64> = sqlx::query(
        "SELECT at FROM throttle_failures WHERE scope = $1 AND key = $2 AND at > $3 \
         ORDER BY at DESC LIMIT $4",
    )
    .bind(scope.code())
    .bind(key.to_owned())
    .bind(cutoff)
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(&mut *conn)
    .await
    .map_err(db_error)?
    .iter()
    .map(|row| row.try_get::<i64, _>(0))
    .collect::<Result<_, _>>()
    .map_err(db_error)?;
    let Some(oldest_counted) = recent.get(limit - 1).copied().filter(|_| limit > 0) else {
        return Ok(Ok(()));
    };
    let window = scope.window().num_microseconds().unwrap_or(i64::MAX);
    let unblocked_at = oldest_counted + window;
    let wait_micros = unblocked_at - micros(now);
    let seconds = (wait_micros + 999_999) / 1_000_000;
    let first = sqlx::query(
        "INSERT INTO throttle_reports (scope, key, until_at) VALUES ($1, $2, $3) \
         ON CONFLICT (scope, key) DO UPDATE SET until_at = excluded.until_at \
         WHERE throttle_reports.until_at <> excluded.until_at",
    )
    .bind(scope.code())
    .bind(key.to_owned())
    .bind(unblocked_at)
    .execute(&mut *conn)
    .await
    .map_err(db_error)?
    .rows_affected()
        == 1;
    Ok(Err(Blocked {
        retry_after: seconds.max(1).unsigned_abs(),
        first,
    }))
}

impl SharedCounts {
    /// Checks and counts under the key's lock, in one transaction.
    async fn locked_reserve(
        &self,
        scope: Scope,
        key: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Result<(), Blocked>> {
        let mut tx = self.db.write_transaction().await.map_err(db_error)?;
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind(format!("{}:{key}", scope.code()))
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        let outcome = blocked(&mut tx, scope, scope.limit(&self.limits), key, now).await?;
        if outcome.is_ok() {
            sqlx::query("INSERT INTO throttle_failures (scope, key, at) VALUES ($1, $2, $3)")
                .bind(scope.code())
                .bind(key.to_owned())
                .bind(micros(now))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        tx.commit().await.map_err(db_error)?;
        Ok(outcome)
    }
}

impl FailureCounts for SharedCounts {
    fn reserve<'a>(
        &'a self,
        scope: Scope,
        key: &'a str,
        now: DateTime<Utc>,
    ) -> BoxFuture<'a, StoreResult<Result<(), Blocked>>> {
        Box::pin(self.locked_reserve(scope, key, now))
    }

    fn release<'a>(
        &'a self,
        scope: Scope,
        key: &'a str,
        at: DateTime<Utc>,
    ) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            sqlx::query(
                "DELETE FROM throttle_failures WHERE ctid IN (SELECT ctid FROM throttle_failures \
                 WHERE scope = $1 AND key = $2 AND at = $3 LIMIT 1)",
            )
            .bind(scope.code())
            .bind(key.to_owned())
            .bind(micros(at))
            .execute(&self.db.pool)
            .await
            .map_err(db_error)?;
            Ok(())
        })
    }

    fn forget<'a>(&'a self, scope: Scope, key: &'a str) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            sqlx::query("DELETE FROM throttle_failures WHERE scope = $1 AND key = $2")
                .bind(scope.code())
                .bind(key.to_owned())
                .execute(&self.db.pool)
                .await
                .map_err(db_error)?;
            Ok(())
        })
    }
}

impl std::fmt::Debug for SharedCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedCounts")
    }
}
