//! `Authorization: Bearer <token>` for API resources (RFC 6750). Any route protected by one
//! extractor argument: `async fn handler(caller: ApiCaller) -> ...`.

mod answer;
mod flight;

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use app::api::ClientAddr;
use app::backend::{Clock, Throttle};
use app::domain::{self, rules, AuthorizationError, TokenHash, TokenSecret};
use app::failure_counts::{FailureCounts, Scope, BEARER_FAILURES_PER_MINUTE};
use app::model::RemovalReason;
use app::throttle::address_key;

use crate::metrics;
use crate::store::{CachedToken, Db};
use flight::{Flight, FlightKey, Inflight};

pub const REALM: &str = "jetons";
/// Every answer to an authenticated API call names the token's expiration date
/// (`YYYY-MM-DD`), so that integrations can warn themselves before it stops.
pub const TOKEN_EXPIRES: HeaderName = HeaderName::from_static("jetons-token-expires");

/// What a valid bearer token proves: which technical user is calling, with which token.
#[derive(Debug, Clone)]
pub struct ApiCaller(Arc<CachedToken>);

impl ApiCaller {
    pub fn token_id(&self) -> i64 {
        self.0.token_id
    }

    pub fn token_name(&self) -> &str {
        &self.0.token_name
    }

    pub fn expires_on(&self) -> NaiveDate {
        self.0.expires_on
    }

    /// The [`TOKEN_EXPIRES`] header, for the answer to this caller.
    pub fn expiry_header(&self) -> [(HeaderName, String); 1] {
        [(TOKEN_EXPIRES, self.0.expires_on.to_string())]
    }

    pub fn login(&self) -> &str {
        &self.0.login
    }

    pub fn name(&self) -> &str {
        &self.0.name
    }
}

/// The state the extractor needs; part of the app state.
#[derive(Clone)]
pub struct BearerAuth {
    pub db: Db,
    pub clock: Clock,
    pub zone: Tz,
    /// Refused bearer attempts per client address, in this process (every call checks it).
    pub failures: Arc<Throttle<IpAddr>>,
    /// The same counted across instances (PostgreSQL), for the attempts that reach the
    /// database.
    shared: Option<Arc<dyn FailureCounts>>,
    inflight: Arc<Inflight>,
}

/// `last_used_at` is written at most this often per token.
const LAST_USE_RESOLUTION: Duration = Duration::minutes(1);

