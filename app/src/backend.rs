//! What the server functions need from the outside world. The `server` crate implements
//! [`ConsoleStore`] with sqlx and provides a [`Console`] as Leptos context.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::domain::device::DeviceKey;
use crate::domain::{
    rules, Allowlist, Employment, LifetimePolicy, StatusDates, TokenHash, TokenName,
};
pub use crate::failure_counts::{FailureCounts, Limits, LocalCounts};
pub use crate::login_throttle::{Attempt, LoginThrottle};
use crate::model::{AuditAction, RemovalReason};
pub use crate::password_checks::PasswordChecks;
pub use crate::throttle::Throttle;
use crate::token_query::TokenQuery;
#[cfg(doc)]
use crate::token_query::COUNT_LIMIT;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a store failure came from (the database driver's error, say), kept whole for the log.
pub type ErrorSource = Box<dyn std::error::Error + Send + Sync>;

/// A store failure. Its text goes to the server log, never to the caller.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached now (down, unreachable, or no connection freed up in
    /// time): worth trying again soon.
    #[error("the database is unavailable: {0}")]
    Unavailable(#[source] ErrorSource),
    /// The database refused or failed a statement.
    #[error("database error: {0}")]
    Database(#[source] ErrorSource),
    #[error("cannot open the database: {0}")]
    Open(#[source] ErrorSource),
    #[error("cannot migrate the database: {0}")]
    Migrate(#[source] ErrorSource),
    /// `DATABASE_URL` names no database this store can open.
    #[error("{0}")]
    Url(&'static str),
    #[error("cannot create the folder {path}: {source}")]
    Folder {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A stored value that no record can hold (a date out of range, an unknown code).
    #[error("stored data cannot be read: {0}")]
    Corrupt(String),
    /// Something the store needed did not happen in time, or at all.
    #[error("{0}")]
    Missing(&'static str),
}

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRecord {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub employment: Employment,
}

/// The person of a live console session, with the rights they hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionHolder {
    pub person: PersonRecord,
    pub rights: Vec<String>,
}

impl SessionHolder {
    pub fn has_right(&self, right: &str) -> bool {
        self.rights.iter().any(|r| r == right)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    pub id: i64,
    pub owner_login: String,
    pub owner_name: String,
    pub name: String,
    pub hint: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub expires_on: NaiveDate,
    pub removed_at: Option<DateTime<Utc>>,
    pub removal_reason: Option<RemovalReason>,
    pub allowed: Allowlist,
    pub owner_employment: Employment,
    pub last_used_at: Option<DateTime<Utc>>,
    pub last_used_from: Option<String>,
}

/// One page of token records, as the store read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecordPage {
    /// In display order.
    pub rows: Vec<TokenRecord>,
    /// Whether more rows follow in the direction the page was read (after the last row for a
    /// first or `After` page, before the first row for a `Before` page).
    pub more: bool,
    /// Matching rows, counted up to [`COUNT_LIMIT`] + 1.
    pub matches: u64,
}

#[derive(Debug, Clone)]
pub struct NewToken {
    pub owner_id: i64,
    pub name: TokenName,
    pub hash: TokenHash,
    pub hint: String,
    pub created_at: DateTime<Utc>,
    pub created_by: Author,
    pub expires_on: NaiveDate,
    pub allowed: Allowlist,
}

/// Who creates or stops a token: an administrator in the console (a person), or an operator
/// on the server's command line, named as the audit log names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Author {
    Person(i64),
    Operator(String),
}

impl Author {
    pub fn person(&self) -> Option<i64> {
        match self {
            Self::Person(id) => Some(*id),
            Self::Operator(_) => None,
        }
    }

    pub fn operator(&self) -> Option<&str> {
        match self {
            Self::Person(_) => None,
            Self::Operator(name) => Some(name),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InsertOutcome {
    Inserted(i64),
    NameTaken,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RotateOutcome {
    /// The replacement's id.
    Rotated(i64),
    NotFound,
    AlreadyRemoved,
    NameTaken,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoveOutcome {
    Removed,
    AlreadyRemoved,
    NotFound,
}

/// One audit event to record. `actor` is a login (or the operator, for the CLI), `client` the
/// caller's address, `target` what was acted on. Never a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub at: DateTime<Utc>,
    pub action: AuditAction,
    pub actor: String,
    pub client: String,
    pub target: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAudit {
    pub id: i64,
    pub record: AuditRecord,
}

/// When console sessions end: after `idle` without a request, and `lifetime` after login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle: chrono::Duration,
    pub lifetime: chrono::Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle: chrono::Duration::minutes(30),
            lifetime: chrono::Duration::hours(12),
        }
    }
}

/// A stored login: the person and their argon2id password hash (if they may log in).
#[derive(Debug, Clone)]
pub struct Credentials {
    pub person: PersonRecord,
    pub password_hash: Option<String>,
}

pub trait ConsoleStore: Send + Sync + 'static {
    fn credentials(&self, login: &str) -> BoxFuture<'_, StoreResult<Option<Credentials>>>;
    /// Stores a new session, purging the ones that have ended, and records the login.
    fn create_session(
        &self,
        session_hash: &str,
        person_id: i64,
        policy: SessionPolicy,
        audit: AuditRecord,
    ) -> BoxFuture<'_, StoreResult<()>>;
    /// The person of a live session (not idle for `policy.idle`, younger than
    /// `policy.lifetime`) and their rights; marks the session as used at `now`.
    fn session_holder(
        &self,
        session_hash: &str,
        now: DateTime<Utc>,
        policy: SessionPolicy,
    ) -> BoxFuture<'_, StoreResult<Option<SessionHolder>>>;
    /// Ends a session; records the logout when there was one.
    fn delete_session(
        &self,
        session_hash: &str,
        audit: Option<AuditRecord>,
    ) -> BoxFuture<'_, StoreResult<()>>;
    fn record_audit(&self, audit: AuditRecord) -> BoxFuture<'_, StoreResult<()>>;
    /// Audit events newest first, and how many there are in all.
    fn audit_events(
        &self,
        offset: u64,
        limit: u32,
    ) -> BoxFuture<'_, StoreResult<(Vec<StoredAudit>, u64)>>;
    fn flag_enabled(&self, domain: &str, label: &str) -> BoxFuture<'_, StoreResult<bool>>;
    /// Technical users working in the company on `today` whose login or name contains
    /// `search` (ASCII letters in any case; empty: everyone), by name, at most `limit`.
    fn eligible_people<'a>(
        &'a self,
        search: &'a str,
        today: NaiveDate,
        limit: usize,
    ) -> BoxFuture<'a, StoreResult<Vec<PersonRecord>>>;
    fn person(&self, id: i64) -> BoxFuture<'_, StoreResult<Option<PersonRecord>>>;
    fn person_by_login(&self, login: &str) -> BoxFuture<'_, StoreResult<Option<PersonRecord>>>;
    /// One page of the tokens that `query` selects, its status filter judged on `dates`.
    fn token_page<'a>(
        &'a self,
        query: &'a TokenQuery,
        dates: StatusDates,
        limit: usize,
    ) -> BoxFuture<'a, StoreResult<TokenRecordPage>>;
    fn token(&self, id: i64) -> BoxFuture<'_, StoreResult<Option<TokenRecord>>>;
    /// Each change below and its audit event are written together or not at all.
    fn insert_token(
        &self,
        token: NewToken,
        audit: AuditRecord,
    ) -> BoxFuture<'_, StoreResult<InsertOutcome>>;
    fn remove_token(
        &self,
        id: i64,
        by: Author,
        audit: AuditRecord,
    ) -> BoxFuture<'_, StoreResult<RemoveOutcome>>;
    fn delete_token(&self, id: i64, audit: AuditRecord) -> BoxFuture<'_, StoreResult<bool>>;
    /// The live token `old_id` stops at `old_stops_at` (marked removed, replaced by rotation)
    /// and `new` takes its place.
    fn rotate_token(
        &self,
        old_id: i64,
        by: i64,
        old_stops_at: DateTime<Utc>,
        new: NewToken,
        audit: AuditRecord,
    ) -> BoxFuture<'_, StoreResult<RotateOutcome>>;
    /// `false` when the token is gone.
    fn set_allowed_addresses(
        &self,
        id: i64,
        allowed: Allowlist,
        audit: AuditRecord,
    ) -> BoxFuture<'_, StoreResult<bool>>;
}

/// The wall clock, or in test mode an instant of the test's choosing: fixed, or running on
/// from there at the wall clock's pace (to cross a midnight in a test).
#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    fixed: Option<DateTime<Utc>>,
    running_since: Option<std::time::Instant>,
}

impl Clock {
    pub fn system() -> Self {
        Self::default()
    }

    pub fn fixed(at: DateTime<Utc>) -> Self {
        Self {
            fixed: Some(at),
            running_since: None,
        }
    }

    pub fn running_from(at: DateTime<Utc>) -> Self {
        Self {
            fixed: Some(at),
            running_since: Some(std::time::Instant::now()),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match (self.fixed, self.running_since) {
            (None, _) => Utc::now(),
            (Some(at), None) => at,
            (Some(at), Some(since)) => {
                at + chrono::Duration::from_std(since.elapsed()).unwrap_or(chrono::Duration::MAX)
            }
        }
    }
}

/// Everything a server function needs, provided as Leptos context by the server.
#[derive(Clone)]
pub struct Console {
    pub store: Arc<dyn ConsoleStore>,
    pub clock: Clock,
    pub zone: Tz,
    /// Whether the session cookie carries `Secure` and the `__Host-` prefix (off only for
    /// plain-HTTP use on loopback).
    pub secure_cookies: bool,
    pub sessions: SessionPolicy,
    /// Failed logins per login and per client address.
    pub login_throttle: Arc<LoginThrottle>,
    /// Signs the device cookies of browsers that logged in (shared by every instance).
    pub device_key: DeviceKey,
    pub password_checks: Arc<PasswordChecks>,
    /// The latest expiration date allowed, and when a token "Expires soon".
    pub policy: LifetimePolicy,
}

impl Console {
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn today(&self) -> NaiveDate {
        rules::today(self.now(), self.zone)
    }

    /// The days a token's status is judged on today.
    pub fn status_dates(&self) -> StatusDates {
        self.policy.status_dates(self.today())
    }

    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        rules::today(at, self.zone)
    }
}
