//! The console's store ([`ConsoleStore`]): each method hands over to the module of its table
//! family (sessions, tokens, token pages, audit), or reads people and flags here.

use chrono::{DateTime, NaiveDate, Utc};

use app::token_query::TokenQuery;
use sqlx::Row;

use app::backend::{
    AuditRecord, BoxFuture, ConsoleStore, Credentials, InsertOutcome, NewToken, PersonRecord,
    RemoveOutcome, SessionPolicy, StoreResult, StoredAudit, TokenRecord, TokenRecordPage,
};

use super::audit::insert_audit;
use super::token_page::{case_blind_like, escape_like, LIKE_ESCAPE};
use super::{db_error, person_from_row, Db, PERSON_COLUMNS};

impl Db {
    pub(super) async fn with_rights(&self, mut person: PersonRecord) -> StoreResult<PersonRecord> {
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
            self.open_session(session_hash, person_id, policy, audit)
                .await
        })
    }

    fn session_person(
        &self,
        session_hash: &str,
        now: DateTime<Utc>,
        policy: SessionPolicy,
    ) -> BoxFuture<'_, StoreResult<Option<PersonRecord>>> {
        let session_hash = session_hash.to_owned();
        Box::pin(async move { self.session_owner(session_hash, now, policy).await })
    }

    fn delete_session(
        &self,
        session_hash: &str,
        audit: Option<AuditRecord>,
    ) -> BoxFuture<'_, StoreResult<()>> {
        let session_hash = session_hash.to_owned();
        Box::pin(async move { self.close_session(session_hash, audit).await })
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
        Box::pin(self.token_by_id(id))
    }

    fn insert_token(
        &self,
        token: NewToken,
        audit: AuditRecord,
    ) -> BoxFuture<'_, StoreResult<InsertOutcome>> {
        Box::pin(self.insert_token_row(token, audit))
    }

    fn remove_token(
        &self,
        id: i64,
        by: i64,
        audit: AuditRecord,
    ) -> BoxFuture<'_, StoreResult<RemoveOutcome>> {
        Box::pin(self.remove_token_row(id, by, audit))
    }

    fn delete_token(&self, id: i64, audit: AuditRecord) -> BoxFuture<'_, StoreResult<bool>> {
        Box::pin(self.delete_token_row(id, audit))
    }
}
