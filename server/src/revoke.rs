//! `POST /api/v1/revoke` (RFC 7009): whoever holds a token may revoke it. It is for an
//! application that suspects a leak, and for a secret scanner that found a token in a public
//! place. No session and no origin check: the token itself is the credential, and no cookie
//! rides along. The answer is the same whether or not the token was known (RFC 7009 §2.2).

use std::net::IpAddr;
use std::sync::Arc;

use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Duration;

use app::api::ClientAddr;
use app::backend::{AuditRecord, Clock, Throttle};
use app::domain::TokenSecret;
use app::model::{token_target, AuditAction, DATABASE_RETRY_SECONDS};
use app::throttle::address_key;

use utoipa::ToSchema;

use crate::api::ErrorBody;
use crate::form;
use crate::guard::MAX_BODY_BYTES;
use crate::store::Db;

pub const REVOKE_PATH: &str = "/api/v1/revoke";
/// Revocation requests a minute from one client address.
pub const REVOCATIONS_PER_MINUTE: usize = 60;
/// Who the audit log names for a revocation by the token's holder.
pub const HOLDER: &str = "token holder";

pub struct Revocation {
    db: Db,
    clock: Clock,
    requests: Throttle<IpAddr>,
}

impl Revocation {
    pub fn new(db: Db, clock: Clock) -> Self {
        Self {
            db,
            clock,
            requests: Throttle::new(REVOCATIONS_PER_MINUTE, Duration::minutes(1)),
        }
    }
}

/// Why a revocation request is not answered 200.
#[derive(Debug)]
enum Refusal {
    /// Not a form with exactly one `token` field.
    InvalidRequest(&'static str),
    TooManyRequests(u64),
    Unavailable,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let (status, code, description) = match self {
            Self::InvalidRequest(description) => {
                (StatusCode::BAD_REQUEST, "invalid_request", description)
            }
            Self::TooManyRequests(_) => (
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                "Too many revocation requests from this address; wait before trying again.",
            ),
            Self::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "temporarily_unavailable",
                "The server cannot revoke tokens right now; try again later.",
            ),
        };
        let body = Json(ErrorBody {
            error: code,
            error_description: description,
        });
        let mut response = (status, [(CACHE_CONTROL, "no-store")], body).into_response();
        let retry_after = match self {
            Self::TooManyRequests(seconds) => Some(seconds),
            Self::Unavailable => Some(DATABASE_RETRY_SECONDS),
            Self::InvalidRequest(_) => None,
        };
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

const NOT_A_FORM: &str =
    "Send the token as the form field token=<token> (application/x-www-form-urlencoded).";

/// The form `POST /api/v1/revoke` takes.
#[derive(ToSchema)]
#[allow(dead_code)] // Read from the body by hand (exactly one field); described here.
struct RevokeForm {
    /// The token to revoke.
    token: String,
}

/// Revoke a token (RFC 7009): whoever holds it may stop it, at once, on every instance.
///
/// For an application that suspects a leak, and for a secret scanner that found a token in a
/// public place. The answer is 200 whether or not the token was known, and a malformed,
/// unknown or already removed token changes nothing.
#[utoipa::path(
    post,
    path = REVOKE_PATH,
    tag = "API",
    security(()),
    request_body(content = RevokeForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Revoked, or nothing to revoke."),
        (status = 400, description = "invalid_request: not a form with exactly one token field.",
            body = ErrorBody),
        (status = 429, description = "too_many_requests: too many requests from this address.",
            body = ErrorBody, headers(("Retry-After" = u64, description = "Seconds to wait."))),
        (status = 503, description = "temporarily_unavailable: tokens cannot be revoked right now.",
            body = ErrorBody, headers(("Retry-After" = u64, description = "Seconds to wait."))),
    )
)]
pub async fn revoke(State(revocation): State<Arc<Revocation>>, request: Request) -> Response {
    match revoke_token(&revocation, request).await {
        Ok(()) => (StatusCode::OK, [(CACHE_CONTROL, "no-store")]).into_response(),
        Err(refusal) => refusal.into_response(),
    }
}

async fn revoke_token(revocation: &Revocation, request: Request) -> Result<(), Refusal> {
    let now = revocation.clock.now();
    let client = ClientAddr::of(request.extensions());
    if let Some(ip) = client {
        revocation
            .requests
            .reserve(address_key(ip), now)
            .map_err(|blocked| Refusal::TooManyRequests(blocked.retry_after))?;
    }
    let is_form = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|mime| {
            mime.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if !is_form {
        return Err(Refusal::InvalidRequest(NOT_A_FORM));
    }
    let body = to_bytes(request.into_body(), MAX_BODY_BYTES)
        .await
        .map_err(|_| Refusal::InvalidRequest("The request body could not be read."))?;
    let fields = form::decode(&body).map_err(|_| Refusal::InvalidRequest(NOT_A_FORM))?;
    let mut tokens = fields.iter().filter(|(name, _)| name == "token");
    let (Some((_, token)), None) = (tokens.next(), tokens.next()) else {
        return Err(Refusal::InvalidRequest(
            "The form field token is required, once.",
        ));
    };
    // Not one of our tokens (malformed, mistyped): nothing to revoke, and the answer says
    // nothing about it.
    let Ok(secret) = TokenSecret::parse(token.trim()) else {
        return Ok(());
    };
    let client = client.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
    let revoked = revocation
        .db
        .revoke_by_holder(&secret.hash(), now, |owner_login, name| AuditRecord {
            at: now,
            action: AuditAction::TokenRevokedByHolder,
            actor: HOLDER.to_owned(),
            client,
            target: token_target(owner_login, name),
        })
        .await
        .map_err(|error| {
            tracing::warn!(%error, "a revocation by a token's holder failed");
            Refusal::Unavailable
        })?;
    if let Some(token_id) = revoked {
        tracing::info!(token_id, "API token revoked by its holder");
    }
    Ok(())
}
