//! A refused bearer call's answer (RFC 6750 §3): status, `WWW-Authenticate` challenge, JSON
//! body, and `Retry-After` where waiting helps.

use axum::http::header::{CACHE_CONTROL, RETRY_AFTER, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use app::model::DATABASE_RETRY_SECONDS;

use super::{BearerError, REALM};
use crate::api::ErrorBody;

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
        let body = Json(ErrorBody {
            error: code.unwrap_or("unauthorized"),
            error_description: description,
        });
        let mut response = (status, body).into_response();
        if let Ok(value) = HeaderValue::from_str(&challenge) {
            response.headers_mut().insert(WWW_AUTHENTICATE, value);
        }
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        let retry_after = match self {
            Self::TooManyFailures(seconds) => Some(seconds),
            Self::Unavailable => Some(DATABASE_RETRY_SECONDS),
            _ => None,
        };
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
