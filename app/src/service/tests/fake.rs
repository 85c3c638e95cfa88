//! An in-memory [`ConsoleStore`]: enough of the real store's behaviour (one session per id,
//! one name per owner, a change and its audit event together) to test the gate rules
//! without a database. The real stores are tested against SQLite and PostgreSQL in `tests/`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, NaiveDate, Utc};

use crate::backend::{
    AuditRecord, Author, BoxFuture, ConsoleStore, Credentials, InsertOutcome, NewToken,
    PersonRecord, RemoveOutcome, SessionHolder, SessionPolicy, StoreResult, StoredAudit,
    TokenRecord, TokenRecordPage,
};
use crate::domain::{FLAG_DOMAIN, FLAG_LABEL};
use crate::token_query::TokenQuery;

pub struct FakePerson {
    pub person: PersonRecord,
    pub password_hash: Option<String>,
    pub rights: Vec<String>,
}

pub struct FakeToken {
    pub new: NewToken,
    pub id: i64,
    pub removed_at: Option<DateTime<Utc>>,
}

#[derive(Default)]
pub struct State {
    pub people: Vec<FakePerson>,
    /// Session hash → person id.
    pub sessions: HashMap<String, i64>,
    pub flag_enabled: bool,
    pub tokens: Vec<FakeToken>,
    pub audit: Vec<AuditRecord>,
    next_token: i64,
}

#[derive(Default)]
pub struct FakeStore(Mutex<State>);

impl FakeStore {
    pub fn state(&self) -> MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn answer<T: Send + 'static>(
        &self,
        read: impl FnOnce(&mut State) -> T,
    ) -> BoxFuture<'_, StoreResult<T>> {
        let value = read(&mut self.state());
        Box::pin(async move { Ok(value) })
    }
}

impl State {
    /// Stores a token under the next id (ids are never used twice).
    pub fn push_token(&mut self, new: NewToken) -> i64 {
        self.next_token += 1;
        let id = self.next_token;
        self.tokens.push(FakeToken {
            new,
            id,
            removed_at: None,
        });
        id
    }

    fn person(&self, id: i64) -> Option<&FakePerson> {
        self.people.iter().find(|p| p.person.id == id)
    }

    fn record(&self, token: &FakeToken) -> TokenRecord {
        let owner = self.person(token.new.owner_id).map(|p| p.person.clone());
        let owner = owner.unwrap_or_else(|| panic!("token {} has no owner", token.id));
        let creator = match &token.new.created_by {
            Author::Person(id) => self.person(*id).map(|p| p.person.login.clone()),
            Author::Operator(name) => Some(name.clone()),
        };
        TokenRecord {
            id: token.id,
            owner_login: owner.login,
            owner_name: owner.name,
            name: token.new.name.as_str().to_owned(),
            hint: token.new.hint.clone(),
            created_at: token.new.created_at,
            created_by: creator.unwrap_or_default(),
            expires_on: token.new.expires_on,
            removed_at: token.removed_at,
            removal_reason: None,
            allowed: token.new.allowed.clone(),
            owner_employment: owner.employment,
            last_used_at: None,
            last_used_from: None,
        }
    }
}

