//! Counting failures per key (a login, a client address) over a sliding window. Time comes in
//! as an argument, so the server's clock (fixed in test mode) decides.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::RwLock;

use chrono::{DateTime, Duration, Utc};

/// Keys tracked at most; past that, the key whose last failure is oldest is forgotten.
const MAX_KEYS: usize = 65_536;

pub struct Throttle<K> {
    limit: usize,
    window: Duration,
    /// Read-locked by [`Throttle::check`] (every call pays it, concurrently); written only
    /// when a failure is counted or a block is first reported.
    state: RwLock<State<K>>,
}

struct State<K> {
    failures: HashMap<K, VecDeque<DateTime<Utc>>>,
    /// For keys blocked now: the end of the block already reported by a [`Blocked::first`].
    reported: HashMap<K, DateTime<Utc>>,
}

/// A refusal: how long to wait, and whether it is the first one of this block (worth
/// recording once, where every later refusal is not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blocked {
    pub retry_after: u64,
    pub first: bool,
}

impl<K: Hash + Eq + Clone> Throttle<K> {
    pub fn new(limit: usize, window: Duration) -> Self {
        Self {
            limit: limit.max(1),
            window,
            state: RwLock::new(State {
                failures: HashMap::new(),
                reported: HashMap::new(),
            }),
        }
    }

    fn lock(&self) -> std::sync::RwLockWriteGuard<'_, State<K>> {
        self.state.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Refused once `limit` failures fell within the window.
    pub fn check(&self, key: &K, now: DateTime<Utc>) -> Result<(), Blocked> {
        let blocked = {
            let state = self.state.read().unwrap_or_else(|e| e.into_inner());
            self.unblocked_at(&state, key, now).is_some()
        };
        if !blocked {
            return Ok(());
        }
        let mut state = self.lock();
        self.refuse_if_blocked(&mut state, key, now)
    }

    /// When `key` may try again, if it is blocked now.
    fn unblocked_at(&self, state: &State<K>, key: &K, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let times = state.failures.get(key)?;
        let cutoff = now - self.window;
        let recent = times.iter().filter(|t| **t > cutoff).count();
        let nth = times
            .iter()
            .filter(|t| **t > cutoff)
            .nth(recent.checked_sub(self.limit)?)?;
        Some(*nth + self.window)
    }

    fn refuse_if_blocked(
        &self,
        state: &mut State<K>,
        key: &K,
        now: DateTime<Utc>,
    ) -> Result<(), Blocked> {
        let Some(unblocked_at) = self.unblocked_at(state, key, now) else {
            return Ok(());
        };
        let wait = unblocked_at - now;
        let seconds = wait.num_seconds() + i64::from(wait.subsec_nanos() > 0);
        let first = state.reported.get(key) != Some(&unblocked_at);
        if first {
            state.reported.insert(key.clone(), unblocked_at);
        }
        Err(Blocked {
            retry_after: seconds.max(1).unsigned_abs(),
            first,
        })
    }

    pub fn fail(&self, key: K, now: DateTime<Utc>) {
        let mut state = self.lock();
        self.record(&mut state, key, now);
    }

    fn record(&self, state: &mut State<K>, key: K, now: DateTime<Utc>) {
        if state.failures.len() >= MAX_KEYS && !state.failures.contains_key(&key) {
            let cutoff = now - self.window;
            state
                .failures
                .retain(|_, times| times.back().is_some_and(|t| *t > cutoff));
            state.reported.retain(|_, until| *until > now);
            if state.failures.len() >= MAX_KEYS {
                let oldest = state
                    .failures
                    .iter()
                    .min_by_key(|(_, times)| times.back().copied())
                    .map(|(k, _)| k.clone());
                if let Some(oldest) = oldest {
                    state.failures.remove(&oldest);
                    state.reported.remove(&oldest);
                }
            }
        }
        let times = state.failures.entry(key).or_default();
        times.push_back(now);
        while times.len() > self.limit {
            times.pop_front();
        }
    }

