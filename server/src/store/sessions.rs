//! Console sessions: stored by the SHA-256 of their id, ended by their idle timeout, their
//! lifetime or a logout; opening and ending one writes its audit event in the same
//! transaction.

use chrono::{DateTime, Utc};

use app::backend::{AuditRecord, SessionHolder, SessionPolicy, StoreResult};

use super::audit::insert_audit;
use super::people::{PersonRow, PERSON_COLUMNS};
use super::{db_error, Db};

#[derive(sqlx::FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    person: PersonRow,
    last_seen_at: i64,
}

impl Db {
    /// A new session (expired ones are swept first) and its audit event.
    pub(super) async fn open_session(
        &self,
        session_hash: String,
        person_id: i64,
        policy: SessionPolicy,
        audit: AuditRecord,
    ) -> StoreResult<()> {
        let now = audit.at;
        let mut tx = self.write_transaction().await.map_err(db_error)?;
        sqlx::query(
            "DELETE FROM console_sessions \
             WHERE expires_at <= $1 OR last_seen_at <= $2 OR created_at <= $3",
        )
        .bind(now.timestamp())
        .bind((now - policy.idle).timestamp())
        .bind((now - policy.lifetime).timestamp())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        sqlx::query(
            "INSERT INTO console_sessions (session_hash, person_id, created_at, expires_at, last_seen_at) \
             VALUES ($1, $2, $3, $4, $3)",
        )
        .bind(session_hash)
        .bind(person_id)
        .bind(now.timestamp())
        .bind((now + policy.lifetime).timestamp())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        insert_audit(&mut *tx, &audit).await?;
        tx.commit().await.map_err(db_error)
    }

    /// The person of a live session and their rights; the session counts as used now.
    pub(super) async fn session_owner(
        &self,
        session_hash: String,
        now: DateTime<Utc>,
        policy: SessionPolicy,
    ) -> StoreResult<Option<SessionHolder>> {
        let row = sqlx::query_as::<_, SessionRow>(&format!(
            "SELECT {PERSON_COLUMNS}, s.last_seen_at FROM console_sessions s JOIN people p ON p.id = s.person_id \
             WHERE s.session_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 \
             AND s.created_at > $4"
        ))
        .bind(session_hash.clone())
        .bind(now.timestamp())
        .bind((now - policy.idle).timestamp())
        .bind((now - policy.lifetime).timestamp())
        .fetch_optional(&self.pool)
        .await
        .map_err(db_error)?;
        let Some(row) = row else { return Ok(None) };
        if row.last_seen_at < now.timestamp() {
            sqlx::query("UPDATE console_sessions SET last_seen_at = $1 WHERE session_hash = $2")
                .bind(now.timestamp())
                .bind(session_hash)
                .execute(&self.pool)
                .await
                .map_err(db_error)?;
        }
        let person = row.person.into_person()?;
        let rights = self.rights_of(person.id).await?;
        Ok(Some(SessionHolder { person, rights }))
    }

    pub(super) async fn close_session(
        &self,
        session_hash: String,
        audit: Option<AuditRecord>,
    ) -> StoreResult<()> {
        let mut tx = self.write_transaction().await.map_err(db_error)?;
        sqlx::query("DELETE FROM console_sessions WHERE session_hash = $1")
            .bind(session_hash)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        if let Some(audit) = audit {
            insert_audit(&mut *tx, &audit).await?;
        }
        tx.commit().await.map_err(db_error)
    }
}
