//! Cache misses of one token share one database lookup.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use super::BearerError;
use crate::store::CachedToken;

pub(super) type LookupResult = Result<Arc<CachedToken>, BearerError>;
/// Who may share a lookup: the same token, from the same address, asked since the same
/// invalidation (a lookup begun before a revocation is never handed to a later request).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct FlightKey {
    pub hash: String,
    pub client: Option<IpAddr>,
    pub generation: u64,
}
/// Lookups under way: as many as requests in flight, no more.
pub(super) type Inflight = Mutex<HashMap<FlightKey, Arc<OnceCell<LookupResult>>>>;

/// One request's share of a lookup; leaving (done or cancelled) takes the lookup off the
/// list, so a later miss starts afresh and nothing stays behind.
pub(super) struct Flight<'a> {
    inflight: &'a Inflight,
    key: FlightKey,
    pub result: Arc<OnceCell<LookupResult>>,
}

impl<'a> Flight<'a> {
    pub fn join(inflight: &'a Inflight, key: FlightKey) -> Self {
        let mut map = inflight.lock().unwrap_or_else(|e| e.into_inner());
        let result = Arc::clone(map.entry(key.clone()).or_default());
        Self {
            inflight,
            key,
            result,
        }
    }
}

impl Drop for Flight<'_> {
    fn drop(&mut self) {
        let mut map = self.inflight.lock().unwrap_or_else(|e| e.into_inner());
        if map
            .get(&self.key)
            .is_some_and(|cell| Arc::ptr_eq(cell, &self.result))
        {
            map.remove(&self.key);
        }
    }
}