    /// Counts an attempt as a failure before its outcome is known, unless the key is already
    /// blocked. Check and count happen under one lock: concurrent attempts cannot all slip in.
    pub fn reserve(&self, key: K, now: DateTime<Utc>) -> Result<(), Blocked> {
        let mut state = self.lock();
        self.refuse_if_blocked(&mut state, &key, now)?;
        self.record(&mut state, key, now);
        Ok(())
    }

    /// Takes back one failure recorded at `at` (an attempt reserved, then successful).
    pub fn release(&self, key: &K, at: DateTime<Utc>) {
        let mut state = self.lock();
        if let Some(times) = state.failures.get_mut(key) {
            if let Some(position) = times.iter().rposition(|t| *t == at) {
                times.remove(position);
            }
            if times.is_empty() {
                state.failures.remove(key);
            }
        }
    }

    pub fn forget(&self, key: &K) {
        let mut state = self.lock();
        state.failures.remove(key);
        state.reported.remove(key);
    }
}

/// The key for a client address: IPv6 clients are counted per /64, the block one host gets.
pub fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// Failed console logins, counted per client address and per login. One address is held to
/// a few guesses; the per-login limit is higher, so that one address alone cannot lock an
/// account out, while guesses spread over many addresses still run into it.
pub struct LoginThrottle {
    pub per_login: Throttle<String>,
    pub per_address: Throttle<IpAddr>,
}

pub const ADDRESS_FAILURES_PER_MINUTE: usize = 5;
pub const LOGIN_FAILURES_PER_MINUTE: usize = 20;

impl Default for LoginThrottle {
    fn default() -> Self {
        Self {
            per_login: Throttle::new(LOGIN_FAILURES_PER_MINUTE, Duration::minutes(1)),
            per_address: Throttle::new(ADDRESS_FAILURES_PER_MINUTE, Duration::minutes(1)),
        }
    }
}

impl LoginThrottle {
    /// Logins are compared case-insensitively, so `Admin` and `admin` share a count; the key is
    /// a digest, so a huge typed login costs no more memory than a short one.
    fn login_key(login: &str) -> String {
        crate::domain::token::sha256_hex(&login.trim().to_lowercase())
    }

    /// Starts a login attempt, counted as failed until [`LoginThrottle::succeed`] says
    /// otherwise. Refused when the login or the address is blocked.
    pub fn begin(
        &self,
        login: &str,
        ip: Option<IpAddr>,
        now: DateTime<Utc>,
    ) -> Result<(), Blocked> {
        let key = Self::login_key(login);
        if let Some(ip) = ip {
            self.per_address.check(&address_key(ip), now)?;
        }
        self.per_login.reserve(key.clone(), now)?;
        if let Some(ip) = ip {
            if let Err(wait) = self.per_address.reserve(address_key(ip), now) {
                self.per_login.release(&key, now);
                return Err(wait);
            }
        }
        Ok(())
    }

