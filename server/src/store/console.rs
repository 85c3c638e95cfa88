//! What the console's server functions read and write.

use chrono::{DateTime, NaiveDate, Utc};

use app::token_query::TokenQuery;
use sqlx::any::AnyRow;
use sqlx::Row;

use app::backend::{
    AuditRecord, BoxFuture, ConsoleStore, Credentials, InsertOutcome, NewToken, PersonRecord,
    RemoveOutcome, SessionPolicy, StoreResult, StoredAudit, TokenRecord, TokenRecordPage,
};

use super::audit::insert_audit;
use super::token_cache::Invalidation;
use super::token_page::{case_blind_like, escape_like, LIKE_ESCAPE};
use super::{
    db_error, employment_from_row, is_unique_violation, person_from_row, to_date, to_instant, Db,
    PERSON_COLUMNS,
};

/// What [`token_from_row`] reads: `t` the token, `o` its owner, `c` its creator.
pub(super) const TOKEN_COLUMNS: &str =
    "SELECT t.id, o.login AS owner_login, o.name AS owner_name, t.name, t.hint, \
     t.created_at, c.login AS created_by, t.expires_on, t.removed_at, \
     t.last_used_at, t.last_used_from, o.technical, o.employed_from, o.employed_until";
const TOKEN_FROM: &str = "FROM api_tokens t JOIN people o ON o.id = t.owner_id \
     JOIN people c ON c.id = t.created_by";

pub(super) fn token_from_row(row: &AnyRow) -> StoreResult<TokenRecord> {
    let removed_at: Option<i64> = row.try_get("removed_at").map_err(db_error)?;
    let last_used_at: Option<i64> = row.try_get("last_used_at").map_err(db_error)?;
    Ok(TokenRecord {
        id: row.try_get("id").map_err(db_error)?,
        owner_login: row.try_get("owner_login").map_err(db_error)?,
        owner_name: row.try_get("owner_name").map_err(db_error)?,
        name: row.try_get("name").map_err(db_error)?,
        hint: row.try_get("hint").map_err(db_error)?,
        created_at: to_instant(row.try_get("created_at").map_err(db_error)?)?,
        created_by: row.try_get("created_by").map_err(db_error)?,
        expires_on: to_date(&row.try_get::<String, _>("expires_on").map_err(db_error)?)?,
        removed_at: removed_at.map(to_instant).transpose()?,
        owner_employment: employment_from_row(row)?,
        last_used_at: last_used_at.map(to_instant).transpose()?,
        last_used_from: row.try_get("last_used_from").map_err(db_error)?,
    })
}

impl Db {
    async fn with_rights(&self, mut person: PersonRecord) -> StoreResult<PersonRecord> {
        person.rights = sqlx::query_scalar(
            "SELECT right_code FROM person_rights WHERE person_id = $1 ORDER BY right_code",
        )
        .bind(person.id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_error)?;
        Ok(person)
    }

    pub async fn person_by_id(&self, id: i64) -> StoreResult<Option<PersonRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {PERSON_COLUMNS} FROM people p WHERE p.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_error)?;
        match row {
            Some(row) => Ok(Some(self.with_rights(person_from_row(&row)?).await?)),
            None => Ok(None),
        }
    }

    pub async fn is_flag_enabled(&self, domain: &str, label: &str) -> StoreResult<bool> {
        let enabled: Option<i64> = sqlx::query_scalar(
            "SELECT enabled FROM feature_flags WHERE domain = $1 AND label = $2",
        )
        .bind(domain)
        .bind(label)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_error)?;
        Ok(enabled == Some(1))
    }
}

