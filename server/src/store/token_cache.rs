//! Validated bearer tokens, kept in memory so that the API's hot path reads no database.
//!
//! Only tokens that were usable when read from the database enter (unknown tokens never do, so
//! guesses cannot grow it), at most `capacity` of them. An entry is served while:
//! - the clock is before its `usable_until` (end of the expiration day, or of the owner's last
//!   working day, in the console's time zone): expiry is exact, no TTL;
//! - the cache is *trusted*: the change feed (PostgreSQL notifications, or SQLite's
//!   invalidation log) was heard from within [`TRUST_WINDOW`]. When it goes quiet, every call
//!   reads the database until it is back, and the cache is emptied on its return;
//! - no invalidation came since its read began: a generation counter, bumped by every
//!   invalidation, stops a lookup that started before a revocation from filling the cache
//!   with what it read.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};

use app::domain::Allowlist;

/// How long the cache stays trusted after the change feed was last heard from. Changes made
/// anywhere are applied within this bound even if the feed dies right after them.
pub const TRUST_WINDOW: Duration = Duration::from_millis(750);
/// How often the feed proves it is alive (a ping on PostgreSQL, a poll on SQLite).
pub const HEARTBEAT: Duration = Duration::from_millis(200);
pub const DEFAULT_CAPACITY: usize = 100_000;

/// What must stop being trusted after a change in the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalidation {
    /// One token (by its SHA-256 hex), removed or deleted.
    Token(String),
    /// Every token of one person (employment or technical status changed).
    Owner(i64),
    /// Everything (the feature flag changed).
    All,
}

impl Invalidation {
    /// The text carried by a notification or stored in the invalidation log.
    pub fn encode(&self) -> String {
        match self {
            Self::Token(hash) => format!("token:{hash}"),
            Self::Owner(id) => format!("owner:{id}"),
            Self::All => "all".to_owned(),
        }
    }

    /// Unreadable text means "all": a change we cannot place must not be ignored.
    pub fn decode(text: &str) -> Self {
        if let Some(hash) = text.strip_prefix("token:") {
            return Self::Token(hash.to_owned());
        }
        match text.strip_prefix("owner:").map(str::parse) {
            Some(Ok(id)) => Self::Owner(id),
            _ => Self::All,
        }
    }
}

/// A token that was usable when read, and who it belongs to.
#[derive(Debug)]
pub struct CachedToken {
    pub token_id: i64,
    pub token_name: String,
    pub expires_on: NaiveDate,
    pub owner_id: i64,
    pub login: String,
    pub name: String,
    pub usable_until: DateTime<Utc>,
    /// Unix seconds of the last recorded use (`i64::MIN`: never).
    last_use: AtomicI64,
    /// Where the token may be used from.
    pub allowed: Allowlist,
}

impl CachedToken {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        token_id: i64,
        token_name: String,
        expires_on: NaiveDate,
        owner_id: i64,
        login: String,
        name: String,
        usable_until: DateTime<Utc>,
        last_use: Option<DateTime<Utc>>,
    ) -> Self {
        Self {
            token_id,
            token_name,
            expires_on,
            owner_id,
            login,
            name,
            usable_until,
            last_use: AtomicI64::new(last_use.map_or(i64::MIN, |at| at.timestamp())),
            allowed: Allowlist::default(),
        }
    }

    pub fn allowing(mut self, allowed: Allowlist) -> Self {
        self.allowed = allowed;
        self
    }

    /// Whether this call should record the token's use: true for one caller once `resolution`
    /// has passed since the last recorded use.
    pub fn claim_use(&self, now: DateTime<Utc>, resolution: chrono::Duration) -> bool {
        let last = self.last_use.load(Ordering::Relaxed);
        last <= now.timestamp() - resolution.num_seconds()
            && self
                .last_use
                .compare_exchange(last, now.timestamp(), Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
    }
}

pub struct TokenCache {
    entries: quick_cache::sync::Cache<String, Arc<CachedToken>>,
    generation: AtomicU64,
    /// Serialises fills against invalidations (never taken by a cache hit).
    fill: Mutex<()>,
    started: Instant,
    /// Milliseconds since `started` until which the cache is trusted.
    trusted_until: AtomicU64,
}