    /// The attempt begun at `began` succeeded: the login's count starts again, and the
    /// address gets its attempt back.
    pub fn succeed(&self, login: &str, ip: Option<IpAddr>, began: DateTime<Utc>) {
        self.per_login.forget(&Self::login_key(login));
        if let Some(ip) = ip {
            self.per_address.release(&address_key(ip), began);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn the_limit_blocks_until_the_oldest_failure_leaves_the_window() {
        let throttle = Throttle::new(3, Duration::minutes(1));
        for s in [0, 10, 20] {
            assert_eq!(throttle.check(&"k", at(s)), Ok(()));
            throttle.fail("k", at(s));
        }
        let wait = |b: Result<(), Blocked>| b.map_err(|b| b.retry_after);
        assert_eq!(wait(throttle.check(&"k", at(21))), Err(39));
        assert_eq!(throttle.check(&"other", at(21)), Ok(()));
        assert_eq!(throttle.check(&"k", at(60)), Ok(()));
        throttle.fail("k", at(60));
        assert_eq!(wait(throttle.check(&"k", at(61))), Err(9));
    }

    #[test]
    fn only_the_first_refusal_of_a_block_is_first() {
        let throttle = Throttle::new(2, Duration::minutes(1));
        throttle.fail("k", at(0));
        throttle.fail("k", at(1));
        let first = |s| throttle.check(&"k", at(s)).map_err(|b| b.first);
        assert_eq!(first(2), Err(true));
        assert_eq!(first(3), Err(false));
        assert_eq!(first(30), Err(false));
        // Unblocked at 61; blocked again by two new failures: a new block, a new first.
        assert_eq!(first(61), Ok(()));
        throttle.fail("k", at(62));
        throttle.fail("k", at(63));
        assert_eq!(first(64), Err(true));
        assert_eq!(first(65), Err(false));
    }

    #[test]
    fn forgetting_a_key_unblocks_it() {
        let throttle = Throttle::new(1, Duration::minutes(1));
        throttle.fail("k", at(0));
        assert!(throttle.check(&"k", at(1)).is_err());
        throttle.forget(&"k");
        assert_eq!(throttle.check(&"k", at(1)), Ok(()));
    }

    fn address(n: u8) -> Option<IpAddr> {
        Some(IpAddr::from([192, 0, 2, n]))
    }

    #[test]
    fn one_address_cannot_lock_a_login_out() {
        let throttle = LoginThrottle::default();
        for _ in 0..ADDRESS_FAILURES_PER_MINUTE {
            assert_eq!(throttle.begin("Admin", address(1), at(0)), Ok(()));
        }
        assert!(throttle.begin("admin", address(1), at(1)).is_err());
        assert!(throttle.begin("clerk", address(1), at(1)).is_err());
        assert_eq!(throttle.begin("admin ", address(2), at(1)), Ok(()));
    }

    #[test]
    fn guesses_spread_over_many_addresses_lock_the_login() {
        let throttle = LoginThrottle::default();
        for n in 0..LOGIN_FAILURES_PER_MINUTE {
            let from = address(10 + (n / ADDRESS_FAILURES_PER_MINUTE) as u8);
            assert_eq!(throttle.begin("admin", from, at(0)), Ok(()));
        }
        assert!(throttle.begin("ADMIN", address(99), at(1)).is_err());
        assert_eq!(throttle.begin("clerk", address(99), at(1)), Ok(()));
    }

    #[test]
    fn attempts_count_from_the_start_and_a_success_gives_them_back() {
        let throttle = LoginThrottle::default();
        // Five attempts in flight at once: the sixth is refused before any of them finished.
        for _ in 0..ADDRESS_FAILURES_PER_MINUTE {
            assert_eq!(throttle.begin("admin", address(9), at(0)), Ok(()));
        }
        assert!(throttle.begin("admin", address(9), at(0)).is_err());
        for i in 0..10 {
            assert_eq!(throttle.begin("clerk", address(8), at(i)), Ok(()));
            throttle.succeed("clerk", address(8), at(i));
        }
    }

    #[test]
    fn the_wait_is_rounded_up() {
        let throttle = Throttle::new(1, Duration::minutes(1));
        throttle.fail("k", at(0));
        let later = at(10) + Duration::milliseconds(500);
        assert_eq!(
            throttle.check(&"k", later).map_err(|b| b.retry_after),
            Err(50)
        );
    }

    #[test]
    fn ipv6_clients_are_counted_per_64() {
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(c));
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().unwrap();
        assert_eq!(address_key(mapped), "192.0.2.1".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn the_table_stays_bounded() {
        let throttle = Throttle::new(1, Duration::minutes(1));
        for i in 0..(MAX_KEYS as u32 + 10) {
            throttle.fail(i, at(0));
        }
        assert!(throttle.lock().failures.len() <= MAX_KEYS);
    }
}
