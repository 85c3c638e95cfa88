//! Counting failures per key (a login, a client address) over a sliding window. Time comes in
//! as an argument, so the server's clock (fixed in test mode) decides.
//!
//! Each key has its own small lock; the table of keys is a bounded concurrent cache, so a
//! check never waits for another key's work, and a flood of new keys costs O(1) each.

use std::collections::VecDeque;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Duration, Utc};

/// Keys tracked at most; past that, the cache's eviction (quick_cache: rarely used keys first)
/// forgets some.
pub const MAX_KEYS: usize = 65_536;

pub struct Throttle<K> {
    limit: usize,
    window: Duration,
    keys: quick_cache::sync::Cache<K, Arc<Slot>>,
}

/// One key's state. A key whose block was already reported is refused without its lock
/// (`blocked_until`): a flood from a blocked address costs one atomic read per request.
#[derive(Debug, Default)]
struct Slot {
    /// End of the reported block, in milliseconds since the epoch; 0 when none is known.
    blocked_until: AtomicI64,
    window: Mutex<Window>,
}

/// One key's recent failures (at most `limit` of them) and the block already reported.
#[derive(Debug, Default)]
struct Window {
    failures: VecDeque<DateTime<Utc>>,
    /// For a key blocked now: the end of the block already reported by a [`Blocked::first`].
    reported: Option<DateTime<Utc>>,
}

/// A refusal: how long to wait, and whether it is the first one of this block (worth
/// recording once, where every later refusal is not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blocked {
    pub retry_after: u64,
    pub first: bool,
}

fn lock(window: &Mutex<Window>) -> MutexGuard<'_, Window> {
    window.lock().unwrap_or_else(|e| e.into_inner())
}

impl<K: Hash + Eq + Clone> Throttle<K> {
    pub fn new(limit: usize, window: Duration) -> Self {
        Self {
            limit: limit.max(1),
            window,
            keys: quick_cache::sync::Cache::new(MAX_KEYS),
        }
    }

    fn slot_of(&self, key: K) -> Arc<Slot> {
        match self
            .keys
            .get_or_insert_with(&key, || Ok::<_, std::convert::Infallible>(Arc::default()))
        {
            Ok(window) => window,
            Err(never) => match never {},
        }
    }

    /// Refused once `limit` failures fell within the window.
    pub fn check(&self, key: &K, now: DateTime<Utc>) -> Result<(), Blocked> {
        let Some(slot) = self.keys.get(key) else {
            return Ok(());
        };
        let blocked_until = slot.blocked_until.load(Ordering::Acquire);
        let left = blocked_until - now.timestamp_millis();
        if left > 0 {
            return Err(Blocked {
                retry_after: left.unsigned_abs().div_ceil(1000),
                first: false,
            });
        }
        let mut window = lock(&slot.window);
        self.refuse_if_blocked(&slot, &mut window, now)
    }

    fn refuse_if_blocked(
        &self,
        slot: &Slot,
        window: &mut Window,
        now: DateTime<Utc>,
    ) -> Result<(), Blocked> {
        let cutoff = now - self.window;
        let recent = window.failures.iter().filter(|t| **t > cutoff).count();
        let Some(oldest_counted) = recent
            .checked_sub(self.limit)
            .and_then(|skip| window.failures.iter().filter(|t| **t > cutoff).nth(skip))
        else {
            return Ok(());
        };
        let unblocked_at = *oldest_counted + self.window;
        let wait = unblocked_at - now;
        let seconds = wait.num_seconds() + i64::from(wait.subsec_nanos() > 0);
        let first = window.reported != Some(unblocked_at);
        window.reported = Some(unblocked_at);
        slot.blocked_until
            .store(unblocked_at.timestamp_millis(), Ordering::Release);
        Err(Blocked {
            retry_after: seconds.max(1).unsigned_abs(),
            first,
        })
    }

    fn record(&self, window: &mut Window, now: DateTime<Utc>) {
        window.failures.push_back(now);
        while window.failures.len() > self.limit {
            window.failures.pop_front();
        }
    }

    pub fn fail(&self, key: K, now: DateTime<Utc>) {
        let slot = self.slot_of(key);
        self.record(&mut lock(&slot.window), now);
    }

    /// Counts an attempt as a failure before its outcome is known, unless the key is already
    /// blocked. Check and count happen under the key's lock: concurrent attempts cannot all
    /// slip in.
    pub fn reserve(&self, key: K, now: DateTime<Utc>) -> Result<(), Blocked> {
        let slot = self.slot_of(key);
        let mut window = lock(&slot.window);
        self.refuse_if_blocked(&slot, &mut window, now)?;
        self.record(&mut window, now);
        Ok(())
    }

    /// Takes back one failure recorded at `at` (an attempt reserved, then successful). A key
    /// left without failures is dropped: checking it again takes no lock at all.
    pub fn release(&self, key: &K, at: DateTime<Utc>) {
        let Some(slot) = self.keys.get(key) else {
            return;
        };
        let emptied = {
            let mut window = lock(&slot.window);
            if let Some(position) = window.failures.iter().rposition(|t| *t == at) {
                window.failures.remove(position);
                // One failure fewer may end the block early: the next check recounts.
                slot.blocked_until.store(0, Ordering::Release);
            }
            window.failures.is_empty()
        };
        if emptied {
            self.keys.remove_if(key, |current| {
                Arc::ptr_eq(current, &slot) && lock(&current.window).failures.is_empty()
            });
        }
    }

    pub fn forget(&self, key: &K) {
        self.keys.remove(key);
    }

    /// Keys tracked now.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
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
    fn a_reported_block_ends_on_time_or_when_an_attempt_is_taken_back() {
        let throttle = Throttle::new(2, Duration::minutes(1));
        throttle.reserve("k", at(0)).unwrap();
        throttle.reserve("k", at(10)).unwrap();
        let wait = |s| {
            throttle
                .check(&"k", at(s))
                .map_err(|b| (b.retry_after, b.first))
        };
        assert_eq!(wait(11), Err((49, true)));
        // Later refusals of the same block are answered without recounting.
        assert_eq!(wait(12), Err((48, false)));
        assert_eq!(wait(59), Err((1, false)));
        // The attempt at 10 succeeded after all: one failure left, the block is over.
        throttle.release(&"k", at(10));
        assert_eq!(wait(13), Ok(()));
        throttle.reserve("k", at(14)).unwrap();
        // Blocked again until 60: the block already reported.
        assert_eq!(wait(15), Err((45, false)));
        assert_eq!(wait(60), Ok(()));
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
    fn a_million_distinct_keys_leave_the_table_bounded() {
        let throttle = Throttle::new(20, Duration::minutes(1));
        for i in 0..1_000_000u32 {
            throttle.fail(IpAddr::from(i.to_be_bytes()), at(0));
        }
        assert!(throttle.len() <= MAX_KEYS, "{} keys", throttle.len());
        // A key hammered all along is still counted.
        for _ in 0..20 {
            throttle.fail(IpAddr::from([192, 0, 2, 1]), at(1));
        }
        assert!(throttle
            .check(&IpAddr::from([192, 0, 2, 1]), at(2))
            .is_err());
    }
}
