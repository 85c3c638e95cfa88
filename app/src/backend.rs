//! What the server functions need from the outside world. The `server` crate implements
//! [`ConsoleStore`] with sqlx and provides a [`Console`] as Leptos context.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::domain::{rules, Employment, TokenHash, TokenName};

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A store failure. Its text goes to the server log, never to the caller.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct StoreError(pub String);

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRecord {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub employment: Employment,
    pub rights: Vec<String>,
}

impl PersonRecord {
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
    pub owner_employment: Employment,
}

#[derive(Debug, Clone)]
pub struct NewToken {
    pub owner_id: i64,
    pub name: TokenName,
    pub hash: TokenHash,
    pub hint: String,
    pub created_at: DateTime<Utc>,
    pub created_by: i64,
    pub expires_on: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InsertOutcome {
    Inserted(i64),
    NameTaken,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoveOutcome {
    Removed,
    AlreadyRemoved,
    NotFound,
}

/// A stored login: the person and their argon2id password hash (if they may log in).
#[derive(Debug, Clone)]
pub struct Credentials {
    pub person: PersonRecord,
    pub password_hash: Option<String>,
}

pub trait ConsoleStore: Send + Sync + 'static {
    fn credentials(&self, login: &str) -> BoxFuture<'_, StoreResult<Option<Credentials>>>;
    fn create_session(
        &self,
        session_hash: &str,
        person_id: i64,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> BoxFuture<'_, StoreResult<()>>;
    fn session_person(
        &self,
        session_hash: &str,
        now: DateTime<Utc>,
    ) -> BoxFuture<'_, StoreResult<Option<PersonRecord>>>;
    fn delete_session(&self, session_hash: &str) -> BoxFuture<'_, StoreResult<()>>;
    fn flag_enabled(&self, domain: &str, label: &str) -> BoxFuture<'_, StoreResult<bool>>;
    fn people(&self) -> BoxFuture<'_, StoreResult<Vec<PersonRecord>>>;
    fn person(&self, id: i64) -> BoxFuture<'_, StoreResult<Option<PersonRecord>>>;
    fn tokens(&self) -> BoxFuture<'_, StoreResult<Vec<TokenRecord>>>;
    fn token(&self, id: i64) -> BoxFuture<'_, StoreResult<Option<TokenRecord>>>;
    fn insert_token(&self, token: NewToken) -> BoxFuture<'_, StoreResult<InsertOutcome>>;
    fn remove_token(
        &self,
        id: i64,
        by: i64,
        at: DateTime<Utc>,
    ) -> BoxFuture<'_, StoreResult<RemoveOutcome>>;
    fn delete_token(&self, id: i64) -> BoxFuture<'_, StoreResult<bool>>;
}

/// The wall clock, or a fixed instant in test mode.
#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    fixed: Option<DateTime<Utc>>,
}

impl Clock {
    pub fn system() -> Self {
        Self { fixed: None }
    }

    pub fn fixed(at: DateTime<Utc>) -> Self {
        Self { fixed: Some(at) }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.fixed.unwrap_or_else(Utc::now)
    }
}

/// Everything a server function needs, provided as Leptos context by the server.
#[derive(Clone)]
pub struct Console {
    pub store: Arc<dyn ConsoleStore>,
    pub clock: Clock,
    pub zone: Tz,
    /// Whether the session cookie carries `Secure` (off only for plain-HTTP local use).
    pub secure_cookies: bool,
}

impl Console {
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn today(&self) -> NaiveDate {
        rules::today(self.now(), self.zone)
    }

    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        rules::today(at, self.zone)
    }
}
