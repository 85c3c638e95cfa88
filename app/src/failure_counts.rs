//! Refused attempts counted where every instance sees them. With SQLite (one server) that is
//! this process's memory ([`LocalCounts`]); with PostgreSQL the server counts in the database,
//! so N instances do not give an attacker N times the budget.

use std::net::IpAddr;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use crate::backend::{BoxFuture, StoreResult};
use crate::throttle::{address_key, Blocked, Throttle};

/// What is counted, and how much of it is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Failed console logins from one client address.
    LoginByAddress,
    /// Failed console logins of one login, from wherever.
    LoginByName,
    /// Bearer tokens that reached the database and were unknown, from one client address.
    BearerByAddress,
}

pub const ADDRESS_FAILURES_PER_MINUTE: usize = 5;
pub const LOGIN_FAILURES_PER_MINUTE: usize = 20;
/// Refused bearer attempts allowed per client address and minute before it gets 429.
pub const BEARER_FAILURES_PER_MINUTE: usize = 20;

impl Scope {
    pub const ALL: [Self; 3] = [
        Self::LoginByAddress,
        Self::LoginByName,
        Self::BearerByAddress,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::LoginByAddress => "login_address",
            Self::LoginByName => "login_name",
            Self::BearerByAddress => "bearer_address",
        }
    }

    pub fn limit(self) -> usize {
        match self {
            Self::LoginByAddress => ADDRESS_FAILURES_PER_MINUTE,
            Self::LoginByName => LOGIN_FAILURES_PER_MINUTE,
            Self::BearerByAddress => BEARER_FAILURES_PER_MINUTE,
        }
    }

    pub fn window(self) -> Duration {
        Duration::minutes(1)
    }
}

/// The key of a client address (IPv6 per /64).
pub fn address(ip: IpAddr) -> String {
    address_key(ip).to_string()
}

/// Counts of refused attempts per (scope, key) over the scope's window.
pub trait FailureCounts: Send + Sync + 'static {
    /// Refused when the key is blocked now; counts nothing.
    fn check<'a>(
        &'a self,
        scope: Scope,
        key: &'a str,
        now: DateTime<Utc>,
    ) -> BoxFuture<'a, StoreResult<Result<(), Blocked>>>;
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

/// This process's own counts (one server on SQLite).
pub struct LocalCounts {
    by_address: Throttle<String>,
    by_name: Throttle<String>,
    bearer: Throttle<String>,
}

impl Default for LocalCounts {
    fn default() -> Self {
        let throttle = |scope: Scope| Throttle::new(scope.limit(), scope.window());
        Self {
            by_address: throttle(Scope::LoginByAddress),
            by_name: throttle(Scope::LoginByName),
            bearer: throttle(Scope::BearerByAddress),
        }
    }
}

impl LocalCounts {
    fn of(&self, scope: Scope) -> &Throttle<String> {
        match scope {
            Scope::LoginByAddress => &self.by_address,
            Scope::LoginByName => &self.by_name,
            Scope::BearerByAddress => &self.bearer,
        }
    }
}

impl FailureCounts for LocalCounts {
    fn check<'a>(
        &'a self,
        scope: Scope,
        key: &'a str,
        now: DateTime<Utc>,
    ) -> BoxFuture<'a, StoreResult<Result<(), Blocked>>> {
        let outcome = self.of(scope).check(&key.to_owned(), now);
        Box::pin(async move { Ok(outcome) })
    }

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

/// Failed console logins, counted per client address and per login. One address is held to
/// a few guesses; the per-login limit is higher, so that one address alone cannot lock an
/// account out, while guesses spread over many addresses still run into it.
pub struct LoginThrottle {
    counts: Arc<dyn FailureCounts>,
}

impl LoginThrottle {
    pub fn new(counts: Arc<dyn FailureCounts>) -> Self {
        Self { counts }
    }

    /// Logins are compared case-insensitively, so `Admin` and `admin` share a count; the key is
    /// a digest, so a huge typed login costs no more memory than a short one.
    fn login_key(login: &str) -> String {
        crate::domain::token::sha256_hex(&login.trim().to_lowercase())
    }