impl TokenCache {
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: quick_cache::sync::Cache::new(capacity.max(1)),
            generation: AtomicU64::new(0),
            fill: Mutex::new(()),
            started: Instant::now(),
            trusted_until: AtomicU64::new(0),
        }
    }

    /// This process's monotonic time, in milliseconds: what heartbeats are stamped with.
    pub fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    pub fn is_trusted(&self) -> bool {
        self.now_ms() < self.trusted_until.load(Ordering::Acquire)
    }

    /// The change feed delivered everything committed before `sent_ms` (a ping sent then came
    /// back; a poll begun then succeeded): trust the cache until [`TRUST_WINDOW`] after it. If
    /// trust had lapsed, changes may have been missed meanwhile: start from empty.
    pub fn heartbeat_from(&self, sent_ms: u64) {
        if !self.is_trusted() {
            self.invalidate(&Invalidation::All);
        }
        let until = sent_ms + u64::try_from(TRUST_WINDOW.as_millis()).unwrap_or(0);
        self.trusted_until.fetch_max(until, Ordering::AcqRel);
    }

    #[cfg(test)]
    fn heartbeat(&self) {
        self.heartbeat_from(self.now_ms());
    }

    /// The change feed is gone: stop trusting the cache now.
    pub fn distrust(&self) {
        self.trusted_until.store(0, Ordering::Release);
        self.invalidate(&Invalidation::All);
    }

    /// A usable entry for this token hash, if the cache may be trusted.
    pub fn get(&self, hash: &str, now: DateTime<Utc>) -> Option<Arc<CachedToken>> {
        if !self.is_trusted() {
            return None;
        }
        self.entries
            .get(hash)
            .filter(|entry| now < entry.usable_until)
    }

    /// Taken before reading the database; hand it back to [`Self::fill`].
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Keeps a token read at `generation`, unless something was invalidated since.
    pub fn fill(&self, hash: String, entry: Arc<CachedToken>, generation: u64) {
        let _guard = self.fill.lock().unwrap_or_else(|e| e.into_inner());
        if self.generation.load(Ordering::Acquire) == generation && self.is_trusted() {
            self.entries.insert(hash, entry);
        }
    }

    pub fn invalidate(&self, what: &Invalidation) {
        let _guard = self.fill.lock().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        match what {
            Invalidation::Token(hash) => {
                self.entries.remove(hash.as_str());
            }
            Invalidation::Owner(id) => self.entries.retain(|_, entry| entry.owner_id != *id),
            Invalidation::All => self.entries.clear(),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(owner_id: i64, until: DateTime<Utc>) -> Arc<CachedToken> {
        Arc::new(CachedToken::new(
            1,
            "n".into(),
            NaiveDate::MIN,
            owner_id,
            "svc".into(),
            "Svc".into(),
            until,
            None,
        ))
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).unwrap()
    }

    #[test]
    fn entries_serve_until_their_exact_end_and_only_while_trusted() {
        let cache = TokenCache::new(10);
        cache.fill("a".into(), entry(1, at(100)), cache.generation());
        assert!(
            cache.get("a", at(99)).is_none(),
            "untrusted caches keep nothing"
        );
        cache.heartbeat();
        cache.fill("a".into(), entry(1, at(100)), cache.generation());
        assert!(cache.get("a", at(99)).is_some());
        assert!(
            cache.get("a", at(100)).is_none(),
            "the end instant is excluded"
        );
        cache.distrust();
        cache.heartbeat();
        assert!(
            cache.get("a", at(0)).is_none(),
            "trust lost empties the cache"
        );
    }

    #[test]
    fn a_fill_that_raced_an_invalidation_is_dropped() {
        let cache = TokenCache::new(10);
        cache.heartbeat();
        let before = cache.generation();
        cache.invalidate(&Invalidation::Token("a".into()));
        cache.fill("a".into(), entry(1, at(100)), before);
        assert!(cache.get("a", at(0)).is_none());
        cache.fill("a".into(), entry(1, at(100)), cache.generation());
        assert!(cache.get("a", at(0)).is_some());
    }

    #[test]
    fn invalidations_reach_one_token_one_owner_or_everything() {
        let cache = TokenCache::new(10);
        cache.heartbeat();
        for (hash, owner) in [("a", 1), ("b", 1), ("c", 2), ("d", 3)] {
            cache.fill(hash.into(), entry(owner, at(100)), cache.generation());
        }
        cache.invalidate(&Invalidation::decode(
            &Invalidation::Token("a".into()).encode(),
        ));
        assert!(cache.get("a", at(0)).is_none() && cache.get("b", at(0)).is_some());
        cache.invalidate(&Invalidation::decode(&Invalidation::Owner(1).encode()));
        assert!(cache.get("b", at(0)).is_none() && cache.get("c", at(0)).is_some());
        cache.invalidate(&Invalidation::decode("garbled"));
        assert_eq!(cache.len(), 0);
    }

    #[test]
    fn a_use_is_claimed_once_per_resolution() {
        let token = entry(1, at(1_000));
        let minute = chrono::Duration::minutes(1);
        assert!(token.claim_use(at(100), minute));
        assert!(!token.claim_use(at(130), minute));
        assert!(token.claim_use(at(160), minute));
    }
}