impl ConsoleStore for FakeStore {
    fn credentials(&self, login: &str) -> BoxFuture<'_, StoreResult<Option<Credentials>>> {
        let login = login.to_owned();
        self.answer(move |state| {
            state
                .people
                .iter()
                .find(|p| p.person.login == login)
                .map(|p| Credentials {
                    person: p.person.clone(),
                    password_hash: p.password_hash.clone(),
                })
        })
    }

    fn create_session(
        &self,
        session_hash: &str,
        person_id: i64,
        _: SessionPolicy,
        audit: AuditRecord,
    ) -> BoxFuture<'_, StoreResult<()>> {
        let session_hash = session_hash.to_owned();
        self.answer(move |state| {
            state.sessions.insert(session_hash, person_id);
            state.audit.push(audit);
        })
    }

    fn session_holder(
        &self,
        session_hash: &str,
        _: DateTime<Utc>,
        _: SessionPolicy,
    ) -> BoxFuture<'_, StoreResult<Option<SessionHolder>>> {
        let session_hash = session_hash.to_owned();
        self.answer(move |state| {
            let id = *state.sessions.get(&session_hash)?;
            state.person(id).map(|p| SessionHolder {
                person: p.person.clone(),
                rights: p.rights.clone(),
            })
        })
    }

    fn delete_session(
        &self,
        session_hash: &str,
        audit: Option<AuditRecord>,
    ) -> BoxFuture<'_, StoreResult<()>> {
        let session_hash = session_hash.to_owned();
        self.answer(move |state| {
            state.sessions.remove(&session_hash);
            state.audit.extend(audit);
        })
    }

    fn record_audit(&self, audit: AuditRecord) -> BoxFuture<'_, StoreResult<()>> {
        self.answer(move |state| state.audit.push(audit))
    }

    fn audit_events(
        &self,
        offset: u64,
        limit: u32,
    ) -> BoxFuture<'_, StoreResult<(Vec<StoredAudit>, u64)>> {
        self.answer(move |state| {
            let events = (state.audit.iter().cloned().enumerate().rev())
                .skip(usize::try_from(offset).unwrap_or(usize::MAX))
                .take(limit as usize)
                .map(|(index, record)| StoredAudit {
                    id: index as i64 + 1,
                    record,
                })
                .collect();
            (events, state.audit.len() as u64)
        })
    }

    fn flag_enabled(&self, domain: &str, label: &str) -> BoxFuture<'_, StoreResult<bool>> {
        let this_flag = domain == FLAG_DOMAIN && label == FLAG_LABEL;
        self.answer(move |state| this_flag && state.flag_enabled)
    }

    fn eligible_people<'a>(
        &'a self,
        search: &'a str,
        today: NaiveDate,
        limit: usize,
    ) -> BoxFuture<'a, StoreResult<Vec<PersonRecord>>> {
        let search = search.to_lowercase();
        self.answer(move |state| {
            let mut found: Vec<_> = (state.people.iter())
                .map(|p| p.person.clone())
                .filter(|p| p.employment.eligible_on(today).is_ok())
                .filter(|p| {
                    p.login.to_lowercase().contains(&search)
                        || p.name.to_lowercase().contains(&search)
                })
                .collect();
            found.sort_by(|a, b| (&a.name, &a.login).cmp(&(&b.name, &b.login)));
            found.truncate(limit);
            found
        })
    }

    fn person(&self, id: i64) -> BoxFuture<'_, StoreResult<Option<PersonRecord>>> {
        self.answer(move |state| state.person(id).map(|p| p.person.clone()))
    }

    fn person_by_login(&self, login: &str) -> BoxFuture<'_, StoreResult<Option<PersonRecord>>> {
        let login = login.to_owned();
        self.answer(move |state| {
            let found = state.people.iter().find(|p| p.person.login == login);
            found.map(|p| p.person.clone())
        })
    }

    /// Every token, oldest first (paging and filters are the real stores' business).
    fn token_page<'a>(
        &'a self,
        _: &'a TokenQuery,
        _: crate::domain::StatusDates,
        limit: usize,
    ) -> BoxFuture<'a, StoreResult<TokenRecordPage>> {
        self.answer(move |state| {
            let rows: Vec<_> = state.tokens.iter().map(|t| state.record(t)).collect();
            TokenRecordPage {
                more: rows.len() > limit,
                matches: rows.len() as u64,
                rows: rows.into_iter().take(limit).collect(),
            }
        })
    }

    fn token(&self, id: i64) -> BoxFuture<'_, StoreResult<Option<TokenRecord>>> {
        self.answer(move |state| {
            let token = state.tokens.iter().find(|t| t.id == id)?;
            Some(state.record(token))
        })
    }

    fn insert_token(
        &self,
        token: NewToken,
        audit: AuditRecord,
    ) -> BoxFuture<'_, StoreResult<InsertOutcome>> {
        self.answer(move |state| {
            let taken = state.tokens.iter().any(|t| {
                t.new.owner_id == token.owner_id && t.new.name.as_str() == token.name.as_str()
            });
            if taken {
                return InsertOutcome::NameTaken;
            }
            let id = state.push_token(token);
            state.audit.push(audit);
            InsertOutcome::Inserted(id)
        })
    }

    fn remove_token(
        &self,
        id: i64,
        _: Author,
        audit: AuditRecord,
    ) -> BoxFuture<'_, StoreResult<RemoveOutcome>> {
        self.answer(move |state| {
            let Some(token) = state.tokens.iter_mut().find(|t| t.id == id) else {
                return RemoveOutcome::NotFound;
            };
            if token.removed_at.is_some() {
                return RemoveOutcome::AlreadyRemoved;
            }
            token.removed_at = Some(audit.at);
            state.audit.push(audit);
            RemoveOutcome::Removed
        })
    }

    fn rotate_token(
        &self,
        old_id: i64,
        _: i64,
        old_stops_at: chrono::DateTime<chrono::Utc>,
        new: NewToken,
        audit: AuditRecord,
    ) -> BoxFuture<'_, StoreResult<crate::backend::RotateOutcome>> {
        use crate::backend::RotateOutcome;
        self.answer(move |state| {
            let Some(old) = state.tokens.iter_mut().find(|t| t.id == old_id) else {
                return RotateOutcome::NotFound;
            };
            if old.removed_at.is_some() {
                return RotateOutcome::AlreadyRemoved;
            }
            old.removed_at = Some(old_stops_at);
            let id = state.push_token(new);
            state.audit.push(audit);
            RotateOutcome::Rotated(id)
        })
    }

    fn set_allowed_addresses(
        &self,
        id: i64,
        allowed: crate::domain::Allowlist,
        audit: AuditRecord,
    ) -> BoxFuture<'_, StoreResult<bool>> {
        self.answer(move |state| {
            let Some(token) = state.tokens.iter_mut().find(|t| t.id == id) else {
                return false;
            };
            token.new.allowed = allowed;
            state.audit.push(audit);
            true
        })
    }

    fn delete_token(&self, id: i64, audit: AuditRecord) -> BoxFuture<'_, StoreResult<bool>> {
        self.answer(move |state| {
            let before = state.tokens.len();
            state.tokens.retain(|t| t.id != id);
            let deleted = state.tokens.len() < before;
            if deleted {
                state.audit.push(audit);
            }
            deleted
        })
    }
}

/// The store as the console holds it.
pub fn shared(store: &Arc<FakeStore>) -> Arc<dyn ConsoleStore> {
    Arc::clone(store) as Arc<dyn ConsoleStore>
}
