//! The change feed that keeps every instance's [`TokenCache`] honest.
//!
//! A change that can stop a token (remove, delete, an owner's employment, the feature flag) is
//! published in the transaction that makes it, so it is seen exactly when it commits, by this
//! process (at once, after the commit) and by every other one, the operator CLI included:
//! - PostgreSQL: `pg_notify` on [`CHANNEL`], delivered on commit to every listening instance.
//!   Each instance also pings the channel every [`HEARTBEAT`]; hearing any notification proves
//!   the listening connection alive.
//! - SQLite (one server, plus CLI processes): a row in `token_invalidations`, which the server
//!   polls every [`HEARTBEAT`]. SQLite commits one writer at a time, so sequence numbers are
//!   seen in order.

use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::PgListener;
use sqlx::{AnyConnection, Row};

use app::backend::StoreResult;

use super::token_cache::{Invalidation, TokenCache, HEARTBEAT};
use super::{db_error, Backend, Db};

pub const CHANNEL: &str = "jetons_tokens";
const PING: &str = "ping";
/// A listening connection that has delivered nothing for this long is replaced.
const SILENCE_LIMIT: Duration = Duration::from_secs(3);
/// Invalidation log rows are kept this long (seconds): far longer than any poll interval.
const LOG_RETENTION_SECONDS: i64 = 3600;

impl Db {
    /// Publishes `what` inside the transaction `tx`; call [`Db::applied`] after the commit.
    pub(crate) async fn publish(
        &self,
        tx: &mut AnyConnection,
        what: &Invalidation,
        now_seconds: i64,
    ) -> StoreResult<()> {
        match self.backend {
            Backend::Postgres => {
                sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(CHANNEL)
                    .bind(what.encode())
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
            }
            Backend::Sqlite => {
                sqlx::query("DELETE FROM token_invalidations WHERE at < $1")
                    .bind(now_seconds - LOG_RETENTION_SECONDS)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
                sqlx::query("INSERT INTO token_invalidations (scope, at) VALUES ($1, $2)")
                    .bind(what.encode())
                    .bind(now_seconds)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
            }
        }
        Ok(())
    }

    /// This process's own cache forgets at once what a committed change stopped.
    pub(crate) fn applied(&self, what: &Invalidation) {
        self.cache.invalidate(what);
    }

    /// Starts following the change feed (servers only: the CLI publishes, it does not follow).
    /// Until the feed is first heard, the cache is not used.
    pub fn follow_changes(&self) {
        let cache = Arc::clone(&self.cache);
        match self.backend {
            Backend::Postgres => {
                tokio::spawn(listen(self.url.clone(), Arc::clone(&cache)));
                tokio::spawn(ping(self.clone()));
            }
            Backend::Sqlite => {
                tokio::spawn(poll(self.clone(), cache));
            }
        }
    }
}

async fn listen(url: String, cache: Arc<TokenCache>) {
    let mut backoff = HEARTBEAT;
    loop {
        match PgListener::connect(&url).await {
            Ok(mut listener) => match listener.listen(CHANNEL).await {
                Ok(()) => {
                    backoff = HEARTBEAT;
                    tracing::debug!("following token changes");
                    follow(&mut listener, &cache).await;
                }
                Err(error) => tracing::warn!(%error, "cannot listen for token changes"),
            },
            Err(error) => tracing::warn!(%error, "cannot connect to follow token changes"),
        }
        cache.distrust();
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(2));
    }
}

/// Applies notifications until the connection fails or falls silent.
async fn follow(listener: &mut PgListener, cache: &TokenCache) {
    loop {
        match tokio::time::timeout(SILENCE_LIMIT, listener.try_recv()).await {
            Ok(Ok(Some(notification))) => {
                if notification.payload() != PING {
                    cache.invalidate(&Invalidation::decode(notification.payload()));
                }
                cache.heartbeat();
            }
            Ok(Ok(None)) => {
                tracing::warn!("lost the connection that follows token changes");
                return;
            }
            Ok(Err(error)) => {
                tracing::warn!(%error, "following token changes failed");
                return;
            }
            Err(_) => {
                tracing::warn!(
                    "no token change notification (not even a ping) for a while; reconnecting"
                );
                return;
            }
        }
    }
}

async fn ping(db: Db) {
    loop {
        let sent = tokio::time::timeout(
            HEARTBEAT,
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(PING)
                .execute(&db.pool),
        )
        .await;
        if let Ok(Err(error)) = sent {
            tracing::debug!(%error, "token change ping failed");
        }
        tokio::time::sleep(HEARTBEAT).await;
    }
}

async fn poll(db: Db, cache: Arc<TokenCache>) {
    let mut seen: Option<i64> = None;
    let mut failing = false;
    loop {
        match poll_once(&db, &cache, seen).await {
            Ok(last) => {
                seen = Some(last);
                cache.heartbeat();
                failing = false;
            }
            Err(error) => {
                if !failing {
                    tracing::warn!(%error, "cannot read token changes; API calls read the database meanwhile");
                }
                failing = true;
            }
        }
        tokio::time::sleep(HEARTBEAT).await;
    }
}

/// Applies the log rows after `seen` (all of them is the first time: the cache is empty then)
/// and returns the last sequence number.
async fn poll_once(db: &Db, cache: &TokenCache, seen: Option<i64>) -> StoreResult<i64> {
    let Some(seen) = seen else {
        let last: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM token_invalidations")
            .fetch_one(&db.pool)
            .await
            .map_err(db_error)?;
        return Ok(last.unwrap_or(0));
    };
    let rows = tokio::time::timeout(
        HEARTBEAT,
        sqlx::query("SELECT seq, scope FROM token_invalidations WHERE seq > $1 ORDER BY seq")
            .bind(seen)
            .fetch_all(&db.pool),
    )
    .await
    .map_err(|_| app::backend::StoreError("reading token changes timed out".into()))?
    .map_err(db_error)?;
    let mut last = seen;
    for row in rows {
        last = row.try_get("seq").map_err(db_error)?;
        let scope: String = row.try_get("scope").map_err(db_error)?;
        cache.invalidate(&Invalidation::decode(&scope));
    }
    Ok(last)
}
