//! `Authorization: Bearer <token>` for API resources (RFC 6750). Any route protected by one
//! extractor argument: `async fn handler(caller: ApiCaller) -> ...`.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL, RETRY_AFTER, WWW_AUTHENTICATE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;

use app::backend::{ClientAddr, Clock, Throttle};
use app::domain::{self, rules, AuthorizationError, TokenSecret};
use app::throttle::address_key;

use crate::store::Db;

pub const REALM: &str = "jetons";

/// What a valid bearer token proves: which technical user is calling, with which token.
#[derive(Debug, Clone)]
pub struct ApiCaller {
    pub token_id: i64,
    pub token_name: String,
    pub expires_on: NaiveDate,
    pub login: String,
    pub name: String,
}

/// The state the extractor needs; part of the app state.
#[derive(Clone)]
pub struct BearerAuth {
    pub db: Db,
    pub clock: Clock,
    pub zone: Tz,
    /// Refused bearer attempts per client address.
    pub failures: Arc<Throttle<IpAddr>>,
}

/// Refused bearer attempts allowed per client address and minute before it gets 429.
pub const BEARER_FAILURES_PER_MINUTE: usize = 20;
/// `last_used_at` is written at most this often per token.
const LAST_USE_RESOLUTION: Duration = Duration::minutes(1);

impl BearerAuth {
    pub fn new(db: Db, clock: Clock, zone: Tz) -> Self {
        Self {
            db,
            clock,
            zone,
            failures: Arc::new(Throttle::new(
                BEARER_FAILURES_PER_MINUTE,
                Duration::minutes(1),
            )),
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
    pub async fn authenticate(
        &self,
        secret: &TokenSecret,
        client: Option<IpAddr>,
    ) -> Result<ApiCaller, BearerError> {
        let lookup = self
            .db
            .bearer_lookup(&secret.hash())
            .await
            .map_err(|error| {
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
        let today = rules::today(self.clock.now(), self.zone);
        rules::check_usable(
            row.removed_at.is_some(),
            row.expires_on,
            &row.owner.employment,
            today,
        )
        .map_err(|reason| {
            BearerError::Unusable(match reason {
                rules::Unusable::Removed => "The token has been removed.",
                rules::Unusable::Expired => "The token has expired.",
                rules::Unusable::OwnerIneligible => {
                    "The token's user is no longer a technical user working in the company."
                }
            })
        })?;
        let now = self.clock.now();
        if row
            .last_used_at
            .is_none_or(|at| at <= now - LAST_USE_RESOLUTION)
        {
            let from = client.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
            if let Err(error) = self
                .db
                .record_token_use(row.token_id, now, &from, now - LAST_USE_RESOLUTION)
                .await
            {
                tracing::warn!(%error, token_id = row.token_id, "could not record a token's last use");
            }
        }
        Ok(ApiCaller {
            token_id: row.token_id,
            token_name: row.token_name,
            expires_on: row.expires_on,
            login: row.owner.login,
            name: row.owner.name,
        })
    }
}

impl<S> FromRequestParts<S> for ApiCaller
where
    BearerAuth: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = BearerError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let auth = BearerAuth::from_ref(state);
        let client = ClientAddr::of(&parts.extensions);
        let now = auth.clock.now();
        if let Some(ip) = client {
            auth.failures
                .check(&address_key(ip), now)
                .map_err(|blocked| BearerError::TooManyFailures(blocked.retry_after))?;
        }
        let result = match parse_authorization(&parts.headers) {
            Ok(secret) => auth.authenticate(&secret, client).await,
            Err(error) => Err(error),
        };
        if let (Err(BearerError::InvalidRequest(_) | BearerError::InvalidToken(_)), Some(ip)) =
            (&result, client)
        {
            auth.failures.fail(address_key(ip), now);
        }
        result
    }
}

impl IntoResponse for BearerError {
    fn into_response(self) -> Response {
        let (status, code, description) = match self {
            Self::Missing => (
                StatusCode::UNAUTHORIZED,
                None,
                "This API requires a token: Authorization: Bearer <token>.",
            ),
            Self::InvalidRequest(description) => (
                StatusCode::BAD_REQUEST,
                Some("invalid_request"),
                description,
            ),
            Self::InvalidToken(description) | Self::Unusable(description) => {
                (StatusCode::UNAUTHORIZED, Some("invalid_token"), description)
            }
            Self::TooManyFailures(_) => (
                StatusCode::TOO_MANY_REQUESTS,
                Some("too_many_requests"),
                "Too many refused tokens from this address; wait before trying again.",
            ),
            Self::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                Some("temporarily_unavailable"),
                "The server cannot check tokens right now; try again later.",
            ),
        };
        let challenge = match code {
            Some(code)
                if status == StatusCode::UNAUTHORIZED || status == StatusCode::BAD_REQUEST =>
            {
                format!(
                "Bearer realm=\"{REALM}\", error=\"{code}\", error_description=\"{description}\""
            )
            }
            _ => format!("Bearer realm=\"{REALM}\""),
        };
        let body = Json(serde_json::json!({
            "error": code.unwrap_or("unauthorized"),
            "error_description": description,
        }));
        let mut response = (status, body).into_response();
        if let Ok(value) = HeaderValue::from_str(&challenge) {
            response.headers_mut().insert(WWW_AUTHENTICATE, value);
        }
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Self::TooManyFailures(seconds) = self {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
