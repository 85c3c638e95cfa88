//! The change feed that keeps every instance's [`TokenCache`] honest.
//!
//! A change that can stop a token (remove, delete, an owner's employment, the feature flag) is
//! published in the transaction that makes it, so it is seen exactly when it commits, by this
//! process (at once, after the commit) and by every other one, the operator CLI included:
//! - PostgreSQL: `pg_notify` on the schema's [`channel`], delivered on commit to every listening instance.
//!   Each instance also pings the channel every [`HEARTBEAT`]; its own ping coming back proves
//!   that everything committed before it was sent has been delivered.
//! - SQLite (one server, plus CLI processes): a row in `token_invalidations`, which the server
//!   polls every [`HEARTBEAT`]. SQLite commits one writer at a time, so sequence numbers are
//!   seen in order.

use std::sync::Arc;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::postgres::PgListener;
use sqlx::{AnyConnection, AnyPool, Row};

use app::backend::StoreResult;

use super::token_cache::{Invalidation, TokenCache, HEARTBEAT};
use super::{db_error, Backend, Db};

/// The notification channel of a schema: several consoles may share one database.
pub fn channel(schema: &str) -> String {
    let name: String = format!("jetons_tokens_{schema}")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .take(63)
        .collect();
    name
}

/// `ping:<instance>:<sent_ms>`: an instance's own ping, stamped with its monotonic clock.
const PING: &str = "ping:";
/// A listening connection that has delivered nothing for this long is replaced.
const SILENCE_LIMIT: Duration = Duration::from_secs(3);
/// Invalidation log rows kept: far more than can be written between two polls.
const LOG_KEPT: i64 = 10_000;

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
                    .bind(self.channel.clone())
                    .bind(what.encode())
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
            }
            Backend::Sqlite => {
                sqlx::query(
                    "DELETE FROM token_invalidations \
                     WHERE seq < (SELECT MAX(seq) FROM token_invalidations) - $1",
                )
                .bind(LOG_KEPT)
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
    /// Until the feed is first heard, the cache is not used. Pings and polls have a connection
    /// of their own: a busy pool must not silence the feed.
    pub fn follow_changes(&self) {
        let instance = rand::random::<u64>();
        match self.backend {
            Backend::Postgres => {
                tokio::spawn(listen(self.clone(), instance));
                tokio::spawn(ping(self.clone(), instance));
            }
            Backend::Sqlite => {
                tokio::spawn(poll(self.clone()));
            }
        }
    }

    async fn feed_connection(&self) -> StoreResult<AnyPool> {
        AnyPoolOptions::new()
            .max_connections(1)
            .connect(&self.url)
            .await
            .map_err(db_error)
    }
}

async fn listen(db: Db, instance: u64) {
    let cache = Arc::clone(&db.cache);
    let mut backoff = HEARTBEAT;
    loop {
        match PgListener::connect(&db.url).await {
            Ok(mut listener) => match listener.listen(&db.channel).await {
                Ok(()) => {
                    backoff = HEARTBEAT;
                    tracing::debug!("following token changes");
                    follow(&mut listener, &cache, instance).await;
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

/// Applies notifications until the connection fails or falls silent. Only this instance's own
/// pings prove that its connection delivers everything: trust runs from when they were sent.
async fn follow(listener: &mut PgListener, cache: &TokenCache, instance: u64) {
    let own = format!("{PING}{instance}:");
    loop {
        match tokio::time::timeout(SILENCE_LIMIT, listener.try_recv()).await {
            Ok(Ok(Some(notification))) => {
                let payload = notification.payload();
                if let Some(sent) = payload.strip_prefix(&own) {
                    if let Ok(sent_ms) = sent.parse::<u64>() {
                        cache.heartbeat_from(sent_ms);
                    }
                } else if !payload.starts_with(PING) {
                    cache.invalidate(&Invalidation::decode(payload));
                }
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

async fn ping(db: Db, instance: u64) {
    let mut connection = None;
    loop {
        if connection.is_none() {
            connection = db.feed_connection().await.ok();
        }
        if let Some(pool) = &connection {
            let payload = format!("{PING}{instance}:{}", db.cache.now_ms());
            let sent = tokio::time::timeout(
                HEARTBEAT,
                sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(db.channel.clone())
                    .bind(payload)
                    .execute(pool),
            )
            .await;
            if !matches!(sent, Ok(Ok(_))) {
                tracing::debug!("token change ping failed");
                connection = None;
            }
        }
        tokio::time::sleep(HEARTBEAT).await;
    }
}

async fn poll(db: Db) {
    let mut seen: Option<i64> = None;
    let mut failing = false;
    let mut connection = None;
    loop {
        if connection.is_none() {
            connection = db.feed_connection().await.ok();
        }
        let started = db.cache.now_ms();
        let polled = match &connection {
            Some(pool) => poll_once(pool, &db.cache, seen).await,
            None => Err(app::backend::StoreError::Missing(
                "no connection to read token changes",
            )),
        };
        match polled {
            Ok(last) => {
                seen = Some(last);
                db.cache.heartbeat_from(started);
                failing = false;
            }
            Err(error) => {
                if !failing {
                    tracing::warn!(%error, "cannot read token changes; API calls read the database meanwhile");
                }
                failing = true;
                connection = None;
            }
        }
        tokio::time::sleep(HEARTBEAT).await;
    }
}

/// Applies the log rows after `seen` (all of them is the first time: the cache is empty then)
/// and returns the last sequence number.
async fn poll_once(pool: &AnyPool, cache: &TokenCache, seen: Option<i64>) -> StoreResult<i64> {
    let Some(seen) = seen else {
        let last: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM token_invalidations")
            .fetch_one(pool)
            .await
            .map_err(db_error)?;
        return Ok(last.unwrap_or(0));
    };
    let rows = tokio::time::timeout(
        HEARTBEAT,
        sqlx::query("SELECT seq, scope FROM token_invalidations WHERE seq > $1 ORDER BY seq")
            .bind(seen)
            .fetch_all(pool),
    )
    .await
    .map_err(|_| app::backend::StoreError::Missing("reading token changes timed out"))?
    .map_err(db_error)?;
    let mut last = seen;
    for row in rows {
        last = row.try_get("seq").map_err(db_error)?;
        let scope: String = row.try_get("scope").map_err(db_error)?;
        cache.invalidate(&Invalidation::decode(&scope));
    }
    Ok(last)
}