    /// Starts a login attempt, counted as failed until [`LoginThrottle::succeed`] says
    /// otherwise. Refused when the login or the address is blocked.
    pub async fn begin(
        &self,
        login: &str,
        ip: Option<IpAddr>,
        now: DateTime<Utc>,
    ) -> StoreResult<Result<(), Blocked>> {
        let login = Self::login_key(login);
        let from = ip.map(address);
        if let Some(from) = &from {
            if let Err(blocked) = self.counts.check(Scope::LoginByAddress, from, now).await? {
                return Ok(Err(blocked));
            }
        }
        if let Err(blocked) = self.counts.reserve(Scope::LoginByName, &login, now).await? {
            return Ok(Err(blocked));
        }
        if let Some(from) = &from {
            if let Err(blocked) = self
                .counts
                .reserve(Scope::LoginByAddress, from, now)
                .await?
            {
                self.counts.release(Scope::LoginByName, &login, now).await?;
                return Ok(Err(blocked));
            }
        }
        Ok(Ok(()))
    }

    /// The attempt begun at `began` succeeded: the login's count starts again, and the
    /// address gets its attempt back.
    pub async fn succeed(
        &self,
        login: &str,
        ip: Option<IpAddr>,
        began: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.counts
            .forget(Scope::LoginByName, &Self::login_key(login))
            .await?;
        if let Some(ip) = ip {
            self.counts
                .release(Scope::LoginByAddress, &address(ip), began)
                .await?;
        }
        Ok(())
    }

    /// The attempt begun at `began` was never judged (the server was too busy): both counts
    /// get it back.
    pub async fn abandon(
        &self,
        login: &str,
        ip: Option<IpAddr>,
        began: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.counts
            .release(Scope::LoginByName, &Self::login_key(login), began)
            .await?;
        if let Some(ip) = ip {
            self.counts
                .release(Scope::LoginByAddress, &address(ip), began)
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    fn address(n: u8) -> Option<IpAddr> {
        Some(IpAddr::from([192, 0, 2, n]))
    }

    fn throttle() -> LoginThrottle {
        LoginThrottle::new(Arc::new(LocalCounts::default()))
    }

    async fn begin(
        throttle: &LoginThrottle,
        login: &str,
        ip: Option<IpAddr>,
        at: DateTime<Utc>,
    ) -> Result<(), Blocked> {
        throttle
            .begin(login, ip, at)
            .await
            .expect("local counts do not fail")
    }

    #[tokio::test]
    async fn one_address_cannot_lock_a_login_out() {
        let throttle = throttle();
        for _ in 0..ADDRESS_FAILURES_PER_MINUTE {
            assert_eq!(begin(&throttle, "Admin", address(1), at(0)).await, Ok(()));
        }
        assert!(begin(&throttle, "admin", address(1), at(1)).await.is_err());
        assert!(begin(&throttle, "clerk", address(1), at(1)).await.is_err());
        assert_eq!(begin(&throttle, "admin ", address(2), at(1)).await, Ok(()));
    }

    #[tokio::test]
    async fn guesses_spread_over_many_addresses_lock_the_login() {
        let throttle = throttle();
        for n in 0..LOGIN_FAILURES_PER_MINUTE {
            let from = address(10 + (n / ADDRESS_FAILURES_PER_MINUTE) as u8);
            assert_eq!(begin(&throttle, "admin", from, at(0)).await, Ok(()));
        }
        assert!(begin(&throttle, "ADMIN", address(99), at(1)).await.is_err());
        assert_eq!(begin(&throttle, "clerk", address(99), at(1)).await, Ok(()));
    }

    #[tokio::test]
    async fn attempts_count_from_the_start_and_a_success_gives_them_back() {
        let throttle = throttle();
        // Five attempts in flight at once: the sixth is refused before any of them finished.
        for _ in 0..ADDRESS_FAILURES_PER_MINUTE {
            assert_eq!(begin(&throttle, "admin", address(9), at(0)).await, Ok(()));
        }
        assert!(begin(&throttle, "admin", address(9), at(0)).await.is_err());
        for i in 0..10 {
            assert_eq!(begin(&throttle, "clerk", address(8), at(i)).await, Ok(()));
            throttle
                .succeed("clerk", address(8), at(i))
                .await
                .expect("local");
        }
    }
}
