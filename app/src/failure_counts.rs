//! Refused attempts counted where every instance sees them. With SQLite (one server) that is
//! this process's memory ([`LocalCounts`]); with PostgreSQL the server counts in the database,
//! so N instances do not give an attacker N times the budget.

use chrono::{DateTime, Duration, Utc};

use crate::backend::{BoxFuture, StoreResult};
use crate::throttle::{Blocked, Throttle};

/// What is counted, and how much of it is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Failed console logins from one client address (IPv6: its /64).
    LoginByAddress,
    /// Failed console logins from one IPv6 /56.
    LoginByNetwork56,
    /// Failed console logins from one IPv6 /48.
    LoginByNetwork48,
    /// Failed console logins of one login, from browsers not known for it.
    LoginByName,
    /// Failed console logins from one browser known for the login (its device cookie).
    LoginByDevice,
    /// Failed console logins on the whole server, from browsers not known for the login.
    LoginEverywhere,
    /// Bearer tokens that reached the database and were unknown, from one client address.
    BearerByAddress,
}

pub const ADDRESS_FAILURES_PER_MINUTE: usize = 5;
pub const NETWORK56_FAILURES_PER_MINUTE: usize = 10;
pub const NETWORK48_FAILURES_PER_MINUTE: usize = 20;
pub const LOGIN_FAILURES_PER_MINUTE: usize = 20;
pub const DEVICE_FAILURES_PER_MINUTE: usize = 5;
/// The default of `JETONS_LOGIN_FAILURES_PER_MINUTE`.
pub const DEFAULT_FAILURES_EVERYWHERE_PER_MINUTE: usize = 100;
/// Refused bearer attempts allowed per client address and minute before it gets 429.
pub const BEARER_FAILURES_PER_MINUTE: usize = 20;

/// The limits an operator sets (the others are fixed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Failed logins a minute on the whole server before browsers not known for their login
    /// are refused.
    pub failures_everywhere: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            failures_everywhere: DEFAULT_FAILURES_EVERYWHERE_PER_MINUTE,
        }
    }
}

impl Scope {
    pub const ALL: [Self; 7] = [
        Self::LoginByAddress,
        Self::LoginByNetwork56,
        Self::LoginByNetwork48,
        Self::LoginByName,
        Self::LoginByDevice,
        Self::LoginEverywhere,
        Self::BearerByAddress,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::LoginByAddress => "login_address",
            Self::LoginByNetwork56 => "login_network56",
            Self::LoginByNetwork48 => "login_network48",
            Self::LoginByName => "login_name",
            Self::LoginByDevice => "login_device",
            Self::LoginEverywhere => "login_everywhere",
            Self::BearerByAddress => "bearer_address",
        }
    }

    pub fn limit(self, limits: &Limits) -> usize {
        match self {
            Self::LoginByAddress => ADDRESS_FAILURES_PER_MINUTE,
            Self::LoginByNetwork56 => NETWORK56_FAILURES_PER_MINUTE,
            Self::LoginByNetwork48 => NETWORK48_FAILURES_PER_MINUTE,
            Self::LoginByName => LOGIN_FAILURES_PER_MINUTE,
            Self::LoginByDevice => DEVICE_FAILURES_PER_MINUTE,
            Self::LoginEverywhere => limits.failures_everywhere,
            Self::BearerByAddress => BEARER_FAILURES_PER_MINUTE,
        }
    }

    pub fn window(self) -> Duration {
        Duration::minutes(1)
    }
}

/// Counts of refused attempts per (scope, key) over the scope's window.
pub trait FailureCounts: Send + Sync + 'static {
    /// Counts an attempt as refused before its outcome is known, unless the key is blocked;
    /// check and count are one step, however many instances race.
    fn reserve<'a>(
        &'a self,
        scope: Scope,
        key: &'a str,
        now: DateTime<Utc>,
    ) -> BoxFuture<'a, StoreResult<Result<(), Blocked>>>;
    /// Takes back one attempt reserved at `at` (it succeeded).
    fn release<'a>(
        &'a self,
        scope: Scope,
        key: &'a str,
        at: DateTime<Utc>,
    ) -> BoxFuture<'a, StoreResult<()>>;
    /// Forgets every attempt of the key.
    fn forget<'a>(&'a self, scope: Scope, key: &'a str) -> BoxFuture<'a, StoreResult<()>>;
}

/// This process's own counts (one server on SQLite): one table of keys per scope.
pub struct LocalCounts {
    scopes: Vec<Throttle<String>>,
}

impl LocalCounts {
    pub fn new(limits: Limits) -> Self {
        Self {
            scopes: Scope::ALL
                .iter()
                .map(|scope| Throttle::new(scope.limit(&limits), scope.window()))
                .collect(),
        }
    }

    /// `Scope::ALL` lists the scopes in their declaration order (a test says so).
    fn of(&self, scope: Scope) -> &Throttle<String> {
        &self.scopes[scope as usize]
    }
}

impl Default for LocalCounts {
    fn default() -> Self {
        Self::new(Limits::default())
    }
}

impl FailureCounts for LocalCounts {
    fn reserve<'a>(
        &'a self,
        scope: Scope,
        key: &'a str,
        now: DateTime<Utc>,
    ) -> BoxFuture<'a, StoreResult<Result<(), Blocked>>> {
        let outcome = self.of(scope).reserve(key.to_owned(), now);
        Box::pin(async move { Ok(outcome) })
    }

    fn release<'a>(
        &'a self,
        scope: Scope,
        key: &'a str,
        at: DateTime<Utc>,
    ) -> BoxFuture<'a, StoreResult<()>> {
        self.of(scope).release(&key.to_owned(), at);
        Box::pin(async { Ok(()) })
    }

    fn forget<'a>(&'a self, scope: Scope, key: &'a str) -> BoxFuture<'a, StoreResult<()>> {
        self.of(scope).forget(&key.to_owned());
        Box::pin(async { Ok(()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scope_has_its_own_table_and_code() {
        for (index, scope) in Scope::ALL.iter().enumerate() {
            assert_eq!(*scope as usize, index, "{scope:?}");
        }
        let codes: std::collections::HashSet<_> = Scope::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(codes.len(), Scope::ALL.len());
    }
}
