//! The console's store ([`ConsoleStore`]): each method hands over to the module of its table
//! family (sessions, tokens, token pages, audit), or reads people and flags here.

use chrono::{DateTime, NaiveDate, Utc};

use app::backend::{
    AuditRecord, Author, BoxFuture, ConsoleStore, Credentials, InsertOutcome, NewToken,
    PersonRecord, RemoveOutcome, RotateOutcome, SessionHolder, SessionPolicy, StoreResult,
    StoredAudit, TokenRecord, TokenRecordPage,
};
use app::domain::{Allowlist, StatusDates};
use app::token_query::TokenQuery;

use super::audit::insert_audit;
use super::people::PersonKey;
use super::{db_error, Db};

impl Db {
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
        Box::pin(async move { self.find_person(PersonKey::Login(&login)).await })
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

    fn session_holder(
        &self,
        session_hash: &str,
        now: DateTime<Utc>,
        policy: SessionPolicy,
    ) -> BoxFuture<'_, StoreResult<Option<SessionHolder>>> {
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
        Box::pin(self.eligible_people_matching(search, today, limit))
    }

    fn person(&self, id: i64) -> BoxFuture<'_, StoreResult<Option<PersonRecord>>> {
        Box::pin(async move {
            let found = self.find_person(PersonKey::Id(id)).await?;
            Ok(found.map(|found| found.person))
        })
    }

    fn person_by_login(&self, login: &str) -> BoxFuture<'_, StoreResult<Option<PersonRecord>>> {
        let login = login.to_owned();
        Box::pin(async move { Db::person_by_login(self, &login).await })
    }

    fn token_page<'a>(
        &'a self,
        query: &'a TokenQuery,
        dates: StatusDates,
        limit: usize,
    ) -> BoxFuture<'a, StoreResult<TokenRecordPage>> {
        Box::pin(self.read_token_page(query, dates, limit))
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
        by: Author,
        audit: AuditRecord,
    ) -> BoxFuture<'_, StoreResult<RemoveOutcome>> {
        Box::pin(self.remove_token_row(id, by, audit))
    }

    fn delete_token(&self, id: i64, audit: AuditRecord) -> BoxFuture<'_, StoreResult<bool>> {
        Box::pin(self.delete_token_row(id, audit))
    }

    fn rotate_token(
        &self,
        old_id: i64,
        by: i64,
        old_stops_at: DateTime<Utc>,
        new: NewToken,
        audit: AuditRecord,
    ) -> BoxFuture<'_, StoreResult<RotateOutcome>> {
        Box::pin(self.rotate_token_rows(old_id, by, old_stops_at, new, audit))
    }

    fn set_allowed_addresses(
        &self,
        id: i64,
        allowed: Allowlist,
        audit: AuditRecord,
    ) -> BoxFuture<'_, StoreResult<bool>> {
        Box::pin(self.set_allowed_addresses_row(id, allowed, audit))
    }
}