impl BearerAuth {
    pub fn new(db: Db, clock: Clock, zone: Tz) -> Self {
        Self {
            shared: db.shared_failure_counts(),
            db,
            clock,
            zone,
            failures: Arc::new(Throttle::new(
                BEARER_FAILURES_PER_MINUTE,
                Duration::minutes(1),
            )),
            inflight: Arc::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BearerError {
    /// No bearer credentials at all: a bare challenge, no error code (RFC 6750 §3.1).
    Missing,
    InvalidRequest(&'static str),
    InvalidToken(&'static str),
    /// A token we issued that cannot be used now (removed, expired, owner gone, feature off):
    /// answered like `InvalidToken`, but not counted as a guess.
    Unusable(&'static str),
    /// Too many refused attempts from this address: seconds to wait.
    TooManyFailures(u64),
    Unavailable,
}

impl BearerError {
    /// The metrics' word for this refusal; `invalid_token` names an `InvalidToken` (refused by
    /// its checksum before any lookup, or unknown after one).
    fn outcome(&self, invalid_token: &'static str) -> &'static str {
        match self {
            Self::Missing => "missing",
            Self::InvalidRequest(_) => "malformed",
            Self::InvalidToken(_) => invalid_token,
            Self::Unusable(_) => "unusable",
            Self::TooManyFailures(_) => "throttled",
            Self::Unavailable => "unavailable",
        }
    }
}

/// Reads the one bearer token of a request. Pure: no I/O.
pub fn parse_authorization(headers: &HeaderMap) -> Result<TokenSecret, BearerError> {
    domain::parse_authorization(
        headers
            .get_all(AUTHORIZATION)
            .iter()
            .map(HeaderValue::as_bytes),
    )
    .map_err(|error| match error {
        AuthorizationError::Missing => BearerError::Missing,
        AuthorizationError::Malformed(why) => BearerError::InvalidRequest(why),
        AuthorizationError::NotAToken => {
            BearerError::InvalidToken("The token is malformed or mistyped.")
        }
    })
}

impl BearerAuth {
    /// A valid token's caller. The cache answers without I/O; a miss reads the database, and
    /// is counted as a guess from `client` before it does (then taken back if the token turns
    /// out to be one we issued), so concurrent guesses cannot outrun the limit.
    pub async fn authenticate(
        &self,
        secret: &TokenSecret,
        client: Option<IpAddr>,
    ) -> Result<ApiCaller, BearerError> {
        let now = self.clock.now();
        let hash = secret.hash();
        let entry = match self.db.token_cache().get(hash.as_str(), now) {
            Some(hit) => hit,
            None => self.look_up_once(&hash, client, now).await?,
        };
        if !entry.allowed.allows(client) {
            return Err(BearerError::Unusable(domain::allowlist::REFUSED));
        }
        self.record_use(&entry, now, client).await;
        Ok(ApiCaller(entry))
    }

    /// A cache miss. Concurrent misses of one token share one lookup: a client's parallel
    /// first calls with a valid token are one lookup, not many guesses.
    async fn look_up_once(
        &self,
        hash: &TokenHash,
        client: Option<IpAddr>,
        now: DateTime<Utc>,
    ) -> Result<Arc<CachedToken>, BearerError> {
        let generation = self.db.token_cache().generation();
        let key = FlightKey {
            hash: hash.as_str().to_owned(),
            client: client.map(address_key),
            generation,
        };
        let flight = Flight::join(&self.inflight, key);
        flight
            .result
            .get_or_init(|| self.counted_look_up(hash, client, now, generation))
            .await
            .clone()
    }

    /// Counted as a guess from `client` before it reaches the database (taken back if the
    /// token turns out to be one we issued), so concurrent guesses cannot outrun the limit.
    async fn counted_look_up(
        &self,
        hash: &TokenHash,
        client: Option<IpAddr>,
        now: DateTime<Utc>,
        generation: u64,
    ) -> Result<Arc<CachedToken>, BearerError> {
        let guesser = client.map(address_key);
        if let Some(key) = guesser {
            self.failures
                .reserve(key, now)
                .map_err(|blocked| BearerError::TooManyFailures(blocked.retry_after))?;
            self.reserve_shared(key, now).await?;
        }
        let cache = self.db.token_cache();
        let result = self.look_up(hash, now).await;
        if let (Some(key), Ok(_) | Err(BearerError::Unusable(_) | BearerError::Unavailable)) =
            (guesser, &result)
        {
            self.failures.release(&key, now);
            if let Some(shared) = &self.shared {
                if let Err(error) = shared
                    .release(Scope::BearerByAddress, &key.to_string(), now)
                    .await
                {
                    tracing::warn!(%error, "could not take back a shared bearer attempt");
                }
            }
        }
        let entry = Arc::new(result?);
        cache.fill(hash.as_str().to_owned(), Arc::clone(&entry), generation);
        Ok(entry)
    }

    /// With several instances (PostgreSQL), the lookup is counted where all of them see it too.
    /// Refused there, the attempt stays counted here: an address refused again and again is
    /// soon refused by this instance alone, without I/O.
    async fn reserve_shared(&self, key: IpAddr, now: DateTime<Utc>) -> Result<(), BearerError> {
        let Some(shared) = &self.shared else {
            return Ok(());
        };
        let outcome = shared
            .reserve(Scope::BearerByAddress, &key.to_string(), now)
            .await
            .map_err(|error| {
                tracing::error!(%error, "cannot count a bearer attempt");
                self.failures.release(&key, now);
                BearerError::Unavailable
            })?;
        outcome.map_err(|blocked| BearerError::TooManyFailures(blocked.retry_after))
    }

    async fn look_up(
        &self,
        hash: &TokenHash,
        now: DateTime<Utc>,
    ) -> Result<CachedToken, BearerError> {
        let lookup = self.db.bearer_lookup(hash).await.map_err(|error| {
            tracing::error!(%error, "bearer lookup failed");
            BearerError::Unavailable
        })?;
        if !lookup.feature_enabled {
            return Err(BearerError::Unusable(
                "API tokens are disabled on this server.",
            ));
        }
        let row = lookup
            .token
            .ok_or(BearerError::InvalidToken("The token is not valid."))?;
        let today = rules::today(now, self.zone);
        // A rotated token works until the end of its overlap.
        if row.removed_at.is_some_and(|at| at <= now) {
            let reason = match row.removal_reason {
                Some(RemovalReason::Rotated) => rules::Unusable::Rotated,
                _ => rules::Unusable::Removed,
            };
            return Err(BearerError::Unusable(reason.message()));
        }
        rules::check_usable(false, row.expires_on, &row.owner.employment, today)
            .map_err(|reason| BearerError::Unusable(reason.message()))?;
        let usable_until =
            domain::expiry::usable_until(row.expires_on, &row.owner.employment, today, self.zone)
                .ok_or(BearerError::Unusable(rules::Unusable::Expired.message()))?;
        let usable_until = row
            .removed_at
            .map_or(usable_until, |at| at.min(usable_until));
        Ok(CachedToken::new(
            row.token_id,
            row.token_name,
            row.expires_on,
            row.owner.id,
            row.owner.login,
            row.owner.name,
            usable_until,
            row.last_used_at,
        )
        .allowing(row.allowed))
    }

    /// Writes the token's last use when [`LAST_USE_RESOLUTION`] has passed since the last one
    /// this process knows of; the statement itself skips it if another instance wrote since.
    async fn record_use(&self, token: &CachedToken, now: DateTime<Utc>, client: Option<IpAddr>) {
        if !token.claim_use(now, LAST_USE_RESOLUTION) {
            return;
        }
        let from = client.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
        if let Err(error) = self
            .db
            .record_token_use(token.token_id, now, &from, now - LAST_USE_RESOLUTION)
            .await
        {
            tracing::warn!(%error, token_id = token.token_id, "could not record a token's last use");
        }
    }
}

impl<S> FromRequestParts<S> for ApiCaller
where
    Arc<BearerAuth>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = BearerError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let auth = Arc::<BearerAuth>::from_ref(state);
        let client = ClientAddr::of(&parts.extensions);
        let now = auth.clock.now();
        if let Some(ip) = client {
            if let Err(blocked) = auth.failures.check(&address_key(ip), now) {
                let refused = BearerError::TooManyFailures(blocked.retry_after);
                metrics::record_bearer(refused.outcome("throttled"));
                return Err(refused);
            }
        }
        match parse_authorization(&parts.headers) {
            Ok(secret) => {
                let result = auth.authenticate(&secret, client).await;
                metrics::record_bearer(match &result {
                    Ok(_) => "valid",
                    Err(error) => error.outcome("unknown"),
                });
                result
            }
            Err(error) => {
                if let (BearerError::InvalidRequest(_) | BearerError::InvalidToken(_), Some(ip)) =
                    (&error, client)
                {
                    auth.failures.fail(address_key(ip), now);
                }
                metrics::record_bearer(error.outcome("checksum"));
                Err(error)
            }
        }
    }
}