impl ConsoleStore for Db {
    fn credentials(&self, login: &str) -> BoxFuture<'_, StoreResult<Option<Credentials>>> {
        let login = login.to_owned();
        Box::pin(async move {
            let row = sqlx::query(&format!(
                "SELECT {PERSON_COLUMNS}, p.password_hash FROM people p WHERE p.login = $1"
            ))
            .bind(login)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_error)?;
            let Some(row) = row else { return Ok(None) };
            let password_hash: Option<String> = row.try_get("password_hash").map_err(db_error)?;
            let person = self.with_rights(person_from_row(&row)?).await?;
            Ok(Some(Credentials {
                person,
                password_hash,
            }))
        })
    }

    fn create_session(
        &self,
        session_hash: &str,
        person_id: i64,
        policy: SessionPolicy,
        audit: AuditRecord,
    ) -> BoxFuture<'_, StoreResult<()>> {
        let session_hash = session_hash.to_owned();
        Box::pin(async move {
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
        })
    }

    fn session_person(
        &self,
        session_hash: &str,
        now: DateTime<Utc>,
        policy: SessionPolicy,
    ) -> BoxFuture<'_, StoreResult<Option<PersonRecord>>> {
        let session_hash = session_hash.to_owned();
        Box::pin(async move {
            let row = sqlx::query(&format!(
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
            let last_seen: i64 = row.try_get("last_seen_at").map_err(db_error)?;
            if last_seen < now.timestamp() {
                sqlx::query(
                    "UPDATE console_sessions SET last_seen_at = $1 WHERE session_hash = $2",
                )
                .bind(now.timestamp())
                .bind(session_hash)
                .execute(&self.pool)
                .await
                .map_err(db_error)?;
            }
            Ok(Some(self.with_rights(person_from_row(&row)?).await?))
        })
    }

    fn delete_session(
        &self,
        session_hash: &str,
        audit: Option<AuditRecord>,
    ) -> BoxFuture<'_, StoreResult<()>> {
        let session_hash = session_hash.to_owned();
        Box::pin(async move {
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
        })
    }

    fn record_audit(&self, audit: AuditRecord) -> BoxFuture<'_, StoreResult<()>> {
        Box::pin(async move { insert_audit(&self.pool, &audit).await })
    }

    fn audit_events(
        &self,
        offset: u64,
        limit: u32,
    ) -> BoxFuture<'_, StoreResult<(Vec<StoredAudit>, u64)>> {
        Box::pin(self.audit_page(offset, limit))
    }

    fn flag_enabled(&self, domain: &str, label: &str) -> BoxFuture<'_, StoreResult<bool>> {
        let (domain, label) = (domain.to_owned(), label.to_owned());
        Box::pin(async move { self.is_flag_enabled(&domain, &label).await })
    }

    fn eligible_people<'a>(
        &'a self,
        search: &'a str,
        today: NaiveDate,
        limit: usize,
    ) -> BoxFuture<'a, StoreResult<Vec<PersonRecord>>> {
        Box::pin(async move {
            let pattern = format!("%{}%", escape_like(search));
            let like = case_blind_like(self.backend);
            let rows = sqlx::query(&format!(
                "SELECT {PERSON_COLUMNS} FROM people p \
                 WHERE p.technical = 1 AND p.employed_from <= $1 \
                 AND (p.employed_until IS NULL OR p.employed_until >= $2) \
                 AND (p.login {like} $3 ESCAPE '{LIKE_ESCAPE}' \
                 OR p.name {like} $4 ESCAPE '{LIKE_ESCAPE}') \
                 ORDER BY p.name, p.login LIMIT {limit}"
            ))
            .bind(today.to_string())
            .bind(today.to_string())
            .bind(pattern.clone())
            .bind(pattern)
            .fetch_all(&self.pool)
            .await
            .map_err(db_error)?;
            rows.iter().map(person_from_row).collect()
        })
    }

    fn person(&self, id: i64) -> BoxFuture<'_, StoreResult<Option<PersonRecord>>> {
        Box::pin(self.person_by_id(id))
    }

    fn token_page<'a>(
        &'a self,
        query: &'a TokenQuery,
        today: NaiveDate,
        limit: usize,
    ) -> BoxFuture<'a, StoreResult<TokenRecordPage>> {
        Box::pin(self.read_token_page(query, today, limit))
    }

    fn token(&self, id: i64) -> BoxFuture<'_, StoreResult<Option<TokenRecord>>> {
        Box::pin(async move {
            let row = sqlx::query(&format!("{TOKEN_COLUMNS} {TOKEN_FROM} WHERE t.id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await
                .map_err(db_error)?;
            row.as_ref().map(token_from_row).transpose()
        })
    }

    fn insert_token(
        &self,
        token: NewToken,
        audit: AuditRecord,
    ) -> BoxFuture<'_, StoreResult<InsertOutcome>> {
        Box::pin(async move {
            let mut tx = self.write_transaction().await.map_err(db_error)?;
            let inserted = sqlx::query_scalar::<_, i64>(
                "INSERT INTO api_tokens (owner_id, name, token_hash, hint, created_at, created_by, expires_on) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(token.owner_id)
            .bind(token.name.as_str().to_owned())
            .bind(token.hash.as_str().to_owned())
            .bind(token.hint)
            .bind(token.created_at.timestamp())
            .bind(token.created_by)
            .bind(token.expires_on.to_string())
            .fetch_one(&mut *tx)
            .await;
            let id = match inserted {
                Ok(id) => id,
                Err(e) if is_unique_violation(&e) => return Ok(InsertOutcome::NameTaken),
                Err(e) => return Err(db_error(e)),
            };
            insert_audit(&mut *tx, &audit).await?;
            tx.commit().await.map_err(db_error)?;
            Ok(InsertOutcome::Inserted(id))
        })
    }

    fn remove_token(
        &self,
        id: i64,
        by: i64,
        audit: AuditRecord,
    ) -> BoxFuture<'_, StoreResult<RemoveOutcome>> {
        Box::pin(async move {
            let mut tx = self.write_transaction().await.map_err(db_error)?;
            let removed: Option<String> = sqlx::query_scalar(
                "UPDATE api_tokens SET removed_at = $1, removed_by = $2 \
                 WHERE id = $3 AND removed_at IS NULL RETURNING token_hash",
            )
            .bind(audit.at.timestamp())
            .bind(by)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_error)?;
            if let Some(hash) = removed {
                let stopped = Invalidation::Token(hash);
                self.publish(&mut tx, &stopped, audit.at.timestamp())
                    .await?;
                insert_audit(&mut *tx, &audit).await?;
                tx.commit().await.map_err(db_error)?;
                self.applied(&stopped);
                return Ok(RemoveOutcome::Removed);
            }
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM api_tokens WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error)?;
            Ok(if exists.is_some() {
                RemoveOutcome::AlreadyRemoved
            } else {
                RemoveOutcome::NotFound
            })
        })
    }

    fn delete_token(&self, id: i64, audit: AuditRecord) -> BoxFuture<'_, StoreResult<bool>> {
        Box::pin(async move {
            let mut tx = self.write_transaction().await.map_err(db_error)?;
            let deleted: Option<String> =
                sqlx::query_scalar("DELETE FROM api_tokens WHERE id = $1 RETURNING token_hash")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db_error)?;
            let Some(hash) = deleted else {
                return Ok(false);
            };
            let stopped = Invalidation::Token(hash);
            self.publish(&mut tx, &stopped, audit.at.timestamp())
                .await?;
            insert_audit(&mut *tx, &audit).await?;
            tx.commit().await.map_err(db_error)?;
            self.applied(&stopped);
            Ok(true)
        })
    }
}
